/**
 * What AWS's own provider plans for a rename and a tag-only change of a node
 * group that already exists: terraform's test framework mocks the provider
 * and cannot show replacement order or new launch template versions, so
 * these plans run the real hashicorp/aws provider against a recorded state
 * (test/terraform/rollout/state.json) of the fixture test/terraform/rollout.
 * The fixture holds two node groups, one renamed and one retagged by the plan;
 * the same plan holds the two again as release 0.2.0 left them (its state,
 * state-v0.2.0.json), to show an upgrade. Only the instance type lookup leaves
 * Terraform, to a local EC2 stub; `-refresh=false` keeps every other API call
 * away.
 *
 * The recorded state is the fixture applied with mocks, completed with the
 * defaults the real provider fills in and with terraform_data made by
 * Terraform itself, so that a plan of the unchanged fixture shows no change.
 * Re-record it when the module's resources change: `npm run record:rollout`.
 * The state release 0.2.0 left (state-v0.2.0.json) stays as it is: the
 * upgrade's groups start from it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEc2Stub, type Ec2Stub } from "./ec2-stub.js";
import { terraformOk, type TerraformResult } from "./terraform.js";

export const ROLLOUT_FIXTURE = "test/terraform/rollout";
export const ROLLOUT_STATE = "test/terraform/rollout/state.json";

type Json = Record<string, unknown>;
interface StateResource {
  module: string;
  mode: "managed";
  type: string;
  name: string;
  provider: string;
  instances: { index_key?: string | number; schema_version: number; attributes: Json; sensitive_attributes: unknown[] }[];
}

/** Fill the nulls of `prior` with `planned` values, keeping what `prior` has (mock ids and the references between them). */
function fillNulls(prior: unknown, planned: unknown): unknown {
  if (prior === null || prior === undefined) return planned ?? null;
  if (Array.isArray(prior) && Array.isArray(planned) && prior.length === planned.length) {
    return prior.map((item, i) => fillNulls(item, planned[i]));
  }
  if (typeof prior === "object" && typeof planned === "object" && planned !== null && !Array.isArray(prior)) {
    const out: Json = { ...(prior as Json) };
    for (const [key, value] of Object.entries(planned as Json)) out[key] = fillNulls(out[key], value);
    return out;
  }
  return prior;
}

/** Planned values with unknown ones left out (`after_unknown` marks them). */
function knownOnly(after: unknown, unknown: unknown): unknown {
  if (unknown === true) return null;
  if (Array.isArray(after)) return after.map((item, i) => knownOnly(item, Array.isArray(unknown) ? unknown[i] : undefined));
  if (after !== null && typeof after === "object") {
    return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, knownOnly(v, (unknown as Json | undefined)?.[k])]));
  }
  return after;
}

interface TestStateResource {
  address: string;
  mode: string;
  type: string;
  name: string;
  index?: string | number;
  provider_name: string;
  schema_version: number;
  values: Json;
}

/** The managed AWS resources of the state `terraform test -verbose -json` printed, as state v4 resources. */
function resourcesFromTestState(stdout: string): StateResource[] {
  const line = stdout.split("\n").find((l) => l.includes('"type":"test_state"'));
  if (!line) throw new Error(`terraform test printed no state:\n${stdout}`);
  const state = (JSON.parse(line) as { test_state: { root_module: { child_modules?: { address: string; resources: TestStateResource[] }[] } } }).test_state;
  const byName = new Map<string, StateResource>();
  for (const module of state.root_module.child_modules ?? []) {
    for (const r of module.resources.filter((r) => r.mode === "managed" && r.type !== "terraform_data")) {
      const key = `${module.address}.${r.type}.${r.name}`;
      const resource = byName.get(key) ?? {
        module: module.address,
        mode: "managed" as const,
        type: r.type,
        name: r.name,
        provider: `provider["${r.provider_name}"]`,
        instances: [],
      };
      resource.instances.push({ ...(r.index !== undefined ? { index_key: r.index } : {}), schema_version: r.schema_version, attributes: r.values, sensitive_attributes: [] });
      byName.set(key, resource);
    }
  }
  return [...byName.values()];
}

