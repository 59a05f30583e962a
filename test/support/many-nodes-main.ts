/**
 * `node scripts/run.mjs test/support/many-nodes-main.ts <count>`: one verify
 * run over `count` nodes (test/support/many-nodes.ts), its summary as JSON on
 * stdout. The verify tests run it under `ulimit -n 256`.
 */
import { runManyNodes } from "./many-nodes.js";

runManyNodes(Number(process.argv[2] ?? 1000)).then(
  (run) => process.stdout.write(`${JSON.stringify(run)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
