import { TerraformData } from "../../terraform/terraform-data.js";
import type { Construct } from "constructs";
import { AL2_END_OF_SUPPORT, AMI_TYPE_NAMES, OLDEST_KUBERNETES_VERSION, type AmiType } from "../../rules/ami.js";
import { EVICTION_HARD_MIB, GRAVITON_CMA_MIB, POD_HEADROOM_MIB, VM_MEMORY_OVERHEAD } from "../../rules/max-pods.js";
import { validationsFor } from "../../rules/checker.js";
import { ModuleStack } from "../../terraform/module-stack.js";
import { moduleSource } from "../release.js";
import { testingSection } from "./testing.js";
import {
  CNI_POLICY,
  INSTANCE_REFRESH_DEFAULTS as R,
  NODE_GROUP_DEFAULTS as D,
  NODE_POLICIES,
  NodeGroup,
  SSM_POLICY,
  TERMINATION_HANDLER_MANAGED_TAG,
  instanceRefreshValue,
  type MetadataHopLimit,
} from "../../constructs/node-group/index.js";
import {
  CLUSTER_TAG_PREFIX,
  MAX_CLUSTER_AND_NAME_LENGTH,
  MAX_USER_DATA_BYTES,
  MIN_ROOT_VOLUME_GIB,
  NODE_GROUP_OWN_TAG_COUNT,
  NODE_GROUP_RULES,
} from "../../constructs/node-group/rules.js";
import { MAX_TAGS_PER_RESOURCE } from "../../rules/tags.js";
import { TERMINATION_HANDLER_ACTIONS } from "../../constructs/node-group/termination.js";
import { READINESS_GATE_POLICY_NAME } from "../../constructs/node-group/iam.js";
import { READINESS_HOOK_NAME } from "../../user-data/readiness-gate.js";
import { automaticMaxPods } from "../../rules/max-pods.js";
import { INSTANCE_TYPES_IN_TESTS } from "../../constructs/node-group/rules.js";
import { MOCKED_INSTANCE_TYPE, PUBLISHED_INSTANCE_TYPES, instanceTypeOverride, publishedInstanceType } from "../../rules/published-instance-types.js";

/** The instance_refresh variable's type: every field optional, with the defaults of INSTANCE_REFRESH_DEFAULTS. */
const INSTANCE_REFRESH_TYPE = `object({ min_healthy_percentage = optional(number, ${R.minHealthyPercentage}), max_healthy_percentage = optional(number, ${R.maxHealthyPercentage}), instance_warmup = optional(number, ${R.instanceWarmup}), skip_matching = optional(bool, ${R.skipMatching}), auto_rollback = optional(bool, ${R.autoRollback}), checkpoint_percentages = optional(list(number), []), checkpoint_delay = optional(number) })`;

/** Attributes of data.aws_ec2_instance_type.this the module reads: what a test's override of it must give. */
const INSTANCE_TYPE_ATTRIBUTES = [
  "id",
  "maximum_network_interfaces",
  "maximum_ipv4_addresses_per_interface",
  "default_vcpus",
  "memory_size",
  "hypervisor",
  "bare_metal",
  "default_network_card_index",
  "network_cards",
  "supported_architectures",
];

/**
 * The README section that answers the node group's instance type lookup for other types in a consumer's tests: ready
 * override_data blocks with EC2's figures, and how to get any other type's.
 */
