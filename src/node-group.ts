import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { DataAwsEc2InstanceType } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter/index.js";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry/index.js";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { TerraformIterator, TerraformLocal, Token, type IResolvable, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { AMI_TYPES, DEFAULT_AMI_TYPE, isAmiType, type AmiFamily } from "./ami.js";
import { addLocal, expr, hcl, hclString, known, withDefaults } from "./hcl.js";
import { kubeReservedExpressions } from "./kube-reserved.js";
import { maxPodsExpressions } from "./max-pods.js";
import { NODE_GROUP_CROSS_RULES, NODE_GROUP_RULES, NODE_GROUP_SIZE_RULES } from "./node-group-rules.js";
import { checkResolved, preconditionsFor } from "./rules.js";
import { USER_DATA_RENDERERS, type BootstrapExpressions } from "./user-data/index.js";

/** Defaults of the optional {@link NodeGroupProps}, shared with the generated module's variables. */
export const NODE_GROUP_DEFAULTS = {
  name: "nodes",
  securityGroupIds: [] as string[],
  instanceType: "t3a.medium",
  amiType: DEFAULT_AMI_TYPE as string,
  amiId: null as string | null,
  kubeletExtraArgs: "",
  useMaxPods: false,
  maxPods: null as number | null,
  enablePrefixDelegation: true,
  minSize: 1,
  maxSize: 3,
  desiredSize: 2,
  rootVolumeSize: 20,
  instanceRefreshMinHealthyPercentage: 66,
  attachCniPolicy: true,
  createAccessEntry: true,
  kubeReservedFollowsMaxPods: true,
  kubeReserved: null as Record<string, string> | null,
  tags: {} as Record<string, string>,
};

/** AWS managed policies every node role gets. */
export const NODE_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonSSMManagedInstanceCore",
] as const;
/** Attached unless the CNI has a role of its own (`attachCniPolicy: false`). */
export const CNI_POLICY = "AmazonEKS_CNI_Policy";

/** IMDS hop limit: 2 lets pods that use the node's credentials reach IMDSv2. */
export const METADATA_HOP_LIMIT = 2;

export interface NodeGroupProps {
  /** Name of the EKS cluster the nodes join. */
  readonly clusterName: string;
  /** The cluster's API server URL. */
  readonly clusterEndpoint: string;
  /** The cluster's base64-encoded certificate authority data. */
  readonly clusterCertificateAuthorityData: string;
  /** The cluster's Kubernetes service CIDR (nodeadm needs it; the DNS IP is its tenth host). */
  readonly clusterServiceCidr: string;
  /** Kubernetes version, e.g. "1.32"; picks the EKS-optimized AMI. */
  readonly kubernetesVersion: string;
  /** Subnets for the nodes. They need free contiguous /28 blocks when prefix delegation is on. */
  readonly subnetIds: string[];
  /**
   * Security groups for the nodes, e.g. the cluster security group.
   * @default []
   */
  readonly securityGroupIds?: string[];
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
   * @default "AL2023_x86_64_STANDARD"
   */
  readonly amiType?: string;
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
   * Whether the VPC CNI runs in prefix mode (must match the vpc-cni add-on).
   * @default true
   */
  readonly enablePrefixDelegation?: boolean | IResolvable;
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
   * Size in GiB of the encrypted gp3 root volume (Bottlerocket: the data volume).
   * @default 20
   */
  readonly rootVolumeSize?: number;
  /**
   * Share of nodes that stays in service while an instance refresh replaces nodes.
   * @default 66
   */
  readonly instanceRefreshMinHealthyPercentage?: number;
  /**
   * Attach AmazonEKS_CNI_Policy to the node role. Turn off when the CNI has its own role (IRSA or Pod Identity).
   * @default true
   */
  readonly attachCniPolicy?: boolean | IResolvable;
  /**
   * Create an EKS access entry (type EC2_LINUX) for the node role, for clusters that use access entries.
   * @default true
   */
  readonly createAccessEntry?: boolean | IResolvable;
  /**
   * Size kubelet kube-reserved memory from the effective max pods (11 MiB per pod + 255 MiB) instead of the AMI's default.
   * @default true
   */
  readonly kubeReservedFollowsMaxPods?: boolean | IResolvable;
  /**
   * Explicit kube-reserved quantities (cpu, memory, ephemeral-storage, pid); wins over the computed ones.
   * @default null
   */
  readonly kubeReserved?: Record<string, string> | null;
  /**
   * Tags for every resource and the nodes.
   * @default {}
   */
  readonly tags?: Record<string, string>;
  /**
   * Resources the Auto Scaling group waits for, e.g. the vpc-cni add-on, so new nodes start with its settings.
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A self-managed EKS node group whose max pods follows VPC CNI prefix
 * delegation: launch template with family-specific user data, Auto Scaling
 * group with rolling instance refresh, IAM role and instance profile, and an
 * EKS access entry.
 */
export class NodeGroup extends Construct {
  /** Effective max pods (explicit → kubelet flag → automatic). */
  public readonly maxPods: number;
  /** Pods the instance type can address (the formula before the cap). */
  public readonly maxPodsAddressable: number;
  /** Rendered user data, plain text. */
  public readonly userData: string;
  /** kube-reserved rendered into the user data, or null when the AMI's default applies. */
  public readonly kubeReserved: IResolvable;
  public readonly launchTemplate: LaunchTemplate;
  public readonly autoscalingGroup: AutoscalingGroup;
  public readonly role: IamRole;
  public readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const p = withDefaults(NODE_GROUP_DEFAULTS, props);

