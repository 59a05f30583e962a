/**
 * What the vpc-cni add-on refuses, and why (see docs/bad-input.md). Same
 * shape as the node-group rules: TypeScript for resolved values, Terraform
 * for variables.
 */
import { KUBERNETES_VERSIONS } from "./ami.js";
import { hclString } from "./hcl.js";
import { CLUSTER_NAME_PATTERN } from "./node-group-rules.js";
import { isWholeNumberIn, nullOr, tfWholeNumberIn, type CrossRule, type InputRule } from "./rules.js";

/** The first VPC CNI release with prefix delegation. */
export const PREFIX_DELEGATION_MIN_VERSION = [1, 9] as const;

/** EKS add-on versions: v1.19.2-eksbuild.1. */
export const ADDON_VERSION_PATTERN = "^v([0-9]+)\\.([0-9]+)\\.([0-9]+)-eksbuild\\.[0-9]+$";
export const ENV_NAME_PATTERN = "^[A-Z][A-Z0-9_]*$";
export const ROLE_ARN_PATTERN = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$";
/** Largest warm/minimum target the module accepts (IPs or prefixes per node). */
export const MAX_TARGET = 1000;

const matches = (pattern: string) => (value: unknown) => typeof value === "string" && new RegExp(pattern).test(value);

/** Major and minor of an add-on version, e.g. [1, 19]. */
export function addonMinorVersion(version: string): [number, number] | undefined {
  const match = new RegExp(ADDON_VERSION_PATTERN).exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** True when the add-on version supports prefix delegation (v1.9.0 or later). */
export function supportsPrefixDelegation(version: string): boolean {
  const [major, minor] = addonMinorVersion(version) ?? [0, 0];
  const [minMajor, minMinor] = PREFIX_DELEGATION_MIN_VERSION;
  return major > minMajor || (major === minMajor && minor >= minMinor);
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
    condition: (ref) => `can(regex(${hclString(CLUSTER_NAME_PATTERN)}, ${ref}))`,
  },
  {
    input: "kubernetes_version",
    message: `kubernetes_version must be null (read it from the cluster) or one of ${KUBERNETES_VERSIONS.join(", ")}.`,
    accepts: (value) => value === null || (typeof value === "string" && (KUBERNETES_VERSIONS as readonly string[]).includes(value)),
    condition: (ref) => nullOr(ref, `contains([${KUBERNETES_VERSIONS.map(hclString).join(", ")}], ${ref})`),
  },
  {
    input: "addon_version",
    message: "addon_version must be null (most recent for the Kubernetes version) or an EKS add-on version such as v1.19.2-eksbuild.1.",
    accepts: (value) => value === null || matches(ADDON_VERSION_PATTERN)(value),
    condition: (ref) => nullOr(ref, `can(regex(${hclString(ADDON_VERSION_PATTERN)}, ${ref}))`),
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
    message: "extra_env keys must be environment variable names in upper case (e.g. AWS_VPC_K8S_CNI_LOGLEVEL).",
    accepts: (value) => typeof value === "object" && value !== null && Object.keys(value).every(matches(ENV_NAME_PATTERN)),
    condition: (ref) => `alltrue([for name in keys(${ref}) : can(regex(${hclString(ENV_NAME_PATTERN)}, name))])`,
  },
  {
    input: "service_account_role_arn",
    message: "service_account_role_arn must be null (use the node role) or an IAM role ARN.",
    accepts: (value) => value === null || matches(ROLE_ARN_PATTERN)(value),
    condition: (ref) => nullOr(ref, `can(regex(${hclString(ROLE_ARN_PATTERN)}, ${ref}))`),
  },
  {
    input: "resolve_conflicts_on_create",
    message: "resolve_conflicts_on_create must be NONE or OVERWRITE.",
    accepts: (value) => value === "NONE" || value === "OVERWRITE",
    condition: (ref) => `contains(["NONE", "OVERWRITE"], ${ref})`,
  },
  {
    input: "resolve_conflicts_on_update",
    message: "resolve_conflicts_on_update must be NONE, OVERWRITE or PRESERVE.",
    accepts: (value) => value === "NONE" || value === "OVERWRITE" || value === "PRESERVE",
    condition: (ref) => `contains(["NONE", "OVERWRITE", "PRESERVE"], ${ref})`,
  },
];

/** Rules spanning inputs. For the version rule, `addon_version` is the version installed (pinned or most recent). */
export const VPC_CNI_CROSS_RULES: readonly CrossRule[] = [
  {
    inputs: ["warm_prefix_target", "enable_prefix_delegation", "warm_ip_target", "minimum_ip_target"],
    message:
      "warm_prefix_target = 0 with enable_prefix_delegation = true is not supported by the VPC CNI (pods would wait for every prefix): set warm_prefix_target to 1 or more, or set warm_ip_target or minimum_ip_target.",
    accepts: (v) =>
      v.enable_prefix_delegation !== true || v.warm_prefix_target !== 0 || v.warm_ip_target != null || v.minimum_ip_target != null,
    condition: (r) =>
      `!${r.enable_prefix_delegation} || ${r.warm_prefix_target} != 0 || ${r.warm_ip_target} != null || ${r.minimum_ip_target} != null`,
  },
  {
    inputs: ["addon_version", "enable_prefix_delegation"],
    message: `addon_version {{addon_version}} does not support prefix delegation (needs v${PREFIX_DELEGATION_MIN_VERSION.join(".")}.0 or later): pin a newer addon_version, or set enable_prefix_delegation = false.`,
    accepts: (v) => v.enable_prefix_delegation !== true || typeof v.addon_version !== "string" || supportsPrefixDelegation(v.addon_version),
    condition: (r) => {
      const parts = `regex(${hclString(ADDON_VERSION_PATTERN)}, ${r.addon_version})`;
      const [major, minor] = PREFIX_DELEGATION_MIN_VERSION;
      return `!${r.enable_prefix_delegation} || try(tonumber(${parts}[0]) > ${major} || (tonumber(${parts}[0]) == ${major} && tonumber(${parts}[1]) >= ${minor}), false)`;
    },
  },
];
