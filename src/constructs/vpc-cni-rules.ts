/**
 * What the vpc-cni add-on refuses, and why (see docs/bad-input.md). Same
 * shape as the node-group rules: TypeScript for resolved values, Terraform
 * for variables.
 */
import { OLDEST_KUBERNETES_VERSION, isSupportedKubernetesVersion, tfSupportedKubernetesVersion } from "../rules/ami.js";
import { hclString } from "../terraform/hcl.js";
import { CLUSTER_NAME_PATTERN, SECURITY_GROUP_ID_PATTERN, SUBNET_ID_PATTERN } from "./node-group/rules.js";
import { hclList, isWholeNumberIn, matches, nullOr, tfMatches, tfWholeNumberIn, type CrossRule, type InputRule } from "../rules/checker.js";
import { tagRules } from "../rules/tags.js";

/** The first VPC CNI release with prefix delegation. */
export const PREFIX_DELEGATION_MIN_VERSION = [1, 9] as const;
/** The first vpc-cni add-on build that takes EKS Pod Identity (EKS user guide, Pod Identity support reference). */
export const POD_IDENTITY_MIN_VERSION = [1, 15, 5] as const;

/** EKS add-on versions: v1.19.2-eksbuild.1. */
export const ADDON_VERSION_PATTERN = "^v([0-9]+)\\.([0-9]+)\\.([0-9]+)-eksbuild\\.[0-9]+$";
export const ROLE_ARN_PATTERN = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$";
/**
 * Availability zone names (ap-northeast-1a, and Local Zones such as us-west-2-lax-1a): each key of eni_configs
 * names an ENIConfig, which ipamd looks up by the node's zone label (amazon-vpc-cni-k8s pkg/eniconfig,
 * GetNodeSpecificENIConfigName with ENI_CONFIG_LABEL_DEF = topology.kubernetes.io/zone).
 */
export const ZONE_NAME_PATTERN = "^[a-z]{2}(-[a-z0-9]+)+$";

/** Largest warm/minimum target the module accepts (IPs or prefixes per node). */
export const MAX_TARGET = 1000;

/** What EKS does with aws-node settings made outside the add-on, when it creates the add-on (EKS CreateAddon resolveConflicts). */
export const RESOLVE_CONFLICTS_ON_CREATE = ["NONE", "OVERWRITE"] as const;
export type ResolveConflictsOnCreate = (typeof RESOLVE_CONFLICTS_ON_CREATE)[number];
/** ... and when it updates it (EKS UpdateAddon resolveConflicts). */
export const RESOLVE_CONFLICTS_ON_UPDATE = ["NONE", "OVERWRITE", "PRESERVE"] as const;
export type ResolveConflictsOnUpdate = (typeof RESOLVE_CONFLICTS_ON_UPDATE)[number];

/** Where the aws-node DaemonSet gets its AWS permissions. */
export const CNI_CREDENTIALS = ["node_role", "pod_identity"] as const;
export type CniCredentials = (typeof CNI_CREDENTIALS)[number];

/**
 * VPC CNI environment variables the add-on's configuration schema accepts
 * under `env` (`aws eks describe-addon-configuration --addon-name vpc-cni`,
 * v1.20.0-eksbuild.1 to v1.23.x; every name is `additionalProperties: false`,
 * so any other is refused at apply with "is not defined in the schema").
 */
export const ADDON_ENV_NAMES = [
  "ADDITIONAL_ENI_TAGS",
  "ANNOTATE_POD_IP",
  "AWS_EC2_ENDPOINT",
  "AWS_EXTERNAL_SERVICE_CIDRS",
  "AWS_MANAGE_ENIS_NON_SCHEDULABLE",
  "AWS_VPC_CNI_NODE_PORT_SUPPORT",
  "AWS_VPC_ENI_MTU",
  "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
  "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS",
  "AWS_VPC_K8S_CNI_EXTERNALSNAT",
  "AWS_VPC_K8S_CNI_LOGLEVEL",
  "AWS_VPC_K8S_CNI_LOG_FILE",
  "AWS_VPC_K8S_CNI_RANDOMIZESNAT",
  "AWS_VPC_K8S_CNI_VETHPREFIX",
  "AWS_VPC_K8S_PLUGIN_LOG_FILE",
  "AWS_VPC_K8S_PLUGIN_LOG_LEVEL",
  "CLUSTER_ENDPOINT",
  "DISABLE_INTROSPECTION",
  "DISABLE_LEAKED_ENI_CLEANUP",
  "DISABLE_METRICS",
  "DISABLE_NETWORK_RESOURCE_PROVISIONING",
  "DISABLE_POD_V6",
  "ENABLE_BANDWIDTH_PLUGIN",
  "ENABLE_IMDS_ONLY_MODE",
  "ENABLE_MULTI_NIC",
  "ENABLE_POD_ENI",
  "ENABLE_PREFIX_DELEGATION",
  "ENABLE_SUBNET_DISCOVERY",
  "ENABLE_V4_EGRESS",
  "ENABLE_V6_EGRESS",
  "ENI_CONFIG_ANNOTATION_DEF",
  "ENI_CONFIG_LABEL_DEF",
  "INTROSPECTION_BIND_ADDRESS",
  "IP_COOLDOWN_PERIOD",
  "MAX_ENI",
  "MINIMUM_IP_TARGET",
  "NETWORK_POLICY_ENFORCING_MODE",
  "POD_MTU",
  "POD_SECURITY_GROUP_ENFORCING_MODE",
  "WARM_ENI_TARGET",
  "WARM_IP_TARGET",
  "WARM_PREFIX_TARGET",
] as const;

