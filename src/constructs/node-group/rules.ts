/**
 * What the node group refuses, and why. Each rule is enforced at synth time
 * for resolved values and in Terraform (variable validation or precondition)
 * for values that arrive as variables. See docs/bad-input.md.
 */
import {
  AL2_LAST_KUBERNETES_VERSION,
  AMI_TYPE_NAMES,
  AMI_TYPES,
  OLDEST_KUBERNETES_VERSION,
  compareKubernetesVersions,
  isAmiType,
  isSupportedKubernetesVersion,
  tfSupportedKubernetesVersion,
} from "../../rules/ami.js";
import { hclString } from "../../terraform/hcl.js";
import {
  BOTTLEROCKET_KUBE_RESERVED_RESOURCES,
  KUBE_RESERVED_RESOURCES,
  MEMORY_MIB_BASE,
  MEMORY_MIB_PER_POD,
  QUANTITY_PATTERN,
  describeKubeReservedTypos,
  kubeReservedExpressions,
  kubeReservedTypos,
} from "../../rules/kube-reserved.js";
import {
  EVICTION_HARD_MIB,
  KUBELET_MAX_PODS_FLAG_PATTERN,
  MAX_PODS_CAP_LARGE,
  POD_HEADROOM_MIB,
  flagNamePattern,
  maxPodsExpressions,
  maxPodsFlagCount,
  maxPodsFromKubeletArgs,
} from "../../rules/max-pods.js";
import { hclList, isWholeNumberIn, matches, nullOr, tfMatches, tfWholeNumberIn, type CrossRule, type InputRule } from "../../rules/checker.js";
import { tagRules } from "../../rules/tags.js";

/** Characters kubelet_extra_args may contain: enough for kubelet flags, nothing a shell or YAML treats specially. */
export const KUBELET_EXTRA_ARGS_PATTERN = "^[A-Za-z0-9 =,.:/_<@+-]*$";
/** A `--kube-reserved` flag in any spelling kubelet accepts (`--kube_reserved`). */
export const KUBELET_KUBE_RESERVED_FLAG_PATTERN = `(?:^|\\s)--${flagNamePattern("kube-reserved")}(?:=|\\s|$)`;

export const CLUSTER_NAME_PATTERN = "^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$";
export const ENDPOINT_PATTERN = "^https://[A-Za-z0-9.:/_-]+$";
export const BASE64_PATTERN = "^[A-Za-z0-9+/]+={0,2}$";
export const IPV4_CIDR_PATTERN = "^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$";
export const SUBNET_ID_PATTERN = "^subnet-[0-9a-f]{8,17}$";
export const SECURITY_GROUP_ID_PATTERN = "^sg-[0-9a-f]{8,17}$";
export const INSTANCE_TYPE_PATTERN = "^[a-z][a-z0-9-]*\\.[a-z0-9-]+$";
export const AMI_ID_PATTERN = "^ami-[0-9a-f]{8,17}$";
export const NAME_PATTERN = "^[a-z0-9][a-z0-9-]{0,31}$";

/**
 * Smallest root volume (Bottlerocket: data volume) in GiB: the EKS AL2023 AMI's
 * snapshot is 20 GiB and launches fail below it; AL2 and Bottlerocket ship
 * 20 GiB by default for the images pods pull (amazon-eks-ami template.json,
 * bottlerocket twoliter aws-k8s layout).
 */
export const MIN_ROOT_VOLUME_GIB = 20;
/**
 * EC2 user data limit: raw user data must stay below 16384 bytes. EC2 takes at most 21847 base64 characters
 * (RunInstances and CreateLaunchTemplateVersion answer "User data is limited to 16384 bytes" above that), and
 * 16384 bytes encode to 21848; 16383 encode to 21844.
 */
export const MAX_USER_DATA_BYTES = 16384;
/**
 * `<cluster_name>-<name>-` is the launch template's name prefix: hashicorp/aws 5.100 refuses a name_prefix over
 * 99 characters (internal/service/ec2 ValidLaunchTemplateName: "name is limited to 125", less the 26 it appends),
 * so cluster_name and name may together hold 97 (the two hyphens take the rest).
 */
