/**
 * The bad-input matrix (and the max-pods agreement table) as Terraform test
 * configurations: each row is a call of the generated module, so one
 * `terraform test` plans every row of a group. Rows are planned by for_each
 * calls where that proves the same: Terraform builds its graphs once per
 * module call, not once per instance (about 0.15 s of CPU less per row here).
 * Accepted rows and the agreement cases: one call per module. Rows refused at
 * plan: one call per check owner (the resource whose precondition refuses
 * them), since a failure in one instance of a call stops whatever depends on
 * that resource in every instance, which would hide a later check's failure
 * of another row. Rows refused by a variable validation: a call each (of the
 * variables the row sets alone, see writeVariablesOf), since a variable's
 * diagnostic names the call, not the instance. Refused rows are checked
 * from the JSON diagnostics: each must fail with its own message (from the
 * check it names, for plan-time refusals), attributed (for variable
 * validations) to its own module call.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hclLiteral } from "../../src/terraform/hcl.js";
import { kubeReservedFor } from "../../src/rules/kube-reserved.js";
import { automaticMaxPods } from "../../src/rules/max-pods.js";
import { INSTANCES } from "../support/instances.js";
import { MODULE_ROWS, T3A_MEDIUM, type InstanceData, type ModuleName, type ModuleRow } from "./matrix.js";

const CLUSTER_INPUTS: Record<ModuleRow["module"], Record<string, unknown>> = {
  "node-group": {
    cluster_name: "sre-test",
    cluster_endpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com",
    cluster_certificate_authority_data: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
    cluster_service_cidr: "10.100.0.0/16",
    kubernetes_version: "1.33",
    subnet_ids: ["subnet-0123456789abcdef0"],
    security_group_ids: ["sg-0123456789abcdef0"],
  },
  "vpc-cni": { cluster_name: "sre-test", kubernetes_version: "1.33" },
  "prefix-reservations": {},
};

export const rowName = (row: ModuleRow) => `row_${String(MODULE_ROWS.indexOf(row)).padStart(2, "0")}`;

function moduleCall(name: string, source: string, inputs: Record<string, unknown>): string {
  const lines = Object.entries(inputs).map(([input, value]) => `  ${input} = ${hclLiteral(value)}`);
  return [`module "${name}" {`, `  source = "${source}"`, ...lines, "}", ""].join("\n");
}

/** A variable block of a generated module's variables.tf.json, the parts read here. */
interface VariableBlock {
  readonly nullable?: boolean;
  readonly default?: unknown;
  readonly validation?: readonly { readonly condition: string; readonly error_message: string }[];
}

const variablesRead = new Map<string, Readonly<Record<string, VariableBlock>>>();

/** A generated module's variable blocks by name, from its variables.tf.json in `folder` (read once per folder). */
function moduleVariables(folder: string): Readonly<Record<string, VariableBlock>> {
  let variable = variablesRead.get(folder);
  if (!variable) {
    variable = (JSON.parse(readFileSync(join(folder, "variables.tf.json"), "utf8")) as { variable: Record<string, VariableBlock> }).variable;
    variablesRead.set(folder, variable);
  }
  return variable;
}

/** Folder (in the matrix's) of the modules that declare a row's variables alone: see writeVariablesOf. */
const VARIABLES_ONLY = "variables-only";

/**
 * A module declaring the variables `row` sets, and those their validations read, as the generated module's
 * variables.tf.json declares them (with its versions.tf.json), in `<dir>/variables-only/<row name>`, and the inputs
 * to call it with: the row's, and the usual cluster values for other variables it declares. Where a row refused by a
 * variable validation is planned: a variable's validations see only variables (refused below otherwise), so they
 * refuse exactly as in the whole module. What this spares, per row: the module's resources, validated by the
 * accepted rows and the modules' own tests, and its other variables (about 35 of node-group's, each a node in
 * every graph terraform builds for the call).
 */