    // Inputs by their Terraform names: what the rules check and the messages name.
    const inputs: Record<string, unknown> = {
      cluster_name: p.clusterName,
      cluster_endpoint: p.clusterEndpoint,
      cluster_certificate_authority_data: p.clusterCertificateAuthorityData,
      cluster_service_cidr: p.clusterServiceCidr,
      kubernetes_version: p.kubernetesVersion,
      subnet_ids: p.subnetIds,
      security_group_ids: p.securityGroupIds,
      name: p.name,
      instance_type: p.instanceType,
      ami_type: p.amiType,
      ami_id: p.amiId,
      kubelet_extra_args: p.kubeletExtraArgs,
      use_max_pods: p.useMaxPods,
      max_pods: p.maxPods,
      enable_prefix_delegation: p.enablePrefixDelegation,
      min_size: p.minSize,
      max_size: p.maxSize,
      desired_size: p.desiredSize,
      root_volume_size: p.rootVolumeSize,
      instance_refresh_min_healthy_percentage: p.instanceRefreshMinHealthyPercentage,
      kube_reserved_follows_max_pods: p.kubeReservedFollowsMaxPods,
      kube_reserved: p.kubeReserved,
      attach_cni_policy: p.attachCniPolicy,
      create_access_entry: p.createAccessEntry,
    };
    checkResolved(this.node.path, inputs, NODE_GROUP_RULES, [...NODE_GROUP_CROSS_RULES, ...NODE_GROUP_SIZE_RULES]);
    const ref: Record<string, string> = Object.fromEntries(
      Object.entries(inputs).map(([input, value]) => [input, hcl(this, value)]),
    );
    const local = (localId: string, expression: string) => addLocal(this, localId, expression);

    // AMI type → family, architecture, image.
    const knownAmiType = known(p.amiType);
    const amiInfo = (field: "family" | "architecture" | "ssmParameter") =>
      knownAmiType !== undefined && isAmiType(knownAmiType)
        ? hclString(AMI_TYPES[knownAmiType][field])
        : `{ ${Object.entries(AMI_TYPES)
            .map(([type, info]) => `${type} = ${hclString(info[field])}`)
            .join(", ")} }[${ref.ami_type}]`;
    const amiFamily = local("ami_family", amiInfo("family"));
    const amiArchitecture = local("ami_architecture", amiInfo("architecture"));
    const amiParameter = new DataAwsSsmParameter(this, "ami", {
      count: Token.asNumber(expr(`${ref.ami_id} == null ? 1 : 0`)),
      name: expr(`format(${amiInfo("ssmParameter")}, ${ref.kubernetes_version})`),
    });
    const imageId = local("image_id", `coalesce(${ref.ami_id}, one(${hcl(this, amiParameter.fqn)}[*].insecure_value))`);

