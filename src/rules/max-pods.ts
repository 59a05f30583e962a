/**
 * The max-pods rule, written twice: as a pure TypeScript function (for unit
 * tests, synth-time checks and the `max-pods` command) and as Terraform
 * expressions (evaluated at plan time from `aws_ec2_instance_type` data).
 * Both follow AWS's max-pods calculator (amazon-eks-ami
 * max-pods-calculator.sh):
 *
 *   without prefixes: enis × (ipv4_per_eni − 1) + 2
 *   with prefixes:    enis × ((ipv4_per_eni − 1) × 16) + 2   (Nitro or bare metal)
 *   custom networking: enis − 1 (pods do not use the primary interface)
 *   then capped at 110 for ≤ 30 vCPUs, 250 above,
 *
 * and, for the automatic value, by the memory the node has for it (see
 * {@link memoryCapPods}). `enis` counts the interfaces of the instance's
 * default network card.
 */
import { hclString } from "../terraform/hcl.js";
import { MEMORY_MIB_BASE, MEMORY_MIB_PER_POD, reservedMemoryMiB } from "./kube-reserved.js";

/** Addresses in one /28 prefix. */
export const ADDRESSES_PER_PREFIX = 16;
/** Recommended cap for instances with at most {@link SMALL_INSTANCE_MAX_VCPUS} vCPUs. */
export const MAX_PODS_CAP_SMALL = 110;
/** Recommended cap for larger instances (and the largest value the module accepts). */
export const MAX_PODS_CAP_LARGE = 250;
/** vCPU count up to which {@link MAX_PODS_CAP_SMALL} applies. */
export const SMALL_INSTANCE_MAX_VCPUS = 30;

/**
 * Share of EC2's memory the kubelet does not see (hypervisor, kernel):
 * Karpenter's VM_MEMORY_OVERHEAD_PERCENT default (karpenter-provider-aws
 * pkg/operator/options/options.go), tuned against real nodes.
 */
export const VM_MEMORY_OVERHEAD = 0.075;
/** Graviton instances keep 64 MiB of CMA memory the node cannot use (karpenter-provider-aws instancetype/types.go). */
export const GRAVITON_CMA_MIB = 64;
/** The kubelet's hard eviction threshold on the EKS AMIs: memory.available 100Mi (bootstrap.sh, nodeadm kubelet config.go). */
export const EVICTION_HARD_MIB = 100;
/** Memory left over for the node's own DaemonSet pods (aws-node, kube-proxy) above the eviction threshold. */
export const POD_HEADROOM_MIB = 64;

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
  /** Memory in MiB (EC2's MemoryInfo.SizeInMiB). */
  readonly memoryMiB: number;
  /** `arm64` for Graviton; default `x86_64`. */
  readonly architecture?: string;
}

/** How the VPC CNI hands out addresses on the node. */
export interface PodNetworking {
  /** ENABLE_PREFIX_DELEGATION: /28 prefixes per interface slot. */
  readonly prefixDelegation: boolean;
  /** AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: pods skip the primary interface. */
  readonly customNetworking?: boolean;
}

export interface MaxPodsResult {
  /** The automatic max pods: `min(addressable, cap, memoryCap)`, 0 when not even one pod fits in memory. */
  readonly maxPods: number;
  /** Pods the node can give an IP address (the uncapped formula). */
  readonly addressable: number;
  /** The cap that applies to the instance (110 or 250). */
  readonly cap: number;
  /** The most pods whose kube-reserved memory fits on the instance. */
  readonly memoryCap: number;
  /** Whether the prefix formula was used (prefixes requested and the instance is Nitro or bare metal). */
  readonly prefixDelegation: boolean;
}

/**
 * True when the VPC CNI uses /28 prefixes on the instance: Nitro or bare
 * metal (amazon-vpc-cni-k8s awsutils.go); elsewhere it falls back to
 * secondary IPs with a warning (ipamd.go).
 */
