/**
 * `verify`: read the running cluster and EC2 (never writing to either) and
 * compare them with what the configuration promised.
 */
import type { InstanceNetworkLimits } from "../rules/max-pods.js";
import { ENI_CONFIG_LABEL } from "../constructs/vpc-cni-addon.js";
import {
  cniChecks,
  eniConfigChecks,
  eniConfigSubnetChecks,
  instanceOfNode,
  nodeChecks,
  nodeName,
  outsideGroupChecks,
  subnetChecks,
  subnetRooms,
  type CheckRow,
  type NodeFacts,
  type PodSubnet,
  type SubnetRoom,
} from "./checks.js";
import { isSubnetId, type Ec2Reader, type GroupInstance } from "./ec2.js";
import { expectedCniVariables, nodeExpectation, nodeGroupResourceName, type VerifyTarget } from "./expected.js";
import type { KubeReader } from "./kube.js";
import { mapWithLimit } from "./pool.js";

/**
 * Kubelet configurations read at once through the API server's node proxy:
 * enough to read a thousand nodes in a few seconds, few enough to stay far
 * from a 256 file descriptor limit and to be gentle on the API server.
 */
export const CONFIGZ_PARALLELISM = 8;

export interface VerifyReport {
  /** Where the expected settings came from. */
  readonly source: string;
  readonly cluster: string;
  readonly region: string;
  /** The kubeconfig context and API server read. */
  readonly context: string;
  readonly server: string;
  /** The node group's Name tag (`<cluster>-<name>`). */
  readonly nodeGroup: string;
  /** Running instances of the node group. */
  readonly instances: number;
  /** The Auto Scaling groups they belong to. */
  readonly autoScalingGroups: readonly string[];
  readonly checks: readonly CheckRow[];
  /** The /28 room of each node subnet (empty when prefixes are not in use). */
  readonly subnets: readonly SubnetRoom[];
  /** Why some checks did not run. */
  readonly notes: readonly string[];
  /** True when every check holds. */
  readonly ok: boolean;
}

/** Compare the cluster with `target`. API refusals throw (AccessError); differences are rows. */
export async function verifyCluster(target: VerifyTarget, kube: KubeReader, ec2: Ec2Reader): Promise<VerifyReport> {
  const nodeGroup = nodeGroupResourceName(target);
  const daemonSet = await kube.awsNode();
  const nodes = await kube.nodes();
  const instances = await ec2.groupInstances(nodeGroup);
  const instanceTypes = [...new Set([target.instanceType, ...instances.map((instance) => instance.instanceType)])].sort();
  const limits = await ec2.instanceLimits(instanceTypes);

  const byInstance = new Map<string, (typeof nodes)[number]>();
  for (const node of nodes) {
    const instanceId = instanceOfNode(node);
    if (instanceId !== undefined && !byInstance.has(instanceId)) byInstance.set(instanceId, node);
  }
  const facts: NodeFacts[] = await mapWithLimit(instances, CONFIGZ_PARALLELISM, async (instance) => {
    const node = byInstance.get(instance.instanceId);
    const name = node ? nodeName(node) : undefined;
    const configz = name ? await kube.kubeletConfig(name) : undefined;
    return { instance, node, configz, limits: limits.get(instance.instanceType)! };
  });

  const configured = limits.get(target.instanceType)!;
  const pods = await podSubnets(target, configured, instances, kube, ec2);
  const rooms = subnetRooms(target, pods.subnets, pods.zones, configured);

  const outside = outsideGroupChecks(nodes, instances.map((instance) => instance.instanceId), nodeExpectation(target, configured).maxPods, nodeGroup);
  const checks = [
    ...cniChecks(target, daemonSet),
    ...nodeChecks(target, facts, nodeGroup),
    ...outside,
    ...pods.rows,
    ...subnetChecks(target, rooms),
  ];
  return {
    source: target.source,
    cluster: target.clusterName,
    region: target.region,
    context: kube.context,
    server: kube.server,
    nodeGroup,
    instances: instances.length,
    autoScalingGroups: [...new Set(instances.map((instance) => instance.autoScalingGroup))].sort(),
    checks,
    subnets: rooms,
    notes: pods.note ? [pods.note] : [],
    ok: checks.every((check) => check.ok),
  };
}

/** Where the group's pods take their /28 prefixes from, or why that is not checked. */
interface PodSubnets {
  readonly subnets: readonly PodSubnet[];
  /** Zones the group spreads its nodes over. */
  readonly zones: number;
  /** Rows about how the subnets were found (ENIConfigs). */
  readonly rows: readonly CheckRow[];
  readonly note?: string;
}

async function podSubnets(
  target: VerifyTarget,
  limits: InstanceNetworkLimits,
  instances: readonly GroupInstance[],
  kube: KubeReader,
  ec2: Ec2Reader,
): Promise<PodSubnets> {
  const none = (why: string): PodSubnets => ({ subnets: [], zones: 0, rows: [], note: `subnets: not checked for /28 blocks, ${why}` });
  if (!target.prefixDelegation) return none("prefix delegation is off");
  if (!nodeExpectation(target, limits).prefixes) return none(`${target.instanceType} is not a Nitro instance (the CNI uses secondary IPs there)`);
  if (!target.customNetworking) {
    const states = await ec2.subnets(target.subnetIds);
    return {
      subnets: states.map((state) => ({ state, instances: instances.filter((instance) => instance.subnetId === state.subnetId) })),
      zones: new Set(states.map((state) => state.availabilityZone)).size,
      rows: [],
    };
  }
  const label = expectedCniVariables(target).find((variable) => variable.name === "ENI_CONFIG_LABEL_DEF")?.value;
  if (label !== ENI_CONFIG_LABEL) return none(`ENIConfigs are picked by the node label ${label}, not by zone`);
  return eniConfigSubnets(target, instances, kube, ec2);
}

/**
 * With custom networking pods take their prefixes from the subnet of the
 * ENIConfig named after their node's zone (ENI_CONFIG_LABEL_DEF =
 * topology.kubernetes.io/zone), not from the node subnets: one for each zone
 * of the node subnets, which must exist.
 */
async function eniConfigSubnets(target: VerifyTarget, instances: readonly GroupInstance[], kube: KubeReader, ec2: Ec2Reader): Promise<PodSubnets> {
  const zones = [...new Set((await ec2.zones(target.subnetIds)).values())].sort();
  const eniConfigs = await kube.eniConfigs();
  const subnetOf = (zone: string) => eniConfigs.find((config) => config.name === zone)?.subnet || undefined;
  // An ENIConfig's subnet EC2 does not have is that ENIConfig's difference (eniConfigSubnetChecks), not the run's.
  const named = [...new Set(zones.map(subnetOf).filter((id): id is string => id !== undefined))];
  const found = await ec2.existingSubnets(named.filter(isSubnetId));
  const podSubnetIds = named.filter((id) => found.has(id));
  const states = podSubnetIds.length > 0 ? await ec2.subnets(podSubnetIds) : [];
  return {
    subnets: states.map((state) => {
      const served = zones.filter((zone) => subnetOf(zone) === state.subnetId);
      return { state, via: `ENIConfig ${served.join(", ")}`, instances: instances.filter((instance) => served.includes(instance.availabilityZone)) };
    }),
    zones: zones.length,
    rows: [...eniConfigChecks(zones, eniConfigs), ...eniConfigSubnetChecks(zones, eniConfigs, found, target.region)],
  };
}
