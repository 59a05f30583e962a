#!/usr/bin/env node
// The eks-pod-density command: runs src/cli/main.ts through tsx (the project ships TypeScript).
import { tsImport } from "tsx/esm/api";

const { runCli } = await tsImport("../src/cli/main.ts", import.meta.url);
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
