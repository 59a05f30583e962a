import { DataAwsEksAddon } from "@cdktf/provider-aws/lib/data-aws-eks-addon/index.js";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformOutput, TerraformVariable, Token, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { relative } from "node:path";
import { ENVIRONMENT_TAG, podIdentityAgentOwnership, refreshSettings, type AddonOwnership, type Environment } from "./config.js";
import { expr, hcl, literal, stringExpression } from "../terraform/hcl.js";
import { foldTerraform } from "../terraform/fold-terraform.js";
import { importFrom } from "../terraform/import-from.js";
import { MODULE_REQUIRED_VERSION } from "../terraform/module-stack.js";
import { NODE_GROUP_DEFAULTS, NodeGroup, type MetadataHopLimit } from "../constructs/node-group/index.js";
import { NODE_GROUP_RULES } from "../constructs/node-group/rules.js";
import { PrefixReservations } from "../constructs/prefix-reservations.js";
import { ReadableStack } from "../terraform/readable-stack.js";
import { WriteIfChangedSynthesizer } from "./stack-synthesizer.js";
import { validationsFor } from "../rules/checker.js";
import { POD_IDENTITY_AGENT_ADDON, VpcCniAddon } from "../constructs/vpc-cni-addon.js";

export { ENVIRONMENT_TAG } from "./config.js";

/**
 * Terraform versions a root stack with an S3 backend declares: the backend's `use_lockfile` argument (S3 native
 * state locking), which the stack always writes, came with Terraform 1.10.0 (Terraform's CHANGELOG, 1.10.0,
 * backend/s3; experimental in 1.10, generally available from 1.11.0).
 */
export const S3_BACKEND_REQUIRED_VERSION = ">= 1.10.0";

/** The add-ons a root stack may manage, by their EKS names. */
export const VPC_CNI_ADDON = "vpc-cni";
export { POD_IDENTITY_AGENT_ADDON } from "../constructs/vpc-cni-addon.js";

/**
 * The ID Terraform imports an EKS add-on by: `<cluster name>:<add-on name>` (hashicorp/aws, aws_eks_addon's import
 * section; the provider splits it at the colon).
 */
export function addonImportId(clusterName: string, addonName: string): string {
  return `${clusterName}:${addonName}`;
}