export function supportsPrefixes(hypervisor: string): boolean {
  return hypervisor === "nitro" || hypervisor === "";
}

/**
 * Secondary address slots that carry pods (each an address, or with prefix delegation a /28 prefix): every
 * interface's but its primary address, less the primary interface with custom networking.
 */
export function podSlots(limits: Pick<InstanceNetworkLimits, "enis" | "ipv4PerEni">, customNetworking = false): number {
  return (limits.enis - (customNetworking ? 1 : 0)) * (limits.ipv4PerEni - 1);
}

/** Pods the node can address: the calculator's formula before the cap. */
export function addressablePods(limits: InstanceNetworkLimits, networking: PodNetworking): number {
  const perSlot = networking.prefixDelegation && supportsPrefixes(limits.hypervisor) ? ADDRESSES_PER_PREFIX : 1;
  return podSlots(limits, networking.customNetworking) * perSlot + 2;
}

/** The recommended cap for an instance with `vcpus` vCPUs. */
export function maxPodsCap(vcpus: number): number {
  return vcpus <= SMALL_INSTANCE_MAX_VCPUS ? MAX_PODS_CAP_SMALL : MAX_PODS_CAP_LARGE;
}

/** Memory the kubelet sees as the node's capacity, in MiB. */
export function kubeletMemoryMiB(memoryMiB: number, architecture = "x86_64"): number {
  const usable = memoryMiB - (architecture === "arm64" ? GRAVITON_CMA_MIB : 0);
  return usable - Math.ceil(usable * VM_MEMORY_OVERHEAD);
}

/** Memory a node with `maxPods` pods needs besides its pods: kube-reserved, the eviction threshold, the headroom. */
export function memoryNeededMiB(maxPods: number): number {
  return reservedMemoryMiB(maxPods) + EVICTION_HARD_MIB + POD_HEADROOM_MIB;
}

/**
 * Memory the kubelet itself checks for `maxPods` pods: kube-reserved and the hard eviction threshold. The kubelet
 * refuses to start when they exceed its capacity (kubernetes pkg/kubelet/cm container_manager_linux.go,
 * validateNodeAllocatable: "Expected capacity >= reservation"); no headroom is asked for here.
 */
export function kubeletReservationMiB(maxPods: number): number {
  return reservedMemoryMiB(maxPods) + EVICTION_HARD_MIB;
}

/**
 * The most pods an explicit max pods may ask for on a node of this memory: those whose kube-reserved and eviction
 * threshold the kubelet accepts (see {@link kubeletReservationMiB}). AWS's own table (amazon-eks-ami
 * eni-max-pods.txt) lists 4 for t4g.nano and the other nano types, which this admits; the automatic value keeps
 * the headroom of {@link memoryCapPods}. Like it, unbounded (250) without a memory figure.
 */
export function kubeletMaxPods(limits: Pick<InstanceNetworkLimits, "memoryMiB" | "architecture">): number {
  if (!(limits.memoryMiB > 0)) return MAX_PODS_CAP_LARGE;
  return Math.floor((kubeletMemoryMiB(limits.memoryMiB, limits.architecture) - kubeletReservationMiB(0)) / MEMORY_MIB_PER_POD);
}

/**
 * The most pods a node of this memory can be sized for: kube-reserved
 * (11 MiB × pods + 255 MiB) plus the 100Mi hard eviction threshold plus
 * {@link POD_HEADROOM_MIB} must fit in the memory the kubelet sees, or the
 * kubelet refuses to start ("capacity < reservation") or evicts at once.
 * Negative when not even the base reservation fits. EC2 always reports
 * memory; without a figure (0, as mocked instance data without
 * `memory_size` gives) memory caps nothing, rather than refusing every value.
 */
export function memoryCapPods(limits: Pick<InstanceNetworkLimits, "memoryMiB" | "architecture">): number {
  if (!(limits.memoryMiB > 0)) return MAX_PODS_CAP_LARGE;
  const free = kubeletMemoryMiB(limits.memoryMiB, limits.architecture) - memoryNeededMiB(0);
  return Math.floor(free / MEMORY_MIB_PER_POD);
}

