import type { AutoscalingGroup, AutoscalingGroupInstanceRefreshPreferences } from "@cdktf/provider-aws/lib/autoscaling-group/index.js";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter/index.js";
import type { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile/index.js";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import type { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import type { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template/index.js";
import { dependable, Token, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { AL2_END_OF_SUPPORT, AMI_TYPES, isAmiType, type AmiFamily } from "../../rules/ami.js";
import { addLocal, addLocalValue, expr, hcl, hclString, known, literal, stringExpression, withDefaults } from "../../terraform/hcl.js";
import { checkResolved, type CrossRule } from "../../rules/checker.js";
import type { VpcCniAddon } from "../vpc-cni-addon.js";
import { customNetworkingComment, USER_DATA_RENDERERS, type BootstrapExpressions } from "../../user-data/index.js";
import { readinessGateLauncher } from "../../user-data/readiness-gate.js";
import { nodeCapacity } from "./capacity.js";
import { NodeAutoscalingGroup } from "./group.js";
import { NodeRole } from "./iam.js";
import { NodeLaunchTemplate } from "./launch-template.js";
import { INSTANCE_REFRESH_DEFAULTS, NODE_GROUP_DEFAULTS, type InstanceRefreshSettings, type NodeGroupProps } from "./props.js";
import { CLUSTER_TAG_PREFIX, NODE_GROUP_CROSS_RULES, NODE_GROUP_RULES, NODE_GROUP_SIZE_RULES } from "./rules.js";
import { TerminationHandling } from "./termination.js";
import { EXISTING_VPC_CNI_RULES, existingCniRefs, type ExistingVpcCniAddon } from "./existing-cni.js";

export { CNI_POLICY, NODE_POLICIES, SSM_POLICY } from "./iam.js";
export {
  INSTANCE_REFRESH_DEFAULTS,
  NODE_GROUP_DEFAULTS,
  type InstanceRefreshSettings,
  type KubeReservedQuantities,
  type MetadataHopLimit,
  type NodeGroupProps,
} from "./props.js";
export { TERMINATION_HOOK_NAME } from "./group.js";
export { TERMINATION_HANDLER_MANAGED_TAG } from "./rules.js";
export { EXISTING_VPC_CNI_RULES, type ExistingVpcCniAddon } from "./existing-cni.js";

/** instance_refresh as the module's object variable names its fields. */
export function instanceRefreshValue(settings: InstanceRefreshSettings): Record<string, unknown> {
  const s = withDefaults(INSTANCE_REFRESH_DEFAULTS, settings);
  return {
    min_healthy_percentage: s.minHealthyPercentage,
    max_healthy_percentage: s.maxHealthyPercentage,
    instance_warmup: s.instanceWarmup,
    skip_matching: s.skipMatching,
    auto_rollback: s.autoRollback,
    checkpoint_percentages: s.checkpointPercentages,
    checkpoint_delay: s.checkpointDelay,
  };
}

/**
 * A self-managed EKS node group whose max pods follows VPC CNI prefix
 * delegation. Its parts: capacity (max pods and kube-reserved from the
 * instance type), user data per AMI family, the node role, the launch
 * template, the Auto Scaling group with its refresh and lifecycle hook,
 * termination handling, and warnings for settings that work but surprise.
 */
export class NodeGroup extends Construct {
  /**
   * Effective max pods (explicit → kubelet flag → automatic). A Terraform token, not a number you can compute
   * with: Terraform works it out at plan time from the instance type's EC2 data. Pass it to resources and
   * outputs (`new TerraformOutput(this, "max_pods", { value: nodes.maxPods })`); `Token.isUnresolved` is true for
   * it. For the number in TypeScript, apply the same rule to the type's figures: `automaticMaxPods` (exported too).
   */
  public readonly maxPods: number;
  /** Pods the instance type can address (the formula before the cap): a Terraform token, as {@link maxPods}. */
  public readonly maxPodsAddressable: number;
  /** Rendered user data, plain text: a Terraform token (a placeholder string in TypeScript), known at plan time. */
  public readonly userData: string;
  /** The kube-reserved map the nodes' kubelet gets: a Terraform token, known at plan time. */
  public readonly kubeReserved: IResolvable;
  public readonly launchTemplate: LaunchTemplate;
  public readonly autoscalingGroup: AutoscalingGroup;
  public readonly role: IamRole;
  public readonly instanceProfile: IamInstanceProfile;
  /**
   * The node role's AWS managed policy attachments (`AmazonEKS_CNI_Policy` among them unless `attachCniPolicy` is
   * false): a CNI add-on that moves aws-node to credentials of its own should depend on them, so the policy is
   * detached only after the add-on runs on its new role.
   */
  public readonly policyAttachments: IamRolePolicyAttachment;
  /** Termination queue and the handler's policy (null values when termination handling is off). */
  public readonly termination: TerminationHandling;
  /**
   * Settings that work but surprise (non-Nitro prefixes, AL2 past end of support, memory-capped max pods, Bottlerocket
   * without the gate): a Terraform token for a list, known at plan time (its length in TypeScript means nothing).
   */
  public readonly warnings: string[];
  /** The aws-auth mapRoles entry for the node role (clusters in CONFIG_MAP mode), YAML: a Terraform token, known after apply. */
  public readonly awsAuthMapRole: string;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    // With `cni`, the add-on's settings are the defaults of the three that must agree with it.
    const cni = props.cni;
    const p = withDefaults(NODE_GROUP_DEFAULTS, {
      ...(cni ? { enablePrefixDelegation: cni.prefixDelegation, customNetworking: cni.customNetworking, attachCniPolicy: cni.attachCniPolicy } : {}),
      ...withDefaults({}, props),
    });

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
      custom_networking: p.customNetworking,
      min_size: p.minSize,
      max_size: p.maxSize,
      desired_size: p.desiredSize,
      root_volume_size: p.rootVolumeSize,
      instance_refresh: Token.isUnresolved(p.instanceRefresh) ? p.instanceRefresh : instanceRefreshValue(p.instanceRefresh as InstanceRefreshSettings),
      termination_handling: p.terminationHandling,
      termination_heartbeat_timeout: p.terminationHeartbeatTimeout,
      launch_readiness_gate: p.launchReadinessGate,
      node_ready_timeout: p.nodeReadyTimeout,
      metadata_http_put_response_hop_limit: p.metadataHttpPutResponseHopLimit,
      kube_reserved_follows_max_pods: p.kubeReservedFollowsMaxPods,
      kube_reserved: p.kubeReserved,
      attach_cni_policy: p.attachCniPolicy,
      attach_ssm_policy: p.attachSsmPolicy,
      create_access_entry: p.createAccessEntry,
      tags: p.tags,
      existing_vpc_cni_addon: existingAddonValue(p.existingVpcCniAddon),
    };
    // The existing add-on's rules only where one is given (the root stack and the module pass it; most callers do not).
    const existingCni = p.existingVpcCniAddon !== null;
    // With `cni`, a setting also given by hand must agree with the add-on: the add-on's values join the inputs.
    const cniSettings = cni ? cniAgreement(props, cni) : { rules: [], values: {} };
    const crossRules = [...NODE_GROUP_CROSS_RULES, ...(existingCni ? EXISTING_VPC_CNI_RULES : []), ...cniSettings.rules];
    checkResolved(this.node.path, { ...inputs, ...cniSettings.values }, NODE_GROUP_RULES, [...crossRules, ...NODE_GROUP_SIZE_RULES], NESTED_INPUTS);
    const ref: Record<string, string> = Object.fromEntries(
      Object.entries(inputs).map(([input, value]) => [input, hcl(this, value)]),
    );
    const local = (localId: string, expression: string) => addLocal(this, localId, expression);

    // AMI type → family, architecture, image: literals when the type is known, else read from the table of AMI types.
    const knownAmiType = known(p.amiType);
    const knownAmi = knownAmiType !== undefined && isAmiType(knownAmiType) ? AMI_TYPES[knownAmiType] : undefined;
    const knownFamily = knownAmi?.family;
    let amiTypes: string | undefined;
    const amiInfo = (field: "family" | "architecture" | "ssmParameter") => {
      if (knownAmi) return hclString(knownAmi[field]);
      amiTypes ??= addLocalValue(
        this,
        "ami_types",
        literal(Object.fromEntries(Object.entries(AMI_TYPES).map(([type, a]) => [type, { family: a.family, architecture: a.architecture, ssm_parameter: a.ssmParameter }]))),
      );
      return `${amiTypes}[${ref.ami_type}].${field === "ssmParameter" ? "ssm_parameter" : field}`;
    };
    const amiFamily = local("ami_family", amiInfo("family"));
    const amiArchitecture = local("ami_architecture", amiInfo("architecture"));
    const amiParameter = new DataAwsSsmParameter(this, "ami", {
      count: Token.asNumber(expr(`${ref.ami_id} == null ? 1 : 0`)),
      name: expr(`format(${amiInfo("ssmParameter")}, ${ref.kubernetes_version})`),
    });
    const imageId = local("image_id", `coalesce(${ref.ami_id}, one(${hcl(this, amiParameter.fqn)}[*].insecure_value))`);

    // Capacity: max pods and kube-reserved from the instance type's EC2 data.
    const capacity = nodeCapacity(this, {
      instanceType: p.instanceType,
      instanceTypeRef: ref.instance_type!,
      maxPods: ref.max_pods!,
      kubeletExtraArgs: ref.kubelet_extra_args!,
      enablePrefixDelegation: ref.enable_prefix_delegation!,
      customNetworking: ref.custom_networking!,
      kubeReservedFollowsMaxPods: ref.kube_reserved_follows_max_pods!,
      kubeReserved: ref.kube_reserved!,
      amiFamily,
    });

    // The launch readiness gate: on unless turned off, except on Bottlerocket, where nothing completes the hook.
    const readinessGate = local("readiness_gate", `${ref.launch_readiness_gate} && ${amiFamily} != "BOTTLEROCKET"`);

    // User data: one renderer per family, all from the same effective max pods.
    const bootstrap: BootstrapExpressions = {
      clusterName: ref.cluster_name!,
      clusterEndpoint: ref.cluster_endpoint!,
      clusterCertificateAuthorityData: ref.cluster_certificate_authority_data!,
      clusterServiceCidr: ref.cluster_service_cidr!,
      maxPods: capacity.maxPods,
      kubeletExtraArgs: ref.kubelet_extra_args!,
      useMaxPods: ref.use_max_pods!,
      kubeReserved: capacity.kubeReservedRendered,
      customNetworkingComment: ref.custom_networking === "false" ? '""' : local("custom_networking_comment", customNetworkingComment(ref.custom_networking!)),
      readinessGate,
      readinessGateLauncher: `join("\\n", ${addLocalValue(this, "readiness_gate_launcher", readinessGateLauncher(ref.node_ready_timeout!))})`,
    };
    // Each family's user data as its lines, joined into the text.
    const families = (knownFamily ? [knownFamily] : (["AL2", "AL2023", "BOTTLEROCKET"] as AmiFamily[])).map((family) => {
      const lines = addLocalValue(this, `user_data_${family.toLowerCase()}`, USER_DATA_RENDERERS[family](bootstrap, local));
      return [family, `join("\\n", ${lines})`] as [AmiFamily, string];
    });
    const userData = local(
      "user_data",
      families
        .slice(0, -1)
        .reduceRight((otherwise, [family, rendered]) => `${amiFamily} == "${family}" ? ${rendered} : ${otherwise}`, families.at(-1)![1]),
    );

    const name = local("name", `format("%s-%s", ${ref.cluster_name}, ${ref.name})`);
    const tags = local("tags", `merge(${ref.tags}, { Name = ${name}, (format("${CLUSTER_TAG_PREFIX}%s", ${ref.cluster_name})) = "owned" })`);

    const iam = new NodeRole(this, "iam:this", {
      name,
      tags,
      clusterName: p.clusterName,
      attachCniPolicy: ref.attach_cni_policy!,
      attachSsmPolicy: ref.attach_ssm_policy!,
      createAccessEntry: ref.create_access_entry!,
      readinessGate,
    });
    this.role = iam.role;
    this.instanceProfile = iam.instanceProfile;
    this.policyAttachments = iam.policyAttachments;

    const ruleRefs = {
      ...ref,
      ami_family: amiFamily,
      ami_architecture: amiArchitecture,
      max_pods_from_kubelet_args: capacity.maxPodsFromKubeletArgs,
      effective_max_pods: capacity.maxPods,
      max_pods_addressable: capacity.maxPodsAddressable,
      max_pods_memory_cap: capacity.maxPodsMemoryCap,
      max_pods_kubelet_cap: capacity.maxPodsKubeletCap,
      memory_size: `${capacity.instance}.memory_size`,
      memory_known: capacity.memoryKnown,
      kubelet_memory: capacity.kubeletMemory,
      memory_needed: capacity.memoryNeeded,
      instance_architectures: `${capacity.instance}.supported_architectures`,
      user_data_bytes: `length(${userData})`,
      ...(existingCni ? existingCniRefs(this, ref.existing_vpc_cni_addon!) : {}),
      ...Object.fromEntries(Object.entries(cniSettings.values).map(([name, value]) => [name, hcl(this, value)])),
    };
    this.launchTemplate = new NodeLaunchTemplate(this, "launch:this", {
      name,
      imageId,
      instanceType: p.instanceType,
      instanceTypeRef: ref.instance_type!,
      userData,
      amiFamily,
      rootVolumeSize: ref.root_volume_size!,
      hopLimit: p.metadataHttpPutResponseHopLimit,
      hopLimitRef: ref.metadata_http_put_response_hop_limit!,
      securityGroupIds: p.securityGroupIds,
      securityGroupIdsRef: ref.security_group_ids!,
      instanceProfileArn: this.instanceProfile.arn,
      instanceProfileArnRef: hcl(this, this.instanceProfile.arn),
      tags,
      rules: crossRules,
      ruleRefs,
    }).launchTemplate;

    this.autoscalingGroup = new NodeAutoscalingGroup(this, "group:this", {
      name,
      minSize: p.minSize,
      maxSize: p.maxSize,
      desiredSize: p.desiredSize,
      subnetIds: p.subnetIds,
      launchTemplateId: this.launchTemplate.id,
      launchTemplateVersion: this.launchTemplate.latestVersion,
      refreshPreferences: refreshPreferences(this, p.instanceRefresh),
      terminationHandling: ref.termination_handling!,
      heartbeatTimeout: ref.termination_heartbeat_timeout!,
      readinessGate,
      nodeReadyTimeout: ref.node_ready_timeout!,
      readinessGatePolicy: iam.readinessGatePolicy,
      tags,
      // New nodes start once the CNI runs with the settings they are built for.
      dependsOn: cni && !(p.dependsOn ?? []).includes(cni.addon) ? [cni.addon, ...(p.dependsOn ?? [])] : p.dependsOn,
      rules: NODE_GROUP_SIZE_RULES,
      ruleRefs: ref,
    }).autoscalingGroup;

    // aws-node moves to credentials of its own before the node role loses AmazonEKS_CNI_Policy (the EKS user guide's
    // order for the CNI's own role): the add-on waits for the role's policy attachments, which are create-before-
    // destroy, so Terraform destroys a removed attachment only after the add-on's update.
    if (cni) cni.addon.dependsOn = [...(cni.addon.dependsOn ?? []), dependable(this.policyAttachments)];

    this.termination = new TerminationHandling(this, "termination", {
      name,
      clusterName: ref.cluster_name!,
      enabled: ref.termination_handling!,
      tags,
      partition: iam.partition,
    });

    // Settings that work, but not as one might expect. An output, not check blocks: `terraform test` fails a run
    // on any failed check, which would fail the tests of every configuration that uses such a setting. The texts are
    // one table; each warning is a local, "" when it does not apply.
    const messages = addLocalValue(this, "warning_messages", literal(WARNING_MESSAGES));
    const memoryCapped = local(
      "max_pods_memory_capped",
      `${capacity.memoryKnown} && ${capacity.maxPods} == ${capacity.maxPodsMemoryCap} && ${capacity.maxPodsMemoryCap} < ${capacity.maxPodsAddressable}`,
    );
    const warnings = local(
      "warnings",
      `compact([${[
        local(
          "warning_prefix_delegation",
          `${ref.enable_prefix_delegation} && !${capacity.prefixDelegation} ? format(${messages}.prefix_delegation, ${ref.instance_type}, ${capacity.maxPods}) : ""`,
        ),
        local("warning_al2", `${amiFamily} == "AL2" ? format(${messages}.al2, ${ref.ami_type}) : ""`),
        local("warning_bottlerocket_gate", `${ref.launch_readiness_gate} && ${amiFamily} == "BOTTLEROCKET" ? ${messages}.bottlerocket_gate : ""`),
        local(
          "warning_memory_cap",
          `${memoryCapped} ? format(${messages}.memory_cap, ${ref.instance_type}, ${capacity.maxPods}, ${capacity.maxPodsAddressable}) : ""`,
        ),
      ].join(", ")}])`,
    );

    this.maxPods = Token.asNumber(expr(capacity.maxPods));
    this.maxPodsAddressable = Token.asNumber(expr(capacity.maxPodsAddressable));
    this.userData = stringExpression(userData);
    this.kubeReserved = Token.asAny(expr(capacity.kubeReserved));
    this.warnings = Token.asList(expr(warnings));
    this.awsAuthMapRole = stringExpression(
        `yamlencode([{ rolearn = ${hcl(this, this.role.arn)}, username = "system:node:{{EC2PrivateDNSName}}", groups = ["system:bootstrappers", "system:nodes"] }])`,
    );
  }
}

