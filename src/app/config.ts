/**
 * Environment configuration: one YAML file per environment in
 * `environments/`, validated with a zod schema before anything is
 * synthesized. Errors name the file and the field.
 */
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { CORE_SCHEMA, loadAll, mergeTag } from "js-yaml";
import { z } from "zod";
import { AMI_TYPE_NAMES } from "../rules/ami.js";
import { cannotRead, discoverEnvironmentFiles, ENVIRONMENT_NAME_PATTERN, FILE_NAME_PROBLEM } from "./environment-files.js";
import { NODE_GROUP_DEFAULTS, instanceRefreshValue, type InstanceRefreshSettings } from "../constructs/node-group/index.js";
import { NODE_GROUP_CROSS_RULES, NODE_GROUP_RULES, NODE_GROUP_SIZE_RULES } from "../constructs/node-group/rules.js";
import { PREFIX_RESERVATION_RULES } from "../constructs/prefix-reservation-rules.js";
import { violations, type CrossRule, type InputRule } from "../rules/checker.js";
import { plainProblems } from "./schema-messages.js";
import { VPC_CNI_DEFAULTS } from "../constructs/vpc-cni-addon.js";
import { CNI_CREDENTIALS, ENI_CONFIG_RULES, VPC_CNI_CROSS_RULES, VPC_CNI_RULES } from "../constructs/vpc-cni-rules.js";

/**
 * Who owns one of the cluster's EKS add-ons: the stack creates it, adopts the one already there (a Terraform
 * `import` block, then manages it), or leaves it to its owner and only reads it (another Terraform state, eksctl,
 * the console).
 */
export const ADDON_OWNERSHIP = ["create", "adopt", "external"] as const;
export type AddonOwnership = (typeof ADDON_OWNERSHIP)[number];

/** Tag every resource of a root stack carries, naming its environment. */
export const ENVIRONMENT_TAG = "eks-pod-density:environment";

export { ENVIRONMENT_NAME_PATTERN } from "./environment-files.js";

const stringMap = z.record(z.string(), z.string());

/** S3 bucket names: 3–63 lowercase letters, digits, dots and hyphens (S3 bucket naming rules). */
const S3_BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** HCP Terraform organization and workspace names: letters, digits, - and _. */
const HCP_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
const HOSTNAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

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
      bucket: z.string().regex(S3_BUCKET_PATTERN, "must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens"),
      key: z.string().min(1),
      region: z.string().regex(AWS_REGION_PATTERN, "must be an AWS region such as ap-northeast-1"),
      /** S3-native state locking (Terraform ≥ 1.10); no DynamoDB table needed. */
      use_lockfile: z.boolean().default(true),
      encrypt: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      type: z.literal("cloud"),
      organization: z.string().regex(HCP_NAME_PATTERN, "must be an HCP Terraform organization name: letters, digits, - and _"),
      workspace: z.string().regex(HCP_NAME_PATTERN, "must be an HCP Terraform workspace name: letters, digits, - and _"),
      hostname: z.string().regex(HOSTNAME_PATTERN, "must be a host name such as app.terraform.io").default("app.terraform.io"),
    })
    .strict(),
]);

/** instance_refresh in an environment file: any subset of the fields, the rest from the defaults. */
const instanceRefresh = z
  .object({
    min_healthy_percentage: z.number().optional(),
    max_healthy_percentage: z.number().optional(),
    instance_warmup: z.number().optional(),
    skip_matching: z.boolean().optional(),
    auto_rollback: z.boolean().optional(),
    checkpoint_percentages: z.array(z.number()).optional(),
    checkpoint_delay: z.number().nullable().optional(),
  })
  .strict();

