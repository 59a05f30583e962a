/**
 * The article's cluster after `cdktf deploy article`, simulated for the
 * verify tests: cluster sre-test in ap-northeast-1, two t3a.medium nodes of
 * the Auto Scaling group sre-test-nodes-…, the vpc-cni add-on in prefix mode.
 * `kube` is what the Kubernetes API holds (served by test/support/kube-api.ts),
 * `ec2` what EC2 answers (stubbed with aws-sdk-client-mock). Options change
 * single facts, to make one check differ.
 */
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  GetSubnetCidrReservationsCommand,
  type EC2Client,
  type InstanceTypeInfo,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import type { AwsClientStub } from "aws-sdk-client-mock";
import { INSTANCES, type InstanceCase } from "./instances.js";
import type { SimulatedCluster } from "./kube-api.js";

export const ASG_NAME = "sre-test-nodes-20250601093000123400000001";
export const SUBNET_A = "subnet-0a1b2c3d4e5f60001";
export const SUBNET_C = "subnet-0a1b2c3d4e5f60002";
/** With custom networking: the pod subnets of the ENIConfigs named after each zone. */
export const POD_SUBNET_A = "subnet-0a1b2c3d4e5f60101";
export const POD_SUBNET_C = "subnet-0a1b2c3d4e5f60102";
export const CNI_IMAGE = "602401143452.dkr.ecr.ap-northeast-1.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1";

/** One node of the group: its instance, its node object's figures, its kubelet's configuration. */
export interface SimulatedNode {
  readonly name: string;
  readonly instanceId: string;
  readonly zone: string;
  readonly subnetId: string;
  readonly instanceType: string;
  readonly pods: number;
  readonly kubeReservedMemory: string;
  /** Memory capacity as the kubelet reports it. */
  readonly memory: string;
  readonly allocatableMemory: string;
  /** Addresses and prefixes of its primary interface. */
  readonly address: string;
  readonly prefixes: readonly string[];
}

/** A t3a.medium at 110 pods: kube-reserved 11 × 110 + 255 = 1465Mi; allocatable 3878912Ki − 1465Mi − 100Mi. */
export const NODE_A: SimulatedNode = {
  name: "ip-10-0-1-23.ap-northeast-1.compute.internal",
  instanceId: "i-0a1b2c3d4e5f60011",
  zone: "ap-northeast-1a",
  subnetId: SUBNET_A,
  instanceType: "t3a.medium",
  pods: 110,
  kubeReservedMemory: "1465Mi",
  memory: "3878912Ki",
  allocatableMemory: "2276352Ki",
  address: "10.0.1.23",
  prefixes: ["10.0.4.0/28", "10.0.4.16/28"],
};

export const NODE_C: SimulatedNode = {
  ...NODE_A,
  name: "ip-10-0-17-45.ap-northeast-1.compute.internal",
  instanceId: "i-0a1b2c3d4e5f60012",
  zone: "ap-northeast-1c",
  subnetId: SUBNET_C,
  address: "10.0.17.45",
  prefixes: ["10.0.20.0/28", "10.0.20.16/28", "10.0.20.32/28"],
};

/** NODE_C as a node that booted with the AMI's default: 17 pods, 11 × 17 + 255 = 442Mi, allocatable 3878912Ki − 442Mi − 100Mi. */
export const NODE_C_AT_17: SimulatedNode = { ...NODE_C, pods: 17, kubeReservedMemory: "442Mi", allocatableMemory: "3323904Ki" };

