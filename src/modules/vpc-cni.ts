import type { Construct } from "constructs";
import { KUBERNETES_VERSIONS } from "../ami.js";
import { ModuleStack } from "../module-stack.js";
import { VPC_CNI_DEFAULTS as D, TYPED_ENV, VpcCniAddon } from "../vpc-cni-addon.js";
import { VPC_CNI_RULES } from "../vpc-cni-rules.js";

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
        `**Precedence:** \`extra_env\` passes further variables; when it repeats a key a typed input sets (${Object.values(TYPED_ENV)
          .map((name) => `\`${name}\``)
          .join(", ")}; the last two only when set), the typed input wins, so its validation cannot be bypassed.`,
        "",
        "**Version:** `addon_version` when given, else the most recent version for `kubernetes_version` (read from the",
        "cluster when null). Prefix delegation needs VPC CNI v1.9.0 or later: an older pinned version with prefixes on is",
        "refused at plan time, as is `warm_prefix_target = 0` (unless `warm_ip_target` or `minimum_ip_target` is set).",
        "",
        "**Taking over the pre-installed CNI:** EKS installs aws-node in every cluster. `resolve_conflicts_on_create =",
        '"OVERWRITE"` lets the add-on adopt it (the article found Helm could not), `resolve_conflicts_on_update =',
        '"OVERWRITE"` undoes changes made outside Terraform (e.g. `kubectl set env`), and `preserve = true` keeps the CNI',
        "running if the add-on resource is ever destroyed. `service_account_role_arn` moves the CNI's AWS permissions",
        "off the node role (then set `attach_cni_policy = false` on the node group).",
        "",
        "Nodes only pick up the new max pods when they are replaced: create the node group after this add-on",
        "(`depends_on`), and let its instance refresh roll existing nodes.",
      ].join("\n"),
      usage: [
        'module "vpc_cni" {',
        '  source = "./modules/vpc-cni"',
        "",
        "  cluster_name       = aws_eks_cluster.this.name",
        "  kubernetes_version = aws_eks_cluster.this.version",
        "",
        "  enable_prefix_delegation = true # ENABLE_PREFIX_DELEGATION=true",
        "  warm_prefix_target       = 1    # WARM_PREFIX_TARGET=1",
        "}",
      ].join("\n"),
      rules: VPC_CNI_RULES,
    });

    const v = {
      cluster_name: this.variable("cluster_name", { type: "string", description: "Name of the EKS cluster." }),
      kubernetes_version: this.variable("kubernetes_version", {
        type: "string",
        description: `Kubernetes version used to pick the most recent add-on version (${KUBERNETES_VERSIONS[0]} to ${KUBERNETES_VERSIONS.at(-1)}); null reads it from the cluster.`,
        default: D.kubernetesVersion,
      }),
      addon_version: this.variable("addon_version", {
        type: "string",
        description: "Add-on version, e.g. v1.19.2-eksbuild.1; null uses the most recent one for the Kubernetes version. Prefix delegation needs v1.9.0 or later.",
        default: D.addonVersion,
      }),
      enable_prefix_delegation: this.variable("enable_prefix_delegation", {
        type: "bool",
        description: "ENABLE_PREFIX_DELEGATION: assign /28 prefixes to ENIs instead of single IPs (Nitro nodes). Must match the node group's enable_prefix_delegation.",
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
      extra_env: this.variable("extra_env", {
        type: "map(string)",
        description: "Further VPC CNI environment variables (string values). Typed inputs win over the same keys here.",
        default: D.extraEnv,
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
      tags: this.variable("tags", { type: "map(string)", description: "Tags for the add-on.", default: D.tags }),
    };

    const cni = new VpcCniAddon(this, "this", {
      clusterName: v.cluster_name.stringValue,
      kubernetesVersion: v.kubernetes_version.stringValue,
      addonVersion: v.addon_version.stringValue,
      enablePrefixDelegation: v.enable_prefix_delegation.booleanValue,
      warmPrefixTarget: v.warm_prefix_target.numberValue,
      warmIpTarget: v.warm_ip_target.numberValue,
      minimumIpTarget: v.minimum_ip_target.numberValue,
      extraEnv: v.extra_env.value,
      serviceAccountRoleArn: v.service_account_role_arn.stringValue,
      resolveConflictsOnCreate: v.resolve_conflicts_on_create.stringValue,
      resolveConflictsOnUpdate: v.resolve_conflicts_on_update.stringValue,
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
  }
}