/** The warnings' texts: format() strings (`%s`, `%d`) but for Bottlerocket's, which is the message as it is. */
const WARNING_MESSAGES = {
  prefix_delegation:
    "enable_prefix_delegation is on, but instance_type %s is not a Nitro instance: the VPC CNI falls back to secondary IPs there, so max pods stays at %d.",
  al2: `ami_type %s: Amazon EKS stopped publishing Amazon Linux 2 AMIs on ${AL2_END_OF_SUPPORT}, so these nodes get no more fixes. Move to AL2023_x86_64_STANDARD (or AL2023_ARM_64_STANDARD); the next deploy rolls the nodes.`,
  bottlerocket_gate:
    "launch_readiness_gate: Bottlerocket nodes cannot complete the launching lifecycle hook (its settings start no script after the kubelet), so this group has no readiness gate: an instance refresh counts a node once EC2 reports it running and its warm-up has passed. Watch a rollout with eks-pod-density verify, or use an AL2023 ami_type for the gate.",
  memory_cap: "instance_type %s: max pods is %d, what its memory holds; the node could address %d pods.",
};

/** Field names of the object inputs (instance_refresh, existing_vpc_cni_addon), for messages in TypeScript words. */
const NESTED_INPUTS = [...Object.keys(instanceRefreshValue({})), "addon_version", "configuration_values"];