/** VPC CNI environment variables set by typed inputs. */
export const TYPED_ENV = {
  enablePrefixDelegation: "ENABLE_PREFIX_DELEGATION",
  warmPrefixTarget: "WARM_PREFIX_TARGET",
  warmIpTarget: "WARM_IP_TARGET",
  minimumIpTarget: "MINIMUM_IP_TARGET",
  customNetworking: "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
} as const;

/** Variables the typed inputs own: extra_env may not set them (their validation would be bypassed). */
export const TYPED_ENV_NAMES = Object.values(TYPED_ENV);

/**
 * MAX_ENI caps the interfaces the CNI attaches (amazon-vpc-cni-k8s ipamd
 * getMaxENI) but not the kubelet's max pods: pods above what the capped
 * interfaces address would never get an IP.
 */
export const REFUSED_ENV_NAMES = ["MAX_ENI"] as const;

/** Names extra_env accepts. */
export const EXTRA_ENV_NAMES = ADDON_ENV_NAMES.filter(
  (name) => !(TYPED_ENV_NAMES as readonly string[]).includes(name) && !(REFUSED_ENV_NAMES as readonly string[]).includes(name),
);

/** Major, minor and patch of an add-on version, e.g. [1, 19, 2]. */
export function addonVersionParts(version: string): [number, number, number] | undefined {
  const match = new RegExp(ADDON_VERSION_PATTERN).exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** True when `version` is at least `minimum` (major, minor[, patch]). */
export function addonVersionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = addonVersionParts(version) ?? [0, 0, 0];
  for (let i = 0; i < minimum.length; i++) {
    if (parts[i]! !== minimum[i]!) return parts[i]! > minimum[i]!;
  }
  return true;
}

/** True when the add-on version supports prefix delegation (v1.9.0 or later). */
export function supportsPrefixDelegation(version: string): boolean {
  return addonVersionAtLeast(version, PREFIX_DELEGATION_MIN_VERSION);
}

/** Terraform: `version` (an add-on version expression) is at least `minimum`. */
function tfAddonVersionAtLeast(version: string, minimum: readonly number[]): string {
  const part = (i: number) => `tonumber(regex(${hclString(ADDON_VERSION_PATTERN)}, ${version})[${i}])`;
  // Lexicographic comparison of (major, minor, patch), written out from the last part.
  const compare = minimum.reduceRight(
    (rest, value, i) => `(${part(i)} > ${value} || (${part(i)} == ${value} && ${rest}))`,
    "true",
  );
  return `try(${compare}, false)`;
}

const nullableTarget = (input: string): InputRule => ({
  input,
  message: `${input} must be null (unset) or a whole number from 0 to ${MAX_TARGET}.`,
  accepts: (value) => value === null || isWholeNumberIn(value, 0, MAX_TARGET),
  condition: (ref) => nullOr(ref, tfWholeNumberIn(ref, 0, MAX_TARGET)),
});

