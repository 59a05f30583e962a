/**
 * The checks: what the cluster runs against what the configuration promised,
 * one row each. Pure functions over what was read; nothing here calls an API.
 * The objects are read as the API answered them, which may not be what its
 * schema says (a number where text belongs, a missing template): a field of
 * the wrong kind counts as absent, so it shows as a difference on its object.
 */
import type { V1Container, V1DaemonSet, V1EnvVar, V1Node } from "@kubernetes/client-node";
import type { KubeReserved } from "../rules/kube-reserved.js";
import { EVICTION_HARD_MIB, type InstanceNetworkLimits } from "../rules/max-pods.js";
import { parseQuantity } from "../rules/quantity.js";
import { PREFIX_DELEGATION_MIN_VERSION, TYPED_ENV } from "../constructs/vpc-cni-rules.js";
import { isSubnetId, type GroupInstance, type SubnetState } from "./ec2.js";
import { expectedCniVariables, nodeExpectation, type VerifyTarget } from "./expected.js";
import { AWS_NODE, type ConfigzResult, type EniConfig, type KubeletConfig } from "./kube.js";
import { countFreeBlocks, type BlockCount } from "./subnet-blocks.js";

/** One check: what was expected on which object, what is there, and whether they agree. */
export interface CheckRow {
  readonly check: string;
  /** The object checked: `daemonset kube-system/aws-node`, `node <name>`, `subnet <id>`. */
  readonly on: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
  /** Worth knowing but not a difference: the row holds (`ok`), and the report lists it apart. */
  readonly warning?: boolean;
}

const row = (check: string, on: string, expected: string, actual: string, ok: boolean): CheckRow => ({ check, on, expected, actual, ok });

/** An answered value as text: text as it is, numbers and booleans written out, anything else (objects, null) undefined. */
const textOf = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;

/** A JSON object (not null, not a list), or undefined. */
const objectOf = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** A list of objects, or none. */
const listOf = <T>(value: unknown): T[] => (Array.isArray(value) ? value.filter((item) => objectOf(item) !== undefined) : []) as T[];

/** A map of texts (labels, quantities), entries of other kinds left out. */
function textMap(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(objectOf(value) ?? {}).flatMap(([key, entry]) => {
      const text = textOf(entry);
      return text === undefined ? [] : [[key, text]];
    }),
  );
}
const warningRow = (check: string, on: string, expected: string, actual: string): CheckRow => ({ check, on, expected, actual, ok: true, warning: true });

// ---------------------------------------------------------------------------------------------------------------
// The aws-node DaemonSet

/** Go's strconv.ParseBool, which the VPC CNI reads its flags with (utils.GetBoolAsStringEnvVar); undefined when invalid. */
function goBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

