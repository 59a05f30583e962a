import { DataResource } from "cdktf";
import type { Construct } from "constructs";
import { AMI_TYPE_NAMES, KUBERNETES_VERSIONS } from "../ami.js";
import { ModuleStack } from "../module-stack.js";
import { NODE_GROUP_DEFAULTS as D, NodeGroup, CNI_POLICY, NODE_POLICIES } from "../node-group.js";
import { NODE_GROUP_RULES } from "../node-group-rules.js";

/** `modules/node-group`: the NodeGroup construct behind Terraform variables and outputs. */
export class NodeGroupModule extends ModuleStack {
  constructor(scope: Construct) {
    super(scope, "node-group", {
      summary: "Self-managed Amazon EKS nodes whose max pods follows VPC CNI prefix delegation.",
      details: [
        "A launch template and Auto Scaling group of EKS-optimized nodes (Amazon Linux 2, Amazon Linux 2023 or Bottlerocket),",
        "with an IAM role, instance profile and EKS access entry. The user data tells the kubelet the node's real max pods:",
        "",
        "- **AL2**: `/etc/eks/bootstrap.sh … --use-max-pods <use_max_pods> --kubelet-extra-args '<flags>'`",
        "- **AL2023**: a nodeadm `NodeConfig` with `kubelet.config.maxPods` (`kubelet_extra_args` become `kubelet.flags`)",
        "- **Bottlerocket**: `[settings.kubernetes] max-pods`",
        "",
        "Effective max pods (output `max_pods`), in order: `max_pods` if set; else `--max-pods=N` in `kubelet_extra_args`;",
        "else automatic from the instance type's EC2 data: `enis × ((ipv4_per_eni − 1) × 16) + 2` with prefix delegation on",
        "a Nitro instance, `enis × (ipv4_per_eni − 1) + 2` otherwise, capped at 110 (≤ 30 vCPUs) or 250. `enis` counts the",
        "default network card. A t3a.medium goes from 17 to 110. A value above what the instance type can address is",
        "refused at plan time.",
        "",
        "kube-reserved memory follows the effective max pods (11 MiB per pod + 255 MiB: 1465Mi at 110 pods instead of",
        "the AMI's 442Mi for 17), with the AMIs' CPU and ephemeral-storage reservations; see `kube_reserved*`.",
        "",
        "Secure defaults: IMDSv2 required (hop limit 2), encrypted gp3 volumes, no public IP. When the launch template",
        "changes, the Auto Scaling group replaces nodes itself with a rolling instance refresh; `desired_size` applies at",
        "creation only, so an autoscaler can own it afterwards.",
        "",
        `Attached managed policies: ${[...NODE_POLICIES, CNI_POLICY].map((policy) => `\`${policy}\``).join(", ")} (the last one only with \`attach_cni_policy\`).`,
      ].join("\n"),
      usage: [
        'module "node_group" {',
        '  source = "./modules/node-group"',
        "",
        "  cluster_name                       = aws_eks_cluster.this.name",
        "  cluster_endpoint                   = aws_eks_cluster.this.endpoint",
        "  cluster_certificate_authority_data = aws_eks_cluster.this.certificate_authority[0].data",
        "  cluster_service_cidr               = aws_eks_cluster.this.kubernetes_network_config[0].service_ipv4_cidr",
        "  kubernetes_version                 = aws_eks_cluster.this.version",
        "  subnet_ids                         = var.private_subnet_ids",
        "  security_group_ids                 = [aws_eks_cluster.this.vpc_config[0].cluster_security_group_id]",
        "",
        '  instance_type = "t3a.medium" # automatic max pods: 110 with prefix delegation',
        "",
        "  wait_for = [module.vpc_cni.addon_arn] # new nodes start once the CNI runs in prefix mode",
        "}",
      ].join("\n"),
      rules: NODE_GROUP_RULES,
    });

