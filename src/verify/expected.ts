/**
 * What the configuration promises the running cluster: the node group's and
 * the vpc-cni add-on's settings (from an environment file or the command
 * line), and what follows from them for a node of a given instance type —
 * by the same rules the node group renders into its user data.
 */
import { AMI_TYPES, isAmiType, type AmiFamily } from "../rules/ami.js";
import type { AddonOwnership, Environment } from "../app/config.js";
import { effectiveKubeReserved, type KubeReserved } from "../rules/kube-reserved.js";
import { effectiveMaxPods, podSlots, supportsPrefixes, type InstanceNetworkLimits } from "../rules/max-pods.js";
import { ENI_CONFIG_LABEL } from "../constructs/vpc-cni-addon.js";
import { TYPED_ENV } from "../constructs/vpc-cni-rules.js";
import { interfacesAtPrefixes, prefixesAtMaxPods } from "./subnet-blocks.js";

/** The settings `verify` checks the cluster against. */
export interface VerifyTarget {
  /** Where the settings came from, for the report: `environment article`, `command-line settings`. */
  readonly source: string;
  readonly clusterName: string;
  readonly region: string;
  /** The node group's name; its resources (and its nodes' Name tag) are `<cluster>-<name>`. */
  readonly nodeGroupName: string;
  readonly instanceType: string;
  readonly amiType: string;
  readonly maxPods: number | null;
  readonly kubeletExtraArgs: string;
  readonly prefixDelegation: boolean;
  readonly customNetworking: boolean;
  readonly warmPrefixTarget: number;
  readonly warmIpTarget: number | null;
  readonly minimumIpTarget: number | null;
  /** Further VPC CNI variables the add-on sets. */
  readonly extraEnv: Readonly<Record<string, string>>;
  readonly kubeReservedFollowsMaxPods: boolean;
  readonly kubeReserved: KubeReserved | null;
  readonly subnetIds: readonly string[];
  readonly maxSize: number;
  /**
   * Who configures the vpc-cni add-on: with `external` its owner sets everything but the mode the nodes are
   * built for, so only that is checked (prefix delegation, custom networking and its ENIConfig label).
   * @default "create"
   */
  readonly vpcCniAddon?: AddonOwnership;
}

/** The settings an environment file gives. */
export function targetFromEnvironment(environment: Environment): VerifyTarget {
  return {
    source: `environment ${environment.name}`,
    clusterName: environment.cluster_name,
    region: environment.region,
    nodeGroupName: environment.node_group_name,
    instanceType: environment.instance_type,
    amiType: environment.ami_type,
    maxPods: environment.max_pods,
    kubeletExtraArgs: environment.kubelet_extra_args,
    prefixDelegation: environment.enable_prefix_delegation,
    customNetworking: environment.custom_networking,
    warmPrefixTarget: environment.warm_prefix_target,
    warmIpTarget: environment.warm_ip_target,
    minimumIpTarget: environment.minimum_ip_target,
    extraEnv: environment.vpc_cni_extra_env,
    kubeReservedFollowsMaxPods: environment.kube_reserved_follows_max_pods,
    kubeReserved: environment.kube_reserved,
    subnetIds: environment.subnet_ids,
    maxSize: environment.max_size,
    vpcCniAddon: environment.vpc_cni_addon,
  };
}

/** `<cluster>-<node group>`: the group's resource names and its instances' Name tag (the node group's `name` local). */
export function nodeGroupResourceName(target: VerifyTarget): string {
  return `${target.clusterName}-${target.nodeGroupName}`;
}

/** The AMI family of the target's AMI type (environment files and options accept only the types this project knows). */
export function amiFamily(target: VerifyTarget): AmiFamily {
  return isAmiType(target.amiType) ? AMI_TYPES[target.amiType].family : "AL2023";
}

/** One aws-node variable as the add-on sets it. */
export interface ExpectedVariable {
  readonly name: string;
  /** The value the add-on sends; null when it leaves the variable out. */
  readonly value: string | null;
  /** A flag the CNI reads as a boolean, where unset means false. */
  readonly boolean?: boolean;
}