export const LAUNCH_TEMPLATE_NAME_PREFIX_LENGTH = 99;
export const MAX_CLUSTER_AND_NAME_LENGTH = LAUNCH_TEMPLATE_NAME_PREFIX_LENGTH - 2;
/** Lifecycle hook heartbeat timeout range in seconds (Auto Scaling PutLifecycleHook). */
export const HEARTBEAT_TIMEOUT_RANGE = [30, 7200] as const;

/** The tag aws-node-termination-handler looks for on an instance before it drains it (its managedTag default). */
export const TERMINATION_HANDLER_MANAGED_TAG = "aws-node-termination-handler/managed";
/** Tags the node group sets on its resources itself. */
export const NODE_GROUP_OWN_TAGS = ["Name", TERMINATION_HANDLER_MANAGED_TAG] as const;
/** Tag key prefix of the cluster-ownership tag (`kubernetes.io/cluster/<cluster_name> = owned`). */
export const CLUSTER_TAG_PREFIX = "kubernetes.io/cluster/";
/** How many tags the node group adds itself: its own keys and the cluster-ownership tag. */
export const NODE_GROUP_OWN_TAG_COUNT = NODE_GROUP_OWN_TAGS.length + 1;

function validIpv4Cidr(value: unknown): boolean {
  if (!matches(IPV4_CIDR_PATTERN)(value)) return false;
  const [address = "", prefix = ""] = value.split("/");
  return address.split(".").every((octet) => Number(octet) <= 255) && Number(prefix) <= 32;
}

/** instance_refresh fields as the module's object variable names them. */
interface InstanceRefreshValue {
  min_healthy_percentage: number;
  max_healthy_percentage: number;
  instance_warmup: number;
  skip_matching: boolean;
  auto_rollback: boolean;
  checkpoint_percentages: number[];
  checkpoint_delay: number | null;
}
const refreshOf = (value: unknown) => value as InstanceRefreshValue;