export const VPC_CNI_RULES: readonly InputRule[] = [
  {
    input: "cluster_name",
    message: "cluster_name must be an EKS cluster name: 1 to 100 letters, digits, hyphens or underscores, starting with a letter or digit.",
    accepts: matches(CLUSTER_NAME_PATTERN),
    condition: tfMatches(CLUSTER_NAME_PATTERN),
  },
  {
    input: "kubernetes_version",
    message: `kubernetes_version must be null (read it from the cluster) or a Kubernetes minor version such as 1.33, from ${OLDEST_KUBERNETES_VERSION} on.`,
    accepts: (value) => value === null || isSupportedKubernetesVersion(value),
    condition: (ref) => nullOr(ref, tfSupportedKubernetesVersion(ref)),
  },
  {
    input: "addon_version",
    message: "addon_version must be null (EKS's default version for the Kubernetes version) or an EKS add-on version such as v1.19.2-eksbuild.1.",
    accepts: (value) => value === null || matches(ADDON_VERSION_PATTERN)(value),
    condition: (ref) => nullOr(ref, tfMatches(ADDON_VERSION_PATTERN)(ref)),
  },
  {
    input: "warm_prefix_target",
    message: `warm_prefix_target must be a whole number from 0 to ${MAX_TARGET}.`,
    accepts: (value) => isWholeNumberIn(value, 0, MAX_TARGET),
    condition: (ref) => tfWholeNumberIn(ref, 0, MAX_TARGET),
  },
  nullableTarget("warm_ip_target"),
  nullableTarget("minimum_ip_target"),
  {
    input: "extra_env",
    message: `extra_env may set only variables the vpc-cni add-on's configuration schema accepts, other than those typed inputs set (${TYPED_ENV_NAMES.join(", ")}) and MAX_ENI (it would lower the pods a node can address without the node group knowing): ${EXTRA_ENV_NAMES.join(", ")}.`,
    accepts: (value) =>
      typeof value === "object" && value !== null && Object.keys(value).every((name) => (EXTRA_ENV_NAMES as readonly string[]).includes(name)),
    condition: (ref) => `alltrue([for name in keys(${ref}) : contains(${hclList(EXTRA_ENV_NAMES)}, name)])`,
  },
  {
    input: "eni_configs",
    message:
      "eni_configs must be keyed by availability zone names such as ap-northeast-1a (each ENIConfig is named after its zone), each with a subnet_id (subnet-…) and security_group_ids of sg-… ids.",
    accepts: (value) =>
      typeof value === "object" &&
      value !== null &&
      Object.entries(value as Record<string, EniConfigValue>).every(
        ([zone, config]) =>
          matches(ZONE_NAME_PATTERN)(zone) &&
          matches(SUBNET_ID_PATTERN)(config?.subnet_id) &&
          (config.security_group_ids ?? []).every(matches(SECURITY_GROUP_ID_PATTERN)),
      ),
    condition: (ref) =>
      `alltrue([for zone, config in ${ref} : ${tfMatches(ZONE_NAME_PATTERN)("zone")} && ${tfMatches(SUBNET_ID_PATTERN)("config.subnet_id")} && alltrue([for id in config.security_group_ids : ${tfMatches(SECURITY_GROUP_ID_PATTERN)("id")}])])`,
  },
  {
    input: "service_account_role_arn",
    message: "service_account_role_arn must be null (use the node role) or an IAM role ARN.",
    accepts: (value) => value === null || matches(ROLE_ARN_PATTERN)(value),
    condition: (ref) => nullOr(ref, tfMatches(ROLE_ARN_PATTERN)(ref)),
  },
  {
    input: "cni_credentials",
    message: `cni_credentials must be one of ${CNI_CREDENTIALS.join(", ")}.`,
    accepts: (value) => typeof value === "string" && (CNI_CREDENTIALS as readonly string[]).includes(value),
    condition: (ref) => `contains(${hclList(CNI_CREDENTIALS)}, ${ref})`,
  },
  {
    input: "resolve_conflicts_on_create",
    message: "resolve_conflicts_on_create must be NONE or OVERWRITE.",
    accepts: (value) => (RESOLVE_CONFLICTS_ON_CREATE as readonly unknown[]).includes(value),
    condition: (ref) => `contains(${hclList(RESOLVE_CONFLICTS_ON_CREATE)}, ${ref})`,
  },
  {
    input: "resolve_conflicts_on_update",
    message: "resolve_conflicts_on_update must be NONE, OVERWRITE or PRESERVE.",
    accepts: (value) => (RESOLVE_CONFLICTS_ON_UPDATE as readonly unknown[]).includes(value),
    condition: (ref) => `contains(${hclList(RESOLVE_CONFLICTS_ON_UPDATE)}, ${ref})`,
  },
  ...tagRules({ input: "tags" }),
];

/** One ENIConfig as eni_configs holds it (the module variable's names). */
export interface EniConfigValue {
  readonly subnet_id: string;
  readonly security_group_ids?: readonly string[];
}

const eniConfigCount = (value: unknown) => (typeof value === "object" && value !== null ? Object.keys(value).length : 0);

/**
 * With custom networking ipamd attaches an interface only after finding the ENIConfig of the node's zone, and
 * never gives pods the primary interface's addresses (amazon-vpc-cni-k8s pkg/ipamd tryAllocateENI, pkg/eniconfig
 * MyENIConfig: ErrNoENIConfig): without one, no pod outside the host network gets an address.
 */