/** The settings a node group takes from its `cni`: its input, and the add-on's property of the same meaning. */
const CNI_SETTINGS = [
  { input: "enable_prefix_delegation", prop: "enablePrefixDelegation", addon: "prefixDelegation" },
  { input: "custom_networking", prop: "customNetworking", addon: "customNetworking" },
  { input: "attach_cni_policy", prop: "attachCniPolicy", addon: "attachCniPolicy" },
] as const;

/**
 * What a node group given `cni` checks: each of the three settings given by hand as well must equal the add-on's
 * (at synth time when both are known, else as a precondition). `values` holds the add-on's, as `cni_<input>`.
 */
function cniAgreement(props: NodeGroupProps, cni: VpcCniAddon): { rules: CrossRule[]; values: Record<string, unknown> } {
  const given = CNI_SETTINGS.filter((setting) => props[setting.prop] !== undefined);
  return {
    values: Object.fromEntries(given.map((setting) => [`cni_${setting.input}`, cni[setting.addon]])),
    rules: given.map(
      (setting): CrossRule => ({
        inputs: [setting.input, `cni_${setting.input}`],
        message: `${setting.input} = {{${setting.input}}} disagrees with cni, the vpc-cni add-on the nodes run with, whose ${setting.addon} is {{cni_${setting.input}}}: leave ${setting.input} out (the node group follows the add-on), or configure the add-on to match.`,
        accepts: (v) => v[setting.input] === v[`cni_${setting.input}`],
        condition: (r) => `${r[setting.input]} == ${r[`cni_${setting.input}`]}`,
      }),
    ),
  };
}