export interface ClusterOptions {
  readonly nodes?: readonly SimulatedNode[];
  /** aws-node variables over the add-on's (ENABLE_PREFIX_DELEGATION=true, WARM_PREFIX_TARGET=1). */
  readonly env?: Readonly<Record<string, string | null>>;
  readonly image?: string;
  /** Nodes of the cluster outside the group (another node group's): in the Kubernetes API, not among the group's instances. */
  readonly otherNodes?: readonly SimulatedNode[];
  /** Instances of the group that have no node (yet). */
  readonly unjoined?: readonly SimulatedNode[];
  /** Kubelet configuration fields over each node's. */
  readonly kubelet?: Readonly<Record<string, unknown>>;
  readonly daemonSet?: false;
  /** aws-node pods still on an older spec. */
  readonly outdatedPods?: number;
  /** Nodes whose kubelet does not answer configz. */
  readonly silentKubelets?: readonly string[];
  /** A subnet whose every /28 block gets one address of another interface (a subnet fragmented by single IPs). */
  readonly fragment?: string;
  /**
   * Custom networking: the CNI's two variables set, an ENIConfig per zone (these zones only, when given), and the
   * nodes' prefixes on a second interface in their zone's pod subnet.
   */
  readonly customNetworking?: { readonly zones?: readonly string[] };
  readonly forbidden?: SimulatedCluster["forbidden"];
  /** Raw answers of the Kubernetes API that replace the simulated ones (test/support/kube-api.ts). */
  readonly answers?: SimulatedCluster["answers"];
  readonly configzDelayMs?: number;
}

/** The aws-node DaemonSet as the vpc-cni add-on installs it, with the article's configuration values. */
function awsNode(options: ClusterOptions): object {
  const env: Record<string, string | null> = {
    ADDITIONAL_ENI_TAGS: "{}",
    AWS_VPC_CNI_NODE_PORT_SUPPORT: "true",
    AWS_VPC_ENI_MTU: "9001",
    AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "false",
    AWS_VPC_K8S_CNI_EXTERNALSNAT: "false",
    ENABLE_PREFIX_DELEGATION: "true",
    WARM_ENI_TARGET: "1",
    WARM_PREFIX_TARGET: "1",
    ...(options.customNetworking ? { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true", ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone" } : {}),
    ...options.env,
  };
  const nodes = (options.nodes ?? [NODE_A, NODE_C]).length;
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "aws-node", namespace: "kube-system", generation: 4, labels: { "k8s-app": "aws-node", "app.kubernetes.io/managed-by": "EKS" } },
    spec: {
      selector: { matchLabels: { "k8s-app": "aws-node" } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
      template: {
        metadata: { labels: { "k8s-app": "aws-node" } },
        spec: {
          serviceAccountName: "aws-node",
          hostNetwork: true,
          containers: [
            {
              name: "aws-node",
              image: options.image ?? CNI_IMAGE,
              env: [
                ...Object.entries(env)
                  .filter(([, value]) => value !== null)
                  .map(([name, value]) => ({ name, value })),
                { name: "MY_NODE_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } },
              ],
              resources: { requests: { cpu: "25m" } },
            },
          ],
        },
      },
    },
    status: {
      currentNumberScheduled: nodes,
      desiredNumberScheduled: nodes,
      numberAvailable: nodes,
      numberMisscheduled: 0,
      numberReady: nodes,
      observedGeneration: 4,
      updatedNumberScheduled: nodes - (options.outdatedPods ?? 0),
    },
  };
}

function node(simulated: SimulatedNode): object {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: simulated.name,
      labels: {
        "kubernetes.io/hostname": simulated.name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": simulated.instanceType,
        "topology.kubernetes.io/region": "ap-northeast-1",
        "topology.kubernetes.io/zone": simulated.zone,
      },
    },
    spec: { providerID: `aws:///${simulated.zone}/${simulated.instanceId}` },
    status: {
      capacity: { cpu: "2", "ephemeral-storage": "20959212Ki", memory: simulated.memory, pods: String(simulated.pods) },
      allocatable: { cpu: "1930m", "ephemeral-storage": "18242267924", memory: simulated.allocatableMemory, pods: String(simulated.pods) },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
    },
  };
}

