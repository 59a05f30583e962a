/** The few lines `npm run synth` prints about what it did. */
import { relative } from "node:path";

export interface SynthOutcome {
  /** cdktf's output folder. */
  readonly outdir: string;
  /** Stacks synthesized (a stack file is written where its content changed), by name. */
  readonly stacks: readonly string[];
  /** Stacks of environments that no longer exist, removed from the output folder. */
  readonly removed: readonly string[];
  /** Modules generated, by name. */
  readonly modules: readonly string[];
  /** Generated module files that changed, as `<module>/<file>`. */
  readonly changed: readonly string[];
  /** Files of the environment reference written because they changed (docs/environment.schema.json, README.md). */
  readonly reference?: readonly string[];
}

/** A list of names, shortened past `limit` (a hundred environments make no useful line). */
export function names(items: readonly string[], limit = 8): string {
  return items.length <= limit ? items.join(", ") : `${items.slice(0, limit).join(", ")} and ${items.length - limit} more`;
}

/** The summary: stacks synthesized (and removed), and whether modules/ changed. */
export function synthSummary(outcome: SynthOutcome): string {
  const outdir = relative(process.cwd(), outcome.outdir) || ".";
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const lines = [`${count(outcome.stacks.length, "stack")} synthesized into ${outdir}/stacks: ${names(outcome.stacks)}`];
  if (outcome.removed.length > 0) lines.push(`${count(outcome.removed.length, "stale stack")} removed (no environment file): ${names(outcome.removed)}`);
  lines.push(
    outcome.changed.length === 0
      ? `modules/ unchanged (${names(outcome.modules)})`
      : `modules/ updated: ${names(outcome.changed)}; commit the regenerated files`,
  );
  if (outcome.reference && outcome.reference.length > 0) {
    lines.push(`environment reference updated: ${names(outcome.reference)}; commit the regenerated files`);
  }
  return lines.join("\n");
}
