#!/usr/bin/env node
/**
 * npm run bench [-- --runs N] [-- --quick]
 *
 * Times the main job as the README runs it (`npm run synth`: every root stack
 * and module, without install) N times after a warm-up and prints the median
 * and max wall time and the peak RSS; then the typecheck and the whole test
 * suite once, and `cdktf synth` through the CLI once (outside the budget).
 * Wall time from process.hrtime; peak RSS from /usr/bin/time when the machine
 * has it. Exits 1 when a budget is missed. These machines are shared and
 * noisy: compare numbers from the same run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "7" }, quick: { type: "boolean", default: false } } });
const RUNS = Number(values.runs);
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const scratch = mkdtempSync(join(tmpdir(), "eks-pod-density-bench-"));

/** Run a command once: wall seconds, peak RSS in MB (when measurable), exit status. */
function measure(command, args) {
  const rusage = join(scratch, "rusage");
  const [file, argv] = TIME ? [TIME, ["-f", "%M", "-o", rusage, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(file, argv, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssMb = TIME && existsSync(rusage) ? Number(readFileSync(rusage, "utf8").trim().split("\n").at(-1)) / 1024 : undefined;
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
  }
  return { seconds, rssMb };
}

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const s = (seconds) => `${seconds.toFixed(2)} s`;
const mb = (value) => (value === undefined ? "n/a" : `${Math.round(value)} MB`);
let missed = false;
const verdict = (ok) => {
  if (!ok) missed = true;
  return ok ? "met" : "MISSED";
};

console.log(`node ${process.version}, ${RUNS} runs after 1 warm-up${TIME ? "" : " (no /usr/bin/time: no RSS)"}\n`);

measure("npm", ["run", "-s", "synth"]); // warm-up: builds the cached bundle, warms the file cache
const synth = Array.from({ length: RUNS }, () => measure("npm", ["run", "-s", "synth"]));
const synthMedian = median(synth.map((r) => r.seconds));
const synthMax = Math.max(...synth.map((r) => r.seconds));
const synthRss = TIME ? Math.max(...synth.map((r) => r.rssMb)) : undefined;
console.log(
  `whole-app synthesis (npm run synth): median ${s(synthMedian)}, max ${s(synthMax)}, peak RSS ${mb(synthRss)}` +
    `   budget median <= 1.2 s, RSS <= 150 MB: ${verdict(synthMedian <= 1.2 && (synthRss === undefined || synthRss <= 150))}`,
);
console.log(`  runs: ${synth.map((r) => r.seconds.toFixed(2)).join(" ")}`);

const typecheck = measure("npm", ["run", "-s", "typecheck"]);
console.log(`typecheck (npm run typecheck): ${s(typecheck.seconds)}, peak RSS ${mb(typecheck.rssMb)}   budget <= 5 s: ${verdict(typecheck.seconds <= 5)}`);

if (!values.quick) {
  const tests = measure("npm", ["test"]);
  console.log(`all tests (npm test): ${s(tests.seconds)}   budget <= 60 s: ${verdict(tests.seconds <= 60)}`);
  const cli = measure("npx", ["cdktf", "synth"]);
  console.log(`cdktf synth through the CDKTF CLI (outside the budget): ${s(cli.seconds)}, peak RSS ${mb(cli.rssMb)}`);
}

rmSync(scratch, { recursive: true, force: true });
process.exitCode = missed ? 1 : 0;