export const NODE_GROUP_RULES: readonly InputRule[] = [
  {
    input: "cluster_name",
    message: "cluster_name must be an EKS cluster name: 1 to 100 letters, digits, hyphens or underscores, starting with a letter or digit.",
    accepts: matches(CLUSTER_NAME_PATTERN),
    condition: tfMatches(CLUSTER_NAME_PATTERN),
  },
  {
    input: "cluster_endpoint",
    message: "cluster_endpoint must be the cluster's https:// API server URL (letters, digits and . : / _ - only).",
    accepts: matches(ENDPOINT_PATTERN),
    condition: tfMatches(ENDPOINT_PATTERN),
  },
  {
    input: "cluster_certificate_authority_data",
    message: "cluster_certificate_authority_data must be the cluster's base64-encoded certificate authority data.",
    accepts: matches(BASE64_PATTERN),
    condition: tfMatches(BASE64_PATTERN),
  },
  {
    input: "cluster_service_cidr",
    message: "cluster_service_cidr must be the cluster's IPv4 service CIDR, such as 10.100.0.0/16.",
    accepts: validIpv4Cidr,
    condition: (ref) => `${tfMatches(IPV4_CIDR_PATTERN)(ref)} && can(cidrhost(${ref}, 10))`,
  },
  {
    input: "kubernetes_version",
    message: `kubernetes_version must be a Kubernetes minor version such as 1.33, from ${OLDEST_KUBERNETES_VERSION} (the oldest EKS supports) on.`,
    accepts: isSupportedKubernetesVersion,
    condition: tfSupportedKubernetesVersion,
  },
  {
    input: "subnet_ids",
    message: "subnet_ids must list at least one subnet id (subnet-…).",
    accepts: (value) => Array.isArray(value) && value.length > 0 && value.every(matches(SUBNET_ID_PATTERN)),
    condition: (ref) =>
      `length(${ref}) > 0 && alltrue([for id in ${ref} : ${tfMatches(SUBNET_ID_PATTERN)("id")}])`,
  },
  {
    // EC2 RunInstances: without security groups an instance joins the VPC's default group.
    input: "security_group_ids",
    message:
      "security_group_ids must list at least one security group id (sg-…), e.g. the cluster security group: without one EC2 puts the nodes in the VPC's default group, where they cannot reach the control plane.",
    accepts: (value) => Array.isArray(value) && value.length > 0 && value.every(matches(SECURITY_GROUP_ID_PATTERN)),
    condition: (ref) =>
      `length(${ref}) > 0 && alltrue([for id in ${ref} : ${tfMatches(SECURITY_GROUP_ID_PATTERN)("id")}])`,
  },
  {
    input: "instance_type",
    message: "instance_type must be an EC2 instance type such as t3a.medium.",
    accepts: matches(INSTANCE_TYPE_PATTERN),
    condition: tfMatches(INSTANCE_TYPE_PATTERN),
  },
  {
    input: "ami_type",
    message: `ami_type must be one of ${AMI_TYPE_NAMES.join(", ")}.`,
    accepts: (value) => typeof value === "string" && isAmiType(value),
    condition: (ref) => `contains(${hclList(AMI_TYPE_NAMES)}, ${ref})`,
  },
  {
    input: "ami_id",
    message: "ami_id must be null (use the EKS-optimized AMI) or an AMI id (ami-…).",
    accepts: (value) => value === null || matches(AMI_ID_PATTERN)(value),
    condition: (ref) => nullOr(ref, tfMatches(AMI_ID_PATTERN)(ref)),
  },
  {
    input: "kubelet_extra_args",
    message:
      "kubelet_extra_args may hold only letters, digits, spaces and = , . : / _ < @ + - : quotes, newlines, $, backticks, ;, | and & could break out of the bootstrap command line.",
    accepts: matches(KUBELET_EXTRA_ARGS_PATTERN),
    condition: tfMatches(KUBELET_EXTRA_ARGS_PATTERN),
  },
  {
    // kubelet reads --max_pods as --max-pods (pflag WordSepNormalizeFunc) and
    // --max-pods=0110 as octal 72 (pflag strconv.ParseInt base 0).
    input: "kubelet_extra_args",
    message:
      "kubelet_extra_args may set max pods only once, and only as --max-pods=N with N written without leading zeros (kubelet reads --max_pods as --max-pods, and 0110 as octal).",
    accepts: (value) => {
      const text = String(value);
      const count = maxPodsFlagCount(text);
      return count === 0 || (count === 1 && maxPodsFromKubeletArgs(text) !== undefined);
    },
    condition: (ref) => {
      const count = maxPodsExpressions.flagCount(ref);
      return `${count} == 0 || (${count} == 1 && ${tfMatches(KUBELET_MAX_PODS_FLAG_PATTERN)(ref)})`;
    },
  },
  {
    input: "kubelet_extra_args",
    message: `kubelet_extra_args: --max-pods=N must be a whole number from 1 to ${MAX_PODS_CAP_LARGE}.`,
    accepts: (value) => {
      const flag = maxPodsFromKubeletArgs(String(value));
      return flag === undefined || isWholeNumberIn(flag, 1, MAX_PODS_CAP_LARGE);
    },
    condition: (ref) => {
      const flag = `tonumber(regex(${hclString(KUBELET_MAX_PODS_FLAG_PATTERN)}, ${ref})[0])`;
      return `${tfMatches(KUBELET_MAX_PODS_FLAG_PATTERN)(ref)} ? (${flag} >= 1 && ${flag} <= ${MAX_PODS_CAP_LARGE}) : true`;
    },
  },
  {
    // A kubelet --kube-reserved flag replaces the whole map the AMI or the
    // config file set (component-base MapStringString), so cpu and
    // ephemeral-storage would be lost.
    input: "kubelet_extra_args",
    message:
      "kubelet_extra_args may not set --kube-reserved (nor --kube_reserved): the flag replaces the whole reservation, dropping what it leaves out. Set kube_reserved = { memory = \"…\" } instead; the module merges it with the rest.",
    accepts: (value) => !matches(KUBELET_KUBE_RESERVED_FLAG_PATTERN)(value),
    condition: (ref) => `!${tfMatches(KUBELET_KUBE_RESERVED_FLAG_PATTERN)(ref)}`,
  },
  {
    input: "max_pods",
    message: `max_pods must be null (automatic) or a whole number from 1 to ${MAX_PODS_CAP_LARGE}.`,
    accepts: (value) => value === null || isWholeNumberIn(value, 1, MAX_PODS_CAP_LARGE),
    condition: (ref) => nullOr(ref, tfWholeNumberIn(ref, 1, MAX_PODS_CAP_LARGE)),
  },
  ...(["min_size", "desired_size"] as const).map(
    (input): InputRule => ({
      input,
      message: `${input} must be a whole number from 0 to 1000.`,
      accepts: (value) => isWholeNumberIn(value, 0, 1000),
      condition: (ref) => tfWholeNumberIn(ref, 0, 1000),
    }),
  ),
  {
    input: "max_size",
    message: "max_size must be a whole number from 1 to 1000.",
    accepts: (value) => isWholeNumberIn(value, 1, 1000),
    condition: (ref) => tfWholeNumberIn(ref, 1, 1000),
  },
  {
    input: "name",
    message: "name must be 1 to 32 lowercase letters, digits or hyphens, starting with a letter or digit.",
    accepts: matches(NAME_PATTERN),
    condition: tfMatches(NAME_PATTERN),
  },
  {
    input: "root_volume_size",
    message: `root_volume_size must be a whole number of GiB from ${MIN_ROOT_VOLUME_GIB} (the EKS AMIs' volume size; a smaller volume fails at launch) to 16384.`,
    accepts: (value) => isWholeNumberIn(value, MIN_ROOT_VOLUME_GIB, 16384),
    condition: (ref) => tfWholeNumberIn(ref, MIN_ROOT_VOLUME_GIB, 16384),
  },
  {
    // Auto Scaling RefreshPreferences: min 0–100, max 100–200, at most 100 apart.
    input: "instance_refresh",
    message:
      "instance_refresh: min_healthy_percentage must be 0 to 100 and max_healthy_percentage 100 to 200, at most 100 apart (Auto Scaling's limits).",
    accepts: (value) => {
      const r = refreshOf(value);
      return (
        isWholeNumberIn(r.min_healthy_percentage, 0, 100) &&
        isWholeNumberIn(r.max_healthy_percentage, 100, 200) &&
        r.max_healthy_percentage - r.min_healthy_percentage <= 100
      );
    },
    condition: (ref) =>
      `${tfWholeNumberIn(`${ref}.min_healthy_percentage`, 0, 100)} && ${tfWholeNumberIn(`${ref}.max_healthy_percentage`, 100, 200)} && ${ref}.max_healthy_percentage - ${ref}.min_healthy_percentage <= 100`,
  },
  {
    input: "instance_refresh",
    message:
      "instance_refresh: instance_warmup must be 0 to 3600 seconds, checkpoint_percentages ascending whole numbers from 1 to 100 that end at 100, and checkpoint_delay null or 0 to 172800 seconds.",
    accepts: (value) => {
      const r = refreshOf(value);
      const checkpoints = r.checkpoint_percentages ?? [];
      return (
        isWholeNumberIn(r.instance_warmup, 0, 3600) &&
        checkpoints.every((p, i) => isWholeNumberIn(p, 1, 100) && (i === 0 || p > checkpoints[i - 1]!)) &&
        // Auto Scaling API, RefreshPreferences.CheckpointPercentages: the last must be 100 to replace every instance.
        (checkpoints.length === 0 || checkpoints.at(-1) === 100) &&
        (r.checkpoint_delay == null || isWholeNumberIn(r.checkpoint_delay, 0, 172800))
      );
    },
    condition: (ref) =>
      `${tfWholeNumberIn(`${ref}.instance_warmup`, 0, 3600)} && alltrue([for i, p in ${ref}.checkpoint_percentages : floor(p) == p && p >= 1 && p <= 100 && (i == 0 ? true : p > ${ref}.checkpoint_percentages[max(i - 1, 0)])]) && (length(${ref}.checkpoint_percentages) == 0 || try(${ref}.checkpoint_percentages[length(${ref}.checkpoint_percentages) - 1] == 100, false)) && (${nullOr(`${ref}.checkpoint_delay`, tfWholeNumberIn(`${ref}.checkpoint_delay`, 0, 172800))})`,
  },
  {
    input: "termination_heartbeat_timeout",
    message: `termination_heartbeat_timeout must be a whole number of seconds from ${HEARTBEAT_TIMEOUT_RANGE[0]} to ${HEARTBEAT_TIMEOUT_RANGE[1]} (Auto Scaling's lifecycle hook limits).`,
    accepts: (value) => isWholeNumberIn(value, ...HEARTBEAT_TIMEOUT_RANGE),
    condition: (ref) => tfWholeNumberIn(ref, ...HEARTBEAT_TIMEOUT_RANGE),
  },
  {
    input: "node_ready_timeout",
    message: `node_ready_timeout must be a whole number of seconds from ${HEARTBEAT_TIMEOUT_RANGE[0]} to ${HEARTBEAT_TIMEOUT_RANGE[1]} (Auto Scaling's lifecycle hook limits).`,
    accepts: (value) => isWholeNumberIn(value, ...HEARTBEAT_TIMEOUT_RANGE),
    condition: (ref) => tfWholeNumberIn(ref, ...HEARTBEAT_TIMEOUT_RANGE),
  },
  {
    // EKS user guide, "Restrict access to the instance profile assigned to the worker node": IMDSv2 with
    // hop limit 1 keeps pods outside the host network from the node's credentials.
    input: "metadata_http_put_response_hop_limit",
    message:
      "metadata_http_put_response_hop_limit must be 1 (pods outside the host network cannot reach the node's credentials) or 2 (they can, for pods that need IMDS).",
    accepts: (value) => value === 1 || value === 2,
    condition: (ref) => `contains([1, 2], ${ref})`,
  },
  {
    input: "kube_reserved",
    message: `kube_reserved must be null or a map from ${KUBE_RESERVED_RESOURCES.join(", ")} to quantities such as 70m or 1465Mi.`,
    accepts: (value) =>
      value === null ||
      (typeof value === "object" &&
        Object.entries(value as Record<string, unknown>).every(
          ([key, quantity]) =>
            (KUBE_RESERVED_RESOURCES as readonly string[]).includes(key) && matches(QUANTITY_PATTERN)(quantity),
        )),
    condition: (ref) =>
      nullOr(
        ref,
        `alltrue([for key, quantity in ${ref} : contains(${hclList(KUBE_RESERVED_RESOURCES)}, key) && ${tfMatches(QUANTITY_PATTERN)("quantity")}])`,
      ),
  },
  {
    // The kubelet takes any quantity (apimachinery resource.Quantity): memory "100m" reserves 0.1 byte. See KUBE_RESERVED_TYPOS.
    input: "kube_reserved",
    message: "kube_reserved holds a quantity the kubelet would take as written, though it is almost surely a typo:",
    accepts: (value) => value === null || typeof value !== "object" || kubeReservedTypos(value as Record<string, unknown>).length === 0,
    condition: (ref) => nullOr(ref, `length(${kubeReservedExpressions.typoKeys(ref)}) == 0`),
    detail: (value) => describeKubeReservedTypos(value as Record<string, unknown>),
    // Terraform evaluates the message when validating the module too, with the default null.
    tfDetail: (ref) => `${ref} == null ? "" : join(" ", ${kubeReservedExpressions.typos(ref)})`,
  },
  ...tagRules({ input: "tags", reservedKeys: NODE_GROUP_OWN_TAGS, reservedPrefixes: [CLUSTER_TAG_PREFIX], ownTags: NODE_GROUP_OWN_TAG_COUNT }),
];

