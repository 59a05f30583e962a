/**
 * Vitest setup (vitest.config.ts, setupFiles): cdktf records the full stack of every token it creates
 * (captureStackTrace in cdktf's lib/tokens/private/stack-trace.js, kept as the token's creationStack, which only its
 * error messages quote). Tests synthesize as the command does: scripts/run.mjs builds the command's bundle with a
 * capture that records nothing, and here the same module's export is replaced before any test loads cdktf (its
 * modules call it through the exports object, `(0, stack_trace_1.captureStackTrace)()`). Under vitest each capture
 * also went through vitest's source-mapping Error.prepareStackTrace, frame by frame: about 2.5 s of CPU in an
 * `npm test` here with the stacks formatted by V8, about 5 s before that, for stacks no test looks at.
 */
import { createRequire } from "node:module";

const cdktf = createRequire(import.meta.url).resolve("cdktf");
const stackTrace = createRequire(cdktf)("./tokens/private/stack-trace.js") as { captureStackTrace: () => string[] };
stackTrace.captureStackTrace = () => [];