const instanceAddress = (r: StateResource, index?: string | number) =>
  `${r.module}.${r.type}.${r.name}${index === undefined ? "" : typeof index === "number" ? `[${index}]` : `["${index}"]`}`;

/**
 * The environment that sends the real provider's EC2 calls to `stub`: AWS_ENDPOINT_URL_EC2, the AWS SDKs'
 * service-specific endpoint variable (AWS SDKs and Tools reference guide, "Service-specific endpoints"), which the
 * provider's SDK reads. The fixture has no `endpoints` block: with one, the provider's validation of its
 * configuration alone took about 4.5 s of CPU here (terraform-plugin-framework formats the block's ~300
 * attributes into every attribute path it validates), two thirds of the whole plan.
 */
const stubEnv = (stub: Ec2Stub): NodeJS.ProcessEnv => ({ AWS_ENDPOINT_URL_EC2: stub.url });

/** Run a real-provider plan of `dir` and return the saved plan as JSON. */
async function planJson(dir: string, stub: Ec2Stub, args: string[] = []): Promise<{ resource_changes?: { address: string; change: { actions: string[]; after: unknown; after_unknown: unknown } }[]; planned_values?: Json }> {
  await terraformOk(["plan", "-refresh=false", "-lock=false", "-input=false", "-out=plan.bin", ...args], dir, stubEnv(stub));
  return JSON.parse((await terraformOk(["show", "-json", "plan.bin"], dir)).stdout);
}

/**
 * Record the state of the fixture in `dir` (a copy of test/terraform/rollout beside a copy of modules/,
 * already initialized) and return it.
 */
export async function recordRolloutState(dir: string): Promise<string> {
  const stub = await startEc2Stub();
  try {
    // 1. The fixture applied with the mocked provider: every resource, with ids that refer to each other.
    const applied = await terraformOk(["test", "-json", "-verbose"], dir);
    const resources = resourcesFromTestState(applied.stdout);
    const write = () =>
      writeFileSync(
        join(dir, "terraform.tfstate"),
        `${JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "eks-pod-density-rollout-fixture", outputs: {}, resources, check_results: null }, null, 2)}\n`,
      );
    // 2. The defaults the real provider plans on create (and then on update) fill what the mocks left null.
    const fill = (plan: Awaited<ReturnType<typeof planJson>>) => {
      const planned = new Map((plan.resource_changes ?? []).map((c) => [c.address, knownOnly(c.change.after, c.change.after_unknown)]));
      for (const r of resources) {
        for (const instance of r.instances) {
          const values = planned.get(instanceAddress(r, instance.index_key));
          if (values) instance.attributes = fillNulls(instance.attributes, values) as Json;
        }
      }
    };
    fill(await planJson(dir, stub));
    write();
    for (let round = 0; round < 3; round++) {
      const plan = await planJson(dir, stub);
      const changed = (plan.resource_changes ?? []).filter((c) => !c.change.actions.includes("no-op") && !c.address.includes("terraform_data"));
      if (changed.length === 0) break;
      fill(plan);
      write();
    }
    // 3. terraform_data made by Terraform itself (its values carry types the JSON state view drops).
    const targets = [...new Set(resources.map((r) => r.module))].flatMap((module) => [
      `-target=${module}.terraform_data.launch_template_tags`,
      `-target=${module}.terraform_data.wait_for`,
      `-target=${module}.terraform_data.termination_hooks`,
    ]);
    await terraformOk(["apply", "-refresh=false", "-lock=false", "-input=false", "-auto-approve", ...targets], dir, stubEnv(stub));
    // 4. The unchanged fixture must now plan no change at all.
    const check = await terraformOk(["plan", "-refresh=false", "-lock=false", "-input=false", "-detailed-exitcode"], dir, stubEnv(stub));
    if (!check.stdout.includes("No changes.")) throw new Error(`the recorded state still plans changes:\n${check.stdout}`);
    return readFileSync(join(dir, "terraform.tfstate"), "utf8");
  } finally {
    await stub.close();
  }
}

/** The fixture's state as release 0.2.0 of the module applied it (recorded then; never re-recorded). */
export const RELEASED_STATE = "state-v0.2.0.json";