    const v = {
      cluster_name: this.variable("cluster_name", { type: "string", description: "Name of the EKS cluster the nodes join." }),
      cluster_endpoint: this.variable("cluster_endpoint", {
        type: "string",
        description: "The cluster's API server URL (https://…).",
      }),
      cluster_certificate_authority_data: this.variable("cluster_certificate_authority_data", {
        type: "string",
        description: "The cluster's base64-encoded certificate authority data.",
      }),
      cluster_service_cidr: this.variable("cluster_service_cidr", {
        type: "string",
        description: "The cluster's Kubernetes service CIDR (nodeadm needs it; the cluster DNS IP is its tenth address).",
      }),
      kubernetes_version: this.variable("kubernetes_version", {
        type: "string",
        description: `Kubernetes version of the nodes; picks the EKS-optimized AMI. One of ${KUBERNETES_VERSIONS.join(", ")}.`,
      }),
      subnet_ids: this.variable("subnet_ids", {
        type: "list(string)",
        description: "Subnets for the nodes. With prefix delegation they need free contiguous /28 blocks.",
      }),
      security_group_ids: this.variable("security_group_ids", {
        type: "list(string)",
        description: "Security groups for the nodes, e.g. the cluster security group.",
        default: D.securityGroupIds,
      }),
      name: this.variable("name", {
        type: "string",
        description: "Node group name; resources are named <cluster_name>-<name>.",
        default: D.name,
      }),
      instance_type: this.variable("instance_type", { type: "string", description: "EC2 instance type of the nodes.", default: D.instanceType }),
      ami_type: this.variable("ami_type", {
        type: "string",
        description: `AMI type; decides the bootstrap format and architecture. One of ${AMI_TYPE_NAMES.join(", ")}.`,
        default: D.amiType,
      }),
      ami_id: this.variable("ami_id", {
        type: "string",
        description: "Explicit AMI id (of the family ami_type names); null uses the EKS-optimized AMI from AWS's public SSM parameter.",
        default: D.amiId,
      }),
      kubelet_extra_args: this.variable("kubelet_extra_args", {
        type: "string",
        description:
          "Extra kubelet flags (AL2: inside --kubelet-extra-args '…'; AL2023: nodeadm kubelet.flags; not supported on Bottlerocket). A --max-pods=N here sets max pods, as in the article.",
        default: D.kubeletExtraArgs,
      }),
      use_max_pods: this.variable("use_max_pods", {
        type: "bool",
        description:
          "AL2 bootstrap.sh --use-max-pods. The module always passes the effective max pods as a kubelet flag, which wins over bootstrap.sh's own table; true cannot be combined with max_pods or --max-pods=N.",
        default: D.useMaxPods,
      }),
      max_pods: this.variable("max_pods", {
        type: "number",
        description: "Explicit max pods per node (1 to 250); null means --max-pods=N from kubelet_extra_args, else automatic from the instance type.",
        default: D.maxPods,
      }),
      enable_prefix_delegation: this.variable("enable_prefix_delegation", {
        type: "bool",
        description: "Whether the VPC CNI runs in prefix mode (ENABLE_PREFIX_DELEGATION); must match the vpc-cni add-on.",
        default: D.enablePrefixDelegation,
      }),
      min_size: this.variable("min_size", { type: "number", description: "Minimum number of nodes.", default: D.minSize }),
      max_size: this.variable("max_size", { type: "number", description: "Maximum number of nodes.", default: D.maxSize }),
      desired_size: this.variable("desired_size", {
        type: "number",
        description: "Number of nodes at creation; later changes are left to autoscalers (ignored by Terraform).",
        default: D.desiredSize,
      }),
      root_volume_size: this.variable("root_volume_size", {
        type: "number",
        description: "Size in GiB of the encrypted gp3 root volume (Bottlerocket: the data volume).",
        default: D.rootVolumeSize,
      }),
      instance_refresh_min_healthy_percentage: this.variable("instance_refresh_min_healthy_percentage", {
        type: "number",
        description: "Percentage of nodes that stays in service while an instance refresh replaces nodes.",
        default: D.instanceRefreshMinHealthyPercentage,
      }),
      attach_cni_policy: this.variable("attach_cni_policy", {
        type: "bool",
        description: "Attach AmazonEKS_CNI_Policy to the node role. Set false when the VPC CNI has its own role (IRSA or Pod Identity).",
        default: D.attachCniPolicy,
      }),
      create_access_entry: this.variable("create_access_entry", {
        type: "bool",
        description: "Create an EKS access entry (type EC2_LINUX) for the node role. Set false for clusters that only use the aws-auth ConfigMap.",
        default: D.createAccessEntry,
      }),
      kube_reserved_follows_max_pods: this.variable("kube_reserved_follows_max_pods", {
        type: "bool",
        description:
          "Size kube-reserved from the effective max pods (memory 11 MiB per pod + 255 MiB; the AMIs' CPU and 1Gi ephemeral storage). False keeps the AMI's default, which is sized for the default max pods.",
        default: D.kubeReservedFollowsMaxPods,
      }),
      kube_reserved: this.variable("kube_reserved", {
        type: "map(string)",
        description: "Explicit kube-reserved quantities by resource (cpu, memory, ephemeral-storage, pid); wins over the computed ones.",
        default: D.kubeReserved,
      }),
      tags: this.variable("tags", { type: "map(string)", description: "Tags for every resource and the nodes.", default: D.tags }),
      wait_for: this.variable("wait_for", {
        type: "list(string)",
        description:
          "Values the Auto Scaling group waits for before it creates nodes, e.g. [module.vpc_cni.addon_arn] so new nodes start with prefix delegation on. Unlike a module-level depends_on, this keeps the module's data sources (and its checks) at plan time.",
        default: [],
      }),
    };