function instanceTypesInTests(): string {
  const target = "module.node_group.data.aws_ec2_instance_type.this";
  const types = PUBLISHED_INSTANCE_TYPES.filter((t) => t.instanceType !== MOCKED_INSTANCE_TYPE);
  const pods = (t: (typeof types)[number], prefixDelegation: boolean) =>
    automaticMaxPods({ ...t, architecture: t.architecture }, { prefixDelegation });
  return [
    `### ${INSTANCE_TYPES_IN_TESTS}`,
    "",
    `The mocks describe a ${MOCKED_INSTANCE_TYPE} whatever \`instance_type\` says, and the module checks that the instance type data it`,
    "read describes the type it asked for (on AWS it always does): a test of another type without an override fails at plan",
    `(\`data.aws_ec2_instance_type describes ${MOCKED_INSTANCE_TYPE}, not instance_type m6i.large …\`) instead of passing on a`,
    `${MOCKED_INSTANCE_TYPE}'s figures. These \`override_data\` blocks answer as EC2 does for common types (\`id\` is the type EC2`,
    "answered for); put one in the `run` block of that type, or at the top of the test file for every run, with your module",
    "block's name in `target`:",
    "",
    "| type | vCPUs | memory (MiB) | interfaces × IPv4 | architecture | max pods: prefixes (addressable) | without prefixes |",
    "|---|---|---|---|---|---|---|",
    ...types.map((t) => {
      const [on, off] = [pods(t, true), pods(t, false)];
      return `| \`${t.instanceType}\` | ${t.vcpus} | ${t.memoryMiB} | ${t.enis} × ${t.ipv4PerEni} | ${t.architecture} | ${on.maxPods} (${on.addressable}) | ${off.maxPods} |`;
    }),
    "",
    ...types.flatMap((t) => [`#### ${t.instanceType}`, "", "```hcl", instanceTypeOverride(target, t, ""), "```", ""]),
    "**Any other type**: ask EC2 for the same attributes (any region that offers the type; the AWS CLI prints JSON, which",
    "HCL takes as it is for `values`):",
    "",
    "```sh",
    "aws ec2 describe-instance-types --instance-types c7i.2xlarge --query 'InstanceTypes[0].{",
    "  id: InstanceType, maximum_network_interfaces: NetworkInfo.MaximumNetworkInterfaces,",
    "  maximum_ipv4_addresses_per_interface: NetworkInfo.Ipv4AddressesPerInterface, default_vcpus: VCpuInfo.DefaultVCpus,",
    "  memory_size: MemoryInfo.SizeInMiB, hypervisor: Hypervisor, bare_metal: BareMetal,",
    "  default_network_card_index: NetworkInfo.DefaultNetworkCardIndex,",
    "  network_cards: NetworkInfo.NetworkCards[].{index: NetworkCardIndex, maximum_interfaces: MaximumNetworkInterfaces,",
    "    baseline_bandwidth: BaselineBandwidthInGbps, peak_bandwidth: PeakBandwidthInGbps, performance: NetworkPerformance},",
    "  supported_architectures: ProcessorInfo.SupportedArchitectures}'",
    "```",
    "",
    "```hcl",
    "override_data {",
    `  target = ${target}`,
    "  values = { ... } # the JSON above; a bare-metal type has no hypervisor: write hypervisor = \"\"",
    "}",
    "```",
  ].join("\n");
}

