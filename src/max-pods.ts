/**
 * The max-pods rule, written twice: as a pure TypeScript function (for unit
 * tests, synth-time checks and the `max-pods` command) and as Terraform
 * expressions (evaluated at plan time from `aws_ec2_instance_type` data).
 * Both follow AWS's max-pods calculator:
 *
 *   without prefixes: enis × (ipv4_per_eni − 1) + 2
 *   with prefixes:    enis × ((ipv4_per_eni − 1) × 16) + 2   (Nitro only)
 *   then capped at 110 for ≤ 30 vCPUs, 250 above.
 *
 * `enis` counts the interfaces of the instance's default network card.
 */
import { hclString } from "./hcl.js";

/** Addresses in one /28 prefix. */
export const ADDRESSES_PER_PREFIX = 16;
/** Recommended cap for instances with at most {@link SMALL_INSTANCE_MAX_VCPUS} vCPUs. */
export const MAX_PODS_CAP_SMALL = 110;
/** Recommended cap for larger instances (and the largest value the module accepts). */
export const MAX_PODS_CAP_LARGE = 250;
/** vCPU count up to which {@link MAX_PODS_CAP_SMALL} applies. */
export const SMALL_INSTANCE_MAX_VCPUS = 30;

/** What the rule needs to know about an instance type (EC2 DescribeInstanceTypes). */
export interface InstanceNetworkLimits {
  /** Network interfaces of the default network card. */
  readonly enis: number;
  /** IPv4 addresses per network interface. */
  readonly ipv4PerEni: number;
  /** Default vCPUs. */
  readonly vcpus: number;
  /** Hypervisor: `nitro`, `xen`, or empty for bare metal. */
  readonly hypervisor: string;
}

export interface MaxPodsResult {
  /** The recommended max pods: `min(addressable, cap)`. */
  readonly maxPods: number;
  /** Pods the node can give an IP address (the uncapped formula). */
  readonly addressable: number;
  /** The cap that applies to the instance (110 or 250). */
  readonly cap: number;
  /** Whether the prefix formula was used (prefixes requested and the instance is Nitro). */
  readonly prefixDelegation: boolean;
}

/** True when the instance can use /28 prefixes (VPC CNI prefix mode needs Nitro). */
export function supportsPrefixes(hypervisor: string): boolean {
  return hypervisor === "nitro";
}

/** Pods the node can address: the calculator's formula before the cap. */
export function addressablePods(limits: InstanceNetworkLimits, prefixDelegation: boolean): number {
  const slots = limits.ipv4PerEni - 1;
  const perEni = prefixDelegation && supportsPrefixes(limits.hypervisor) ? slots * ADDRESSES_PER_PREFIX : slots;
  return limits.enis * perEni + 2;
}

/** The recommended cap for an instance with `vcpus` vCPUs. */
export function maxPodsCap(vcpus: number): number {
  return vcpus <= SMALL_INSTANCE_MAX_VCPUS ? MAX_PODS_CAP_SMALL : MAX_PODS_CAP_LARGE;
}

/** Automatic max pods for an instance type, with the numbers behind it. */
export function automaticMaxPods(limits: InstanceNetworkLimits, prefixDelegation: boolean): MaxPodsResult {
  const addressable = addressablePods(limits, prefixDelegation);
  const cap = maxPodsCap(limits.vcpus);
  return {
    maxPods: Math.min(addressable, cap),
    addressable,
    cap,
    prefixDelegation: prefixDelegation && supportsPrefixes(limits.hypervisor),
  };
}

/**
 * The one way to write max pods inside kubelet_extra_args: `--max-pods=N`
 * as its own flag. Written for both JavaScript and RE2 (Terraform).
 */
export const KUBELET_MAX_PODS_FLAG_PATTERN = "(?:^|\\s)--max-pods=([0-9]+)(?:\\s|$)";

/** The `--max-pods=N` value in kubelet_extra_args, if any. */
export function maxPodsFromKubeletArgs(kubeletExtraArgs: string): number | undefined {
  const match = new RegExp(KUBELET_MAX_PODS_FLAG_PATTERN).exec(kubeletExtraArgs);
  return match ? Number(match[1]) : undefined;
}

export interface EffectiveMaxPodsInputs {
  /** Explicit max pods (wins). */
  readonly maxPods?: number | null;
  /** kubelet flags; a `--max-pods=N` here comes second. */
  readonly kubeletExtraArgs?: string;
  /** Whether the VPC CNI runs in prefix mode. */
  readonly prefixDelegation: boolean;
  /** The instance type's limits, for the automatic value. */
  readonly limits: InstanceNetworkLimits;
}

/** Effective max pods: explicit → `--max-pods=N` in kubelet args → automatic. */
export function effectiveMaxPods(inputs: EffectiveMaxPodsInputs): number {
  return (
    inputs.maxPods ??
    maxPodsFromKubeletArgs(inputs.kubeletExtraArgs ?? "") ??
    automaticMaxPods(inputs.limits, inputs.prefixDelegation).maxPods
  );
}

/**
 * The same rule as Terraform expressions. Each function takes expression
 * text (e.g. `data.aws_ec2_instance_type.this`, `var.max_pods`, `local.x`)
 * and returns expression text.
 */
export const maxPodsExpressions = {
  /** Interfaces of the default network card; instance-wide count when EC2 lists no cards. */
  enis: (instanceType: string) =>
    `coalesce(one([for card in ${instanceType}.network_cards : card.maximum_interfaces if card.index == ${instanceType}.default_network_card_index]), ${instanceType}.maximum_network_interfaces)`,

  /** Whether the prefix formula applies. */
  prefixDelegation: (enablePrefixDelegation: string, instanceType: string) =>
    `${enablePrefixDelegation} && ${instanceType}.hypervisor == "nitro"`,

  /** The uncapped formula. */
  addressable: (enis: string, instanceType: string, prefixDelegation: string) =>
    `${enis} * ((${instanceType}.maximum_ipv4_addresses_per_interface - 1) * (${prefixDelegation} ? ${ADDRESSES_PER_PREFIX} : 1)) + 2`,

  /** 110 up to 30 vCPUs, 250 above. */
  cap: (instanceType: string) =>
    `${instanceType}.default_vcpus <= ${SMALL_INSTANCE_MAX_VCPUS} ? ${MAX_PODS_CAP_SMALL} : ${MAX_PODS_CAP_LARGE}`,

  /** `--max-pods=N` from kubelet args, or null. */
  fromKubeletArgs: (kubeletExtraArgs: string) =>
    `try(tonumber(regex(${hclString(KUBELET_MAX_PODS_FLAG_PATTERN)}, ${kubeletExtraArgs})[0]), null)`,

  /** Explicit → kubelet flag → min(addressable, cap). */
  effective: (maxPods: string, fromKubeletArgs: string, addressable: string, cap: string) =>
    `coalesce(${maxPods}, ${fromKubeletArgs}, min(${addressable}, ${cap}))`,
};