export const ENI_CONFIG_RULES: readonly CrossRule[] = [
  {
    inputs: ["custom_networking", "eni_configs", "eni_configs_managed_elsewhere"],
    message:
      "custom_networking = true needs an ENIConfig for every availability zone of the nodes, or the VPC CNI gives pods no address: set eni_configs (the add-on then creates them), or eni_configs_managed_elsewhere = true where you apply them yourself.",
    accepts: (v) => v.custom_networking !== true || eniConfigCount(v.eni_configs) > 0 || v.eni_configs_managed_elsewhere === true,
    condition: (r) => `!${r.custom_networking} || length(${r.eni_configs}) > 0 || ${r.eni_configs_managed_elsewhere}`,
  },
  {
    inputs: ["eni_configs", "eni_configs_managed_elsewhere"],
    message: "eni_configs and eni_configs_managed_elsewhere = true both say who makes the ENIConfigs: set only one of them.",
    accepts: (v) => eniConfigCount(v.eni_configs) === 0 || v.eni_configs_managed_elsewhere !== true,
    condition: (r) => `length(${r.eni_configs}) == 0 || !${r.eni_configs_managed_elsewhere}`,
  },
  {
    inputs: ["eni_configs", "custom_networking"],
    message: "eni_configs applies only with custom_networking = true: turn custom networking on, or leave eni_configs empty.",
    accepts: (v) => eniConfigCount(v.eni_configs) === 0 || v.custom_networking === true,
    condition: (r) => `length(${r.eni_configs}) == 0 || ${r.custom_networking}`,
  },
];

/** Rules spanning inputs. For the version rules, `addon_version` is the version installed (pinned or looked up). */
export const VPC_CNI_CROSS_RULES: readonly CrossRule[] = [
  ...ENI_CONFIG_RULES,
  {
    // ipamd (aws/amazon-vpc-cni-k8s pkg/ipamd/ipamd.go) reads 0 as unset for both targets: noWarmIPTarget and
    // noMinimumIPTarget are 0, and datastoreTargetState is off when both are.
    inputs: ["warm_prefix_target", "enable_prefix_delegation", "warm_ip_target", "minimum_ip_target"],
    message:
      "warm_prefix_target = 0 with enable_prefix_delegation = true is not supported by the VPC CNI (pods would wait for every prefix): set warm_prefix_target to 1 or more, or set warm_ip_target or minimum_ip_target to 1 or more (the CNI reads 0 as unset).",
    accepts: (v) =>
      v.enable_prefix_delegation !== true ||
      v.warm_prefix_target !== 0 ||
      (v.warm_ip_target != null && v.warm_ip_target !== 0) ||
      (v.minimum_ip_target != null && v.minimum_ip_target !== 0),
    condition: (r) =>
      `!${r.enable_prefix_delegation} || ${r.warm_prefix_target} != 0 || coalesce(${r.warm_ip_target}, 0) != 0 || coalesce(${r.minimum_ip_target}, 0) != 0`,
  },
  {
    inputs: ["cni_credentials", "service_account_role_arn"],
    message:
      'cni_credentials = "pod_identity" gives aws-node a role of its own: leave service_account_role_arn (IRSA) null, or use cni_credentials = "node_role" with it.',
    accepts: (v) => v.cni_credentials !== "pod_identity" || v.service_account_role_arn == null,
    condition: (r) => `${r.cni_credentials} != "pod_identity" || ${r.service_account_role_arn} == null`,
  },
  {
    inputs: ["addon_version", "enable_prefix_delegation"],
    message: `addon_version {{addon_version}} does not support prefix delegation (needs v${PREFIX_DELEGATION_MIN_VERSION.join(".")}.0 or later): pin a newer addon_version, or set enable_prefix_delegation = false.`,
    accepts: (v) => v.enable_prefix_delegation !== true || typeof v.addon_version !== "string" || supportsPrefixDelegation(v.addon_version),
    condition: (r) => `!${r.enable_prefix_delegation} || ${tfAddonVersionAtLeast(r.addon_version!, PREFIX_DELEGATION_MIN_VERSION)}`,
  },
  {
    inputs: ["addon_version", "cni_credentials"],
    message: `addon_version {{addon_version}} does not take EKS Pod Identity (needs v${POD_IDENTITY_MIN_VERSION.join(".")}-eksbuild.1 or later): pin a newer addon_version, or set cni_credentials = "node_role".`,
    accepts: (v) =>
      v.cni_credentials !== "pod_identity" || typeof v.addon_version !== "string" || addonVersionAtLeast(v.addon_version, POD_IDENTITY_MIN_VERSION),
    condition: (r) => `${r.cni_credentials} != "pod_identity" || ${tfAddonVersionAtLeast(r.addon_version!, POD_IDENTITY_MIN_VERSION)}`,
  },
];