/** Cluster authentication modes in which EKS takes access entries (CreateAccessEntry refuses CONFIG_MAP). */
export const ACCESS_ENTRY_MODES = ["API", "API_AND_CONFIG_MAP"] as const;

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
  /** The vpc-cni add-on the stack manages; undefined with `vpc_cni_addon: external`, where it only reads it. */
  public readonly vpcCni?: VpcCniAddon;
  public readonly prefixReservations: PrefixReservations;

  constructor(scope: Construct, props: RootStackProps) {
    const env = props.environment;
    super(scope, env.name);
    // cdktf's synthesizer, but one that leaves the stack file alone when its content is unchanged (stack-synthesizer.ts).
    this.synthesizer = WriteIfChangedSynthesizer.for(this);

    // Configuration is data: literal() keeps a `${` in a tag or path as text instead of a Terraform expression.
    const tags = { ...env.tags, [ENVIRONMENT_TAG]: env.name };
    new AwsProvider(this, "aws", {
      region: env.region,
      defaultTags: [{ tags: literal(tags) }],
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

    // With Pod Identity the CNI needs the agent add-on running first.
    const podIdentity = env.cni_credentials === "pod_identity";
    const podIdentityAgent = podIdentity ? this.podIdentityAgent(env, podIdentityAgentOwnership(env)) : undefined;

    // The vpc-cni add-on: created, adopted (imported, then managed as if created), or read where another owner manages it.
    const existingCni =
      env.vpc_cni_addon === "external" ? new DataAwsEksAddon(this, "vpc_cni", { clusterName: env.cluster_name, addonName: VPC_CNI_ADDON }) : undefined;
    if (!existingCni) {
      this.vpcCni = new VpcCniAddon(this, "vpc_cni", {
        clusterName: env.cluster_name,
        // The stack reads the cluster already: the add-on needs no lookup of its own.
        clusterKubernetesVersion: cluster.version,
        addonVersion: env.vpc_cni_addon_version,
        mostRecent: env.vpc_cni_most_recent,
        enablePrefixDelegation: env.enable_prefix_delegation,
        warmPrefixTarget: env.warm_prefix_target,
        warmIpTarget: env.warm_ip_target,
        minimumIpTarget: env.minimum_ip_target,
        customNetworking: env.custom_networking,
        eniConfigs: Object.fromEntries(
          Object.entries(env.eni_configs).map(([zone, c]) => [zone, { subnetId: c.subnet_id, securityGroupIds: c.security_group_ids }]),
        ),
        eniConfigsManagedElsewhere: env.eni_configs_managed_elsewhere,
        region: env.region,
        extraEnv: env.vpc_cni_extra_env,
        cniCredentials: env.cni_credentials,
        // The stack manages the agent itself (create, adopt or external: aws_eks_addon.pod_identity_agent).
        createPodIdentityAgent: false,
        ...(podIdentityAgent ? { dependsOn: [podIdentityAgent] } : {}),
      });
      if (env.vpc_cni_addon === "adopt") importFrom(this.vpcCni.addon, addonImportId(env.cluster_name, VPC_CNI_ADDON));
    }

    // Access entries where the cluster takes them; aws-auth (output aws_auth_map_roles) where it does not.
    const accessConfig = `${hcl(this, cluster.fqn)}.access_config`;
    const createAccessEntry =
      env.create_access_entry ??
      Token.asAny(expr(`contains(${hcl(this, [...ACCESS_ENTRY_MODES])}, try(${accessConfig}[0].authentication_mode, "CONFIG_MAP"))`));

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
      // One setting for the CNI and the nodes: the group follows the add-on it is given (max pods, the node role's
      // CNI policy) and starts its nodes after it; an add-on managed elsewhere is checked against the same fields.
      ...(this.vpcCni
        ? { cni: this.vpcCni }
        : { enablePrefixDelegation: env.enable_prefix_delegation, customNetworking: env.custom_networking, attachCniPolicy: !podIdentity }),
      minSize: env.min_size,
      maxSize: env.max_size,
      desiredSize: env.desired_size,
      rootVolumeSize: env.root_volume_size,
      instanceRefresh: refreshSettings(env.instance_refresh),
      terminationHandling: env.termination_handling,
      terminationHeartbeatTimeout: env.termination_heartbeat_timeout,
      launchReadinessGate: env.launch_readiness_gate,
      nodeReadyTimeout: env.node_ready_timeout,
      // The loader has checked it (1 or 2).
      metadataHttpPutResponseHopLimit: env.metadata_http_put_response_hop_limit as MetadataHopLimit,
      attachSsmPolicy: env.attach_ssm_policy,
      createAccessEntry,
      kubeReservedFollowsMaxPods: env.kube_reserved_follows_max_pods,
      kubeReserved: env.kube_reserved,
      // An add-on managed elsewhere must run in the mode max pods is worked out for: the plan stops otherwise.
      existingVpcCniAddon: existingCni ? { addonVersion: existingCni.addonVersion, configurationValues: existingCni.configurationValues } : null,
      // Provider default_tags do not reach what the Auto Scaling group launches: the nodes get them here.
      tags,
      // New nodes start only once the CNI runs in prefix mode (cni) and their prefix room (if any) is reserved. With
      // cni the add-on waits for the node role's policy attachments, which are create_before_destroy: aws-node moves
      // to credentials of its own before the role loses AmazonEKS_CNI_Policy, and a returning policy is attached
      // before the add-on leaves its role.
      dependsOn: env.prefix_reservations.length > 0 ? [this.prefixReservations.reservation] : [],
    });

    const output = (name: string, value: unknown, description: string) =>
      new TerraformOutput(this, `output:${name}`, { value, description });
    output("max_pods", this.nodeGroup.maxPods, "Effective max pods per node.");
    output("kube_reserved", this.nodeGroup.kubeReserved, "kube-reserved rendered into the nodes' user data.");
    output("autoscaling_group_name", this.nodeGroup.autoscalingGroup.name, "Name of the nodes' Auto Scaling group.");
    output("vpc_cni_addon_version", this.vpcCni?.addonVersion ?? existingCni!.addonVersion, "The vpc-cni add-on version installed.");
    output(
      "vpc_cni_configuration_values",
      this.vpcCni?.configurationValues ?? existingCni!.configurationValues,
      "The add-on's configuration values: the JSON sent to EKS, or with vpc_cni_addon: external what its owner set.",
    );
    output("termination_queue_url", this.nodeGroup.termination.queueUrl, "SQS queue URL for aws-node-termination-handler (queueURL); null without termination handling.");
    output(
      "termination_handler_policy_json",
      this.nodeGroup.termination.handlerPolicyJson,
      "IAM policy (JSON) for aws-node-termination-handler's role; null without termination handling.",
    );
    output(
      "warnings",
      this.nodeGroup.warnings,
      "Settings that work but may surprise (Amazon Linux 2 past end of support, prefix delegation on a non-Nitro type, max pods capped by memory).",
    );
    output(
      "aws_auth_map_roles",
      stringExpression(`${hcl(this, createAccessEntry)} ? null : ${hcl(this, this.nodeGroup.awsAuthMapRole)}`),
      "The aws-auth mapRoles entry to add for the nodes when the cluster takes no access entries (CONFIG_MAP mode); null otherwise.",
    );
    output("node_user_data", this.nodeGroup.userData, "The nodes' user data, plain text.");
  }

  /**
   * The stack's Terraform JSON as it reads when written by hand: constants folded, and what they leave
   * without effect removed (terraform/fold-terraform.ts). `npm run synth` and `cdktf synth` both write this.
   */
  override toTerraform(): any {
    return foldTerraform(super.toTerraform()).terraform;
  }

  /**
   * The eks-pod-identity-agent add-on, which the CNI's Pod Identity association needs running: created, adopted
   * (imported), or only read where another owner manages it (the read fails the plan when the cluster has none).
   */
  private podIdentityAgent(env: Environment, owner: AddonOwnership): ITerraformDependable {
    const addon = { clusterName: env.cluster_name, addonName: POD_IDENTITY_AGENT_ADDON };
    if (owner === "external") return new DataAwsEksAddon(this, "pod_identity_agent", addon);
    const agent = new EksAddon(this, "pod_identity_agent", addon);
    if (owner === "adopt") importFrom(agent, addonImportId(env.cluster_name, POD_IDENTITY_AGENT_ADDON));
    return agent;
  }

  private configureBackend(env: Environment, stackDir: string): void {
    // The root stack evaluates the modules' expressions, so needs what they need; an S3 backend needs more.
    this.addOverride("terraform.required_version", env.backend.type === "s3" ? S3_BACKEND_REQUIRED_VERSION : MODULE_REQUIRED_VERSION);
    const backend = env.backend;
    switch (backend.type) {
      case "local":
        // `path` is relative to the project folder; terraform runs in the stack's folder, so the state
        // would otherwise land in (and be lost with) cdktf.out.
        new LocalBackend(this, { path: literal(relative(stackDir, backend.path ?? `terraform.${env.name}.tfstate`)) });
        break;
      case "s3":
        new S3Backend(this, {
          bucket: backend.bucket,
          key: literal(backend.key),
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
