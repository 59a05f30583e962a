/** Run main.ts (the main job) in another folder, as `npm run synth` would there. */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const MAIN = resolve("main.ts");
const TSX = pathToFileURL(resolve("node_modules/tsx/dist/loader.mjs")).href;

export function runMain(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ["--import", TSX, MAIN], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