/** The README section of modules/node-group with override_data blocks for other instance types. */
export const INSTANCE_TYPES_IN_TESTS = "Instance types in tests";

/**
 * The node group's check on the instance type data it read (a postcondition of `data.aws_ec2_instance_type`):
 * `{{described}}` is the type the data describes (its id), `{{instance_type}}` the type asked for. On AWS they are
 * equal; a mocked AWS account describes one type whatever the configuration asks for.
 */
export const INSTANCE_DATA_MISMATCH = `data.aws_ec2_instance_type describes {{described}}, not instance_type {{instance_type}}: max pods, kube-reserved and the memory and architecture checks would follow another type's figures. EC2 answers for the type asked, so on AWS this cannot happen; in a terraform test the mocked AWS account answers every type alike (the mocks/aws.tfmock.hcl of this project's modules describes a t3a.medium). Give this type's EC2 figures, id = "{{instance_type}}" among them, in an override_data block for this data source: the README of modules/node-group, section "${INSTANCE_TYPES_IN_TESTS}", has ready ones for common types and the aws ec2 describe-instance-types command for any other.`;

/** Resolved values of the inputs the cross rules read, by input name. */
type Values = Record<string, unknown>;
const familyOf = (values: Values) =>
  typeof values.ami_type === "string" && isAmiType(values.ami_type) ? AMI_TYPES[values.ami_type].family : undefined;
