#!/usr/bin/env node
// The eks-pod-density command. In a checkout of the repository it runs the TypeScript (src/cli/bin.ts) through
// scripts/run.mjs; the npm package ships neither, only the compiled dist/cli/bin.js (npm run build), which it runs.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const sources = fileURLToPath(new URL("../src/cli/bin.ts", import.meta.url));
if (existsSync(sources)) {
  const { run } = await import("../scripts/run.mjs");
  await run(sources, process.argv.slice(2));
} else {
  await import("../dist/cli/bin.js");
}