/** Major, minor and patch in an image tag such as `amazon-k8s-cni:v1.19.2-eksbuild.1`. */
export function imageVersion(image: string): [number, number, number] | undefined {
  const tag = image.slice(image.lastIndexOf("/") + 1).split(":")[1] ?? "";
  const match = /^v?([0-9]+)\.([0-9]+)\.([0-9]+)/.exec(tag);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

const atLeast = (version: readonly number[], minimum: readonly number[]) => {
  for (let i = 0; i < minimum.length; i++) if (version[i] !== minimum[i]) return (version[i] ?? 0) > minimum[i]!;
  return true;
};

/** The aws-node variables as configured, the CNI's version, and whether every pod runs the current spec. */
export function cniChecks(target: VerifyTarget, daemonSet: V1DaemonSet | null): CheckRow[] {
  const on = `daemonset ${AWS_NODE.namespace}/${AWS_NODE.name}`;
  if (!daemonSet) return [row("VPC CNI", on, "present", "not found", false)];
  const containers = listOf<V1Container>(objectOf(objectOf(objectOf(daemonSet.spec)?.template)?.spec)?.containers);
  const container = containers.find((candidate) => candidate.name === AWS_NODE.name) ?? containers[0];
  if (!container) return [row("VPC CNI", on, "an aws-node container in spec.template", "no containers in spec.template", false), rolloutRow(on, daemonSet)];
  const env = new Map(
    listOf<V1EnvVar>(container.env)
      .filter((variable) => typeof variable.name === "string")
      .map((variable) => [variable.name, variable]),
  );
  // envFrom (a ConfigMap or Secret) may set any variable env leaves out; env wins where both do (Kubernetes' rule).
  const fromSources = listOf(container.envFrom).length > 0;
  const shown = (name: string) => {
    const variable = env.get(name);
    if (!variable) return fromSources ? "set from a reference (envFrom), or unset" : "unset";
    return textOf(variable.value) ?? (variable.valueFrom ? "set from a reference" : "");
  };

  const rows: CheckRow[] = [];
  for (const variable of expectedCniVariables(target)) {
    const actual = shown(variable.name);
    if (variable.boolean) {
      // Unset, or not a boolean, reads as false (utils.GetBoolAsStringEnvVar with default false).
      const expected = variable.value === "true";
      const live = goBool(actual) ?? false;
      if (variable.value !== null || live) rows.push(row(variable.name, on, String(expected), actual, live === expected));
    } else if (variable.value === null) {
      // Left out by the add-on: a value set anyway is a difference (WARM_PREFIX_TARGET without prefixes is harmless).
      if (env.has(variable.name) && variable.name !== TYPED_ENV.warmPrefixTarget) rows.push(row(variable.name, on, "unset", actual, false));
    } else {
      rows.push(row(variable.name, on, variable.value, actual, actual === variable.value));
    }
  }

  if (target.prefixDelegation) {
    const image = typeof container.image === "string" ? container.image : "";
    const version = imageVersion(image);
    const minimum = `v${PREFIX_DELEGATION_MIN_VERSION.join(".")}.0 or later`;
    const tag = image.slice(image.lastIndexOf("/") + 1);
    rows.push(row("CNI version", on, minimum, version ? tag : `${tag || "no image"} (no version in the tag)`, !!version && atLeast(version, PREFIX_DELEGATION_MIN_VERSION)));
  }

  rows.push(rolloutRow(on, daemonSet));
  return rows;
}

/** Whether every aws-node pod runs the DaemonSet's current spec. */
function rolloutRow(on: string, daemonSet: V1DaemonSet): CheckRow {
  const status = objectOf(daemonSet.status);
  const count = (value: unknown) => parseQuantity(value ?? 0);
  const desired = count(status?.desiredNumberScheduled);
  const updated = count(status?.updatedNumberScheduled);
  const generation = count(objectOf(daemonSet.metadata)?.generation);
  const observed = count(status?.observedGeneration);
  if (desired === undefined || updated === undefined || generation === undefined || observed === undefined) {
    return row("pods on the current spec", on, "a rollout status", "a status that is not numbers", false);
  }
  const current = observed >= generation;
  return row("pods on the current spec", on, `${desired} of ${desired}`, current ? `${updated} of ${desired}` : "rollout not observed yet", current && updated === desired);
}

// ---------------------------------------------------------------------------------------------------------------
// The nodes of the group

/** A Kubernetes quantity in its base unit (bytes, cores), or undefined when it is not one (src/rules/quantity.ts). */
const quantityValue = parseQuantity;

/** `cpu=70m ephemeral-storage=1Gi memory=1465Mi`. */
export const formatMap = (map: Readonly<Record<string, string>>) =>
  Object.keys(map)
    .sort()
    .map((key) => `${key}=${map[key]}`)
    .join(" ") || "none";

/** Whether two quantity maps hold the same keys with equal quantities. */
function sameQuantities(expected: KubeReserved, actual: Readonly<Record<string, string>>): boolean {
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...keys].every((key) => {
    const [a, b] = [quantityValue(expected[key]), quantityValue(actual[key])];
    // Equal up to rounding: 100m and 0.1 are the same CPU.
    return a !== undefined && b !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  });
}

const KI = 1024;
/** The kubelet's default hard eviction threshold, and the EKS AMIs' (memory.available). */
const DEFAULT_EVICTION = `${EVICTION_HARD_MIB}Mi`;