/** The kubelet's configuration on an AL2 node the node group bootstrapped (the fields verify reads, and a few more). */
function kubeletConfig(simulated: SimulatedNode, overrides: Readonly<Record<string, unknown>> = {}): object {
  return {
    enableServer: true,
    syncFrequency: "1m0s",
    clusterDomain: "cluster.local",
    clusterDNS: ["172.20.0.10"],
    cgroupDriver: "systemd",
    maxPods: simulated.pods,
    kubeReserved: { cpu: "70m", "ephemeral-storage": "1Gi", memory: simulated.kubeReservedMemory },
    evictionHard: { "memory.available": "100Mi", "nodefs.available": "10%", "nodefs.inodesFree": "5%" },
    ...overrides,
  };
}

export function simulatedCluster(options: ClusterOptions = {}): SimulatedCluster {
  const nodes = options.nodes ?? [NODE_A, NODE_C];
  return {
    daemonSet: options.daemonSet === false ? null : awsNode(options),
    nodes: [...nodes, ...(options.otherNodes ?? [])].map(node),
    kubeletConfigs: Object.fromEntries(
      nodes.filter((simulated) => !options.silentKubelets?.includes(simulated.name)).map((simulated) => [simulated.name, kubeletConfig(simulated, options.kubelet)]),
    ),
    forbidden: options.forbidden,
    answers: options.answers,
    configzDelayMs: options.configzDelayMs,
    ...(options.customNetworking
      ? {
          eniConfigs: (options.customNetworking.zones ?? ["ap-northeast-1a", "ap-northeast-1c"]).map((zone) => ({
            apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
            kind: "ENIConfig",
            metadata: { name: zone },
            spec: { subnet: zone === "ap-northeast-1a" ? POD_SUBNET_A : POD_SUBNET_C, securityGroups: ["sg-0123456789abcdef0"] },
          })),
        }
      : {}),
  };
}

/** DescribeInstanceTypes' entry for one of the instance types in test/support/instances.ts. */
export function instanceTypeInfo(instance: InstanceCase): InstanceTypeInfo {
  return {
    InstanceType: instance.instanceType as InstanceTypeInfo["InstanceType"],
    Hypervisor: instance.hypervisor === "" ? undefined : (instance.hypervisor as InstanceTypeInfo["Hypervisor"]),
    BareMetal: instance.hypervisor === "",
    VCpuInfo: { DefaultVCpus: instance.vcpus },
    MemoryInfo: { SizeInMiB: instance.memoryMiB },
    ProcessorInfo: { SupportedArchitectures: [instance.architecture] },
    NetworkInfo: {
      MaximumNetworkInterfaces: instance.totalEnis,
      Ipv4AddressesPerInterface: instance.ipv4PerEni,
      DefaultNetworkCardIndex: 0,
      NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: instance.enis }],
    },
  };
}

/** Interfaces holding one address at offset 5 of every /28 block of the /20 `subnet` starting at `base` (10.0.0 or 10.0.16), 50 addresses each. */
function fragmenting(subnetId: string, base: number): NetworkInterface[] {
  const addresses = Array.from({ length: 256 }, (_, block) => `10.0.${base + Math.floor(block / 16)}.${(block % 16) * 16 + 5}`);
  return Array.from({ length: Math.ceil(addresses.length / 50) }, (_, i) => ({
    NetworkInterfaceId: `eni-0f0f0f0f0f0f0f0${i}`,
    SubnetId: subnetId,
    PrivateIpAddresses: addresses.slice(i * 50, (i + 1) * 50).map((address, j) => ({ PrivateIpAddress: address, Primary: j === 0 })),
  }));
}

/** A node's prefixes on a second interface in its zone's pod subnet (custom networking), 100.64.0.37 or 100.64.32.40. */
function podInterface(simulated: SimulatedNode, i: number): NetworkInterface {
  const inA = simulated.zone === "ap-northeast-1a";
  const address = inA ? "100.64.0.37" : "100.64.32.40";
  return {
    NetworkInterfaceId: `eni-0a1b2c3d4e5f6002${i}`,
    SubnetId: inA ? POD_SUBNET_A : POD_SUBNET_C,
    PrivateIpAddress: address,
    PrivateIpAddresses: [{ PrivateIpAddress: address, Primary: true }],
    Ipv4Prefixes: simulated.prefixes.map((prefix) => ({ Ipv4Prefix: prefix.replace(/^10\.0\.(4|20)\./, inA ? "100.64.4." : "100.64.36.") })),
    Attachment: { InstanceId: simulated.instanceId, DeviceIndex: 1 },
  };
}

