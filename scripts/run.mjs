#!/usr/bin/env node
/**
 * Runs a TypeScript entry point of this project, fast:
 *   node scripts/run.mjs <entry.ts> [args...]
 *
 * esbuild bundles the entry with everything it imports into one CommonJS
 * file under node_modules/.cache/eks-pod-density/, which node loads in one
 * read. The bundle is reused while none of its inputs changed (same paths,
 * sizes and modification times, as esbuild's metafile lists them), so a run
 * costs about 0.5 s where running the TypeScript through tsx's ESM loader
 * hooks cost about 1.5 s on these machines (README, Performance). No type
 * checking here: that is `npm run typecheck`.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
const root = resolve(dirname(self), "..");
const cache = join(root, "node_modules", ".cache", "eks-pod-density");

/** Cache name of an entry point: its path in the project, e.g. src-cli-bin for src/cli/bin.ts. */
const nameOf = (source) => relative(root, source).replace(/\.ts$/, "").replace(/[^A-Za-z0-9]+/g, "-");

/** Fingerprint of the bundle's inputs: a changed, added or removed file changes it. */
function signature(inputs) {
  const hash = createHash("sha1");
  for (const input of inputs) {
    try {
      const { size, mtimeMs } = statSync(join(root, input));
      hash.update(`${input}\0${size}\0${mtimeMs}\n`);
    } catch {
      hash.update(`${input}\0missing\n`);
    }
  }
  return hash.digest("hex");
}

/** Write `content` to `file` atomically (concurrent runs may race; either result is whole). */
function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

function cachedBundle(manifestFile) {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    return manifest.signature === signature(manifest.inputs) ? join(cache, manifest.bundle) : undefined;
  } catch {
    return undefined;
  }
}

/** The cdktf module that captures a stack trace for every token it creates. */
export const TOKEN_STACK_TRACE_MODULE = /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/;

/**
 * cdktf records a full stack trace (Error.stackTraceLimit = MAX_SAFE_INTEGER,
 * formatted at once) for every token it creates, only to quote it in error
 * messages: about half of a synthesis's CPU time with many environments. The
 * bundle gets a capture that records none (such messages then lack the
 * creation stack; our own errors name the input instead).
 */
const withoutTokenStackTraces = {
  name: "without-token-stack-traces",
  setup(build) {
    build.onLoad({ filter: TOKEN_STACK_TRACE_MODULE }, () => ({
      contents: "exports.captureStackTrace = function captureStackTrace() { return []; };",
      loader: "js",
    }));
  },
};

async function build(source, manifestFile) {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    plugins: [withoutTokenStackTraces],
    entryPoints: [source],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: join(cache, "bundle.cjs"),
    write: false,
    metafile: true,
    logLevel: "warning",
  });
  const inputs = [relative(root, self), ...Object.keys(result.metafile.inputs)].sort();
  const code = result.outputFiles[0].contents;
  const bundle = `${nameOf(source)}.${createHash("sha1").update(code).digest("hex").slice(0, 12)}.cjs`;
  mkdirSync(cache, { recursive: true });
  writeAtomically(join(cache, bundle), code);
  writeAtomically(manifestFile, JSON.stringify({ bundle, signature: signature(inputs), inputs }));
  const stale = (file) => file !== bundle && file.startsWith(`${nameOf(source)}.`) && file.endsWith(".cjs");
  for (const file of readdirSync(cache).filter(stale)) rmSync(join(cache, file), { force: true });
  return join(cache, bundle);
}

/** Run `entry` (a .ts file) as the main program with `args`. */
export async function run(entry, args) {
  const source = resolve(entry);
  const manifestFile = join(cache, `${nameOf(source)}.json`);
  const bundle = cachedBundle(manifestFile) ?? (await build(source, manifestFile));
  process.argv = [process.argv[0], source, ...args];
  createRequire(import.meta.url)(bundle);
}

if (process.argv[1] && resolve(process.argv[1]) === self) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error("usage: node scripts/run.mjs <entry.ts> [args...]");
    process.exit(2);
  }
  await run(entry, args);
}
