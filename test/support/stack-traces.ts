/**
 * Vitest setup (vitest.config.ts, setupFiles): cdktf records the full stack of every token it creates
 * (captureStackTrace in cdktf's lib/tokens/private/stack-trace.js, kept as the token's creationStack for its error
 * messages), by reading `stack` off a plain object. Under vitest every such read goes through vitest's
 * source-mapping Error.prepareStackTrace, frame by frame: about 5 s of CPU in an `npm test` here, for stacks no
 * test looks at. Errors keep vitest's source-mapped stacks; other objects get V8's own format.
 */
const sourceMapped = Error.prepareStackTrace;
if (sourceMapped && !(sourceMapped as { plainForNonErrors?: boolean }).plainForNonErrors) {
  const prepare = (error: unknown, frames: NodeJS.CallSite[]) =>
    error instanceof Error ? sourceMapped(error, frames) : [String(error), ...frames.map((frame) => `    at ${String(frame)}`)].join("\n");
  Error.prepareStackTrace = Object.assign(prepare, { plainForNonErrors: true });
}