function writeVariablesOf(dir: string, row: ModuleRow): Record<string, unknown> {
  const source = join(dir, "..", "modules", row.module);
  const variable = moduleVariables(source);
  const reads = (name: string) => {
    const rules = variable[name]?.validation ?? [];
    for (const rule of rules) {
      const outside = /\b(local|data|module|path|terraform|self|each|count|aws_[a-z0-9_]+)\.[a-z_]/.exec(`${rule.condition} ${rule.error_message}`);
      if (outside) throw new Error(`modules/${row.module}: a validation of ${name} refers to ${outside[0]}: its rows need the whole module`);
    }
    return rules.flatMap((rule) => [...`${rule.condition} ${rule.error_message}`.matchAll(/\bvar\.([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!));
  };
  const names = new Set(Object.keys(row.inputs));
  for (const name of names) {
    if (!variable[name]) throw new Error(`modules/${row.module} has no variable ${name} (${row.what})`);
    for (const read of reads(name)) names.add(read);
  }
  const sorted = [...names].sort();
  const inputs: Record<string, unknown> = {};
  for (const name of sorted) {
    const value = name in row.inputs ? row.inputs[name] : CLUSTER_INPUTS[row.module][name];
    if (value !== undefined) inputs[name] = value;
    else if (variable[name]!.default === undefined) throw new Error(`modules/${row.module}: ${name} is required and neither the row nor the cluster values set it (${row.what})`);
  }
  const target = join(dir, VARIABLES_ONLY, rowName(row));
  mkdirSync(target, { recursive: true });
  const declared = Object.fromEntries(sorted.map((name) => [name, variable[name]]));
  writeFileSync(join(target, "variables.tf.json"), `${JSON.stringify({ variable: declared }, null, 2)}\n`);
  copyFileSync(join(source, "versions.tf.json"), join(target, "versions.tf.json"));
  return inputs;
}

/**
 * Inputs of `module` that are nullable with a default other than null: passing them null (what a for_each call
 * gives a case that leaves them out) would not give the default. Read from the generated module.
 */
function nullableWithDefault(module: ModuleName): string[] {
  return Object.entries(moduleVariables(join("modules", module)))
    .filter(([, v]) => v.nullable !== false && v.default !== undefined && v.default !== null)
    .map(([name]) => name);
}

/**
 * One call of `module` per case, as `module "<name>"` with `for_each` over the cases (case name -> inputs). An input
 * no case sets is left out; a case that leaves out an input another case sets passes null, which is the module's
 * default (checked: no input the cases set is nullable with another default).
 */
function forEachCall(name: string, module: ModuleName, cases: Record<string, Readonly<Record<string, unknown>>>): string {
  const inputs = [...new Set(Object.values(cases).flatMap((values) => Object.keys(values)))];
  const unsafe = nullableWithDefault(module).filter((input) => inputs.includes(input));
  if (unsafe.length > 0) throw new Error(`${module}: ${unsafe.join(", ")} would get null, not the default, in cases that leave them out`);
  const cluster = CLUSTER_INPUTS[module];
  // A cluster value some case changes is given by every case (the others keep the usual one).
  const withCluster = (values: Readonly<Record<string, unknown>>) => ({
    ...Object.fromEntries(Object.entries(cluster).filter(([input]) => inputs.includes(input))),
    ...values,
  });
  return [
    "locals {",
    `  ${name} = {`,
    ...Object.entries(cases).map(([key, values]) => `    ${key} = ${hclLiteral(withCluster(values))}`),
    "  }",
    "}",
    "",
    `module "${name}" {`,
    `  source   = "../../modules/${module}"`,
    `  for_each = local.${name}`,
    "",
    ...Object.entries(cluster)
      .filter(([input]) => !inputs.includes(input))
      .map(([input, value]) => `  ${input} = ${hclLiteral(value)}`),
    ...inputs.map((input) => `  ${input} = try(each.value.${input}, null)`),
    "}",
    "",
  ].join("\n");
}

/** The module call that plans `row`, and its instance key (for a for_each call). */
function callOf(row: ModuleRow): { name: string; key?: string } {
  switch (groupOf(row)) {
    case "accepted":
      return { name: forEachName(row.module), key: rowName(row) };
    case "preconditions":
      return { name: `${forEachName(row.module)}_${row.refused!.at!.replace(/\W+/g, "_")}`, key: rowName(row) };
    case "variables":
      return { name: rowName(row) };
  }
}

/** Address of the module call (instance) that plans `row`. */
function rowModule(row: ModuleRow): string {
  const { name, key } = callOf(row);
  return key === undefined ? `module.${name}` : `module.${name}[${JSON.stringify(key)}]`;
}

function forEachName(module: ModuleName): string {
  return `${module.replace(/\W/g, "_")}_rows`;
}

const PROVIDERS = 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n\n';

/** EC2 data attributes for one instance type; `cards` lists network cards (default: one card with every ENI). */
function instanceValues(data: InstanceData, cards = 1, totalEnis = data.enis): string {
  const card = (index: number) =>
    `{ index = ${index}, maximum_interfaces = ${data.enis}, baseline_bandwidth = 1, peak_bandwidth = 1, performance = "test" }`;
  return [
    "{",
    `      id                                   = ${hclLiteral(data.instanceType)}`,
    `      maximum_network_interfaces           = ${totalEnis}`,
    `      maximum_ipv4_addresses_per_interface = ${data.ipv4PerEni}`,
    `      default_vcpus                        = ${data.vcpus}`,
    `      memory_size                          = ${data.memoryMiB}`,
    `      hypervisor                           = ${hclLiteral(data.hypervisor)}`,
    `      bare_metal                           = ${data.hypervisor === ""}`,
    "      default_network_card_index           = 0",
    `      network_cards                        = [${Array.from({ length: cards }, (_, i) => card(i)).join(", ")}]`,
    `      supported_architectures              = ${hclLiteral(data.architectures)}`,
    "    }",
  ].join("\n");
}

const instanceOverride = (target: string, values: string) =>
  ["  override_data {", `    target = ${target}`, `    values = ${values}`, "  }"].join("\n");

const MOCK_PROVIDER = [
  'mock_provider "aws" {',
  '  mock_data "aws_partition" {',
  '    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }',
  "  }",
  '  mock_data "aws_eks_addon_version" {',
  '    defaults = { version = "v1.19.2-eksbuild.1" }',
  "  }",
  '  mock_data "aws_subnet" {',
  '    defaults = { cidr_block = "10.0.0.0/20" }',
  "  }",
  '  mock_data "aws_ec2_instance_type" {',
  `    defaults = ${instanceValues(T3A_MEDIUM)}`,
  "  }",
  "}",
  "",
].join("\n");

/** A test file with one plan run of a fixture folder. */
function runFile(run: string, fixture: string, rows: readonly ModuleRow[], asserts: string[] = []): string {
  const overrides = rows
    // The variables-only modules have no data source to override.
    .filter((row) => row.instance && groupOf(row) !== "variables")
    .map((row) => instanceOverride(`${rowModule(row)}.data.aws_ec2_instance_type.this`, instanceValues(row.instance!)));
  return [
    MOCK_PROVIDER,
    `run "${run}" {`,
    "  command = plan",
    "",
    "  module {",
    `    source = "./${fixture}"`,
    "  }",
    ...overrides,
    ...asserts,
    "}",
    "",
  ].join("\n");
}

/** Instance types whose agreement cases also run with custom networking (one card, several cards, Xen). */
const CUSTOM_NETWORKING_CASES = ["t3a.medium", "m5.large", "p5.48xlarge", "m4.large"];

/**
 * Max pods (and kube-reserved) the TypeScript rules give each agreement case; the Terraform run must give the
 * same. Every instance type with and without prefixes (except those too small for a node), and some with custom
 * networking too.
 */
export const AGREEMENT_CASES = Object.values(INSTANCES)
  .flatMap((instance) =>
    [true, false].flatMap((prefixes) =>
      [false, ...(CUSTOM_NETWORKING_CASES.includes(instance.instanceType) ? [true] : [])].map((customNetworking) => ({
        name: `${instance.instanceType.replace(/\W/g, "_")}_${prefixes ? "prefixes" : "no_prefixes"}${customNetworking ? "_custom" : ""}`,
        instance,
        prefixes,
        customNetworking,
        expected: automaticMaxPods(instance, { prefixDelegation: prefixes, customNetworking }),
      })),
    ),
  )
  .filter((c) => c.expected.maxPods >= 1);

/** Node group inputs the agreement cases set to leave out resources that max pods does not depend on. */
const AGREEMENT_WITHOUT = { termination_handling: false, launch_readiness_gate: false, create_access_entry: false } as const;

function agreement(): { fixture: string; run: string } {
  const call = forEachCall(
    "agreement",
    "node-group",
    Object.fromEntries(
      AGREEMENT_CASES.map((c) => [
        c.name,
        {
          instance_type: c.instance.instanceType,
          enable_prefix_delegation: c.prefixes,
          custom_networking: c.customNetworking,
          ami_type: c.instance.architecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
          // Max pods and kube-reserved do not depend on these: the cases plan without the termination queue, its
          // rules and targets, the readiness gate's hook and policy and the access entry (the accepted rows and the
          // module's own tests plan those).
          ...AGREEMENT_WITHOUT,
        },
      ]),
    ),
  );
  const outputs = [
    'output "max_pods" {',
    '  description = "Effective max pods by case."',
    "  value       = { for name, case in module.agreement : name => case.max_pods }",
    "}",
    'output "max_pods_addressable" {',
    '  description = "Addressable pods by case."',
    "  value       = { for name, case in module.agreement : name => case.max_pods_addressable }",
    "}",
    'output "kube_reserved" {',
    '  description = "kube-reserved by case."',
    "  value       = { for name, case in module.agreement : name => case.kube_reserved }",
    "}",
  ];
  // Multi-card instances list every card, so the module has to pick the default one.
  const overrides = AGREEMENT_CASES.map((c) =>
    instanceOverride(
      `module.agreement[${JSON.stringify(c.name)}].data.aws_ec2_instance_type.this`,
      instanceValues({ ...c.instance, architectures: [c.instance.architecture] }, c.instance.networkCards ?? 1, c.instance.totalEnis),
    ),
  );
  const asserts = AGREEMENT_CASES.map((c) =>
    [
      "  assert {",
      `    condition     = output.max_pods.${c.name} == ${c.expected.maxPods} && output.max_pods_addressable.${c.name} == ${c.expected.addressable}`,
      `    error_message = "${c.name}: TypeScript says ${c.expected.maxPods} (${c.expected.addressable} addressable), Terraform says \${output.max_pods.${c.name}} (\${output.max_pods_addressable.${c.name}})"`,
      "  }",
      "  assert {",
      `    condition     = output.kube_reserved.${c.name} == tomap(${hclLiteral(kubeReservedFor(c.expected.maxPods, c.instance.vcpus))})`,
      `    error_message = "${c.name}: TypeScript reserves ${hclLiteral(kubeReservedFor(c.expected.maxPods, c.instance.vcpus)).replace(/"/g, "'")}, Terraform \${jsonencode(output.kube_reserved.${c.name})}"`,
      "  }",
    ].join("\n"),
  );
  const run = ['run "typescript_and_terraform_agree_on_max_pods" {', "  command = plan", "", "  module {", '    source = "./agreement"', "  }", ...overrides, ...asserts, "}", ""].join("\n");
  return { fixture: PROVIDERS + call + outputs.join("\n") + "\n", run };
}

export type Group = "variables" | "preconditions" | "accepted";
export const groupOf = (row: ModuleRow): Group =>
  !row.refused ? "accepted" : row.refused.by === "variable" ? "variables" : "preconditions";

/**
 * The module calls that plan `rows`: one per call name, a for_each call when the rows have instance keys, else (a
 * row refused by a variable validation) a call of the module written for it under `dir` (writeVariablesOf).
 */
function groupCalls(rows: readonly ModuleRow[], dir: string): string[] {
  return [...new Set(rows.map((row) => callOf(row).name))].map((name) => {
    const members = rows.filter((row) => callOf(row).name === name);
    const [first] = members;
    return callOf(first!).key === undefined
      ? moduleCall(name, `../${VARIABLES_ONLY}/${rowName(first!)}`, writeVariablesOf(dir, first!))
      : forEachCall(name, first!.module, Object.fromEntries(members.map((row) => [rowName(row), row.inputs])));
  });
}

/** Write the fixtures and their tests into `dir` (a sibling of the copied modules/ folder). */
export function writeMatrixConfiguration(dir: string): void {
  const groups: Group[] = ["variables", "preconditions", "accepted"];
  mkdirSync(join(dir, "tests"), { recursive: true });
  for (const group of groups) {
    const rows = MODULE_ROWS.filter((row) => groupOf(row) === group);
    mkdirSync(join(dir, group), { recursive: true });
    writeFileSync(join(dir, group, "main.tf"), PROVIDERS + groupCalls(rows, dir).join("\n"));
    if (group !== "accepted") writeFileSync(join(dir, "tests", `${group}.tftest.hcl`), runFile(group, group, rows));
  }
  // The agreement table plans with the accepted rows (same file, one more run).
  const { fixture, run } = agreement();
  mkdirSync(join(dir, "agreement"), { recursive: true });
  writeFileSync(join(dir, "agreement", "main.tf"), fixture);
  writeFileSync(join(dir, "tests", "accepted.tftest.hcl"), runFile("accepted", "accepted", MODULE_ROWS.filter((row) => groupOf(row) === "accepted")) + "\n" + run);
}
