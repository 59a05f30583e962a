/** How long verify waits for one API request: `--timeout`. */

/** Default deadline of one Kubernetes or EC2 request, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Longest `--timeout` accepted, in milliseconds. */
export const MAX_TIMEOUT_MS = 600_000;

/** `--timeout` as given: seconds (`10`, `0.5`) or with a unit (`500ms`, `10s`, `2m`); undefined when it is none of those. */
export function parseTimeout(text: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(ms|s|m)?$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (match[2] === "ms" ? 1 : match[2] === "m" ? 60_000 : 1000);
  return ms >= 1 && ms <= MAX_TIMEOUT_MS ? Math.round(ms) : undefined;
}

/** A deadline in milliseconds as people read it: `0.3 s`, `10 s`. */
export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/**
 * `work`, or a rejection with the signal's reason once `signal` aborts. The
 * clients abort their HTTP request on the signal themselves; this also bounds
 * what they do before it without a deadline of their own: an exec credential
 * plugin (`aws eks get-token`) or a `credential_process` that never returns.
 */
export function withDeadline<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  const deadline = new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
  deadline.catch(() => undefined);
  return Promise.race([work, deadline]);
}
