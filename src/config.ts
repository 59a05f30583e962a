/**
 * Environment configuration: one YAML file per environment in
 * `environments/`, validated with a zod schema before anything is
 * synthesized. Errors name the file and the field.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { NODE_GROUP_DEFAULTS } from "./node-group.js";
import { NODE_GROUP_CROSS_RULES, NODE_GROUP_RULES, NODE_GROUP_SIZE_RULES } from "./node-group-rules.js";
import { PREFIX_RESERVATION_RULES } from "./prefix-reservation-rules.js";
import { violations } from "./rules.js";
import { VPC_CNI_DEFAULTS } from "./vpc-cni-addon.js";
import { VPC_CNI_CROSS_RULES, VPC_CNI_RULES } from "./vpc-cni-rules.js";

/** Environment names become stack names and state file names. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,30}$/;

const stringMap = z.record(z.string(), z.string());

const backend = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("local"),
      /** State file path; default terraform.<environment>.tfstate in the project folder. */
      path: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("s3"),
      bucket: z.string().min(3),
      key: z.string().min(1),
      region: z.string().min(1),
      /** S3-native state locking (Terraform ≥ 1.10); no DynamoDB table needed. */
      use_lockfile: z.boolean().default(true),
      encrypt: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      type: z.literal("cloud"),
      organization: z.string().min(1),
      workspace: z.string().min(1),
      hostname: z.string().min(1).default("app.terraform.io"),
    })
    .strict(),
]);

/** The fields of an environment file. Snake case, as the module inputs they feed. */
export const environmentSchema = z
  .object({
    /** AWS region of the cluster. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as ap-northeast-1"),
    /** Name of the existing EKS cluster (read with aws_eks_cluster). */
    cluster_name: z.string(),
    /** Node subnets. */
    subnet_ids: z.array(z.string()),
    /** Node group name. */
    node_group_name: z.string().default(NODE_GROUP_DEFAULTS.name),
    instance_type: z.string().default(NODE_GROUP_DEFAULTS.instanceType),
    ami_type: z.string().default(NODE_GROUP_DEFAULTS.amiType),
    /** Kubernetes version of the nodes' AMI; null follows the cluster's version. */
    kubernetes_version: z.string().nullable().default(null),
    min_size: z.number().default(NODE_GROUP_DEFAULTS.minSize),
    max_size: z.number().default(NODE_GROUP_DEFAULTS.maxSize),
    desired_size: z.number().default(NODE_GROUP_DEFAULTS.desiredSize),
    /** Default of the root stack's kubelet_extra_args variable. */
    kubelet_extra_args: z.string().default(NODE_GROUP_DEFAULTS.kubeletExtraArgs),
    /** Default of the root stack's use_max_pods variable. */
    use_max_pods: z.boolean().default(NODE_GROUP_DEFAULTS.useMaxPods),
    max_pods: z.number().nullable().default(NODE_GROUP_DEFAULTS.maxPods),
    /** Prefix delegation for the add-on and the node group alike (they must match). */
    enable_prefix_delegation: z.boolean().default(NODE_GROUP_DEFAULTS.enablePrefixDelegation),
    warm_prefix_target: z.number().default(VPC_CNI_DEFAULTS.warmPrefixTarget),
    warm_ip_target: z.number().nullable().default(VPC_CNI_DEFAULTS.warmIpTarget),
    minimum_ip_target: z.number().nullable().default(VPC_CNI_DEFAULTS.minimumIpTarget),
    /** vpc-cni add-on version; null = most recent for the cluster's Kubernetes version. */
    vpc_cni_addon_version: z.string().nullable().default(VPC_CNI_DEFAULTS.addonVersion),
    /** kube-reserved sized for the effective max pods (11 MiB per pod + 255 MiB). */
    kube_reserved_follows_max_pods: z.boolean().default(NODE_GROUP_DEFAULTS.kubeReservedFollowsMaxPods),
    /** Explicit kube-reserved quantities (cpu, memory, ephemeral-storage, pid); null = computed. */
    kube_reserved: stringMap.nullable().default(NODE_GROUP_DEFAULTS.kubeReserved),
    /** Blocks reserved for /28 prefixes (subnet CIDR reservations of type prefix). */
    prefix_reservations: z
      .array(z.object({ subnet_id: z.string(), cidr_block: z.string(), description: z.string().optional() }).strict())
      .default([]),
    /** Tags on every resource (provider default_tags). */
    tags: stringMap.default({}),
    backend: backend.default({ type: "local" }),
  })
  .strict();