/** The nodes' primary interfaces, and other interfaces in the subnets (an endpoint, a load balancer). */
function networkInterfaces(nodes: readonly SimulatedNode[], fragment?: string, customNetworking = false): NetworkInterface[] {
  const other = (id: string, subnetId: string, address: string): NetworkInterface => ({
    NetworkInterfaceId: id,
    SubnetId: subnetId,
    PrivateIpAddress: address,
    PrivateIpAddresses: [{ PrivateIpAddress: address, Primary: true }],
  });
  return [
    ...nodes.map((simulated, i) => ({
      NetworkInterfaceId: `eni-0a1b2c3d4e5f6001${i}`,
      SubnetId: simulated.subnetId,
      PrivateIpAddress: simulated.address,
      PrivateIpAddresses: [{ PrivateIpAddress: simulated.address, Primary: true }],
      Ipv4Prefixes: customNetworking ? [] : simulated.prefixes.map((prefix) => ({ Ipv4Prefix: prefix })),
      Attachment: { InstanceId: simulated.instanceId, DeviceIndex: 0 },
    })),
    ...(customNetworking ? nodes.map(podInterface) : []),
    other("eni-0a1b2c3d4e5f60101", SUBNET_A, "10.0.0.10"),
    other("eni-0a1b2c3d4e5f60102", SUBNET_A, "10.0.2.5"),
    other("eni-0a1b2c3d4e5f60103", SUBNET_A, "10.0.9.200"),
    ...(fragment ? fragmenting(fragment, fragment === SUBNET_A ? 0 : 16) : []),
  ];
}

/** Stub EC2 with what the account holds for the simulated cluster. */
export function stubEc2(ec2: AwsClientStub<EC2Client>, options: ClusterOptions = {}): void {
  const nodes = options.nodes ?? [NODE_A, NODE_C];
  const instances = [...nodes, ...(options.unjoined ?? [])];
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: instances.map((simulated) => ({
          InstanceId: simulated.instanceId,
          InstanceType: simulated.instanceType as "t3a.medium",
          SubnetId: simulated.subnetId,
          PrivateIpAddress: simulated.address,
          Placement: { AvailabilityZone: simulated.zone },
          State: { Name: "running", Code: 16 },
          Tags: [
            { Key: "Name", Value: "sre-test-nodes" },
            { Key: "aws:autoscaling:groupName", Value: ASG_NAME },
          ],
        })),
      },
    ],
  });
  ec2.on(DescribeInstanceTypesCommand).callsFake((input: { InstanceTypes?: string[] }) => ({
    InstanceTypes: (input.InstanceTypes ?? []).map((type) => instanceTypeInfo(INSTANCES[type]!)),
  }));
  ec2.on(DescribeSubnetsCommand).resolves({
    Subnets: [
      { SubnetId: SUBNET_A, CidrBlock: "10.0.0.0/20", AvailabilityZone: "ap-northeast-1a" },
      { SubnetId: SUBNET_C, CidrBlock: "10.0.16.0/20", AvailabilityZone: "ap-northeast-1c" },
      { SubnetId: POD_SUBNET_A, CidrBlock: "100.64.0.0/19", AvailabilityZone: "ap-northeast-1a" },
      { SubnetId: POD_SUBNET_C, CidrBlock: "100.64.32.0/19", AvailabilityZone: "ap-northeast-1c" },
    ],
  });
  ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: networkInterfaces(instances, options.fragment, !!options.customNetworking) });
  ec2.on(GetSubnetCidrReservationsCommand).resolves({ SubnetIpv4CidrReservations: [], SubnetIpv6CidrReservations: [] });
}