    // Max pods from the instance type's EC2 data.
    const instance = hcl(this, new DataAwsEc2InstanceType(this, "instance_type:this", { instanceType: p.instanceType }).fqn);
    const enis = local("instance_enis", maxPodsExpressions.enis(instance));
    const prefixes = local("prefix_delegation", maxPodsExpressions.prefixDelegation(ref.enable_prefix_delegation, instance));
    const addressable = local("max_pods_addressable", maxPodsExpressions.addressable(enis, instance, prefixes));
    const cap = local("max_pods_cap", maxPodsExpressions.cap(instance));
    const fromArgs = local("max_pods_from_kubelet_args", maxPodsExpressions.fromKubeletArgs(ref.kubelet_extra_args));
    const maxPods = local("max_pods", maxPodsExpressions.effective(ref.max_pods, fromArgs, addressable, cap));
    const kubeReserved = local(
      "kube_reserved",
      kubeReservedExpressions.effective(
        ref.kube_reserved,
        ref.kube_reserved_follows_max_pods,
        kubeReservedExpressions.computed(maxPods, `${instance}.default_vcpus`),
      ),
    );

    // User data: one renderer per family, all from the same effective max pods.
    const bootstrap: BootstrapExpressions = {
      clusterName: ref.cluster_name,
      clusterEndpoint: ref.cluster_endpoint,
      clusterCertificateAuthorityData: ref.cluster_certificate_authority_data,
      clusterServiceCidr: ref.cluster_service_cidr,
      maxPods,
      kubeletExtraArgs: ref.kubelet_extra_args,
      useMaxPods: ref.use_max_pods,
      kubeReserved,
    };
    const knownFamily = knownAmiType !== undefined && isAmiType(knownAmiType) ? AMI_TYPES[knownAmiType].family : undefined;
    const families = (knownFamily ? [knownFamily] : (["AL2", "AL2023", "BOTTLEROCKET"] as AmiFamily[])).map(
      (family) => [family, localTemplate(this, `user_data_${family.toLowerCase()}`, USER_DATA_RENDERERS[family](bootstrap))] as const,
    );
    const userData = local(
      "user_data",
      families
        .slice(0, -1)
        .reduceRight((otherwise, [family, rendered]) => `${amiFamily} == "${family}" ? ${rendered} : ${otherwise}`, families.at(-1)![1]),
    );

    const name = local("name", `format("%s-%s", ${ref.cluster_name}, ${ref.name})`);
    const tags = local("tags", `merge(${hcl(this, p.tags)}, { Name = ${name}, (format("kubernetes.io/cluster/%s", ${ref.cluster_name})) = "owned" })`);
    const partition = hcl(this, new DataAwsPartition(this, "current").partition);

    // IAM: role, managed policies, instance profile, access entry.
    this.role = new IamRole(this, "role:this", {
      namePrefix: expr(`substr(format("%s-", ${name}), 0, 38)`),
      description: expr(`format("EKS nodes of %s", ${name})`),
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: Token.asStringMap(expr(tags)),
      lifecycle: { createBeforeDestroy: true },
    });
    const policies = TerraformIterator.fromMap(
      Token.asStringMap(
        expr(
          `{ for policy in concat(${hcl(this, [...NODE_POLICIES])}, ${ref.attach_cni_policy} ? [${hclString(CNI_POLICY)}] : []) : policy => format("arn:%s:iam::aws:policy/%s", ${partition}, policy) }`,
        ),
      ),
    );
    new IamRolePolicyAttachment(this, "policy:this", {
      forEach: policies,
      role: this.role.name,
      policyArn: policies.value,
    });
    this.instanceProfile = new IamInstanceProfile(this, "profile:this", {
      namePrefix: expr(`substr(format("%s-", ${name}), 0, 38)`),
      role: this.role.name,
      tags: Token.asStringMap(expr(tags)),
      lifecycle: { createBeforeDestroy: true },
    });
    new EksAccessEntry(this, "access_entry:this", {
      count: Token.asNumber(expr(`${ref.create_access_entry} ? 1 : 0`)),
      clusterName: p.clusterName,
      principalArn: this.role.arn,
      type: "EC2_LINUX",
      tags: Token.asStringMap(expr(tags)),
    });