/** existing_vpc_cni_addon as the module's object variable names its fields (a variable's value as it is). */
function existingAddonValue(addon: ExistingVpcCniAddon | IResolvable | null): unknown {
  if (addon === null || Token.isUnresolved(addon)) return addon;
  const { addonVersion, configurationValues } = addon as ExistingVpcCniAddon;
  return { addon_version: addonVersion, configuration_values: configurationValues };
}

/** Instance refresh preferences: literals when the settings are known, else fields of the variable. */
function refreshPreferences(scope: Construct, settings: InstanceRefreshSettings | IResolvable): AutoscalingGroupInstanceRefreshPreferences {
  if (!Token.isUnresolved(settings)) {
    const s = withDefaults(INSTANCE_REFRESH_DEFAULTS, settings as InstanceRefreshSettings);
    return {
      minHealthyPercentage: s.minHealthyPercentage,
      maxHealthyPercentage: s.maxHealthyPercentage,
      instanceWarmup: String(s.instanceWarmup),
      skipMatching: s.skipMatching,
      autoRollback: s.autoRollback,
      ...(s.checkpointPercentages.length > 0 ? { checkpointPercentages: s.checkpointPercentages } : {}),
      ...(s.checkpointDelay != null ? { checkpointDelay: String(s.checkpointDelay) } : {}),
    };
  }
  const field = (name: string) => `${hcl(scope, settings)}.${name}`;
  return {
    minHealthyPercentage: Token.asNumber(expr(field("min_healthy_percentage"))),
    maxHealthyPercentage: Token.asNumber(expr(field("max_healthy_percentage"))),
    instanceWarmup: expr(`tostring(${field("instance_warmup")})`),
    skipMatching: Token.asAny(expr(field("skip_matching"))),
    autoRollback: Token.asAny(expr(field("auto_rollback"))),
    checkpointPercentages: Token.asNumberList(expr(`length(${field("checkpoint_percentages")}) > 0 ? ${field("checkpoint_percentages")} : null`)),
    checkpointDelay: expr(`${field("checkpoint_delay")} == null ? null : tostring(${field("checkpoint_delay")})`),
  };
}
