/**
 * What the node group refuses, and why. Each rule is enforced at synth time
 * for resolved values and in Terraform (variable validation or precondition)
 * for values that arrive as variables. See docs/bad-input.md.
 */
import {
  AL2_LAST_KUBERNETES_VERSION,
  AMI_TYPE_NAMES,
  AMI_TYPES,
  KUBERNETES_VERSIONS,
  compareKubernetesVersions,
  isAmiType,
} from "./ami.js";
import { hclString } from "./hcl.js";
import { KUBE_RESERVED_RESOURCES, QUANTITY_PATTERN } from "./kube-reserved.js";
import { KUBELET_MAX_PODS_FLAG_PATTERN, MAX_PODS_CAP_LARGE, maxPodsFromKubeletArgs } from "./max-pods.js";
import { isWholeNumberIn, nullOr, tfWholeNumberIn, type CrossRule, type InputRule } from "./rules.js";

const list = (values: readonly string[]) => `[${values.map(hclString).join(", ")}]`;
const matches = (pattern: string) => (value: unknown) => typeof value === "string" && new RegExp(pattern).test(value);
const tfMatches = (pattern: string) => (ref: string) => `can(regex(${hclString(pattern)}, ${ref}))`;

/** Characters kubelet_extra_args may contain: enough for kubelet flags, nothing a shell or YAML treats specially. */
export const KUBELET_EXTRA_ARGS_PATTERN = "^[A-Za-z0-9 =,.:/_<@+-]*$";

export const CLUSTER_NAME_PATTERN = "^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$";
export const ENDPOINT_PATTERN = "^https://[A-Za-z0-9.:/_-]+$";
export const BASE64_PATTERN = "^[A-Za-z0-9+/]+={0,2}$";
export const IPV4_CIDR_PATTERN = "^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$";
export const SUBNET_ID_PATTERN = "^subnet-[0-9a-f]{8,17}$";
export const SECURITY_GROUP_ID_PATTERN = "^sg-[0-9a-f]{8,17}$";
export const INSTANCE_TYPE_PATTERN = "^[a-z][a-z0-9-]*\\.[a-z0-9-]+$";
export const AMI_ID_PATTERN = "^ami-[0-9a-f]{8,17}$";
export const NAME_PATTERN = "^[a-z0-9][a-z0-9-]{0,31}$";

const MAX_PODS_FLAG_COUNT = (ref: string) => `length(regexall("--max-pods", ${ref}))`;

