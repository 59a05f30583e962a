import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformOutput, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { relative } from "node:path";
import type { Environment } from "./config.js";
import { NODE_GROUP_DEFAULTS, NodeGroup } from "./node-group.js";
import { NODE_GROUP_RULES } from "./node-group-rules.js";
import { PrefixReservations } from "./prefix-reservations.js";
import { ReadableStack } from "./readable-stack.js";
import { validationsFor } from "./rules.js";
import { VpcCniAddon } from "./vpc-cni-addon.js";

/** Tag every resource of a root stack carries, naming its environment. */
export const ENVIRONMENT_TAG = "eks-pod-density:environment";

export interface RootStackProps {
  /** The environment to deploy. */
  readonly environment: Environment;
  /**
   * Folder the stack is synthesized into (`<outdir>/stacks/<name>`), to write
   * the local state path relative to it.
   * @default "cdktf.out/stacks/<name>"
   */
  readonly stackDir?: string;
}

/**
 * One environment's root module, as in the article: the values, the existing
 * cluster, the vpc-cni add-on in prefix mode, optional prefix reservations,
 * and the node group, which waits for both. Deploy with `cdktf deploy <environment>`.
 */
export class RootStack extends ReadableStack {
  public readonly nodeGroup: NodeGroup;
  public readonly vpcCni: VpcCniAddon;
  public readonly prefixReservations: PrefixReservations;

  constructor(scope: Construct, props: RootStackProps) {
    const env = props.environment;
    super(scope, env.name);

    new AwsProvider(this, "aws", {
      region: env.region,
      defaultTags: [{ tags: { ...env.tags, [ENVIRONMENT_TAG]: env.name } }],
    });
    this.configureBackend(env, props.stackDir ?? `cdktf.out/stacks/${env.name}`);

    // The article's two variables (variables.tf / terraform.tfvars), defaulting to the environment's values:
    // `cdktf deploy <env> --var kubelet_extra_args=...` or a tfvars file overrides them.
    const kubeletExtraArgs = new TerraformVariable(this, "kubelet_extra_args", {
      type: "string",
      nullable: false,
      default: env.kubelet_extra_args,
      description: "Extra kubelet flags for the nodes (AL2: --kubelet-extra-args). A --max-pods=N here sets max pods.",
      validation: validationsFor(NODE_GROUP_RULES, "kubelet_extra_args"),
    });
    const useMaxPods = new TerraformVariable(this, "use_max_pods", {
      type: "bool",
      nullable: false,
      default: env.use_max_pods,
      description: "AL2 bootstrap.sh --use-max-pods.",
    });

    const cluster = new DataAwsEksCluster(this, "cluster", { name: env.cluster_name });

    this.vpcCni = new VpcCniAddon(this, "vpc_cni", {
      clusterName: env.cluster_name,
      kubernetesVersion: cluster.version,
      addonVersion: env.vpc_cni_addon_version,
      enablePrefixDelegation: env.enable_prefix_delegation,
      warmPrefixTarget: env.warm_prefix_target,
      warmIpTarget: env.warm_ip_target,
      minimumIpTarget: env.minimum_ip_target,
    });

    // Reserved /28 room in the node subnets (none unless the environment lists blocks).
    this.prefixReservations = new PrefixReservations(this, "prefix_reservations", {
      reservations: env.prefix_reservations.map((r) => ({
        subnetId: r.subnet_id,
        cidrBlock: r.cidr_block,
        ...(r.description ? { description: r.description } : {}),
      })),
    });

    this.nodeGroup = new NodeGroup(this, "node_group", {
      clusterName: env.cluster_name,
      clusterEndpoint: cluster.endpoint,
      clusterCertificateAuthorityData: cluster.certificateAuthority.get(0).data,
      clusterServiceCidr: cluster.kubernetesNetworkConfig.get(0).serviceIpv4Cidr,
      kubernetesVersion: env.kubernetes_version ?? cluster.version,
      subnetIds: env.subnet_ids,
      securityGroupIds: [cluster.vpcConfig.get(0).clusterSecurityGroupId],
      name: env.node_group_name,
      instanceType: env.instance_type,
      amiType: env.ami_type,
      kubeletExtraArgs: kubeletExtraArgs.stringValue,
      useMaxPods: useMaxPods.booleanValue,
      maxPods: env.max_pods ?? NODE_GROUP_DEFAULTS.maxPods,
      enablePrefixDelegation: env.enable_prefix_delegation,
      minSize: env.min_size,
      maxSize: env.max_size,
      desiredSize: env.desired_size,
      kubeReservedFollowsMaxPods: env.kube_reserved_follows_max_pods,
      kubeReserved: env.kube_reserved,
      // New nodes start only once the CNI runs in prefix mode and their prefix room is reserved.
      dependsOn: [this.vpcCni.addon, this.prefixReservations.reservation],
    });

    const output = (name: string, value: unknown, description: string) =>
      new TerraformOutput(this, `output:${name}`, { value, description });
    output("max_pods", this.nodeGroup.maxPods, "Effective max pods per node.");
    output("kube_reserved", this.nodeGroup.kubeReserved, "kube-reserved rendered into the nodes' user data.");
    output("autoscaling_group_name", this.nodeGroup.autoscalingGroup.name, "Name of the nodes' Auto Scaling group.");
    output("vpc_cni_addon_version", this.vpcCni.addonVersion, "The vpc-cni add-on version installed.");
    output("vpc_cni_configuration_values", this.vpcCni.configurationValues, "The JSON sent to EKS as the add-on's configuration values.");
    output("node_user_data", this.nodeGroup.userData, "The nodes' user data, plain text.");
  }

  private configureBackend(env: Environment, stackDir: string): void {
    const backend = env.backend;
    switch (backend.type) {
      case "local":
        // `path` is relative to the project folder; terraform runs in the stack's folder, so the state
        // would otherwise land in (and be lost with) cdktf.out.
        new LocalBackend(this, { path: relative(stackDir, backend.path ?? `terraform.${env.name}.tfstate`) });
        break;
      case "s3":
        new S3Backend(this, {
          bucket: backend.bucket,
          key: backend.key,
          region: backend.region,
          encrypt: backend.encrypt,
        }).addOverride("use_lockfile", backend.use_lockfile);
        break;
      case "cloud":
        new CloudBackend(this, {
          organization: backend.organization,
          hostname: backend.hostname,
          workspaces: new NamedCloudWorkspace(backend.workspace),
        });
        break;
    }
  }
}