/**
 * The aws-node variables of the add-on's configuration values, as
 * src/constructs/vpc-cni-addon.ts builds them: the typed ones, ENI_CONFIG_LABEL_DEF
 * with custom networking, then the extra ones. Targets left null are expected
 * unset: set, WARM_IP_TARGET and MINIMUM_IP_TARGET override WARM_PREFIX_TARGET.
 */
export function expectedCniVariables(target: VerifyTarget): ExpectedVariable[] {
  const typed: ExpectedVariable[] = [
    { name: TYPED_ENV.enablePrefixDelegation, value: String(target.prefixDelegation), boolean: true },
    { name: TYPED_ENV.warmPrefixTarget, value: target.prefixDelegation ? String(target.warmPrefixTarget) : null },
    { name: TYPED_ENV.warmIpTarget, value: target.warmIpTarget === null ? null : String(target.warmIpTarget) },
    { name: TYPED_ENV.minimumIpTarget, value: target.minimumIpTarget === null ? null : String(target.minimumIpTarget) },
    { name: TYPED_ENV.customNetworking, value: target.customNetworking ? "true" : null, boolean: true },
  ];
  const label: Record<string, string> = target.customNetworking ? { ENI_CONFIG_LABEL_DEF: ENI_CONFIG_LABEL } : {};
  if (target.vpcCniAddon === "external") {
    return [...typed.filter((variable) => variable.boolean), ...Object.entries(label).map(([name, value]) => ({ name, value }))];
  }
  const extra: Record<string, string> = { ...label, ...target.extraEnv };
  return [...typed, ...Object.entries(extra).map(([name, value]) => ({ name, value }))];
}

/** The warm pool settings as ipamd reads them: a WARM_IP_TARGET or MINIMUM_IP_TARGET of 0 is unset (pkg/ipamd/ipamd.go). */
function warmTargets(target: VerifyTarget) {
  return { warmPrefixTarget: target.warmPrefixTarget, warmIpTarget: target.warmIpTarget || null, minimumIpTarget: target.minimumIpTarget || null };
}

/** What a node of the group should run with, for its instance type. */
export interface NodeExpectation {
  readonly maxPods: number;
  readonly kubeReserved: KubeReserved;
  /** Whether the node addresses pods with /28 prefixes (prefix delegation on a Nitro or bare-metal instance). */
  readonly prefixes: boolean;
  /** /28 prefixes the node holds at max pods (0 without prefixes). */
  readonly prefixesAtMaxPods: number;
  /**
   * Interfaces the node has at max pods in the subnet its pods take prefixes from (0 without prefixes): each has a
   * primary address outside the prefixes, which takes a /28 block of its own at worst.
   */
  readonly interfacesAtMaxPods: number;
}

/**
 * Max pods and kube-reserved for a node of the group with these limits: the
 * node group's rules (explicit → `--max-pods=N` in kubelet args → automatic,
 * capped by memory; kube-reserved for that max pods, with the explicit keys
 * over it).
 */
export function nodeExpectation(target: VerifyTarget, limits: InstanceNetworkLimits): NodeExpectation {
  const maxPods = effectiveMaxPods({
    maxPods: target.maxPods,
    kubeletExtraArgs: target.kubeletExtraArgs,
    prefixDelegation: target.prefixDelegation,
    customNetworking: target.customNetworking,
    limits,
  });
  const kubeReserved = effectiveKubeReserved({
    family: amiFamily(target),
    maxPods,
    limits,
    followsMaxPods: target.kubeReservedFollowsMaxPods,
    override: target.kubeReserved,
  });
  const prefixes = target.prefixDelegation && supportsPrefixes(limits.hypervisor);
  const held = prefixes ? prefixesAtMaxPods(maxPods, warmTargets(target), podSlots(limits, target.customNetworking)) : 0;
  return {
    maxPods,
    kubeReserved,
    prefixes,
    prefixesAtMaxPods: held,
    interfacesAtMaxPods: prefixes ? interfacesAtPrefixes(held, limits.ipv4PerEni, target.customNetworking) : 0,
  };
}
