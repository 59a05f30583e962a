#!/usr/bin/env node
// The eks-pod-density command: runs src/cli/bin.ts through scripts/run.mjs (the project ships TypeScript).
import { fileURLToPath } from "node:url";
import { run } from "../scripts/run.mjs";

await run(fileURLToPath(new URL("../src/cli/bin.ts", import.meta.url)), process.argv.slice(2));