const argsOf = (values: Values) => String(values.kubelet_extra_args ?? "");

/**
 * Rules spanning several inputs. `refs` holds expression text for every input
 * plus `ami_family`, `max_pods_from_kubelet_args`, `effective_max_pods`,
 * `max_pods_addressable`, `max_pods_memory_cap`, `max_pods_kubelet_cap`, `memory_size`, `memory_known`,
 * `kubelet_memory`, `memory_needed`, `ami_architecture`,
 * `instance_architectures` and `user_data_bytes`.
 */
export const NODE_GROUP_CROSS_RULES: readonly CrossRule[] = [
  {
    inputs: ["max_pods", "kubelet_extra_args"],
    message: "max_pods and a --max-pods=N flag in kubelet_extra_args both set max pods: set only one of them.",
    accepts: (v) => v.max_pods == null || maxPodsFromKubeletArgs(argsOf(v)) === undefined,
    condition: (r) => `${r.max_pods} == null || ${r.max_pods_from_kubelet_args} == null`,
  },
  {
    inputs: ["use_max_pods", "max_pods", "kubelet_extra_args"],
    message:
      "use_max_pods = true asks bootstrap.sh to pick max pods itself: it cannot be combined with max_pods or a --max-pods=N flag in kubelet_extra_args (set use_max_pods = false, as the article does).",
    accepts: (v) => v.use_max_pods !== true || (v.max_pods == null && maxPodsFromKubeletArgs(argsOf(v)) === undefined),
    condition: (r) => `!${r.use_max_pods} || (${r.max_pods} == null && ${r.max_pods_from_kubelet_args} == null)`,
  },
  {
    inputs: ["ami_type", "kubelet_extra_args"],
    message:
      "kubelet_extra_args is not supported with a BOTTLEROCKET ami_type: Bottlerocket has no kubelet flag hook. Use max_pods (and kube_reserved) instead.",
    accepts: (v) => familyOf(v) !== "BOTTLEROCKET" || argsOf(v).trim() === "",
    condition: (r) => `${r.ami_family} != "BOTTLEROCKET" || trimspace(${r.kubelet_extra_args}) == ""`,
  },
  {
    inputs: ["ami_type", "kube_reserved"],
    message: `kube_reserved may set only ${BOTTLEROCKET_KUBE_RESERVED_RESOURCES.join(", ")} with a BOTTLEROCKET ami_type: Bottlerocket refuses other keys (pid) and the node would not boot.`,
    accepts: (v) =>
      familyOf(v) !== "BOTTLEROCKET" ||
      v.kube_reserved == null ||
      Object.keys(v.kube_reserved as object).every((key) => (BOTTLEROCKET_KUBE_RESERVED_RESOURCES as readonly string[]).includes(key)),
    condition: (r) =>
      `${r.ami_family} != "BOTTLEROCKET" ? true : (${nullOr(r.kube_reserved!, `alltrue([for key in keys(${r.kube_reserved}) : contains(${hclList(BOTTLEROCKET_KUBE_RESERVED_RESOURCES)}, key)])`)})`,
  },
  {
    inputs: ["ami_type", "kubernetes_version", "ami_id"],
    message: `ami_type AL2_* has no EKS-optimized AMI after Kubernetes ${AL2_LAST_KUBERNETES_VERSION}: use an AL2023 or BOTTLEROCKET ami_type, an older kubernetes_version, or your own ami_id.`,
    accepts: (v) =>
      v.ami_id != null ||
      familyOf(v) !== "AL2" ||
      typeof v.kubernetes_version !== "string" ||
      compareKubernetesVersions(v.kubernetes_version, AL2_LAST_KUBERNETES_VERSION) <= 0,
    condition: (r) =>
      `${r.ami_id} != null || ${r.ami_family} != "AL2" || try(tonumber(split(".", ${r.kubernetes_version})[1]) <= ${AL2_LAST_KUBERNETES_VERSION.split(".")[1]}, false)`,
  },
  {
    inputs: ["cluster_name", "name"],
    message: `cluster_name and name together may hold at most ${MAX_CLUSTER_AND_NAME_LENGTH} characters: the launch template's name prefix <cluster_name>-<name>- may hold ${LAUNCH_TEMPLATE_NAME_PREFIX_LENGTH} (AWS's provider appends 26 characters of the 125 a name may hold).`,
    accepts: (v) =>
      typeof v.cluster_name !== "string" || typeof v.name !== "string" || v.cluster_name.length + v.name.length <= MAX_CLUSTER_AND_NAME_LENGTH,
    condition: (r) => `length(${r.cluster_name}) + length(${r.name}) <= ${MAX_CLUSTER_AND_NAME_LENGTH}`,
  },
  {
    inputs: ["max_pods", "kubelet_extra_args", "instance_type", "enable_prefix_delegation", "custom_networking"],
    message:
      "max_pods (or --max-pods=N in kubelet_extra_args) asks for {{effective_max_pods}} pods, but instance_type {{instance_type}} can give only {{max_pods_addressable}} pods an IP address with enable_prefix_delegation = {{enable_prefix_delegation}} and custom_networking = {{custom_networking}}: the rest would never start.",
    condition: (r) => `${r.effective_max_pods} <= ${r.max_pods_addressable}`,
  },
  {
    // The automatic value keeps room for the node's own pods; an explicit one need only be what the kubelet accepts.
    inputs: ["instance_type", "max_pods", "kubelet_extra_args"],
    message: `instance_type {{instance_type}} is too small for automatic max pods: the {{kubelet_memory}} MiB its kubelet sees (of {{memory_size}} MiB) do not hold even one pod's kube-reserved (${MEMORY_MIB_PER_POD} MiB + ${MEMORY_MIB_BASE} MiB), the ${EVICTION_HARD_MIB} MiB eviction threshold and ${POD_HEADROOM_MIB} MiB for the node's own pods. Set max_pods (at most {{max_pods_kubelet_cap}}, what its kubelet accepts; AWS lists 4 for the nano types) or pick a larger instance_type.`,
    condition: (r) => `!${r.memory_known} || ${r.max_pods} != null || ${r.max_pods_from_kubelet_args} != null || ${r.max_pods_memory_cap} >= 1`,
  },
  {
    inputs: ["max_pods", "kubelet_extra_args", "instance_type", "kube_reserved"],
    message: `instance_type {{instance_type}} has {{memory_size}} MiB of memory, {{kubelet_memory}} MiB of it seen by the kubelet: {{effective_max_pods}} pods need {{memory_needed}} MiB (kube-reserved of ${MEMORY_MIB_PER_POD} MiB per pod + ${MEMORY_MIB_BASE} MiB, or kube_reserved's memory if larger, and the ${EVICTION_HARD_MIB} MiB eviction threshold), more than the kubelet accepts. At most {{max_pods_kubelet_cap}} pods fit: lower max_pods or pick a larger instance_type.`,
    condition: (r) =>
      `!${r.memory_known} || (${r.max_pods} == null && ${r.max_pods_from_kubelet_args} == null && ${r.max_pods_memory_cap} < 1) || ${r.memory_needed} <= ${r.kubelet_memory}`,
  },
  {
    inputs: ["ami_type", "instance_type"],
    message: "ami_type {{ami_type}} is built for {{ami_architecture}}, which instance_type {{instance_type}} does not run.",
    condition: (r) => `contains(${r.instance_architectures}, ${r.ami_architecture})`,
  },
  {
    inputs: ["kubelet_extra_args", "cluster_certificate_authority_data"],
    message: `kubelet_extra_args and the cluster values make the user data {{user_data_bytes}} bytes; EC2 takes less than ${MAX_USER_DATA_BYTES} (its base64 form may hold 21847 characters): shorten kubelet_extra_args.`,
    condition: (r) => `${r.user_data_bytes} < ${MAX_USER_DATA_BYTES}`,
  },
];

/** Plan-time rules on the Auto Scaling group sizes. */
export const NODE_GROUP_SIZE_RULES: readonly CrossRule[] = [
  {
    inputs: ["min_size", "desired_size", "max_size"],
    message: "min_size <= desired_size <= max_size must hold.",
    accepts: (v) =>
      typeof v.min_size !== "number" ||
      typeof v.desired_size !== "number" ||
      typeof v.max_size !== "number" ||
      (v.min_size <= v.desired_size && v.desired_size <= v.max_size),
    condition: (r) => `${r.min_size} <= ${r.desired_size} && ${r.desired_size} <= ${r.max_size}`,
  },
];