/** `modules/node-group`: the NodeGroup construct behind Terraform variables and outputs. */
export class NodeGroupModule extends ModuleStack {
  constructor(scope: Construct) {
    super(scope, "node-group", {
      summary: "Self-managed Amazon EKS nodes whose max pods follows VPC CNI prefix delegation.",
      details: [
        "A launch template and Auto Scaling group of EKS-optimized nodes (Amazon Linux 2, Amazon Linux 2023 or Bottlerocket),",
        "with an IAM role, instance profile and EKS access entry, and termination handling for aws-node-termination-handler.",
        "The user data tells the kubelet the node's real max pods:",
        "",
        "- **AL2**: `/etc/eks/bootstrap.sh … --use-max-pods <use_max_pods> --kubelet-extra-args '<flags>'`",
        "- **AL2023**: a nodeadm `NodeConfig` with `kubelet.config.maxPods` (`kubelet_extra_args` become `kubelet.flags`)",
        "- **Bottlerocket**: `[settings.kubernetes] max-pods`",
        "",
        "Effective max pods (output `max_pods`), in order: `max_pods` if set; else `--max-pods=N` in `kubelet_extra_args`;",
        "else automatic from the instance type's EC2 data: `enis × ((ipv4_per_eni − 1) × 16) + 2` with prefix delegation on",
        "a Nitro (or bare-metal) instance, `enis × (ipv4_per_eni − 1) + 2` otherwise, with `enis − 1` under",
        "`custom_networking`, capped at 110 (≤ 30 vCPUs) or 250. `enis` counts the default network card. A t3a.medium goes",
        "from 17 to 110.",
        "",
        `**Memory must fit.** The automatic value is also capped by memory: kube-reserved (11 MiB × max pods + 255 MiB), the`,
        `kubelet's ${EVICTION_HARD_MIB} MiB hard eviction threshold and ${POD_HEADROOM_MIB} MiB for the node's own pods (aws-node, kube-proxy) must`,
        `fit in the memory the kubelet sees: EC2's memory less ${VM_MEMORY_OVERHEAD * 100} % for the hypervisor and kernel (and less`,
        `${GRAVITON_CMA_MIB} MiB on Graviton). A t3.nano gets 4 pods with prefixes instead of 34 it could address; t3.micro keeps 34,`,
        "t3a.medium 110; a t4g.nano (414 MiB seen) gets no automatic value. An explicit value needs only what the kubelet",
        `itself checks, kube-reserved and the eviction threshold: \`max_pods = 4\` on a t4g.nano, as AWS's own table lists it, is`,
        "accepted. An explicit value that the instance cannot address, or whose reservation the kubelet would refuse, is",
        "refused at plan time with the numbers.",
        "",
        "**kube-reserved follows max pods** (output `kube_reserved`, the whole map the kubelet gets): memory 11 MiB per pod +",
        "255 MiB (1465Mi at 110 pods instead of the AMI's 442Mi for 17), with the AMIs' CPU and ephemeral-storage reservations.",
        "`kube_reserved` replaces single keys of it; `kube_reserved_follows_max_pods = false` sizes it as the AMI would.",
        "",
        "**Rolling the nodes.** A change of the image, user data, instance type, volumes, IMDS settings or security groups",
        "makes a new launch template version; the group's instance refresh then replaces the nodes, by default launching",
        "each replacement before its old node terminates (min healthy 100 %, max healthy 200 %) and counting it only after",
        `${R.instanceWarmup} s of warm-up. Tags alone roll nothing: the group and new instances get them at once, new volumes and network`,
        "interfaces with the next roll. A rename of the cluster or the group replaces the group create-before-destroy;",
        "changing `termination_handling` or its timeout replaces it too. Turning `custom_networking` on or off rolls the",
        "nodes even where max pods stays the same: while it is on the user data carries a comment line saying so, and the",
        "old nodes' interfaces stay in the subnets they were attached in until the nodes are replaced.",
        "",
        "**Launch readiness gate** (`launch_readiness_gate`, on by default): a launching lifecycle hook",
        `(\`${READINESS_HOOK_NAME}\`, default result ABANDON, heartbeat \`node_ready_timeout\` = ${D.nodeReadyTimeout} s) holds each new node until the node`,
        "completes it itself: its user data (AL2023: a shell-script part after the NodeConfig; AL2: after bootstrap.sh)",
        "starts a script that waits for the kubelet's healthz (`http://127.0.0.1:10248/healthz`) and the VPC CNI's",
        "`/etc/cni/net.d/10-aws.conflist`, then calls `aws autoscaling complete-lifecycle-action` with CONTINUE. A node",
        "that cannot in time is abandoned, the instance refresh fails on it and rolls back (`auto_rollback` defaults to",
        "true). The node role gets the inline policy",
        `\`${READINESS_GATE_POLICY_NAME}\` (CompleteLifecycleAction on this group's names, DescribeAutoScalingInstances). The`,
        "nodes must reach the Auto Scaling API: in private subnets, the `com.amazonaws.<region>.autoscaling` interface",
        "endpoint; without it every new node is abandoned. A new (or renamed) group starts with the hook among its",
        "`initial_lifecycle_hook`s, so its first nodes are gated too, and its apply waits for them `node_ready_timeout` + 300 s",
        "(`wait_for_capacity_timeout`): nodes that cannot complete the hook fail the apply with the provider's capacity",
        "error or the failed launch's scaling activity, instead of leaving a group that keeps launching and abandoning.",
        "An existing group gets the hook as a resource of its own (`aws_autoscaling_lifecycle_hook.ready`): the provider",
        "sends initial hooks only when it creates a group, and would replace the group to add one, so the group ignores",
        "later changes to them. Bottlerocket nodes cannot complete the hook: Bottlerocket groups get none, and `warnings`",
        "says so.",
        "",
        `**Termination handling** (\`termination_handling\`, on by default): a termination lifecycle hook holds each terminating`,
        "node for `termination_heartbeat_timeout` seconds (default result CONTINUE: without a handler the node only waits),",
        "an SSE-encrypted SQS queue receives EventBridge rules for the group's termination lifecycle actions, EC2 Spot",
        "interruption warnings, rebalance recommendations, instance state changes and AWS Health scheduled changes for",
        "EC2, and instances carry the",
        `\`${TERMINATION_HANDLER_MANAGED_TAG}\` tag the handler looks for. Install aws-node-termination-handler in queue mode against`,
        "`termination_queue_url`, with a role that has the policy in `termination_handler_policy_json`:",
        "",
        "```sh",
        "helm upgrade --install aws-node-termination-handler \\",
        "  oci://public.ecr.aws/aws-ec2/helm/aws-node-termination-handler --version 0.27.6 \\",
        "  --namespace kube-system \\",
        "  --set enableSqsTerminationDraining=true \\",
        '  --set queueURL="$(terraform output -raw termination_queue_url)" \\',
        '  --set serviceAccount.annotations."eks\\.amazonaws\\.com/role-arn"=<role with termination_handler_policy_json>',
        "```",
        "",
        "Secure defaults: IMDSv2 required with hop limit 1 (pods outside the host network cannot take the node's",
        "credentials; set `metadata_http_put_response_hop_limit = 2` for pods that need IMDS), encrypted gp3 volumes of at",
        `least ${MIN_ROOT_VOLUME_GIB} GiB, no public IP, user data checked against EC2's limit (under ${MAX_USER_DATA_BYTES} bytes). Managed policies: ${[...NODE_POLICIES, CNI_POLICY, SSM_POLICY]
          .map((policy) => `\`${policy}\``)
          .join(", ")} (the last two only with \`attach_cni_policy\`, on by default, and \`attach_ssm_policy\`, off by default).`,
        "",
        `Amazon Linux 2: EKS stopped publishing AL2 AMIs on ${AL2_END_OF_SUPPORT} (the last is for Kubernetes 1.32); an AL2 \`ami_type\``,
        "still works, with a note in the output `warnings` (as for prefix delegation asked on a non-Nitro type, and a",
        "memory-capped max pods). Clusters in `CONFIG_MAP` authentication mode refuse access entries: set",
        "`create_access_entry = false` and add `aws_auth_map_role` to the aws-auth ConfigMap.",
      ].join("\n"),
      usage: [
        'module "node_group" {',
        `  source = "${moduleSource("node-group")}"`,
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
        "  # Agree with the add-on, and start new nodes once it runs in prefix mode.",
        "  enable_prefix_delegation = module.vpc_cni.prefix_delegation",
        "  custom_networking        = module.vpc_cni.custom_networking",
        "  attach_cni_policy        = module.vpc_cni.attach_cni_policy # false once aws-node has a role of its own",
        "  wait_for                 = [module.vpc_cni.addon_arn]",
        "}",
      ].join("\n"),
      testing: [
        testingSection({
        module: "node-group",
        call: "node_group",
        answers: [
          "It answers what this module reads: the instance type as EC2 describes a t3a.medium (3 network interfaces × 6 IPv4",
          "addresses, 2 vCPUs, 4096 MiB, Nitro, x86_64), so automatic max pods comes out at 110 with prefix delegation and 17",
          "without; an EKS-optimized AMI id for the AMI's SSM parameter; the `aws` partition.",
        ].join("\n"),
        overrides: [
          {
            address: "data.aws_ec2_instance_type.this",
            what: `Another instance type's EC2 data (max pods, kube-reserved and the memory and architecture checks follow it; \`id\` is the type it describes, which must be \`instance_type\`, see "${INSTANCE_TYPES_IN_TESTS}"): ${INSTANCE_TYPE_ATTRIBUTES.map((a) => `\`${a}\``).join(", ")}.`,
          },
          { address: "data.aws_ssm_parameter.ami[0]", what: "The recommended AMI id (`insecure_value`); read only while `ami_id` is null." },
          { address: "data.aws_partition.current", what: "The partition (`partition`, e.g. `aws-cn`) of the managed policies' ARNs." },
        ],
        afterApply: ["launch_template_id", "autoscaling_group_name", "iam_role_arn", "termination_queue_url"],
        example: [
          "# The root module passes prefix delegation on and sets no max pods: automatic, from the instance type.",
          'run "nodes_take_110_pods" {',
          "  command = plan",
          "",
          "  assert {",
          "    condition     = module.node_group.max_pods == 110",
          '    error_message = "t3a.medium nodes with prefix delegation should take 110 pods, got ${module.node_group.max_pods}"',
          "  }",
          "}",
          "",
          "# Nodes of another type (the root module's instance_type variable feeds the module's): EC2's figures for it,",
          `# from "${INSTANCE_TYPES_IN_TESTS}" below. Without them the plan fails: the mocks describe a t3a.medium.`,
          'run "m6i_large_nodes" {',
          "  command = plan",
          "",
          "  variables {",
          '    instance_type = "m6i.large"',
          "  }",
          "",
          instanceTypeOverride("module.node_group.data.aws_ec2_instance_type.this", publishedInstanceType("m6i.large")!),
          "",
          "  assert {",
          "    condition     = module.node_group.max_pods_addressable == 434 && module.node_group.max_pods == 110",
          '    error_message = "an m6i.large addresses 3 x 9 x 16 + 2 = 434 pods, capped at 110"',
          "  }",
          "}",
          "",
          'run "termination_queue_for_the_handler" {',
          "  command = apply",
          "",
          "  assert {",
          '    condition     = startswith(module.node_group.termination_queue_url, "https://sqs.")',
          '    error_message = "aws-node-termination-handler needs the queue URL, got ${module.node_group.termination_queue_url}"',
          "  }",
          "}",
        ].join("\n"),
        }),
        "",
        instanceTypesInTests(),
      ].join("\n"),
      validations: (input) => validationsFor(NODE_GROUP_RULES, input),
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
        description: `Kubernetes version of the nodes (1.N, from ${OLDEST_KUBERNETES_VERSION} on); picks the EKS-optimized AMI. AL2 AMIs stop at 1.32.`,
      }),
      subnet_ids: this.variable("subnet_ids", {
        type: "list(string)",
        description: "Subnets for the nodes. With prefix delegation they need free contiguous /28 blocks.",
      }),
      security_group_ids: this.variable("security_group_ids", {
        type: "list(string)",
        description:
          "Security groups for the nodes, at least one: e.g. the cluster security group. (Without one EC2 would use the VPC's default group, where nodes cannot reach the control plane.)",
      }),
      name: this.variable("name", {
        type: "string",
        description: `Node group name; resources are named <cluster_name>-<name>. cluster_name and name together hold at most ${MAX_CLUSTER_AND_NAME_LENGTH} characters (the launch template name prefix AWS's provider takes).`,
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
          "Extra kubelet flags (AL2: inside --kubelet-extra-args '…'; AL2023: nodeadm kubelet.flags; not supported on Bottlerocket). A --max-pods=N here sets max pods, as in the article; --kube-reserved is refused (use kube_reserved).",
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
        description: "Whether the VPC CNI runs in prefix mode (ENABLE_PREFIX_DELEGATION); pass the vpc-cni module's prefix_delegation output.",
        default: D.enablePrefixDelegation,
      }),
      custom_networking: this.variable("custom_networking", {
        type: "bool",
        description:
          "Whether the VPC CNI uses custom networking (pods skip the primary interface: one interface less in max pods; a change rolls the nodes); pass the vpc-cni module's custom_networking output.",
        default: D.customNetworking,
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
        description: `Size in GiB of the encrypted gp3 root volume (Bottlerocket: the data volume), at least ${MIN_ROOT_VOLUME_GIB}.`,
        default: D.rootVolumeSize,
      }),
      instance_refresh: this.variable("instance_refresh", {
        type: INSTANCE_REFRESH_TYPE,
        description: `How the instance refresh replaces nodes when the launch template changes. Defaults: min_healthy_percentage ${R.minHealthyPercentage} and max_healthy_percentage ${R.maxHealthyPercentage} (each replacement launches before its old node terminates), instance_warmup ${R.instanceWarmup} s (time to join before the next node goes), skip_matching ${R.skipMatching}, auto_rollback ${R.autoRollback}, no checkpoints (checkpoint_percentages, checkpoint_delay).`,
        // checkpoint_delay is left out: optional() makes it null (cdktf cannot write a null inside a default).
        default: Object.fromEntries(Object.entries(instanceRefreshValue({})).filter(([, value]) => value !== null)),
      }),
      termination_handling: this.variable("termination_handling", {
        type: "bool",
        description:
          "Drain nodes before they terminate: a termination lifecycle hook, an encrypted SQS queue and EventBridge rules for aws-node-termination-handler in queue mode. Changing it replaces the Auto Scaling group.",
        default: D.terminationHandling,
      }),
      termination_heartbeat_timeout: this.variable("termination_heartbeat_timeout", {
        type: "number",
        description: "Seconds the termination lifecycle hook holds a terminating node for the handler's drain (30 to 7200); then termination continues (CONTINUE).",
        default: D.terminationHeartbeatTimeout,
      }),
      launch_readiness_gate: this.variable("launch_readiness_gate", {
        type: "bool",
        description:
          "Launch readiness gate: a launching lifecycle hook (default result ABANDON) holds each new node until the node completes it itself, once its kubelet is healthy and the VPC CNI has written its config; a node that does not within node_ready_timeout is abandoned, and the instance refresh fails and rolls back. The nodes must reach the Auto Scaling API. Off for Bottlerocket (see the warnings output).",
        default: D.launchReadinessGate,
      }),
      node_ready_timeout: this.variable("node_ready_timeout", {
        type: "number",
        description: `Seconds the launching lifecycle hook waits for a new node to report ready (30 to 7200; default ${D.nodeReadyTimeout}, twice Auto Scaling's default health check grace period); then Auto Scaling abandons the node.`,
        default: D.nodeReadyTimeout,
      }),
      metadata_http_put_response_hop_limit: this.variable("metadata_http_put_response_hop_limit", {
        type: "number",
        description:
          "IMDSv2 hop limit: 1 (default) keeps pods outside the host network away from the node's credentials (aws-node runs in the host network); 2 lets pods reach IMDS, for add-ons that read it without IRSA or Pod Identity.",
        default: D.metadataHttpPutResponseHopLimit,
      }),
      attach_cni_policy: this.variable("attach_cni_policy", {
        type: "bool",
        description: "Attach AmazonEKS_CNI_Policy to the node role. Set false when the VPC CNI has its own role (IRSA or Pod Identity).",
        default: D.attachCniPolicy,
      }),
      attach_ssm_policy: this.variable("attach_ssm_policy", {
        type: "bool",
        description: "Attach AmazonSSMManagedInstanceCore to the node role, for Session Manager shells on the nodes.",
        default: D.attachSsmPolicy,
      }),
      create_access_entry: this.variable("create_access_entry", {
        type: "bool",
        description:
          "Create an EKS access entry (type EC2_LINUX) for the node role. Set false for clusters in CONFIG_MAP authentication mode (EKS refuses the entry there) and map aws_auth_map_role in the aws-auth ConfigMap.",
        default: D.createAccessEntry,
      }),
      kube_reserved_follows_max_pods: this.variable("kube_reserved_follows_max_pods", {
        type: "bool",
        description:
          "Size kube-reserved from the effective max pods (memory 11 MiB per pod + 255 MiB; the AMIs' CPU and 1Gi ephemeral storage). False keeps the AMI's own sizing, which follows the instance's default max pods.",
        default: D.kubeReservedFollowsMaxPods,
      }),
      kube_reserved: this.variable("kube_reserved", {
        type: "map(string)",
        description:
          "kube-reserved quantities that replace the computed ones key by key (cpu, memory, ephemeral-storage, and pid except on Bottlerocket); the rest is kept.",
        default: D.kubeReserved,
      }),
      tags: this.variable("tags", {
        type: "map(string)",
        description: `Tags for every resource and the nodes (instances, volumes, network interfaces); at most ${MAX_TAGS_PER_RESOURCE - NODE_GROUP_OWN_TAG_COUNT}, not Name, ${CLUSTER_TAG_PREFIX}* or ${TERMINATION_HANDLER_MANAGED_TAG}.`,
        default: D.tags,
      }),
      existing_vpc_cni_addon: this.variable("existing_vpc_cni_addon", {
        type: "object({ addon_version = string, configuration_values = string })",
        description:
          "The cluster's vpc-cni add-on when another configuration manages it: pass data.aws_eks_addon.vpc_cni whole. The plan is refused unless it runs the CNI in this group's mode (ENABLE_PREFIX_DELEGATION as enable_prefix_delegation, AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG as custom_networking, v1.9.0 or later with prefixes). null checks nothing (use it when modules/vpc-cni configures the add-on: feed its outputs instead).",
        default: D.existingVpcCniAddon,
      }),
      wait_for: this.variable("wait_for", {
        type: "list(string)",
        description:
          "Values the Auto Scaling group waits for before it creates nodes, e.g. [module.vpc_cni.addon_arn] so new nodes start with prefix delegation on. Unlike a module-level depends_on, this keeps the module's data sources (and its checks) at plan time.",
        default: [],
      }),
    };

    // A module cannot take depends_on targets as inputs; the ASG depends on this resource, which holds them.
    const waitFor = new TerraformData(this, "data:wait_for", { input: v.wait_for.value });

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
      amiType: v.ami_type.stringValue as AmiType,
      amiId: v.ami_id.stringValue,
      kubeletExtraArgs: v.kubelet_extra_args.stringValue,
      useMaxPods: v.use_max_pods.booleanValue,
      maxPods: v.max_pods.numberValue,
      enablePrefixDelegation: v.enable_prefix_delegation.booleanValue,
      customNetworking: v.custom_networking.booleanValue,
      minSize: v.min_size.numberValue,
      maxSize: v.max_size.numberValue,
      desiredSize: v.desired_size.numberValue,
      rootVolumeSize: v.root_volume_size.numberValue,
      instanceRefresh: v.instance_refresh.value,
      terminationHandling: v.termination_handling.booleanValue,
      terminationHeartbeatTimeout: v.termination_heartbeat_timeout.numberValue,
      launchReadinessGate: v.launch_readiness_gate.booleanValue,
      nodeReadyTimeout: v.node_ready_timeout.numberValue,
      metadataHttpPutResponseHopLimit: v.metadata_http_put_response_hop_limit.numberValue as MetadataHopLimit,
      attachCniPolicy: v.attach_cni_policy.booleanValue,
      attachSsmPolicy: v.attach_ssm_policy.booleanValue,
      createAccessEntry: v.create_access_entry.booleanValue,
      kubeReservedFollowsMaxPods: v.kube_reserved_follows_max_pods.booleanValue,
      kubeReserved: v.kube_reserved.value,
      tags: v.tags.value,
      existingVpcCniAddon: v.existing_vpc_cni_addon.value,
      dependsOn: [waitFor],
    });

    this.output("max_pods", {
      value: nodes.maxPods,
      description: "Effective max pods per node: max_pods, else --max-pods=N in kubelet_extra_args, else automatic from the instance type.",
    });
    this.output("max_pods_addressable", {
      value: nodes.maxPodsAddressable,
      description: "Pods the instance type can give an IP address (the formula before the 110/250 cap and the memory cap).",
    });
    this.output("kube_reserved", {
      value: nodes.kubeReserved,
      description: "The kube-reserved map the nodes' kubelet gets (computed or the AMI's, with kube_reserved's keys over it).",
    });
    this.output("user_data", { value: nodes.userData, description: "Rendered user data, plain text (not base64)." });
    this.output("launch_template_id", { value: nodes.launchTemplate.id, description: "ID of the launch template." });
    this.output("launch_template_latest_version", {
      value: nodes.launchTemplate.latestVersion,
      description: "Latest version of the launch template (the one the Auto Scaling group runs).",
    });
    this.output("autoscaling_group_name", { value: nodes.autoscalingGroup.name, description: "Name of the Auto Scaling group (<cluster_name>-<name>-<suffix>)." });
    this.output("autoscaling_group_arn", { value: nodes.autoscalingGroup.arn, description: "ARN of the Auto Scaling group." });
    this.output("iam_role_arn", { value: nodes.role.arn, description: "ARN of the node IAM role." });
    this.output("iam_role_name", { value: nodes.role.name, description: "Name of the node IAM role." });
    this.output("instance_profile_arn", { value: nodes.instanceProfile.arn, description: "ARN of the node instance profile." });
    this.output("warnings", {
      value: nodes.warnings,
      description:
        "Settings that work but may surprise: prefix delegation on a non-Nitro instance type, Amazon Linux 2 past end of support, max pods capped by memory, a Bottlerocket group without the launch readiness gate. Empty when there are none.",
    });
    this.output("aws_auth_map_role", {
      value: nodes.awsAuthMapRole,
      description: "The aws-auth ConfigMap mapRoles entry (YAML) for the node role, for clusters in CONFIG_MAP authentication mode.",
    });
    this.output("termination_queue_url", {
      value: nodes.termination.queueUrl,
      description: "URL of the SQS queue for aws-node-termination-handler (queueURL); null when termination_handling is off.",
    });
    this.output("termination_queue_arn", {
      value: nodes.termination.queueArn,
      description: "ARN of the termination queue; null when termination_handling is off.",
    });
    this.output("termination_handler_policy_json", {
      value: nodes.termination.handlerPolicyJson,
      description: `IAM policy (JSON) for aws-node-termination-handler's role: ${[...TERMINATION_HANDLER_ACTIONS.lifecycle, ...TERMINATION_HANDLER_ACTIONS.describe, ...TERMINATION_HANDLER_ACTIONS.queue].join(", ")}; null when termination_handling is off.`,
    });
  }
}