/** The eviction threshold in bytes: a quantity or a share of capacity (kubelet evictionHard `memory.available`); undefined when neither. */
function evictionBytes(threshold: string, capacity: number): number | undefined {
  const share = /^([0-9]+(?:\.[0-9]+)?)%$/.exec(threshold);
  if (share) return (Number(share[1]) / 100) * capacity;
  return quantityValue(threshold);
}

/** What is known about one running instance of the group. */
export interface NodeFacts {
  readonly instance: GroupInstance;
  readonly node: V1Node | undefined;
  readonly configz: ConfigzResult | undefined;
  readonly limits: InstanceNetworkLimits;
}

/** The instance a node runs on, from its provider ID `aws:///<zone>/<instance id>`; undefined without one. */
export function instanceOfNode(node: V1Node): string | undefined {
  const providerId: unknown = objectOf(node.spec)?.providerID;
  return typeof providerId === "string" ? providerId.split("/").at(-1) || undefined : undefined;
}

/** A node's name as text, if it has one. */
export const nodeName = (node: V1Node): string | undefined => {
  const name: unknown = objectOf(node.metadata)?.name;
  return typeof name === "string" && name !== "" ? name : undefined;
};

/** The node that runs on `instanceId`. */
export function nodeOfInstance(nodes: readonly V1Node[], instanceId: string): V1Node | undefined {
  return nodes.find((node) => instanceOfNode(node) === instanceId);
}

/**
 * Per node: max pods in its status and in the kubelet's live configuration,
 * kube-reserved there, and allocatable memory = capacity − kube-reserved −
 * system-reserved − the hard eviction threshold (how the kubelet works out
 * node allocatable), with the kube-reserved the configuration promised and
 * the node's own system-reserved and threshold.
 */
export function nodeChecks(target: VerifyTarget, facts: readonly NodeFacts[], groupName: string): CheckRow[] {
  if (facts.length === 0) {
    return [row("running instances", `node group ${groupName}`, "at least 1", "none (no running instance with its Name tag)", false)];
  }
  return facts.flatMap(({ instance, node, configz, limits }) => {
    if (!node) {
      return [row("joined the cluster", `instance ${instance.instanceId}`, "a node", "no node has this instance's provider ID", false)];
    }
    const on = `node ${nodeName(node) ?? instance.instanceId}`;
    const expected = nodeExpectation(target, limits);
    const why = `${instance.instanceType}${expected.prefixes ? ", prefixes" : ""}`;
    const capacity = textMap(objectOf(node.status)?.capacity);
    // Quantities compare as quantities: "110", 110 and "0.11k" are the same capacity.
    const pods = capacity.pods;
    const rows = [row("pods capacity", on, `${expected.maxPods} (${why})`, pods ?? "unset", quantityValue(pods) === expected.maxPods)];
    if (!configz || "error" in configz) {
      return [...rows, row("kubelet config (configz)", on, "readable", configz?.error ?? "not read", false)];
    }
    const kubelet = configz.config;
    const liveReserved = textMap(kubelet.kubeReserved);
    const maxPods = textOf(kubelet.maxPods);
    rows.push(
      row("kubelet maxPods", on, String(expected.maxPods), maxPods ?? "unset", quantityValue(maxPods) === expected.maxPods),
      row("kubelet kubeReserved", on, formatMap(expected.kubeReserved), formatMap(liveReserved), sameQuantities(expected.kubeReserved, liveReserved)),
    );

    rows.push(allocatableMemory(on, node, kubelet, expected.kubeReserved));
    return rows;
  });
}

/** EKS labels Fargate's nodes with this (value fargate); their pods get addresses of their own, outside the CNI's. */
const COMPUTE_TYPE_LABEL = "eks.amazonaws.com/compute-type";

/**
 * Nodes of the cluster outside the group (an older node group, still at 17 pods on a t3a.medium) whose pods
 * capacity is below the group's max pods: a warning each, so the user sees when moving the workloads is done.
 */
