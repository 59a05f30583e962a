/**
 * `verify`: read the running cluster and EC2 (never writing to either) and
 * compare them with what the configuration promised.
 */
import { cniChecks, nodeChecks, nodeOfInstance, subnetChecks, subnetRooms, type CheckRow, type NodeFacts, type SubnetRoom } from "./checks.js";
import type { Ec2Reader } from "./ec2.js";
import { nodeExpectation, nodeGroupResourceName, type VerifyTarget } from "./expected.js";
import type { KubeReader } from "./kube.js";

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

  const facts: NodeFacts[] = await Promise.all(
    instances.map(async (instance) => {
      const node = nodeOfInstance(nodes, instance.instanceId);
      const configz = node?.metadata?.name ? await kube.kubeletConfig(node.metadata.name) : undefined;
      return { instance, node, configz, limits: limits.get(instance.instanceType)! };
    }),
  );

  const notes: string[] = [];
  let rooms: SubnetRoom[] = [];
  const configured = limits.get(target.instanceType)!;
  if (!target.prefixDelegation) {
    notes.push("subnets: not checked for /28 blocks, prefix delegation is off");
  } else if (target.customNetworking) {
    notes.push("subnets: not checked for /28 blocks, with custom networking pods take their prefixes from the ENIConfig subnets");
  } else if (!nodeExpectation(target, configured).prefixes) {
    notes.push(`subnets: not checked for /28 blocks, ${target.instanceType} is not a Nitro instance (the CNI uses secondary IPs there)`);
  } else {
    rooms = subnetRooms(target, await ec2.subnets(target.subnetIds), instances, configured);
  }

  const checks = [...cniChecks(target, daemonSet), ...nodeChecks(target, facts, nodeGroup), ...subnetChecks(target, rooms)];
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
    notes,
    ok: checks.every((check) => check.ok),
  };
}
