/**
 * Folding must not change what Terraform computes. To show it, each root
 * stack is planned against the mocked AWS provider as synthesized (folded)
 * and as its constructs write it (unfolded), both called as modules of one
 * configuration (a pair: one plan, one printed plan), and the two parts of
 * the plan are compared: every resource's planned change (values, unknowns,
 * sensitivity) and every output. Data sources do not appear in a plan's
 * changes, so each copy gets outputs holding the arguments of every data
 * source both have (a data source only the unfolded stack has is one nothing
 * in the folded stack refers to: validating the folded stack says so). As
 * modules the copies leave out their provider block (a module's own provider
 * block would configure the real provider; the mocked one reads none), which
 * the caller compares as written.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Synth } from "./stacks.js";
import { noTestResults, readTestLine, terraformLines, type TestFileResults } from "./terraform.js";

/** Keys of a data source block that are not its arguments. */
const META = new Set(["//", "count", "for_each", "depends_on", "provider", "lifecycle"]);

/** Outputs, one per data source in `folded`, of the arguments `unfolded` gives it (the same for both copies). */
export function dataSourceOutputs(folded: Synth, unfolded: Synth): Synth {
  const output: Record<string, { value: string }> = {};
  for (const [type, byName] of Object.entries((folded.data ?? {}) as Record<string, Record<string, Synth>>)) {
    for (const [name, body] of Object.entries(byName)) {
      const original = (unfolded.data?.[type]?.[name] ?? body) as Synth;
      const args = (from: string) => `{ ${Object.keys(original).filter((key) => !META.has(key)).map((key) => `${key} = ${from}.${key}`).join(", ")} }`;
      const address = `data.${type}.${name}`;
      const value =
        "count" in original ? `[for d in ${address} : ${args("d")}]` : "for_each" in original ? `{ for k, d in ${address} : k => ${args("d")} }` : args(address);
      output[`equivalence_${type}_${name}`] = { value: `\${${value}}` };
    }
  }
  return { output };
}

/** The two copies of a stack in a pair, by their module names there. */
export const PAIR = ["folded", "unfolded"] as const;
export type PairPart = (typeof PAIR)[number];

/**
 * A stack's folded and unfolded copies, with the data source outputs and without their provider block, under
 * `root/<dir>/<folded|unfolded>/<name>`.
 */
export function writePair(root: string, dir: string, name: string, folded: Synth, unfolded: Synth): void {
  const outputs = JSON.stringify(dataSourceOutputs(folded, unfolded), null, 2);
  for (const [kind, { provider: _provider, ...config }] of [
    ["folded", folded],
    ["unfolded", unfolded],
  ] as const) {
    const target = join(root, dir, kind, name);
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, "cdk.tf.json"), JSON.stringify(config, null, 2));
    writeFileSync(join(target, "equivalence.tf.json"), outputs);
  }
}

/**
 * The root module of a pair (terraform's own syntax): both copies (`folded`, `unfolded`; `copies` gives their
 * folders, relative to the pair's) as modules, each one's outputs as an output of the same name, and `extra`
 * (more of the configuration, such as another module to compare with).
 */
export function pairConfiguration(copies: Record<PairPart, string>, extra = ""): string {
  const parts = PAIR.map((kind) => [`module "${kind}" {`, `  source = "${copies[kind]}"`, "}", "", `output "${kind}" {`, `  value = module.${kind}`, "}", ""].join("\n"));
  return ['terraform {', "  required_providers {", '    aws = { source = "hashicorp/aws" }', "  }", "}", "", ...parts, extra].join("\n");
}

/** One stack's part of a pair's plan: its resources' changes (addressed as in the stack) and its outputs' change. */
export interface StackPlan {
  readonly resource_changes: { readonly address: string; readonly type: string }[];
  /** The change of the pair's output holding the stack's outputs (after: every output by name). */
  readonly outputs: { readonly after?: Record<string, unknown> | null } & Record<string, unknown>;
}

/** A pair's plan split into its two stacks' parts. */
export function stackPlans(plan: PlannedValues): Record<PairPart, StackPlan> {
  const part = (kind: PairPart): StackPlan => {
    const prefix = `module.${kind}.`;
    const resource_changes = (plan.resource_changes as { address: string; type: string; module_address?: string }[])
      .filter((change) => change.address.startsWith(prefix))
      .map(({ module_address: _module, ...change }) => ({ ...change, address: change.address.slice(prefix.length) }));
    return { resource_changes, outputs: (plan.output_changes[kind] ?? {}) as StackPlan["outputs"] };
  };
  return { folded: part("folded"), unfolded: part("unfolded") };
}

/** What a plan computes: every resource change and every output change. */
export interface PlannedValues {
  readonly resource_changes: unknown[];
  readonly output_changes: Record<string, unknown>;
}

export interface EquivalencePlans extends TestFileResults {
  /** Each run's plan, by run name. */
  readonly plans: ReadonlyMap<string, PlannedValues>;
  readonly code: number;
}

/** Where a plan message's provider schema starts (tens of MB, written after the changes): the lines are cut there. */
const SCHEMAS = ',"provider_format_version"';

/** Run test files (`tests/<file>.tftest.hcl` in `harness`) verbosely: each run's plan, each file's status and diagnostics. */
export async function planEquivalence(harness: string, files: readonly string[]): Promise<EquivalencePlans> {
  const plans = new Map<string, PlannedValues>();
  const results = noTestResults();
  const args = ["test", "-json", "-verbose", ...files.map((file) => `-filter=tests/${file}.tftest.hcl`)];
  const { code } = await terraformLines(
    args,
    harness,
    (line, cut) => {
      // A plan message ("type":"test_plan" comes last, after the schemas, so it is cut off with them).
      if (line.startsWith("{") && line.includes(',"test_plan":{')) {
        // Cut before its schemas: what is left closed (the plan object, then the message).
        const message = JSON.parse(cut ? `${line}}}` : line) as { "@testrun": string; test_plan: PlannedValues };
        plans.set(message["@testrun"], { resource_changes: message.test_plan.resource_changes ?? [], output_changes: message.test_plan.output_changes ?? {} });
      } else {
        readTestLine(line, results);
      }
    },
    SCHEMAS,
  );
  return { plans, ...results, code };
}