export function outsideGroupChecks(nodes: readonly V1Node[], groupInstanceIds: readonly string[], maxPods: number, groupName: string): CheckRow[] {
  return nodes.flatMap((node) => {
    const instanceId = instanceOfNode(node);
    if (instanceId && groupInstanceIds.includes(instanceId)) return [];
    const labels = textMap(objectOf(node.metadata)?.labels);
    if (labels[COMPUTE_TYPE_LABEL] === "fargate") return [];
    const pods = quantityValue(textMap(objectOf(node.status)?.capacity).pods) ?? Number.NaN;
    if (!(pods < maxPods)) return [];
    const type = labels["node.kubernetes.io/instance-type"];
    return [
      warningRow(
        "node outside the group",
        `node ${nodeName(node) ?? instanceId ?? "unnamed"}`,
        `its pods moved to ${groupName} (${maxPods} pods per node), then its group scaled to 0`,
        `${pods} pods capacity${type ? ` (${type})` : ""}`,
      ),
    ];
  });
}

/** Allocatable memory against capacity − the kube-reserved promised − the node's system-reserved − its eviction threshold. */
function allocatableMemory(on: string, node: V1Node, kubelet: KubeletConfig, kubeReserved: KubeReserved): CheckRow {
  const status = objectOf(node.status);
  const capacityText = textMap(status?.capacity).memory ?? "";
  const capacity = quantityValue(capacityText);
  if (capacity === undefined) return row("allocatable memory", on, "a memory capacity", capacityText ? `${capacityText} (not a quantity)` : "none reported", false);
  const systemReserved = textMap(kubelet.systemReserved).memory;
  const eviction = textMap(kubelet.evictionHard)["memory.available"] ?? DEFAULT_EVICTION;
  const systemBytes = systemReserved === undefined ? 0 : quantityValue(systemReserved);
  const evictionAt = evictionBytes(eviction, capacity);
  if (systemBytes === undefined || evictionAt === undefined) {
    const bad = systemBytes === undefined ? `systemReserved memory ${systemReserved}` : `evictionHard memory.available ${eviction}`;
    return row("allocatable memory", on, "a kubelet configuration of quantities", `${bad} (not a quantity)`, false);
  }
  const wanted = capacity - (quantityValue(kubeReserved.memory) ?? 0) - systemBytes - evictionAt;
  const terms = [`capacity ${capacityText}`, kubeReserved.memory, ...(systemReserved ? [systemReserved] : []), eviction].join(" − ");
  const expected = wanted > 0 ? `${Math.round(wanted / KI)}Ki (${terms})` : `more than 0 (${terms} leaves none)`;
  const actual = textMap(status?.allocatable).memory;
  const allocatable = quantityValue(actual);
  return row("allocatable memory", on, expected, actual ?? "unset", wanted > 0 && allocatable !== undefined && Math.abs(allocatable - wanted) < KI);
}

// ---------------------------------------------------------------------------------------------------------------
// The node subnets

/** A subnet the group's pods take prefixes from, and the group's instances whose pods do. */
export interface PodSubnet {
  readonly state: SubnetState;
  readonly instances: readonly GroupInstance[];
  /** How the subnet was found, when not a node subnet: `ENIConfig ap-northeast-1a`. */
  readonly via?: string;
}

/** One pod subnet's room for the group's prefixes. */
export interface SubnetRoom {
  readonly subnetId: string;
  readonly cidr: string;
  readonly availabilityZone: string;
  readonly via?: string;
  readonly count: BlockCount;
  /** Nodes of the group taking prefixes here now. */
  readonly nodes: number;
  /** Nodes that may take prefixes here at max_size: the Auto Scaling group balances its nodes over its zones. */
  readonly nodesAtMaxSize: number;
  /** /28 prefixes a node holds at max pods. */
  readonly prefixesPerNode: number;
  /** Interfaces a node has here at max pods: each primary address may take a free block of its own. */
  readonly interfacesPerNode: number;
  /** Blocks its nodes take here now: their prefixes and their interfaces' primary addresses (at most a node's worth each). */
  readonly held: number;
  /** Free blocks needed for `nodesAtMaxSize` nodes at max pods: their prefixes and their interfaces' addresses. */
  readonly needed: number;
  /** Nodes more than those there now that fit at max pods, after the nodes there now grow to max pods. */
  readonly moreNodesFit: number;
}

