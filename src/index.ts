/**
 * The eks-pod-density package: the constructs for a cdktf app of your own, and
 * the max-pods and kube-reserved rules they (and `eks-pod-density max-pods`)
 * apply. This file is the whole public API (package.json `exports`); anything
 * not named here is internal and may change in any release. Environment files,
 * root stacks and module generation belong to this repository's own app: none
 * of them is exported (the command's own code ships in dist/, unexported).
 */
export {
  INSTANCE_REFRESH_DEFAULTS,
  NODE_GROUP_DEFAULTS,
  NodeGroup,
  type InstanceRefreshSettings,
  type KubeReservedQuantities,
  type MetadataHopLimit,
  type NodeGroupProps,
} from "./constructs/node-group/index.js";
export type { AmiType } from "./rules/ami.js";
export type { KubeReservedResource } from "./rules/kube-reserved.js";
export type { TerminationHandling } from "./constructs/node-group/termination.js";
export { VPC_CNI_DEFAULTS, VpcCniAddon, type EniConfig, type VpcCniAddonProps } from "./constructs/vpc-cni-addon.js";
export type { CniCredentials, ResolveConflictsOnCreate, ResolveConflictsOnUpdate } from "./constructs/vpc-cni-rules.js";
export { PrefixReservations, type PrefixReservation, type PrefixReservationsProps } from "./constructs/prefix-reservations.js";
export {
  automaticMaxPods,
  EVICTION_HARD_MIB,
  kubeletMemoryMiB,
  POD_HEADROOM_MIB,
  type InstanceNetworkLimits,
  type MaxPodsResult,
  type PodNetworking,
} from "./rules/max-pods.js";
export { kubeReservedFor, MEMORY_MIB_BASE, MEMORY_MIB_PER_POD, type KubeReserved } from "./rules/kube-reserved.js";
export { InputError } from "./rules/checker.js";
