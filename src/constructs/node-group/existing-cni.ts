/**
 * The optional check of a vpc-cni add-on the node group does not manage
 * (input `existing_vpc_cni_addon`, e.g. `data.aws_eks_addon.vpc_cni` passed
 * whole): it must run the VPC CNI in the mode the group works out max pods
 * for, or the plan stops before a node starts with pods the CNI cannot serve.
 */
import type { Construct } from "constructs";
import { load } from "js-yaml";
import { addLocal, hclString } from "../../terraform/hcl.js";
import { hclList, type CrossRule } from "../../rules/checker.js";
import { ADDON_VERSION_PATTERN, PREFIX_DELEGATION_MIN_VERSION, TYPED_ENV, supportsPrefixDelegation } from "../vpc-cni-rules.js";

/** What the check reads of the add-on: the two attributes `data.aws_eks_addon` has of these names. */
export interface ExistingVpcCniAddon {
  /** The add-on's version, e.g. v1.19.2-eksbuild.1. */
  readonly addonVersion: string;
  /** Its configuration values, JSON or YAML as EKS takes them; "" when it has none. */
  readonly configurationValues: string;
}

/**
 * Values the VPC CNI reads as true: it parses its flags with Go's strconv.ParseBool
 * (amazon-vpc-cni-k8s utils.GetBoolAsStringEnvVar), and anything else, unset included, as false.
 */
const TRUE_VALUES = ["1", "t", "T", "TRUE", "true", "True"];

/** The `env` map of configuration values (EKS takes JSON or YAML), {} when there is none or it cannot be read. */
function envOf(configurationValues: string): Record<string, unknown> {
  try {
    const env = (load(configurationValues) as { env?: unknown } | null)?.env;
    return env && typeof env === "object" ? (env as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Whether the add-on's configuration turns `variable` on, as the CNI reads it. */
export function existingCniFlag(addon: { configuration_values?: unknown }, variable: string): boolean {
  const value = envOf(String(addon.configuration_values ?? ""))[variable];
  return TRUE_VALUES.includes(String(value ?? ""));
}

type Values = Record<string, unknown>;
const existing = (v: Values) => v.existing_vpc_cni_addon as { addon_version?: unknown; configuration_values?: unknown } | null | undefined;
const fixOr = (variable: string, input: string) =>
  `Set "${variable}": "{{${input}}}" in the add-on's configuration values where it is managed (a kubectl set env on aws-node does not count: EKS puts the add-on's values back on its next update), or set ${input} to match.`;

/**
 * Rules on `existing_vpc_cni_addon`; `refs` holds `existing_cni_prefix_delegation`, `existing_cni_custom_networking`
 * and `existing_cni_supports_prefixes` ({@link existingCniRefs}).
 */
export const EXISTING_VPC_CNI_RULES: readonly CrossRule[] = [
  {
    inputs: ["existing_vpc_cni_addon", "enable_prefix_delegation"],
    message: `existing_vpc_cni_addon does not run the VPC CNI with ${TYPED_ENV.enablePrefixDelegation} = {{enable_prefix_delegation}} (unset reads as false), which enable_prefix_delegation = {{enable_prefix_delegation}} works out max pods for. ${fixOr(TYPED_ENV.enablePrefixDelegation, "enable_prefix_delegation")}`,
    accepts: (v) => !existing(v) || existingCniFlag(existing(v)!, TYPED_ENV.enablePrefixDelegation) === v.enable_prefix_delegation,
    condition: (r) => `${r.existing_vpc_cni_addon} == null || ${r.existing_cni_prefix_delegation} == ${r.enable_prefix_delegation}`,
  },
  {
    inputs: ["existing_vpc_cni_addon", "custom_networking"],
    message: `existing_vpc_cni_addon does not run the VPC CNI with ${TYPED_ENV.customNetworking} = {{custom_networking}} (unset reads as false), which custom_networking = {{custom_networking}} works out max pods for. ${fixOr(TYPED_ENV.customNetworking, "custom_networking")}`,
    accepts: (v) => !existing(v) || existingCniFlag(existing(v)!, TYPED_ENV.customNetworking) === v.custom_networking,
    condition: (r) => `${r.existing_vpc_cni_addon} == null || ${r.existing_cni_custom_networking} == ${r.custom_networking}`,
  },
  {
    inputs: ["existing_vpc_cni_addon", "enable_prefix_delegation"],
    message: `existing_vpc_cni_addon runs a VPC CNI older than v${PREFIX_DELEGATION_MIN_VERSION.join(".")}.0, which has no prefix delegation: update the add-on where it is managed, or set enable_prefix_delegation = false.`,
    accepts: (v) => !existing(v) || v.enable_prefix_delegation !== true || supportsPrefixDelegation(String(existing(v)!.addon_version ?? "")),
    condition: (r) => `${r.existing_vpc_cni_addon} == null || !${r.enable_prefix_delegation} || ${r.existing_cni_supports_prefixes}`,
  },
];

/** The locals the rules read: the add-on's env, the two flags as the CNI reads them, and whether its version has prefixes. */
export function existingCniRefs(scope: Construct, existingAddon: string): Record<string, string> {
  // try(): null (no existing add-on), "" (no configuration) and values without env all read as {}.
  const env = addLocal(scope, "existing_cni_env", `try(yamldecode(${existingAddon}.configuration_values).env, {})`);
  // [major, minor, patch]; [0, 0, 0] for a null add-on or a version in another shape.
  const version = addLocal(
    scope,
    "existing_cni_version",
    `try([for part in regex(${hclString(ADDON_VERSION_PATTERN)}, ${existingAddon}.addon_version) : tonumber(part)], [0, 0, 0])`,
  );
  const [major, minor] = PREFIX_DELEGATION_MIN_VERSION;
  const flag = (variable: string) => `contains(${hclList(TRUE_VALUES)}, try(tostring(${env}[${hclString(variable)}]), ""))`;
  return {
    existing_cni_prefix_delegation: addLocal(scope, "existing_cni_prefix_delegation", flag(TYPED_ENV.enablePrefixDelegation)),
    existing_cni_custom_networking: addLocal(scope, "existing_cni_custom_networking", flag(TYPED_ENV.customNetworking)),
    existing_cni_supports_prefixes: addLocal(scope, "existing_cni_supports_prefixes", `${version}[0] > ${major} || (${version}[0] == ${major} && ${version}[1] >= ${minor})`),
  };
}
