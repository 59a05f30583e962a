/** Run main.ts (the main job) in another folder, as `npm run synth` would there. */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const MAIN = resolve("main.ts");
const RUNNER = resolve("scripts/run.mjs");

/** `npm run synth` runs `node scripts/run.mjs main.ts`; this runs the same with another working folder. */
export function runMain(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [RUNNER, MAIN], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
