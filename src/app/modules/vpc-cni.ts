import type { Construct } from "constructs";
import { OLDEST_KUBERNETES_VERSION } from "../../rules/ami.js";
import { validationsFor } from "../../rules/checker.js";
import { ModuleStack } from "../../terraform/module-stack.js";
import { moduleSource } from "../release.js";
import { testingSection } from "./testing.js";
import { CNI_POLICY } from "../../constructs/node-group/iam.js";
import { CNI_SERVICE_ACCOUNT, ENI_CONFIG_LABEL, POD_IDENTITY_AGENT_ADDON, VPC_CNI_DEFAULTS as D, VpcCniAddon } from "../../constructs/vpc-cni-addon.js";
import { TYPED_ENV_NAMES, VPC_CNI_RULES, type CniCredentials, type ResolveConflictsOnCreate, type ResolveConflictsOnUpdate } from "../../constructs/vpc-cni-rules.js";

/** `modules/vpc-cni`: the VpcCniAddon construct behind Terraform variables and outputs. */
export class VpcCniModule extends ModuleStack {
  constructor(scope: Construct) {
    super(scope, "vpc-cni", {
      summary: "The Amazon VPC CNI (`vpc-cni`) EKS add-on, configured for prefix delegation in code.",
      details: [
        "Replaces `kubectl set env daemonset aws-node -n kube-system ENABLE_PREFIX_DELEGATION=true WARM_PREFIX_TARGET=1`",
        "with an `aws_eks_addon` whose `configuration_values` are built from typed inputs and encoded as the add-on",
        'schema expects: `{"env": {"ENABLE_PREFIX_DELEGATION": "true", "WARM_PREFIX_TARGET": "1"}}` (string values;',
        "unset optional targets are left out, not sent as null).",
        "",
        "**The node group must agree.** The outputs `prefix_delegation` and `custom_networking` are what the CNI runs",
        "with: pass them to the node group's `enable_prefix_delegation` and `custom_networking`, so max pods follows the",
        "CNI. `attach_cni_policy` says whether the node role still needs `AmazonEKS_CNI_Policy` (false once aws-node has a",
        "role of its own): pass it to the node group's `attach_cni_policy`.",
        "",
        `**extra_env** passes further variables, but only names the add-on's configuration schema accepts (EKS refuses`,
        `others at apply with "is not defined in the schema"), not the ones typed inputs own (${TYPED_ENV_NAMES.map((name) => `\`${name}\``).join(", ")}),`,
        "and not `MAX_ENI`, which would lower the pods a node can address without the node group knowing.",
        "",
        "**Custom networking** (`custom_networking = true`) sets `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true` and",
        `\`ENI_CONFIG_LABEL_DEF=${ENI_CONFIG_LABEL}\`: pods then take addresses from the subnet of the ENIConfig named after`,
        "the node's availability zone, and never from the node's primary interface. The CNI attaches no interface for pods",
        "until it finds that ENIConfig, so custom networking needs one per zone of the nodes: give them as `eni_configs`",
        "(keyed by zone name) and the add-on creates them (its configuration values' `eniConfig`), or set",
        "`eni_configs_managed_elsewhere = true` where you apply them yourself. Neither is refused at plan time.",
        "",
        "```hcl",
        "  custom_networking = true",
        "  eni_configs = {",
        '    "ap-northeast-1a" = { subnet_id = "subnet-0a1b2c3d4e5f60101" }',
        '    "ap-northeast-1c" = { subnet_id = "subnet-0a1b2c3d4e5f60102", security_group_ids = ["sg-0123456789abcdef0"] }',
        "  }",
        "```",
        "",
        "Without `security_group_ids` the pods' interfaces take the node's primary interface's groups. Existing nodes keep",
        "their interfaces until replaced: the node group rolls them when its `custom_networking` changes.",
        "",
        "**Version:** `addon_version` when given; else EKS's default version for `kubernetes_version` (read from the cluster",
        "when null), which moves only when the cluster's Kubernetes version does. `most_recent = true` follows the newest",
        "build instead: then any deploy after AWS publishes one upgrades the CNI and restarts aws-node on every node. To pin,",
        "set `addon_version` (list them with `aws eks describe-addon-versions --addon-name vpc-cni --kubernetes-version 1.33`).",
        "Prefix delegation needs v1.9.0 or later: an older version with prefixes on is refused at plan time, as is",
        "`warm_prefix_target = 0` (unless `warm_ip_target` or `minimum_ip_target` is set).",
        "",
        '**Credentials:** `cni_credentials = "node_role"` (default) leaves the CNI\'s EC2 permissions on the node role',
        `(its \`AmazonEKS_CNI_Policy\`). \`"pod_identity"\` creates a role of its own, trusted by \`pods.eks.amazonaws.com\` with`,
        `\`${CNI_POLICY}\`, and binds it to the \`${CNI_SERVICE_ACCOUNT}\` service account through the add-on's Pod Identity`,
        "association (output `cni_role_arn`), and the node group can then drop the policy (`attach_cni_policy =",
        "module.vpc_cni.attach_cni_policy`, false here). `service_account_role_arn` is the IRSA alternative (the output is",
        "false with it too).",
        "",
        `Pod Identity needs the \`${POD_IDENTITY_AGENT_ADDON}\` add-on on every node: with \`"pod_identity"\` this module creates it`,
        "(`create_pod_identity_agent`, on by default) and updates the CNI only after it, so a plain module call never leaves",
        "aws-node without the agent it now gets its credentials from. The module creates it rather than only warning: a",
        "warning is easy to miss in a plan, and without the agent aws-node cannot reach EC2 and pods get no addresses. Set",
        "`create_pod_identity_agent = false` where the cluster has the agent already (EKS refuses a second add-on of the",
        "same name at apply: `ResourceInUseException`), or import it (`to = module.vpc_cni.aws_eks_addon.pod_identity_agent[0]`,",
        `\`id = "<cluster>:${POD_IDENTITY_AGENT_ADDON}"\`). In a private cluster (nodes without a route to the internet) the agent`,
        "needs an interface VPC endpoint for EKS Auth (`com.amazonaws.<region>.eks-auth`), as the EKS user guide's Pod",
        "Identity page says; without it aws-node gets no credentials.",
        "",
        "Moving from the node role to Pod Identity, keep the node role's policy until aws-node runs on its new role (the EKS",
        "user guide's order): apply `cni_credentials = \"pod_identity\"` first, then `attach_cni_policy = false` on the node group",
        "in a second apply. (The eks-pod-density root stacks do this in one apply: the add-on depends on the node role's",
        "policy attachments, which are create_before_destroy, so the policy is detached only after the add-on's update.)",
        "",
        "**Taking over the pre-installed CNI:** EKS installs aws-node in every cluster. `resolve_conflicts_on_create =",
        '"OVERWRITE"` lets the add-on adopt it (the article found Helm could not), `resolve_conflicts_on_update =',
        '"OVERWRITE"` undoes changes made outside Terraform (e.g. `kubectl set env`), and `preserve = true` keeps the CNI',
        "running if the add-on resource is ever destroyed.",
        "",
        "**Nodes after the add-on.** Nodes only pick up a new max pods when they start. Give the node group",
        "`wait_for = [module.vpc_cni.addon_arn]`: Terraform then applies its Auto Scaling group (which starts the nodes, and",
        "rolls them by instance refresh when their max pods changes) only after this add-on. Not a module-level",
        "`depends_on = [module.vpc_cni]` on the node group: that makes every data source inside the node group wait for the",
        "add-on too, so whenever the add-on has a change to apply they are read only during apply, and the instance type's",
        "data, max pods and the checks on them are unknown in the plan.",
        "",
        "## The cluster already has the add-on",
        "",
        "EKS refuses to create an add-on a cluster has already (`ResourceInUseException: Addon already exists`): clusters",
        "made in the console or by eksctl have it. To take it over, import it; Terraform allows `import` blocks only in a",
        "root module, so put this one beside the module call in yours (the ID is `<cluster name>:vpc-cni`):",
        "",
        "```hcl",
        "import {",
        "  to = module.vpc_cni.aws_eks_addon.this",
        '  id = "sre-test:vpc-cni"',
        "}",
        "```",
        "",
        "The first plan then shows the add-on imported and its configuration changed in place, never created. Once the",
        "add-on is in the state the block does nothing more (Terraform skips an import whose resource is there already):",
        "keep it as a record or remove it. Remove the add-on from its previous owner's state first (`terraform state rm`),",
        "or two states fight over one add-on.",
        "",
        "When another configuration stays the add-on's owner (e.g. the cluster's own Terraform), do not call this module:",
        "read the add-on and pass it whole to the node group, which then refuses to plan nodes whose max pods the add-on's",
        "mode cannot serve (`ENABLE_PREFIX_DELEGATION` against `enable_prefix_delegation`, `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG`",
        "against `custom_networking`, v1.9.0 or later with prefixes):",
        "",
        "```hcl",
        'data "aws_eks_addon" "vpc_cni" {',
        "  cluster_name = aws_eks_cluster.this.name",
        '  addon_name   = "vpc-cni"',
        "}",
        "",
        'module "node_group" {',
        "  # ...",
        "  enable_prefix_delegation = true",
        "  existing_vpc_cni_addon   = data.aws_eks_addon.vpc_cni",
        "}",
        "```",
      ].join("\n"),
      usage: [
        'module "vpc_cni" {',
        `  source = "${moduleSource("vpc-cni")}"`,
        "",
        "  cluster_name       = aws_eks_cluster.this.name",
        "  kubernetes_version = aws_eks_cluster.this.version",
        "",
        "  enable_prefix_delegation = true # ENABLE_PREFIX_DELEGATION=true",
        "  warm_prefix_target       = 1    # WARM_PREFIX_TARGET=1",
        "}",
        "",
        "# module \"node_group\" { ... enable_prefix_delegation = module.vpc_cni.prefix_delegation, custom_networking = module.vpc_cni.custom_networking,",
        "#                         attach_cni_policy = module.vpc_cni.attach_cni_policy, wait_for = [module.vpc_cni.addon_arn] }",
      ].join("\n"),
      testing: testingSection({
        module: "vpc-cni",
        call: "vpc_cni",
        answers: [
          "It answers what this module reads: the add-on version EKS offers for the Kubernetes version (`v1.19.2-eksbuild.1`,",
          "which takes prefix delegation), the cluster (when `kubernetes_version` is null too) and the `aws` partition.",
        ].join("\n"),
        overrides: [
          {
            address: "data.aws_eks_addon_version.this[0]",
            what: "The version EKS offers (`version`, as `vX.Y.Z-eksbuild.N`); read only while `addon_version` is null. Below v1.9.0 with prefix delegation on, the plan fails.",
          },
          {
            address: "data.aws_eks_cluster.this[0]",
            what: "The cluster's Kubernetes version (`version`); read only while `kubernetes_version` and `addon_version` are both null.",
          },
          { address: "data.aws_partition.current", what: "The partition (`partition`, e.g. `aws-cn`) of the CNI policy's ARN." },
          {
            address: "data.aws_region.current[0]",
            what: "The provider's region (`name`), the ENIConfigs' `region`; read only with `custom_networking` and `eni_configs`.",
          },
        ],
        afterApply: ["addon_arn", "addon_id", "cni_role_arn"],
        example: [
          'run "cni_in_prefix_mode" {',
          "  command = plan",
          "",
          "  assert {",
          '    condition     = jsondecode(module.vpc_cni.configuration_values).env == { ENABLE_PREFIX_DELEGATION = "true", WARM_PREFIX_TARGET = "1" }',
          '    error_message = "the CNI should assign /28 prefixes and keep one warm, got ${module.vpc_cni.configuration_values}"',
          "  }",
          "}",
          "",
          "# The add-on follows the version EKS offers for the cluster's Kubernetes version.",
          'run "version_eks_offers" {',
          "  command = plan",
          "",
          "  override_data {",
          "    target = module.vpc_cni.data.aws_eks_addon_version.this[0]",
          '    values = { version = "v1.18.3-eksbuild.1" }',
          "  }",
          "",
          "  assert {",
          '    condition     = module.vpc_cni.addon_version == "v1.18.3-eksbuild.1"',
          '    error_message = "the add-on should take the version EKS offers, got ${module.vpc_cni.addon_version}"',
          "  }",
          "}",
          "",
          'run "addon_arn_for_the_nodes" {',
          "  command = apply",
          "",
          "  assert {",
          '    condition     = startswith(module.vpc_cni.addon_arn, "arn:aws:eks:")',
          '    error_message = "the node group waits for the add-on ARN, got ${module.vpc_cni.addon_arn}"',
          "  }",
          "}",
        ].join("\n"),
      }),
      validations: (input) => validationsFor(VPC_CNI_RULES, input),
    });

    const v = {
      cluster_name: this.variable("cluster_name", { type: "string", description: "Name of the EKS cluster." }),
      kubernetes_version: this.variable("kubernetes_version", {
        type: "string",
        description: `Kubernetes version used to look up the add-on version (1.N, from ${OLDEST_KUBERNETES_VERSION} on); null reads it from the cluster.`,
        default: D.kubernetesVersion,
      }),
      addon_version: this.variable("addon_version", {
        type: "string",
        description:
          "Add-on version, e.g. v1.19.2-eksbuild.1; null uses EKS's default version for the Kubernetes version (or the most recent one with most_recent). Prefix delegation needs v1.9.0 or later.",
        default: D.addonVersion,
      }),
      most_recent: this.variable("most_recent", {
        type: "bool",
        description:
          "With addon_version null: follow the most recent add-on version instead of EKS's default one. Every deploy after AWS publishes a new build then upgrades the CNI on every node.",
        default: D.mostRecent,
      }),
      enable_prefix_delegation: this.variable("enable_prefix_delegation", {
        type: "bool",
        description: "ENABLE_PREFIX_DELEGATION: assign /28 prefixes to ENIs instead of single IPs (Nitro nodes). Feed the prefix_delegation output to the node group.",
        default: D.enablePrefixDelegation,
      }),
      warm_prefix_target: this.variable("warm_prefix_target", {
        type: "number",
        description: "WARM_PREFIX_TARGET: free /28 prefixes kept attached to each node (prefix mode only). 0 is refused with prefixes on.",
        default: D.warmPrefixTarget,
      }),
      warm_ip_target: this.variable("warm_ip_target", {
        type: "number",
        description: "WARM_IP_TARGET: free IP addresses kept ready on each node; null leaves it unset.",
        default: D.warmIpTarget,
      }),
      minimum_ip_target: this.variable("minimum_ip_target", {
        type: "number",
        description: "MINIMUM_IP_TARGET: IP addresses allocated when a node starts; null leaves it unset.",
        default: D.minimumIpTarget,
      }),
      custom_networking: this.variable("custom_networking", {
        type: "bool",
        description: `VPC CNI custom networking: AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true and ENI_CONFIG_LABEL_DEF=${ENI_CONFIG_LABEL} (one ENIConfig per zone, named after it: eni_configs, or eni_configs_managed_elsewhere). Feed the custom_networking output to the node group.`,
        default: D.customNetworking,
      }),
      eni_configs: this.variable("eni_configs", {
        type: "map(object({ subnet_id = string, security_group_ids = optional(list(string), []) }))",
        description:
          "With custom_networking: one ENIConfig per availability zone of the nodes, keyed by the zone's name (e.g. ap-northeast-1a): the pod subnet there and the pods' security groups (empty: the node's primary interface's). Rendered into the add-on's configuration values (eniConfig), so EKS creates them.",
        default: D.eniConfigs,
      }),
      eni_configs_managed_elsewhere: this.variable("eni_configs_managed_elsewhere", {
        type: "bool",
        description: "With custom_networking: the ENIConfigs are applied outside this module (kubectl, Helm, another configuration); nothing is rendered for them.",
        default: D.eniConfigsManagedElsewhere,
      }),
      extra_env: this.variable("extra_env", {
        type: "map(string)",
        description:
          "Further VPC CNI environment variables (string values): only names the add-on's configuration schema accepts, not those typed inputs set, not MAX_ENI.",
        default: D.extraEnv,
      }),
      cni_credentials: this.variable("cni_credentials", {
        type: "string",
        description:
          'Where aws-node gets its AWS permissions: "node_role" (the node role\'s AmazonEKS_CNI_Policy) or "pod_identity" (a role of its own bound to the aws-node service account through EKS Pod Identity; needs the eks-pod-identity-agent add-on).',
        default: D.cniCredentials,
      }),
      create_pod_identity_agent: this.variable("create_pod_identity_agent", {
        type: "bool",
        description: `With cni_credentials = "pod_identity": create the ${POD_IDENTITY_AGENT_ADDON} add-on, which Pod Identity needs on every node (the CNI is updated after it). false where the cluster has it already.`,
        default: D.createPodIdentityAgent,
      }),
      service_account_role_arn: this.variable("service_account_role_arn", {
        type: "string",
        description: "IAM role ARN for the aws-node service account (IRSA); null keeps the node role's permissions.",
        default: D.serviceAccountRoleArn,
      }),
      resolve_conflicts_on_create: this.variable("resolve_conflicts_on_create", {
        type: "string",
        description: "NONE or OVERWRITE: OVERWRITE adopts the aws-node EKS pre-installs.",
        default: D.resolveConflictsOnCreate,
      }),
      resolve_conflicts_on_update: this.variable("resolve_conflicts_on_update", {
        type: "string",
        description: "NONE, OVERWRITE or PRESERVE: OVERWRITE undoes changes made outside Terraform.",
        default: D.resolveConflictsOnUpdate,
      }),
      preserve: this.variable("preserve", {
        type: "bool",
        description: "Keep the CNI running in the cluster when the add-on resource is destroyed.",
        default: D.preserve,
      }),
      tags: this.variable("tags", { type: "map(string)", description: "Tags for the add-on and the Pod Identity role.", default: D.tags }),
    };

    const cni = new VpcCniAddon(this, "this", {
      clusterName: v.cluster_name.stringValue,
      kubernetesVersion: v.kubernetes_version.stringValue,
      addonVersion: v.addon_version.stringValue,
      mostRecent: v.most_recent.booleanValue,
      enablePrefixDelegation: v.enable_prefix_delegation.booleanValue,
      warmPrefixTarget: v.warm_prefix_target.numberValue,
      warmIpTarget: v.warm_ip_target.numberValue,
      minimumIpTarget: v.minimum_ip_target.numberValue,
      customNetworking: v.custom_networking.booleanValue,
      eniConfigs: v.eni_configs.value,
      eniConfigsManagedElsewhere: v.eni_configs_managed_elsewhere.booleanValue,
      extraEnv: v.extra_env.value,
      cniCredentials: v.cni_credentials.stringValue as CniCredentials,
      createPodIdentityAgent: v.create_pod_identity_agent.booleanValue,
      serviceAccountRoleArn: v.service_account_role_arn.stringValue,
      resolveConflictsOnCreate: v.resolve_conflicts_on_create.stringValue as ResolveConflictsOnCreate,
      resolveConflictsOnUpdate: v.resolve_conflicts_on_update.stringValue as ResolveConflictsOnUpdate,
      preserve: v.preserve.booleanValue,
      tags: v.tags.value,
    });

    this.output("configuration_values", {
      value: cni.configurationValues,
      description: "The JSON sent to EKS as the add-on's configuration_values.",
    });
    this.output("addon_version", { value: cni.addonVersion, description: "The vpc-cni add-on version installed." });
    this.output("addon_arn", { value: cni.addon.arn, description: "ARN of the add-on." });
    this.output("addon_id", { value: cni.addon.id, description: "ID of the add-on (cluster_name:vpc-cni)." });
    this.output("prefix_delegation", {
      value: v.enable_prefix_delegation.booleanValue,
      description: "Whether the CNI runs in prefix mode: the node group's enable_prefix_delegation.",
    });
    this.output("custom_networking", {
      value: v.custom_networking.booleanValue,
      description: "Whether the CNI uses custom networking: the node group's custom_networking.",
    });
    this.output("attach_cni_policy", {
      value: cni.attachCniPolicy,
      description:
        'Whether the nodes\' role still needs AmazonEKS_CNI_Policy: true while aws-node uses the node role, false with cni_credentials = "pod_identity" or service_account_role_arn. The node group\'s attach_cni_policy.',
    });
    this.output("cni_role_arn", {
      value: cni.cniRoleArn,
      description: 'ARN of the CNI\'s Pod Identity role; null with cni_credentials = "node_role".',
    });
  }
}