    // Launch template: secure defaults, family-specific volumes, the rules that span inputs.
    // Encrypted gp3 volumes by device name (size null keeps the AMI's size): Bottlerocket keeps
    // pods' data on a second volume.
    const volumeSizes = local(
      "volume_sizes",
      `${amiFamily} == "BOTTLEROCKET" ? tomap({ "/dev/xvda" = null, "/dev/xvdb" = ${ref.root_volume_size} }) : tomap({ "/dev/xvda" = ${ref.root_volume_size} })`,
    );
    const volumes = TerraformIterator.fromMap(Token.asAnyMap(expr(volumeSizes)));
    const preconditionRefs = {
      ...ref,
      ami_family: amiFamily,
      ami_architecture: amiArchitecture,
      max_pods_from_kubelet_args: fromArgs,
      effective_max_pods: maxPods,
      max_pods_addressable: addressable,
      instance_architectures: `${instance}.supported_architectures`,
    };
    this.launchTemplate = new LaunchTemplate(this, "launch_template:this", {
      namePrefix: expr(`format("%s-", ${name})`),
      description: expr(`format("EKS nodes of %s", ${name})`),
      imageId: expr(imageId),
      instanceType: p.instanceType,
      userData: expr(`base64encode(${userData})`),
      updateDefaultVersion: true,
      iamInstanceProfile: { arn: this.instanceProfile.arn },
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: METADATA_HOP_LIMIT,
        instanceMetadataTags: "disabled",
      },
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          deleteOnTermination: "true",
          securityGroups: p.securityGroupIds,
        },
      ],
      blockDeviceMappings: volumes.dynamic({
        device_name: volumes.key,
        ebs: [
          {
            volume_size: volumes.value,
            volume_type: "gp3",
            encrypted: "true",
            delete_on_termination: "true",
          },
        ],
      }),
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: Token.asStringMap(expr(tags)),
      })),
      tags: Token.asStringMap(expr(tags)),
      lifecycle: {
        createBeforeDestroy: true,
        precondition: preconditionsFor(NODE_GROUP_CROSS_RULES, preconditionRefs),
      },
    });

    // Auto Scaling group: nodes roll by themselves when the launch template changes.
    const asgTags = TerraformIterator.fromMap(Token.asStringMap(expr(tags)));
    this.autoscalingGroup = new AutoscalingGroup(this, "autoscaling_group:this", {
      name: expr(name),
      minSize: p.minSize,
      maxSize: p.maxSize,
      desiredCapacity: p.desiredSize,
      vpcZoneIdentifier: p.subnetIds,
      healthCheckType: "EC2",
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      instanceRefresh: {
        strategy: "Rolling",
        preferences: { minHealthyPercentage: p.instanceRefreshMinHealthyPercentage },
      },
      tag: asgTags.dynamic({ key: asgTags.key, value: asgTags.value, propagate_at_launch: true }),
      dependsOn: p.dependsOn,
      lifecycle: {
        ignoreChanges: ["desired_capacity"],
        precondition: preconditionsFor(NODE_GROUP_SIZE_RULES, ref),
      },
    });

    this.maxPods = Token.asNumber(expr(maxPods));
    this.maxPodsAddressable = Token.asNumber(expr(addressable));
    this.userData = Token.asString(expr(userData));
    this.kubeReserved = Token.asAny(expr(kubeReserved));
  }
}

/** A local whose value is a Terraform string template; returns its reference. */
function localTemplate(scope: Construct, id: string, template: string): string {
  return `local.${new TerraformLocal(scope, id, template).friendlyUniqueId}`;
}