/** The room for prefixes in each pod subnet, for nodes of the configured instance type spread over `zones` zones. */
export function subnetRooms(target: VerifyTarget, subnets: readonly PodSubnet[], zones: number, limits: InstanceNetworkLimits): SubnetRoom[] {
  const expected = nodeExpectation(target, limits);
  const prefixes = expected.prefixesAtMaxPods;
  const interfaces = expected.interfacesAtMaxPods;
  // At worst every prefix and every interface's primary address takes a free block of its own.
  const perNode = prefixes + interfaces;
  const share = Math.ceil(target.maxSize / Math.max(1, zones));
  return subnets.map(({ state, instances, via }) => {
    const count = countFreeBlocks(state.use);
    const held = instances.reduce(
      (sum, instance) =>
        sum +
        Math.min(prefixes, state.prefixesByInstance.get(instance.instanceId) ?? 0) +
        Math.min(interfaces, state.interfacesByInstance.get(instance.instanceId) ?? 0),
      0,
    );
    const growth = instances.length * perNode - held;
    const nodesAtMaxSize = Math.max(share, instances.length);
    return {
      subnetId: state.subnetId,
      cidr: state.use.cidr,
      availabilityZone: state.availabilityZone,
      ...(via ? { via } : {}),
      count,
      nodes: instances.length,
      nodesAtMaxSize,
      prefixesPerNode: prefixes,
      interfacesPerNode: interfaces,
      held,
      needed: nodesAtMaxSize * perNode - held,
      moreNodesFit: perNode > 0 ? Math.max(0, Math.floor((count.free - growth) / perNode)) : 0,
    };
  });
}

/** One row per pod subnet: free /28 blocks against what the group needs there at max_size. */
export function subnetChecks(target: VerifyTarget, rooms: readonly SubnetRoom[]): CheckRow[] {
  return rooms.map((room) => {
    const heldNote = room.held > 0 ? `, less ${room.held} held` : "";
    const perNode = `${room.prefixesPerNode} + ${room.interfacesPerNode} interface${room.interfacesPerNode === 1 ? "" : "s"}`;
    const expected = `≥ ${room.needed} (${room.nodesAtMaxSize} node${room.nodesAtMaxSize === 1 ? "" : "s"} × (${perNode}) at max_size ${target.maxSize}${heldNote})`;
    const actual = `${room.count.free} free: ${room.moreNodesFit} more node${room.moreNodesFit === 1 ? "" : "s"} fit`;
    const on = `subnet ${room.subnetId} (${room.cidr}${room.via ? `, ${room.via}` : ""})`;
    return row("free /28 blocks", on, expected, actual, room.count.free >= room.needed);
  });
}

/** With custom networking: an ENIConfig with a subnet for every zone of the node subnets, named after the zone. */
export function eniConfigChecks(zones: readonly string[], eniConfigs: readonly EniConfig[]): CheckRow[] {
  return zones.flatMap((zone) => {
    const config = eniConfigs.find((candidate) => candidate.name === zone);
    if (config?.subnet) return [];
    return [row("ENIConfig", `zone ${zone}`, `an ENIConfig named ${zone} with a subnet`, config ? "no spec.subnet" : "none", false)];
  });
}

/** With custom networking: the subnet of each zone's ENIConfig is one EC2 has (`found`), else a difference on that ENIConfig. */
export function eniConfigSubnetChecks(zones: readonly string[], eniConfigs: readonly EniConfig[], found: ReadonlySet<string>, region: string): CheckRow[] {
  return zones.flatMap((zone) => {
    const subnet = eniConfigs.find((candidate) => candidate.name === zone)?.subnet;
    if (!subnet || found.has(subnet)) return [];
    const why = isSubnetId(subnet) ? `${subnet}: no such subnet in ${region}` : `${subnet}: not a subnet id`;
    return [row("ENIConfig subnet", `ENIConfig ${zone}`, "a subnet of the VPC (spec.subnet)", why, false)];
  });
}