/** Automatic max pods for an instance type, with the numbers behind it. */
export function automaticMaxPods(limits: InstanceNetworkLimits, networking: PodNetworking): MaxPodsResult {
  const addressable = addressablePods(limits, networking);
  const cap = maxPodsCap(limits.vcpus);
  const memoryCap = memoryCapPods(limits);
  return {
    maxPods: Math.max(0, Math.min(addressable, cap, memoryCap)),
    addressable,
    cap,
    memoryCap,
    prefixDelegation: networking.prefixDelegation && supportsPrefixes(limits.hypervisor),
  };
}

/**
 * Kubelet flag names as kubelet reads them: pflag with WordSepNormalizeFunc
 * treats `_` like `-` (k8s.io/component-base cli/flag/flags.go).
 */
export const flagNamePattern = (name: string) => name.replace(/-/g, "[-_]");

/** A `--max-pods` flag in any spelling kubelet accepts (`--max_pods`), followed by `=`, a space or the end. */
export const KUBELET_MAX_PODS_FLAG_NAME_PATTERN = `(?:^|\\s)--${flagNamePattern("max-pods")}(?:=|\\s|$)`;

/**
 * The one way to write max pods inside kubelet_extra_args: `--max-pods=N`
 * as its own flag, N without leading zeros (pflag parses ints with base 0:
 * `0110` would be octal 72). Written for both JavaScript and RE2 (Terraform).
 */
export const KUBELET_MAX_PODS_FLAG_PATTERN = `(?:^|\\s)--${flagNamePattern("max-pods")}=([1-9][0-9]*)(?:\\s|$)`;

/** How many times kubelet_extra_args sets max pods, in any spelling. */
export function maxPodsFlagCount(kubeletExtraArgs: string): number {
  return kubeletExtraArgs.match(new RegExp(KUBELET_MAX_PODS_FLAG_NAME_PATTERN, "g"))?.length ?? 0;
}

/** The `--max-pods=N` value in kubelet_extra_args, if any. */
export function maxPodsFromKubeletArgs(kubeletExtraArgs: string): number | undefined {
  const match = new RegExp(KUBELET_MAX_PODS_FLAG_PATTERN).exec(kubeletExtraArgs);
  return match ? Number(match[1]) : undefined;
}

export interface EffectiveMaxPodsInputs extends PodNetworking {
  /** Explicit max pods (wins). */
  readonly maxPods?: number | null;
  /** kubelet flags; a `--max-pods=N` here comes second. */
  readonly kubeletExtraArgs?: string;
  /** The instance type's limits, for the automatic value. */
  readonly limits: InstanceNetworkLimits;
}

/** Effective max pods: explicit → `--max-pods=N` in kubelet args → automatic. */
export function effectiveMaxPods(inputs: EffectiveMaxPodsInputs): number {
  return inputs.maxPods ?? maxPodsFromKubeletArgs(inputs.kubeletExtraArgs ?? "") ?? automaticMaxPods(inputs.limits, inputs).maxPods;
}

/**
 * The same rule as Terraform expressions. Each function takes expression
 * text (e.g. `data.aws_ec2_instance_type.this`, `var.max_pods`, `local.x`)
 * and returns expression text.
 */
