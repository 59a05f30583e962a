/**
 * Child process for the kill test (test/app/generate.test.ts):
 * `node scripts/run.mjs test/support/kill-during-write.ts <modules dir> <modules.json> <N>`
 * writes the modules in the JSON file into the folder as `npm run synth` does,
 * SIGKILLing itself just before its Nth file system change (0: never). It
 * prints how many changes it made.
 */
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { writeModules } from "../../src/app/generate.js";

const [modulesDir, modulesJson, killAt] = process.argv.slice(2);
const modules = JSON.parse(fs.readFileSync(modulesJson!, "utf8"));

/** Every fs call that changes the file system counts as one step. */
const CHANGES = ["writeFileSync", "renameSync", "rmSync", "mkdirSync", "linkSync", "symlinkSync", "copyFileSync", "unlinkSync", "rmdirSync"] as const;
let changes = 0;
const patched = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const name of CHANGES) {
  const original = patched[name]!;
  patched[name] = (...args: unknown[]) => {
    changes++;
    if (changes === Number(killAt)) process.kill(process.pid, "SIGKILL");
    return original.apply(fs, args);
  };
}
syncBuiltinESMExports();

writeModules(modulesDir!, modules);
process.stdout.write(String(changes));