    // A module cannot take depends_on targets as inputs; the ASG depends on this resource, which holds them.
    const waitFor = new DataResource(this, "data:wait_for", { input: v.wait_for.value });

    const nodes = new NodeGroup(this, "this", {
      clusterName: v.cluster_name.stringValue,
      clusterEndpoint: v.cluster_endpoint.stringValue,
      clusterCertificateAuthorityData: v.cluster_certificate_authority_data.stringValue,
      clusterServiceCidr: v.cluster_service_cidr.stringValue,
      kubernetesVersion: v.kubernetes_version.stringValue,
      subnetIds: v.subnet_ids.listValue,
      securityGroupIds: v.security_group_ids.listValue,
      name: v.name.stringValue,
      instanceType: v.instance_type.stringValue,
      amiType: v.ami_type.stringValue,
      amiId: v.ami_id.stringValue,
      kubeletExtraArgs: v.kubelet_extra_args.stringValue,
      useMaxPods: v.use_max_pods.booleanValue,
      maxPods: v.max_pods.numberValue,
      enablePrefixDelegation: v.enable_prefix_delegation.booleanValue,
      minSize: v.min_size.numberValue,
      maxSize: v.max_size.numberValue,
      desiredSize: v.desired_size.numberValue,
      rootVolumeSize: v.root_volume_size.numberValue,
      instanceRefreshMinHealthyPercentage: v.instance_refresh_min_healthy_percentage.numberValue,
      attachCniPolicy: v.attach_cni_policy.booleanValue,
      createAccessEntry: v.create_access_entry.booleanValue,
      kubeReservedFollowsMaxPods: v.kube_reserved_follows_max_pods.booleanValue,
      kubeReserved: v.kube_reserved.value,
      tags: v.tags.value,
      dependsOn: [waitFor],
    });

    this.output("max_pods", {
      value: nodes.maxPods,
      description: "Effective max pods per node: max_pods, else --max-pods=N in kubelet_extra_args, else automatic from the instance type.",
    });
    this.output("max_pods_addressable", {
      value: nodes.maxPodsAddressable,
      description: "Pods the instance type can give an IP address (the formula before the 110/250 cap).",
    });
    this.output("kube_reserved", {
      value: nodes.kubeReserved,
      description: "kube-reserved quantities rendered into the user data, or null when the AMI's default applies.",
    });
    this.output("user_data", { value: nodes.userData, description: "Rendered user data, plain text (not base64)." });
    this.output("launch_template_id", { value: nodes.launchTemplate.id, description: "ID of the launch template." });
    this.output("launch_template_latest_version", {
      value: nodes.launchTemplate.latestVersion,
      description: "Latest version of the launch template (the one the Auto Scaling group runs).",
    });
    this.output("autoscaling_group_name", { value: nodes.autoscalingGroup.name, description: "Name of the Auto Scaling group." });
    this.output("autoscaling_group_arn", { value: nodes.autoscalingGroup.arn, description: "ARN of the Auto Scaling group." });
    this.output("iam_role_arn", { value: nodes.role.arn, description: "ARN of the node IAM role." });
    this.output("iam_role_name", { value: nodes.role.name, description: "Name of the node IAM role." });
    this.output("instance_profile_arn", { value: nodes.instanceProfile.arn, description: "ARN of the node instance profile." });
  }
}