export type EnvironmentConfig = z.output<typeof environmentSchema>;

export interface Environment extends EnvironmentConfig {
  /** From the file name: environments/<name>.yaml. */
  readonly name: string;
}

/** Environment fields checked by a module rule of another name. */
const FIELD_TO_INPUT: Record<string, string> = {
  node_group_name: "name",
  vpc_cni_addon_version: "addon_version",
  prefix_reservations: "reservations",
};
const INPUT_TO_FIELD = Object.fromEntries(Object.entries(FIELD_TO_INPUT).map(([field, input]) => [input, field]));

/** Environment files that cannot be used; the message names each file and every bad field. */
export class EnvironmentError extends Error {
  /** One line per problem: `<file>: <field>: <what is wrong>`. */
  readonly problems: readonly string[];

  constructor(file: string | undefined, problems: readonly string[]) {
    const lines = file === undefined ? problems : problems.map((problem) => `${file}: ${problem}`);
    super(lines.join("\n"));
    this.name = "EnvironmentError";
    this.problems = lines;
  }
}

/** Apply the module rules to the environment's values, naming fields as the file does. */
function ruleProblems(config: EnvironmentConfig): string[] {
  const values: Record<string, unknown> = { ...config };
  for (const [field, input] of Object.entries(FIELD_TO_INPUT)) values[input] = config[field as keyof EnvironmentConfig];
  // A null kubernetes_version means "follow the cluster": nothing to check here.
  if (values.kubernetes_version === null) delete values.kubernetes_version;
  const field = (input: string) => INPUT_TO_FIELD[input] ?? input;
  const found = [
    ...violations(values, NODE_GROUP_RULES, [...NODE_GROUP_CROSS_RULES, ...NODE_GROUP_SIZE_RULES]),
    ...violations(values, VPC_CNI_RULES, VPC_CNI_CROSS_RULES),
    ...violations(values, PREFIX_RESERVATION_RULES),
  ];
  return [...new Set(found.map((v) => `${v.inputs.map(field).join(", ")}: ${v.message}`))];
}

/** Parse and validate one environment file's text. */
export function parseEnvironment(file: string, text: string): Environment {
  const name = basename(file).replace(/\.ya?ml$/, "");
  if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
    throw new EnvironmentError(file, [`the file name must be <environment>.yaml with a name of lowercase letters, digits and hyphens`]);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new EnvironmentError(file, [`not valid YAML: ${(error as Error).message}`]);
  }
  const result = environmentSchema.safeParse(document ?? {});
  if (!result.success) {
    throw new EnvironmentError(
      file,
      result.error.issues.map((issue) => {
        const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
        const path = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])].join(".") || "(top level)";
        const message = issue.code === "unrecognized_keys" ? `unknown field${keys.length > 1 ? `s ${keys.join(", ")}` : ""}` : issue.message;
        return `${path}: ${message}`;
      }),
    );
  }
  const problems = ruleProblems(result.data);
  if (problems.length > 0) throw new EnvironmentError(file, problems);
  return { ...result.data, name };
}

/** Load every environments/<name>.yaml, sorted by name; all are checked before any is used. */
export function loadEnvironments(dir: string): Environment[] {
  const files = readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
  if (files.length === 0) throw new EnvironmentError(dir, ["no environment files (<name>.yaml)"]);
  const environments: Environment[] = [];
  const errors: EnvironmentError[] = [];
  for (const file of files) {
    const path = join(dir, file);
    try {
      environments.push(parseEnvironment(path, readFileSync(path, "utf8")));
    } catch (error) {
      if (!(error instanceof EnvironmentError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new EnvironmentError(undefined, errors.flatMap((error) => error.problems));
  return environments;
}
