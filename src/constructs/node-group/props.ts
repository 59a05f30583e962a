import type { IResolvable, ITerraformDependable } from "cdktf";
import { DEFAULT_AMI_TYPE, type AmiType } from "../../rules/ami.js";
import type { KubeReservedResource } from "../../rules/kube-reserved.js";
import type { VpcCniAddon } from "../vpc-cni-addon.js";
import type { ExistingVpcCniAddon } from "./existing-cni.js";

/** IMDSv2 hop limits the node group takes: 1 keeps pods outside the host network from IMDS, 2 lets them reach it. */
export type MetadataHopLimit = 1 | 2;

/** kube-reserved quantities by resource, e.g. `{ memory: "1500Mi" }`. */
export type KubeReservedQuantities = Partial<Record<KubeReservedResource, string>>;

/** How the Auto Scaling group replaces nodes when the launch template changes. */
export interface InstanceRefreshSettings {
  /**
   * Share of the desired capacity that stays in service during a refresh. 100 with a max healthy of 200
   * launches each replacement before its old node terminates.
   * @default 100
   */
  readonly minHealthyPercentage?: number;
  /**
   * Share of the desired capacity the group may run during a refresh (100 to 200).
   * @default 200
   */
  readonly maxHealthyPercentage?: number;
  /**
   * Seconds after a new node's launch before the refresh counts it as ready and moves on: long enough to
   * boot, join the cluster and start its DaemonSet pods.
   * @default 300
   */
  readonly instanceWarmup?: number;
  /**
   * Leave nodes that already run the launch template's current version alone.
   * @default true
   */
  readonly skipMatching?: boolean;
  /**
   * Roll back to the previous launch template version when the refresh fails, e.g. when the launch readiness
   * gate abandons a new node that never became able to run pods.
   * @default true
   */
  readonly autoRollback?: boolean;
  /**
   * Percentages of the group at which the refresh pauses for `checkpointDelay`, e.g. [33, 66, 100]; empty for none.
   * @default []
   */
  readonly checkpointPercentages?: number[];
  /**
   * Seconds to wait at each checkpoint.
   * @default 3600 (AWS's default, when checkpoints are set)
   */
  readonly checkpointDelay?: number | null;
}

/** Instance refresh defaults: launch before terminate, nodes counted once they had time to join. */
export const INSTANCE_REFRESH_DEFAULTS: Required<InstanceRefreshSettings> = {
  minHealthyPercentage: 100,
  maxHealthyPercentage: 200,
  instanceWarmup: 300,
  skipMatching: true,
  autoRollback: true,
  checkpointPercentages: [],
  checkpointDelay: null,
};

/**
 * Default seconds a new node has to become able to run pods. Auto Scaling's own default health check grace
 * period, 300 s, is what AWS sizes for an instance to come into service (EC2 Auto Scaling user guide, "Set the
 * health check grace period"); a cold AL2023 node also pulls the aws-node and kube-proxy images and attaches
 * its first ENI before the CNI writes its config, so the gate allows twice that.
 */
export const NODE_READY_TIMEOUT = 600;

/** Defaults of the optional {@link NodeGroupProps}, shared with the generated module's variables. */
export const NODE_GROUP_DEFAULTS = {
  name: "nodes",
  instanceType: "t3a.medium",
  amiType: DEFAULT_AMI_TYPE as AmiType,
  amiId: null as string | null,
  kubeletExtraArgs: "",
  useMaxPods: false,
  maxPods: null as number | null,
  enablePrefixDelegation: true,
  customNetworking: false,
  minSize: 1,
  maxSize: 3,
  desiredSize: 2,
  rootVolumeSize: 20,
  instanceRefresh: INSTANCE_REFRESH_DEFAULTS as InstanceRefreshSettings,
  terminationHandling: true,
  terminationHeartbeatTimeout: 300,
  launchReadinessGate: true,
  nodeReadyTimeout: NODE_READY_TIMEOUT,
  metadataHttpPutResponseHopLimit: 1 as MetadataHopLimit,
  attachCniPolicy: true,
  attachSsmPolicy: false,
  createAccessEntry: true,
  kubeReservedFollowsMaxPods: true,
  kubeReserved: null as KubeReservedQuantities | null,
  existingVpcCniAddon: null as ExistingVpcCniAddon | null,
  tags: {} as Record<string, string>,
};