export const maxPodsExpressions = {
  /** Interfaces of the default network card (null when EC2 lists no cards). */
  defaultCardEnis: (instanceType: string) =>
    `one([for card in ${instanceType}.network_cards : card.maximum_interfaces if card.index == ${instanceType}.default_network_card_index])`,

  /** Interfaces of the default network card ({@link defaultCardEnis}); the instance-wide count when EC2 lists no cards. */
  enis: (defaultCardEnis: string, instanceType: string) => `coalesce(${defaultCardEnis}, ${instanceType}.maximum_network_interfaces)`,

  /** Interfaces that carry pod addresses: all but the primary one with custom networking. */
  podEnis: (enis: string, customNetworking: string) => `${enis} - (${customNetworking} ? 1 : 0)`,

  /** Whether the prefix formula applies. */
  prefixDelegation: (enablePrefixDelegation: string, instanceType: string) =>
    `${enablePrefixDelegation} && (${instanceType}.hypervisor == "nitro" || ${instanceType}.bare_metal)`,

  /** The uncapped formula. */
  addressable: (podEnis: string, instanceType: string, prefixDelegation: string) =>
    `(${podEnis}) * ((${instanceType}.maximum_ipv4_addresses_per_interface - 1) * (${prefixDelegation} ? ${ADDRESSES_PER_PREFIX} : 1)) + 2`,

  /** 110 up to 30 vCPUs, 250 above. */
  cap: (instanceType: string) =>
    `${instanceType}.default_vcpus <= ${SMALL_INSTANCE_MAX_VCPUS} ? ${MAX_PODS_CAP_SMALL} : ${MAX_PODS_CAP_LARGE}`,

  /** EC2's memory less what Graviton keeps for itself, in MiB (see {@link kubeletMemoryMiB}). */
  usableMemory: (instanceType: string) =>
    `${instanceType}.memory_size - (contains(${instanceType}.supported_architectures, "arm64") ? ${GRAVITON_CMA_MIB} : 0)`,

  /** Memory the kubelet sees, in MiB, of the {@link usableMemory} (see {@link kubeletMemoryMiB}). */
  kubeletMemory: (usableMemory: string) => `${usableMemory} - ceil(${usableMemory} * ${VM_MEMORY_OVERHEAD})`,

  /**
   * Memory the kubelet checks for `maxPods` pods (see {@link kubeletReservationMiB}), where kube-reserved holds
   * `reservedMemory` MiB when that is more than the computed reservation.
   */
  memoryNeeded: (maxPods: string, reservedMemory: string) =>
    `max(${MEMORY_MIB_PER_POD} * ${maxPods} + ${MEMORY_MIB_BASE}, ${reservedMemory}) + ${EVICTION_HARD_MIB}`,

  /** The most pods an explicit max pods may ask for (see {@link kubeletMaxPods}). */
  kubeletCap: (kubeletMemory: string, memoryKnown: string) =>
    `${memoryKnown} ? floor((${kubeletMemory} - ${kubeletReservationMiB(0)}) / ${MEMORY_MIB_PER_POD}) : ${MAX_PODS_CAP_LARGE}`,

  /** Whether EC2 gave the instance's memory (see {@link memoryCapPods}). */
  memoryKnown: (instanceType: string) => `coalesce(${instanceType}.memory_size, 0) > 0`,

  /** The most pods whose reservation fits (see {@link memoryCapPods}). */
  memoryCap: (kubeletMemory: string, memoryKnown: string) =>
    `${memoryKnown} ? floor((${kubeletMemory} - ${memoryNeededMiB(0)}) / ${MEMORY_MIB_PER_POD}) : ${MAX_PODS_CAP_LARGE}`,

  /** `--max-pods=N` from kubelet args, or null. */
  fromKubeletArgs: (kubeletExtraArgs: string) =>
    `try(tonumber(regex(${hclString(KUBELET_MAX_PODS_FLAG_PATTERN)}, ${kubeletExtraArgs})[0]), null)`,

  /** How many times kubelet args set max pods. */
  flagCount: (kubeletExtraArgs: string) => `length(regexall(${hclString(KUBELET_MAX_PODS_FLAG_NAME_PATTERN)}, ${kubeletExtraArgs}))`,

  /** Explicit → kubelet flag → min(addressable, cap, memory cap). */
  effective: (maxPods: string, fromKubeletArgs: string, addressable: string, cap: string, memoryCap: string) =>
    `coalesce(${maxPods}, ${fromKubeletArgs}, min(${addressable}, ${cap}, ${memoryCap}))`,
};
