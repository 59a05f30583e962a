/** Run main.ts (the main job) in another folder, as `npm run synth` would there. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const MAIN = resolve("main.ts");
const RUNNER = resolve("scripts/run.mjs");

/** The node options `npm run synth` runs the app with (package.json's synth script, e.g. a V8 heap setting). */
export const SYNTH_NODE_OPTIONS = nodeOptionsOf(JSON.parse(readFileSync("package.json", "utf8")).scripts.synth as string);

/** The options between `node` and the script in a `node [options] scripts/run.mjs main.ts` command. */
export function nodeOptionsOf(command: string): string[] {
  const [node, ...rest] = command.split(/\s+/);
  const script = rest.indexOf("scripts/run.mjs");
  if (node !== "node" || script < 0 || rest.slice(script).join(" ") !== "scripts/run.mjs main.ts") {
    throw new Error(`expected "node [options] scripts/run.mjs main.ts", got "${command}"`);
  }
  return rest.slice(0, script);
}

/** `npm run synth` runs `node [options] scripts/run.mjs main.ts`; this runs the same with another working folder. */
export function runMain(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [...SYNTH_NODE_OPTIONS, RUNNER, MAIN], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
