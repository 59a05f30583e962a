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
 * hooks cost about 1.5 s on these machines (README, Performance). Beside each
 * bundle V8's code cache for it is kept (its functions compiled, as a run
 * left them), which saves about a third of a short run. No type checking
 * here: that is `npm run typecheck`.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { constants as vmConstants, Script } from "node:vm";

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
  const stale = (file) => !file.startsWith(bundle) && file.startsWith(`${nameOf(source)}.`) && (file.endsWith(".cjs") || file.endsWith(CODE_CACHE));
  for (const file of readdirSync(cache).filter(stale)) rmSync(join(cache, file), { force: true });
  return join(cache, bundle);
}

/** Ending of the file beside a bundle that holds V8's code cache for it: `<bundle>.v8-code-cache`. */
const CODE_CACHE = ".v8-code-cache";

/**
 * Run a bundle as a CommonJS module, as `require` would, but compiled with V8's code cache kept beside it: compiling
 * the ~4 MB bundle and then each function it runs is about a third of a short run. After a run without a usable
 * cache (none yet, or V8 refused it: another Node version or other V8 flags), the cache is written anew, with the
 * functions that run compiled.
 */
function runBundle(bundle) {
  const cacheFile = `${bundle}${CODE_CACHE}`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(bundle, "utf8")), {
    filename: bundle,
    cachedData,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = new Module(bundle);
  module.filename = bundle;
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected) writeAtomically(cacheFile, script.createCachedData());
}

/** Run `entry` (a .ts file) as the main program with `args`. */
export async function run(entry, args) {
  const source = resolve(entry);
  const manifestFile = join(cache, `${nameOf(source)}.json`);
  const bundle = cachedBundle(manifestFile) ?? (await build(source, manifestFile));
  process.argv = [process.argv[0], source, ...args];
  runBundle(bundle);
}

if (process.argv[1] && resolve(process.argv[1]) === self) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error("usage: node scripts/run.mjs <entry.ts> [args...]");
    process.exit(2);
  }
  await run(entry, args);
}