/** The fields of an environment file. Snake case, as the module inputs they feed. */
export const environmentSchema = z
  .object({
    /** AWS region of the cluster. */
    region: z.string().regex(AWS_REGION_PATTERN, "must be an AWS region such as ap-northeast-1"),
    /** Name of the existing EKS cluster (read with aws_eks_cluster). */
    cluster_name: z.string(),
    /** Node subnets. */
    subnet_ids: z.array(z.string()),
    /** Node group name. */
    node_group_name: z.string().default(NODE_GROUP_DEFAULTS.name),
    instance_type: z.string().default(NODE_GROUP_DEFAULTS.instanceType),
    ami_type: z.enum(AMI_TYPE_NAMES).default(NODE_GROUP_DEFAULTS.amiType),
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
    /** VPC CNI custom networking, for the add-on and the node group alike. */
    custom_networking: z.boolean().default(NODE_GROUP_DEFAULTS.customNetworking),
    /** With custom networking: one ENIConfig per availability zone (keyed by its name), which the add-on creates. */
    eni_configs: z
      .record(z.string(), z.object({ subnet_id: z.string(), security_group_ids: z.array(z.string()).default([]) }).strict())
      .default({}),
    /** With custom networking: the ENIConfigs are applied outside this stack. */
    eni_configs_managed_elsewhere: z.boolean().default(VPC_CNI_DEFAULTS.eniConfigsManagedElsewhere),
    warm_prefix_target: z.number().default(VPC_CNI_DEFAULTS.warmPrefixTarget),
    warm_ip_target: z.number().nullable().default(VPC_CNI_DEFAULTS.warmIpTarget),
    minimum_ip_target: z.number().nullable().default(VPC_CNI_DEFAULTS.minimumIpTarget),
    /** vpc-cni add-on version; null = EKS's default version for the cluster's Kubernetes version. */
    vpc_cni_addon_version: z.string().nullable().default(VPC_CNI_DEFAULTS.addonVersion),
    /** With vpc_cni_addon_version null: follow the most recent add-on version instead of the default one. */
    vpc_cni_most_recent: z.boolean().default(VPC_CNI_DEFAULTS.mostRecent),
    /** Further VPC CNI variables (names the add-on's configuration schema accepts). */
    vpc_cni_extra_env: stringMap.default(VPC_CNI_DEFAULTS.extraEnv),
    /** Where aws-node gets its AWS permissions: node_role, or pod_identity (a role of its own). */
    cni_credentials: z.enum(CNI_CREDENTIALS).default(VPC_CNI_DEFAULTS.cniCredentials),
    /** The vpc-cni add-on: create it, adopt the one the cluster has (import), or leave it to its owner (external). */
    vpc_cni_addon: z.enum(ADDON_OWNERSHIP).default("create"),
    /** With cni_credentials pod_identity, the eks-pod-identity-agent add-on likewise; null follows vpc_cni_addon. */
    pod_identity_agent_addon: z.enum(ADDON_OWNERSHIP).nullable().default(null),
    /** kube-reserved sized for the effective max pods (11 MiB per pod + 255 MiB). */
    kube_reserved_follows_max_pods: z.boolean().default(NODE_GROUP_DEFAULTS.kubeReservedFollowsMaxPods),
    /** Explicit kube-reserved quantities (cpu, memory, ephemeral-storage, pid); null = computed. */
    kube_reserved: stringMap.nullable().default(NODE_GROUP_DEFAULTS.kubeReserved),
    /** Root (Bottlerocket: data) volume size in GiB. */
    root_volume_size: z.number().default(NODE_GROUP_DEFAULTS.rootVolumeSize),
    /** How the instance refresh replaces nodes (fields of the module's instance_refresh). */
    instance_refresh: instanceRefresh.default({}),
    /** Drain nodes before they terminate (aws-node-termination-handler in queue mode). */
    termination_handling: z.boolean().default(NODE_GROUP_DEFAULTS.terminationHandling),
    /** Seconds the termination lifecycle hook waits for the drain. */
    termination_heartbeat_timeout: z.number().default(NODE_GROUP_DEFAULTS.terminationHeartbeatTimeout),
    /** Launch readiness gate: new nodes count only once they complete the launching hook themselves. */
    launch_readiness_gate: z.boolean().default(NODE_GROUP_DEFAULTS.launchReadinessGate),
    /** Seconds the launching hook waits for a new node before Auto Scaling abandons it. */
    node_ready_timeout: z.number().default(NODE_GROUP_DEFAULTS.nodeReadyTimeout),
    /** IMDS hop limit: 1 keeps pods off the node's credentials, 2 lets them reach IMDS. */
    metadata_http_put_response_hop_limit: z.number().default(NODE_GROUP_DEFAULTS.metadataHttpPutResponseHopLimit),
    /** Session Manager access to the nodes (AmazonSSMManagedInstanceCore on the node role). */
    attach_ssm_policy: z.boolean().default(NODE_GROUP_DEFAULTS.attachSsmPolicy),
    /** EKS access entry for the nodes: null follows the cluster's authentication mode; true or false forces it. */
    create_access_entry: z.boolean().nullable().default(null),
    /** Blocks reserved for /28 prefixes (subnet CIDR reservations of type prefix). */
    prefix_reservations: z
      .array(z.object({ subnet_id: z.string(), cidr_block: z.string(), description: z.string().optional() }).strict())
      .default([]),
    /** Tags on every resource (provider default_tags) and on the nodes, their volumes and network interfaces. */
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
  vpc_cni_most_recent: "most_recent",
  vpc_cni_extra_env: "extra_env",
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

/**
 * Apply the module rules to the environment's values, naming fields as the
 * file does. Fields in `invalid` (refused by the schema) are left out, and so
 * is every rule that names one of them: their problem is already reported.
 */
function ruleProblems(config: Partial<EnvironmentConfig>, invalid: ReadonlySet<string> = new Set()): string[] {
  const values: Record<string, unknown> = { ...config };
  for (const [field, input] of Object.entries(FIELD_TO_INPUT)) values[input] = config[field as keyof EnvironmentConfig];
  // A null kubernetes_version means "follow the cluster": nothing to check here.
  if (values.kubernetes_version === null) delete values.kubernetes_version;
  if (config.instance_refresh) values.instance_refresh = instanceRefreshValue(refreshSettings(config.instance_refresh));
  // The nodes carry the environment tag too; it counts against AWS's limit.
  const tags = config.tags ?? {};
  if (config.tags) values.tags = { ...tags, [ENVIRONMENT_TAG]: "" };
  const own = [
    ...(ENVIRONMENT_TAG in tags ? [`tags: tags may not set ${ENVIRONMENT_TAG}: the stack sets it to the environment's name.`] : []),
    ...addonOwnershipProblems(config),
  ];
  const field = (input: string) => INPUT_TO_FIELD[input] ?? input;
  const usable = (inputs: readonly string[]) => inputs.every((input) => !invalid.has(field(input)));
  const check = (rules: readonly InputRule[], crossRules: readonly CrossRule[] = []) =>
    violations(
      values,
      rules.filter((rule) => usable([rule.input])),
      crossRules.filter((rule) => usable(rule.inputs)),
    );
  const found = [
    ...check(NODE_GROUP_RULES, [...NODE_GROUP_CROSS_RULES, ...NODE_GROUP_SIZE_RULES]),
    // An add-on managed elsewhere brings its own ENIConfigs (or its owner applies them); verify checks the cluster has them.
    ...check(VPC_CNI_RULES, config.vpc_cni_addon === "external" ? VPC_CNI_CROSS_RULES.filter((rule) => !ENI_CONFIG_RULES.includes(rule)) : VPC_CNI_CROSS_RULES),
    ...check(PREFIX_RESERVATION_RULES),
  ];
  return [...own, ...new Set(found.map((v) => `${v.inputs.map(field).join(", ")}: ${v.message}`))];
}

/** What the add-on fields refuse together with cni_credentials (fields the schema refused are absent here). */
function addonOwnershipProblems(config: Partial<EnvironmentConfig>): string[] {
  const problems: string[] = [];
  if (config.vpc_cni_addon === "external" && config.cni_credentials === "pod_identity") {
    problems.push(
      "vpc_cni_addon, cni_credentials: cni_credentials: pod_identity binds a role to aws-node through the add-on, which vpc_cni_addon: external leaves to its owner: give the add-on its Pod Identity association there and keep cni_credentials: node_role here, or let this stack manage the add-on (create or adopt).",
    );
  }
  if (config.vpc_cni_addon === "external" && Object.keys(config.eni_configs ?? {}).length > 0) {
    problems.push(
      "vpc_cni_addon, eni_configs: eni_configs are created by the add-on's configuration, which vpc_cni_addon: external leaves to its owner: create them there (or apply them yourself) and set eni_configs_managed_elsewhere: true here.",
    );
  }
  if (config.pod_identity_agent_addon != null && config.cni_credentials !== undefined && config.cni_credentials !== "pod_identity") {
    problems.push(
      `pod_identity_agent_addon, cni_credentials: pod_identity_agent_addon applies only with cni_credentials: pod_identity (this environment has ${config.cni_credentials}): remove it.`,
    );
  }
  return problems;
}

/** Who owns the eks-pod-identity-agent add-on: its own field, else the vpc-cni add-on's owner. */
export function podIdentityAgentOwnership(env: Pick<EnvironmentConfig, "vpc_cni_addon" | "pod_identity_agent_addon">): AddonOwnership {
  return env.pod_identity_agent_addon ?? env.vpc_cni_addon;
}

/** An environment's instance_refresh as the node group takes it (unset fields take its defaults). */
export function refreshSettings(refresh: EnvironmentConfig["instance_refresh"]): InstanceRefreshSettings {
  return {
    minHealthyPercentage: refresh.min_healthy_percentage,
    maxHealthyPercentage: refresh.max_healthy_percentage,
    instanceWarmup: refresh.instance_warmup,
    skipMatching: refresh.skip_matching,
    autoRollback: refresh.auto_rollback,
    checkpointPercentages: refresh.checkpoint_percentages,
    checkpointDelay: refresh.checkpoint_delay,
  };
}

/** The fields an object schema at `path` of an environment file accepts, for "did you mean". */
function knownFields(path: readonly PropertyKey[]): readonly string[] {
  let schema: z.ZodType = environmentSchema;
  for (const key of path) {
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) schema = inner.shape[String(key)] as z.ZodType;
    else if (inner instanceof z.ZodArray) schema = inner.element as z.ZodType;
    else return [];
    if (!schema) return [];
  }
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

/** A schema without its default/nullable/optional wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
    inner = inner.unwrap() as z.ZodType;
  }
  return inner;
}

/** The fields that pass the schema on their own, for checking rules beside the schema's problems. */
function validFields(document: Record<string, unknown>, invalid: ReadonlySet<string>): Partial<EnvironmentConfig> {
  const fields: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(environmentSchema.shape)) {
    if (invalid.has(field)) continue;
    const result = (schema as z.ZodType).safeParse(document[field]);
    if (result.success) fields[field] = result.data;
  }
  return fields as Partial<EnvironmentConfig>;
}

/**
 * How environment files are read: YAML 1.2's core schema (js-yaml's default: `yes` and `2024-01-01` stay text),
 * plus merge keys (`<<: *anchor`, YAML 1.1) as users of docker-compose and CI files write them; without them `<<`
 * is a field named "<<", which the schema can only refuse. Tags outside the schema (`!!binary`, `!custom`) are
 * refused as not valid YAML.
 */
const ENVIRONMENT_YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/**
 * Parse and validate one environment file's text. Every problem of the file
 * is reported at once, the schema's and the module rules' together.
 */
export function parseEnvironment(file: string, text: string): Environment {
  const name = basename(file, extname(file));
  if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
    throw new EnvironmentError(file, [FILE_NAME_PROBLEM]);
  }
  let documents: unknown[];
  try {
    documents = loadAll(text, { schema: ENVIRONMENT_YAML_SCHEMA });
  } catch (error) {
    throw new EnvironmentError(file, [`not valid YAML: ${(error as Error).message.split("\n")[0]!.replace(/:$/, "")}`]);
  }
  if (documents.length > 1) throw new EnvironmentError(file, [`not valid YAML: the file holds ${documents.length} documents (--- separated); an environment is one`]);
  // An empty file (or comments only) holds no document: no fields, which the schema names.
  const document = documents[0] ?? {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new EnvironmentError(file, [`the file must hold fields (such as region: ap-northeast-1), not ${Array.isArray(document) ? "a list" : "a single value"}`]);
  }
  const result = environmentSchema.safeParse(document, { reportInput: true });
  if (result.success) {
    const problems = ruleProblems(result.data);
    if (problems.length > 0) throw new EnvironmentError(file, problems);
    return { ...result.data, name };
  }
  const invalid = new Set(result.error.issues.filter((issue) => issue.path.length > 0).map((issue) => String(issue.path[0])));
  const fields = document as Record<string, unknown>;
  throw new EnvironmentError(file, [
    ...plainProblems(result.error.issues, knownFields),
    ...ruleProblems(validFields(fields, invalid), invalid),
  ]);
}

/**
 * Load every environments/<name>.yaml, sorted by name. All files are checked
 * before any is used; the error lists every problem of every file.
 */
export function loadEnvironments(dir: string): Environment[] {
  const { files, problems } = discoverEnvironmentFiles(dir);
  const environments: Environment[] = [];
  const errors = [...problems];
  for (const file of files) {
    try {
      environments.push(parseEnvironment(file.path, readFileSync(file.path, "utf8")));
    } catch (error) {
      if (error instanceof EnvironmentError) errors.push(...error.problems);
      else errors.push(cannotRead(file.path, error));
    }
  }
  if (errors.length > 0) throw new EnvironmentError(undefined, errors);
  return environments;
}