function validIpv4Cidr(value: unknown): boolean {
  if (typeof value !== "string" || !new RegExp(IPV4_CIDR_PATTERN).test(value)) return false;
  const [address = "", prefix = ""] = value.split("/");
  return address.split(".").every((octet) => Number(octet) <= 255) && Number(prefix) <= 32;
}

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
    condition: (ref) => `can(regex(${hclString(IPV4_CIDR_PATTERN)}, ${ref})) && can(cidrhost(${ref}, 10))`,
  },
  {
    input: "kubernetes_version",
    message: `kubernetes_version must be one of ${KUBERNETES_VERSIONS.join(", ")}.`,
    accepts: (value) => typeof value === "string" && (KUBERNETES_VERSIONS as readonly string[]).includes(value),
    condition: (ref) => `contains(${list(KUBERNETES_VERSIONS)}, ${ref})`,
  },
  {
    input: "subnet_ids",
    message: "subnet_ids must list at least one subnet id (subnet-…).",
    accepts: (value) => Array.isArray(value) && value.length > 0 && value.every(matches(SUBNET_ID_PATTERN)),
    condition: (ref) =>
      `length(${ref}) > 0 && alltrue([for id in ${ref} : can(regex(${hclString(SUBNET_ID_PATTERN)}, id))])`,
  },
  {
    input: "security_group_ids",
    message: "security_group_ids must hold security group ids (sg-…).",
    accepts: (value) => Array.isArray(value) && value.every(matches(SECURITY_GROUP_ID_PATTERN)),
    condition: (ref) => `alltrue([for id in ${ref} : can(regex(${hclString(SECURITY_GROUP_ID_PATTERN)}, id))])`,
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
    condition: (ref) => `contains(${list(AMI_TYPE_NAMES)}, ${ref})`,
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
    input: "kubelet_extra_args",
    message: "kubelet_extra_args may set max pods only once, and only as --max-pods=N.",
    accepts: (value) => {
      const text = String(value);
      const count = text.split("--max-pods").length - 1;
      return count === 0 || (count === 1 && maxPodsFromKubeletArgs(text) !== undefined);
    },
    condition: (ref) =>
      `${MAX_PODS_FLAG_COUNT(ref)} == 0 || (${MAX_PODS_FLAG_COUNT(ref)} == 1 && can(regex(${hclString(KUBELET_MAX_PODS_FLAG_PATTERN)}, ${ref})))`,
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
      return `can(regex(${hclString(KUBELET_MAX_PODS_FLAG_PATTERN)}, ${ref})) ? (${flag} >= 1 && ${flag} <= ${MAX_PODS_CAP_LARGE}) : true`;
    },
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
    message: "root_volume_size must be a whole number of GiB from 4 to 16384.",
    accepts: (value) => isWholeNumberIn(value, 4, 16384),
    condition: (ref) => tfWholeNumberIn(ref, 4, 16384),
  },
  {
    input: "instance_refresh_min_healthy_percentage",
    message: "instance_refresh_min_healthy_percentage must be a whole number from 0 to 100.",
    accepts: (value) => isWholeNumberIn(value, 0, 100),
    condition: (ref) => tfWholeNumberIn(ref, 0, 100),
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
        `alltrue([for key, quantity in ${ref} : contains(${list(KUBE_RESERVED_RESOURCES)}, key) && can(regex(${hclString(QUANTITY_PATTERN)}, quantity))])`,
      ),
  },
];

/** Resolved values of the inputs the cross rules read, by input name. */
type Values = Record<string, unknown>;
const familyOf = (values: Values) =>
  typeof values.ami_type === "string" && isAmiType(values.ami_type) ? AMI_TYPES[values.ami_type].family : undefined;
const argsOf = (values: Values) => String(values.kubelet_extra_args ?? "");

/**
 * Rules spanning several inputs. `refs` holds expression text for every input
 * plus `ami_family`, `max_pods_from_kubelet_args`, `effective_max_pods`,
 * `max_pods_addressable`, `ami_architecture` and `instance_architectures`.
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
    inputs: ["kubelet_extra_args", "kube_reserved", "kube_reserved_follows_max_pods"],
    message:
      "kubelet_extra_args sets --kube-reserved, which the module renders itself: set kube_reserved instead, or kube_reserved_follows_max_pods = false and kube_reserved = null to pass your own flag.",
    accepts: (v) =>
      !argsOf(v).includes("--kube-reserved") || (v.kube_reserved == null && v.kube_reserved_follows_max_pods === false),
    condition: (r) =>
      `!strcontains(${r.kubelet_extra_args}, "--kube-reserved") || (${r.kube_reserved} == null && !${r.kube_reserved_follows_max_pods})`,
  },
  {
    inputs: ["max_pods", "kubelet_extra_args", "instance_type", "enable_prefix_delegation"],
    message:
      "max_pods (or --max-pods=N in kubelet_extra_args) asks for {{effective_max_pods}} pods, but instance_type {{instance_type}} can give only {{max_pods_addressable}} pods an IP address with enable_prefix_delegation = {{enable_prefix_delegation}}: the rest would never start.",
    condition: (r) => `${r.effective_max_pods} <= ${r.max_pods_addressable}`,
  },
  {
    inputs: ["ami_type", "instance_type"],
    message: "ami_type {{ami_type}} is built for {{ami_architecture}}, which instance_type {{instance_type}} does not run.",
    condition: (r) => `contains(${r.instance_architectures}, ${r.ami_architecture})`,
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