export interface NodeGroupProps {
  /** Name of the EKS cluster the nodes join. */
  readonly clusterName: string;
  /** The cluster's API server URL. */
  readonly clusterEndpoint: string;
  /** The cluster's base64-encoded certificate authority data. */
  readonly clusterCertificateAuthorityData: string;
  /** The cluster's Kubernetes service CIDR (nodeadm needs it; the DNS IP is its tenth host). */
  readonly clusterServiceCidr: string;
  /** Kubernetes version, e.g. "1.33"; picks the EKS-optimized AMI. */
  readonly kubernetesVersion: string;
  /** Subnets for the nodes. They need free contiguous /28 blocks when prefix delegation is on. */
  readonly subnetIds: string[];
  /**
   * Security groups for the nodes (at least one), e.g. the cluster security group. Without one EC2 would
   * put the nodes in the VPC's default group, where they cannot reach the control plane.
   */
  readonly securityGroupIds: string[];
  /**
   * Node group name; resources are named `<clusterName>-<name>`.
   * @default "nodes"
   */
  readonly name?: string;
  /**
   * EC2 instance type.
   * @default "t3a.medium"
   */
  readonly instanceType?: string;
  /**
   * AMI type: decides the bootstrap format (AL2 bootstrap.sh, AL2023 nodeadm, Bottlerocket TOML) and architecture.
   * A Terraform token (e.g. a variable's `stringValue`) is checked at plan time: write it `as AmiType`.
   * @default "AL2023_x86_64_STANDARD"
   */
  readonly amiType?: AmiType;
  /**
   * Explicit AMI id; null uses the EKS-optimized AMI from AWS's public SSM parameter.
   * @default null
   */
  readonly amiId?: string | null;
  /**
   * Extra kubelet flags (AL2: inside `--kubelet-extra-args '…'`; AL2023: nodeadm `kubelet.flags`).
   * A `--max-pods=N` here sets max pods, as in the article.
   * @default ""
   */
  readonly kubeletExtraArgs?: string;
  /**
   * AL2 bootstrap.sh `--use-max-pods`. The module always passes the effective max pods as a kubelet flag,
   * which wins over bootstrap.sh's own table.
   * @default false
   */
  readonly useMaxPods?: boolean | IResolvable;
  /**
   * Explicit max pods; null means `--max-pods=N` from kubeletExtraArgs, else automatic from the instance type.
   * @default null
   */
  readonly maxPods?: number | null;
  /**
   * The vpc-cni add-on the nodes run with: the group takes `enablePrefixDelegation`, `customNetworking` and
   * `attachCniPolicy` from it (its `prefixDelegation`, `customNetworking` and `attachCniPolicy`), its Auto Scaling
   * group waits for the add-on, and the add-on waits for the node role's policy attachments (so a CNI moving to a
   * role of its own loses the node role's CNI policy only after its update). Any of the three given here as well must
   * agree with the add-on: a known mismatch is refused at synth time, one that involves a token at plan time.
   * @default undefined (give the three yourself, and `dependsOn: [addon.addon]`)
   */
  readonly cni?: VpcCniAddon;
  /**
   * Whether the VPC CNI runs in prefix mode (must match the vpc-cni add-on).
   * @default `cni.prefixDelegation` with `cni`, else true
   */
  readonly enablePrefixDelegation?: boolean | IResolvable;
  /**
   * Whether the VPC CNI uses custom networking (must match the vpc-cni add-on): pods skip the primary
   * interface, so max pods counts one interface less.
   * @default `cni.customNetworking` with `cni`, else false
   */
  readonly customNetworking?: boolean | IResolvable;
  /**
   * Auto Scaling group minimum size.
   * @default 1
   */
  readonly minSize?: number;
  /**
   * Auto Scaling group maximum size.
   * @default 3
   */
  readonly maxSize?: number;
  /**
   * Auto Scaling group desired size at creation; later changes are left to autoscalers.
   * @default 2
   */
  readonly desiredSize?: number;
  /**
   * Size in GiB of the encrypted gp3 root volume (Bottlerocket: the data volume); at least 20.
   * @default 20
   */
  readonly rootVolumeSize?: number;
  /**
   * How an instance refresh replaces nodes; unset fields take {@link INSTANCE_REFRESH_DEFAULTS}.
   * @default launch before terminate: min healthy 100 %, max healthy 200 %, warm-up 300 s, skip matching
   */
  readonly instanceRefresh?: InstanceRefreshSettings | IResolvable;
  /**
   * Drain nodes before they terminate: a termination lifecycle hook on the group, and an SQS queue fed by
   * EventBridge rules for aws-node-termination-handler in queue mode.
   * @default true
   */
  readonly terminationHandling?: boolean | IResolvable;
  /**
   * Seconds the termination lifecycle hook holds a terminating node for the handler to drain it; then the
   * termination continues.
   * @default 300
   */
  readonly terminationHeartbeatTimeout?: number;
  /**
   * Launch readiness gate: a launching lifecycle hook (default result ABANDON) holds each new node in
   * Pending:Wait until the node itself reports that its kubelet is healthy and the VPC CNI has written its
   * config; a node that does not within `nodeReadyTimeout` is abandoned, so an instance refresh fails and rolls
   * back. The nodes need to reach the Auto Scaling API (a VPC endpoint in subnets without internet). Bottlerocket
   * groups keep EC2's health (the `warnings` output says so).
   * @default true
   */
  readonly launchReadinessGate?: boolean | IResolvable;
  /**
   * Seconds the launching hook waits for a new node to report ready (30 to 7200); then Auto Scaling abandons it.
   * @default 600
   */
  readonly nodeReadyTimeout?: number | IResolvable;
  /**
   * IMDSv2 hop limit: 1 keeps pods outside the host network away from the node's credentials; 2 lets them
   * reach IMDS.
   * @default 1
   */
  readonly metadataHttpPutResponseHopLimit?: MetadataHopLimit;
  /**
   * Attach AmazonEKS_CNI_Policy to the node role. Turn off when the CNI has its own role (IRSA or Pod Identity).
   * @default `cni.attachCniPolicy` with `cni`, else true
   */
  readonly attachCniPolicy?: boolean | IResolvable;
  /**
   * Attach AmazonSSMManagedInstanceCore to the node role, for Session Manager shells on the nodes.
   * @default false
   */
  readonly attachSsmPolicy?: boolean | IResolvable;
  /**
   * Create an EKS access entry (type EC2_LINUX) for the node role; clusters in CONFIG_MAP authentication
   * mode refuse it (map the role in aws-auth instead).
   * @default true
   */
  readonly createAccessEntry?: boolean | IResolvable;
  /**
   * Size kubelet kube-reserved memory from the effective max pods (11 MiB per pod + 255 MiB) instead of the AMI's default.
   * @default true
   */
  readonly kubeReservedFollowsMaxPods?: boolean | IResolvable;
  /**
   * kube-reserved quantities (cpu, memory, ephemeral-storage; pid except on Bottlerocket) that replace the
   * computed ones key by key.
   * @default null
   */
  readonly kubeReserved?: KubeReservedQuantities | null;
  /**
   * Tags for every resource and the nodes (instances, volumes, network interfaces).
   * @default {}
   */
  readonly tags?: Record<string, string>;
  /**
   * The cluster's vpc-cni add-on when something else manages it (its `addonVersion` and `configurationValues`, as
   * `DataAwsEksAddon` reads them): the plan is refused unless it runs the CNI in the mode this group works out max
   * pods for (ENABLE_PREFIX_DELEGATION as `enablePrefixDelegation`, AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG as
   * `customNetworking`, v1.9.0 or later with prefixes). null checks nothing (the caller configures the add-on).
   * @default null
   */
  readonly existingVpcCniAddon?: ExistingVpcCniAddon | IResolvable | null;
  /**
   * Resources the Auto Scaling group waits for, e.g. the vpc-cni add-on, so new nodes start with its settings.
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}