/** Module names, in the one plan, of the groups that start from release 0.2.0's state. */
export const RELEASED = { renamed: "released_renamed", retagged: "released_retagged" } as const;

/**
 * The fixture's two module calls again, as `released_renamed` and `released_retagged`: the first renamed like
 * `module.renamed`, the second with its tags unchanged (an upgrade alone).
 */
function releasedModules(fixture: string): string {
  const block = (name: string) => {
    const found = new RegExp(`^module "${name}" \\{\\n[\\s\\S]*?^\\}\\n`, "m").exec(fixture)?.[0];
    if (!found) throw new Error(`the rollout fixture has no module "${name}"`);
    return found;
  };
  return [
    "# Written by test/support/rollout.ts for the plan: the groups of release 0.2.0's state.",
    "",
    block("renamed").replace('module "renamed"', `module "${RELEASED.renamed}"`).replace("var.renamed_name", '"workers"'),
    block("retagged").replace('module "retagged"', `module "${RELEASED.retagged}"`).replace("var.retagged_tags", '{ team = "sre" }'),
  ].join("\n");
}

/** Add release 0.2.0's two groups to the fixture copy in `dir` (`released.tf`), before `terraform init`. */
export function addReleasedGroups(dir: string): void {
  writeFileSync(join(dir, "released.tf"), releasedModules(readFileSync(join(dir, "main.tf"), "utf8")));
}

/**
 * One state for the one plan: the recorded state (state.json) of `module.renamed` and `module.retagged`, and
 * release 0.2.0's state (state-v0.2.0.json) of the same two groups as `module.released_renamed` and
 * `module.released_retagged` (addresses and dependencies renamed, nothing else changed).
 */
function combinedState(dir: string): string {
  const current = JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as { resources: unknown[] };
  const released = readFileSync(join(dir, RELEASED_STATE), "utf8")
    .replaceAll('"module.renamed', `"module.${RELEASED.renamed}`)
    .replaceAll('"module.retagged', `"module.${RELEASED.retagged}`);
  const { resources } = JSON.parse(released) as { resources: unknown[] };
  return `${JSON.stringify({ ...current, resources: [...current.resources, ...resources] }, null, 2)}\n`;
}

/**
 * One real-provider plan of the fixture in `dir` (with {@link addReleasedGroups}, initialized), its EC2 calls answered by
 * `stub`, and of release 0.2.0's groups
 * beside it: `module.renamed` gets a new name, `module.retagged` new tags; `module.released_retagged` upgrades from
 * 0.2.0 with the same inputs, `module.released_renamed` upgrades and is renamed at once. One plan instead of two:
 * each real-provider plan starts the provider afresh (about 7 s of CPU here).
 */
export function planRollout(dir: string, stub: Ec2Stub): Promise<TerraformResult> {
  if (!existsSync(join(dir, "state.json"))) throw new Error(`no recorded state in ${dir}: run npm run record:rollout`);
  writeFileSync(join(dir, "terraform.tfstate"), combinedState(dir));
  return terraformOk(
    ["plan", "-refresh=false", "-lock=false", "-input=false", "-var", "renamed_name=workers", "-var", 'retagged_tags={ team = "platform", cost-center = "42" }'],
    dir,
    stubEnv(stub),
  );
}

/** Replacements in a plan's text, by resource address: `+/-` is create-before-destroy, `-/+` destroy-then-create. */
export function replacements(planText: string): Record<string, "+/-" | "-/+"> {
  const found: Record<string, "+/-" | "-/+"> = {};
  const lines = planText.split("\n");
  lines.forEach((line, i) => {
    const replaced = /^\s*# (\S+) must be replaced$/.exec(line);
    const order = lines[i + 1]?.trim().slice(0, 3);
    if (replaced && (order === "+/-" || order === "-/+")) found[replaced[1]!] = order;
  });
  return found;
}

/** The text block of one resource's change in a plan's text. */
export function changeBlock(planText: string, address: string): string | undefined {
  const start = planText.indexOf(`# ${address} `);
  if (start < 0) return undefined;
  const end = planText.indexOf("\n    }\n", start);
  return planText.slice(start, end < 0 ? undefined : end);
}
