import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version/index.js";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition/index.js";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region/index.js";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon/index.js";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { Token, type IResolvable, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { dynamicBlock } from "../terraform/dynamic-block.js";
import { addLocal, addLocalValue, expr, hcl, hclString, isUnresolved, literal, withDefaults, stringExpression } from "../terraform/hcl.js";
import { CNI_POLICY, IAM_NAME_PREFIX_LENGTH } from "./node-group/iam.js";
import { checkResolved, preconditionsFor } from "../rules/checker.js";
import {
  TYPED_ENV,
  VPC_CNI_CROSS_RULES,
  VPC_CNI_RULES,
  type CniCredentials,
  type EniConfigValue,
  type ResolveConflictsOnCreate,
  type ResolveConflictsOnUpdate,
} from "./vpc-cni-rules.js";

/** Defaults of the optional {@link VpcCniAddonProps}, shared with the generated module's variables. */
export const VPC_CNI_DEFAULTS = {
  kubernetesVersion: null as string | null,
  addonVersion: null as string | null,
  mostRecent: false,
  enablePrefixDelegation: true,
  warmPrefixTarget: 1,
  warmIpTarget: null as number | null,
  minimumIpTarget: null as number | null,
  customNetworking: false,
  eniConfigs: {} as Record<string, EniConfig>,
  eniConfigsManagedElsewhere: false,
  extraEnv: {} as Record<string, string>,
  cniCredentials: "node_role" as CniCredentials,
  createPodIdentityAgent: true,
  serviceAccountRoleArn: null as string | null,
  resolveConflictsOnCreate: "OVERWRITE" as ResolveConflictsOnCreate,
  resolveConflictsOnUpdate: "OVERWRITE" as ResolveConflictsOnUpdate,
  preserve: true,
  tags: {} as Record<string, string>,
};

/**
 * With custom networking the CNI picks each node's ENIConfig by this label's
 * value: one ENIConfig per availability zone, named after the zone
 * (amazon-vpc-cni-k8s README, ENI_CONFIG_LABEL_DEF).
 */
export const ENI_CONFIG_LABEL = "topology.kubernetes.io/zone";
/** The service account aws-node runs as. */
export const CNI_SERVICE_ACCOUNT = "aws-node";
/** The EKS add-on that serves Pod Identity credentials on every node. */
export const POD_IDENTITY_AGENT_ADDON = "eks-pod-identity-agent";

/** One availability zone's ENIConfig: the subnet pods of the zone's nodes take addresses from. */
export interface EniConfig {
  /** The pod subnet in that zone. */
  readonly subnetId: string;
  /**
   * Security groups of the interfaces pods use; empty leaves the node's primary interface's groups (the VPC CNI
   * falls back to them: amazon-vpc-cni-k8s pkg/awsutils createENI).
   * @default []
   */
  readonly securityGroupIds?: string[];
}

export interface VpcCniAddonProps {
  /** Name of the EKS cluster. */
  readonly clusterName: string;
  /**
   * Kubernetes version used to look up the add-on version; null reads it from the cluster.
   * @default null
   */
  readonly kubernetesVersion?: string | null;
  /**
   * The cluster's Kubernetes version as the caller already reads it (e.g. `DataAwsEksCluster.version`), which is never
   * null: a null `kubernetesVersion` then falls back to it, and the add-on makes no cluster lookup of its own.
   * @default undefined (a null kubernetesVersion is read from the cluster by a lookup of the add-on's own)
   */
  readonly clusterKubernetesVersion?: string;
  /**
   * Add-on version, e.g. "v1.19.2-eksbuild.1"; null uses EKS's default version for the Kubernetes version
   * (or the most recent one with `mostRecent`).
   * @default null
   */
  readonly addonVersion?: string | null;
  /**
   * With `addonVersion` null: follow the most recent add-on version instead of EKS's default one. The most recent
   * version changes whenever AWS publishes a build, and every deploy after that upgrades the CNI on every node.
   * @default false
   */
  readonly mostRecent?: boolean | IResolvable;
  /**
   * ENABLE_PREFIX_DELEGATION: assign /28 prefixes instead of single IPs (needs VPC CNI v1.9.0+ and Nitro nodes).
   * @default true
   */
  readonly enablePrefixDelegation?: boolean | IResolvable;
  /**
   * WARM_PREFIX_TARGET: free prefixes kept attached (prefix mode only; 0 is refused, it makes pod start-up very slow).
   * @default 1
   */
  readonly warmPrefixTarget?: number;
  /**
   * WARM_IP_TARGET: free IP addresses kept ready; null leaves it unset.
   * @default null
   */
  readonly warmIpTarget?: number | null;
  /**
   * MINIMUM_IP_TARGET: IP addresses allocated at node start; null leaves it unset.
   * @default null
   */
  readonly minimumIpTarget?: number | null;
  /**
   * Custom networking: AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true and ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone,
   * so pods get addresses from the subnet of the ENIConfig named after the node's zone.
   * @default false
   */
  readonly customNetworking?: boolean | IResolvable;
  /**
   * With custom networking: one ENIConfig per availability zone, keyed by the zone's name, which the add-on creates
   * (its configuration values' `eniConfig`). Custom networking needs these or `eniConfigsManagedElsewhere`.
   * @default {}
   */
  readonly eniConfigs?: Record<string, EniConfig> | IResolvable;
  /**
   * With custom networking: the ENIConfigs are applied outside this add-on (kubectl, Helm, another state).
   * @default false
   */
  readonly eniConfigsManagedElsewhere?: boolean | IResolvable;
  /**
   * The region the ENIConfigs are created in (the add-on's `eniConfig.region`); undefined reads the provider's
   * region, where ENIConfigs are rendered.
   * @default undefined
   */
  readonly region?: string;
  /**
   * Further VPC CNI environment variables: only names the add-on's configuration schema accepts, not those a
   * typed input sets, not MAX_ENI.
   * @default {}
   */
  readonly extraEnv?: Record<string, string>;
  /**
   * Where aws-node gets its AWS permissions: "node_role" (the node role's AmazonEKS_CNI_Policy) or "pod_identity"
   * (a role of its own, trusted by pods.eks.amazonaws.com and bound to the aws-node service account; needs the
   * eks-pod-identity-agent add-on).
   * @default "node_role"
   */
  readonly cniCredentials?: CniCredentials;
  /**
   * With `cniCredentials: "pod_identity"`: create the eks-pod-identity-agent add-on, which Pod Identity needs on every
   * node, and update the CNI only after it. False where the cluster has the agent already (EKS refuses a second).
   * @default true
   */
  readonly createPodIdentityAgent?: boolean | IResolvable;
  /**
   * IAM role for the aws-node service account (IRSA); null keeps the node role.
   * @default null
   */
  readonly serviceAccountRoleArn?: string | null;
  /**
   * What EKS does with existing aws-node settings when the add-on is created. OVERWRITE takes over the CNI EKS pre-installs.
   * @default "OVERWRITE"
   */
  readonly resolveConflictsOnCreate?: ResolveConflictsOnCreate;
  /**
   * What EKS does with settings changed outside Terraform (e.g. kubectl set env) on update. OVERWRITE keeps the code the source of truth.
   * @default "OVERWRITE"
   */
  readonly resolveConflictsOnUpdate?: ResolveConflictsOnUpdate;
  /**
   * Keep the CNI running in the cluster when the add-on resource is destroyed (removing it would cut pod networking).
   * @default true
   */
  readonly preserve?: boolean | IResolvable;
  /**
   * Tags for the add-on (and the Pod Identity role).
   * @default {}
   */
  readonly tags?: Record<string, string>;
  /**
   * Resources the add-on waits for, e.g. the eks-pod-identity-agent add-on with Pod Identity.
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The `vpc-cni` EKS add-on with prefix-delegation configuration values built
 * from typed inputs (`{"env": {...}}`, string values, unset targets left out),
 * and optionally a Pod Identity role of its own.
 */
export class VpcCniAddon extends Construct {
  public readonly addon: EksAddon;
  /**
   * The JSON sent to EKS as configuration_values. A Terraform token (a string that Terraform fills in at plan
   * time): pass it to resources and outputs; its text in TypeScript is a placeholder, not the JSON.
   */
  public readonly configurationValues: string;
  /** The add-on version installed: a Terraform token (see `configurationValues`), known at plan time. */
  public readonly addonVersion: string;
  /** The CNI's Pod Identity role ARN, or null with the node role: a Terraform token, known after apply. */
  public readonly cniRoleArn: string;
  /**
   * Whether the CNI runs in prefix mode (ENABLE_PREFIX_DELEGATION): what the node group's `enablePrefixDelegation`
   * must be. The value given (default true), or the token given.
   */
  public readonly prefixDelegation: boolean | IResolvable;
  /** Whether the CNI uses custom networking: what the node group's `customNetworking` must be. As given (default false). */
  public readonly customNetworking: boolean | IResolvable;
  /**
   * Whether the nodes' role still needs AmazonEKS_CNI_Policy: true while aws-node uses the node role, false when it has
   * a role of its own (`cniCredentials: "pod_identity"` or `serviceAccountRoleArn`). What the node group's
   * `attachCniPolicy` must be; a Terraform token when either of the two is one.
   */
  public readonly attachCniPolicy: boolean | IResolvable;

  constructor(scope: Construct, id: string, props: VpcCniAddonProps) {
    super(scope, id);
    const p = withDefaults(VPC_CNI_DEFAULTS, props);

    const inputs: Record<string, unknown> = {
      cluster_name: p.clusterName,
      kubernetes_version: p.kubernetesVersion,
      addon_version: p.addonVersion,
      most_recent: p.mostRecent,
      enable_prefix_delegation: p.enablePrefixDelegation,
      warm_prefix_target: p.warmPrefixTarget,
      warm_ip_target: p.warmIpTarget,
      minimum_ip_target: p.minimumIpTarget,
      custom_networking: p.customNetworking,
      eni_configs: eniConfigsValue(p.eniConfigs),
      eni_configs_managed_elsewhere: p.eniConfigsManagedElsewhere,
      extra_env: p.extraEnv,
      cni_credentials: p.cniCredentials,
      create_pod_identity_agent: p.createPodIdentityAgent,
      service_account_role_arn: p.serviceAccountRoleArn,
      resolve_conflicts_on_create: p.resolveConflictsOnCreate,
      resolve_conflicts_on_update: p.resolveConflictsOnUpdate,
      preserve: p.preserve,
      tags: p.tags,
    };
    checkResolved(this.node.path, inputs, VPC_CNI_RULES, VPC_CNI_CROSS_RULES);
    const ref: Record<string, string> = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, hcl(this, v)]));
    const local = (localId: string, expression: string) => addLocal(this, localId, expression);
    // No tags given: no tags argument (an empty map would say nothing, and the provider's default_tags apply either way).
    const tags = !Token.isUnresolved(p.tags) && Object.keys(p.tags).length === 0 ? undefined : literal(p.tags);

    // Version: pinned, else EKS's default for the Kubernetes version (read from the cluster when not given), which
    // moves only when the cluster's version does; `most_recent` follows every new build instead.
    const lookup = new DataAwsEksAddonVersion(this, "version:this", {
      count: Token.asNumber(expr(`${ref.addon_version} == null ? 1 : 0`)),
      addonName: "vpc-cni",
      kubernetesVersion: expr(this.kubernetesVersion(p, ref)),
      mostRecent: p.mostRecent,
    });
    const addonVersion = local("addon_version", `coalesce(${ref.addon_version}, one(${hcl(this, lookup.fqn)}[*].version))`);

    // configuration_values: {"env": {...}} with string values; unset targets left out. The typed inputs' variables
    // are a table local, one variable a line (null where unset).
    const typedEnv = addLocalValue(this, "typed_env", {
      [TYPED_ENV.enablePrefixDelegation]: expr(`tostring(${ref.enable_prefix_delegation})`),
      [TYPED_ENV.warmPrefixTarget]: expr(`${ref.enable_prefix_delegation} ? tostring(${ref.warm_prefix_target}) : null`),
      [TYPED_ENV.warmIpTarget]: expr(`${ref.warm_ip_target} == null ? null : tostring(${ref.warm_ip_target})`),
      [TYPED_ENV.minimumIpTarget]: expr(`${ref.minimum_ip_target} == null ? null : tostring(${ref.minimum_ip_target})`),
      [TYPED_ENV.customNetworking]: expr(`${ref.custom_networking} ? "true" : null`),
    });
    const customNetworkingDefaults = `${ref.custom_networking} ? { ENI_CONFIG_LABEL_DEF = ${hclString(ENI_CONFIG_LABEL)} } : {}`;
    const env = local("env", `merge(${customNetworkingDefaults}, ${ref.extra_env}, { for name, value in ${typedEnv} : name => value if value != null })`);
    // With custom networking, the ENIConfigs the add-on creates: `eniConfig` of its configuration schema (create,
    // region, subnets keyed by zone with id and securityGroups; amazon-vpc-cni-k8s charts/aws-vpc-cni values.yaml and
    // templates/eniconfig.yaml). Left out otherwise, so the default configuration values stay `{"env": {...}}`.
    const noEniConfigs =
      p.customNetworking === false || (!Token.isUnresolved(p.eniConfigs) && Object.keys(p.eniConfigs as Record<string, EniConfig>).length === 0);
    const renderEniConfigs = `${ref.custom_networking} && length(${ref.eni_configs}) > 0`;
    const eniConfig = noEniConfigs
      ? undefined
      : local(
          "eni_config",
          `${renderEniConfigs} ? { create = true, region = ${this.region(p, renderEniConfigs)}, subnets = ${local(
            "eni_config_subnets",
            `{ for zone, config in ${ref.eni_configs} : zone => { id = config.subnet_id, securityGroups = config.security_group_ids } }`,
          )} } : null`,
        );
    const configurationValues = local(
      "configuration_values",
      eniConfig ? `jsonencode(merge({ env = ${env} }, ${eniConfig} == null ? {} : { eniConfig = ${eniConfig} }))` : `jsonencode({ env = ${env} })`,
    );

    // Pod Identity: a role of its own for aws-node, with the CNI policy, bound through the add-on.
    const podIdentity = `${ref.cni_credentials} == "pod_identity"`;
    const role = new IamRole(this, "role:this", {
      count: Token.asNumber(expr(`${podIdentity} ? 1 : 0`)),
      namePrefix: expr(`substr(format("%s-vpc-cni-", ${ref.cluster_name}), 0, ${IAM_NAME_PREFIX_LENGTH})`),
      description: expr(`format("VPC CNI (aws-node) of %s, through EKS Pod Identity", ${ref.cluster_name})`),
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
        ],
      }),
      tags,
      lifecycle: { createBeforeDestroy: true },
    });
    const roleRef = `one(${hcl(this, role.fqn)}[*])`;
    const partition = hcl(this, new DataAwsPartition(this, "current").partition);
    new IamRolePolicyAttachment(this, "policy:this", {
      count: Token.asNumber(expr(`${podIdentity} ? 1 : 0`)),
      role: expr(`${roleRef}.name`),
      policyArn: expr(`format("arn:%s:iam::aws:policy/${CNI_POLICY}", ${partition})`),
    });
    // The agent that hands pods their Pod Identity credentials, running before aws-node relies on it.
    const agent =
      p.createPodIdentityAgent === false
        ? undefined
        : new EksAddon(this, "addon:pod_identity_agent", {
            count: Token.asNumber(expr(`${podIdentity} && ${ref.create_pod_identity_agent} ? 1 : 0`)),
            clusterName: p.clusterName,
            addonName: POD_IDENTITY_AGENT_ADDON,
            tags,
          });
    const associations = local("pod_identity_associations", `${podIdentity} ? { ${hclString(CNI_SERVICE_ACCOUNT)} = ${roleRef}.arn } : {}`);

    this.addon = new EksAddon(this, "addon:this", {
      clusterName: p.clusterName,
      addonName: "vpc-cni",
      addonVersion: expr(addonVersion),
      configurationValues: expr(configurationValues),
      resolveConflictsOnCreate: p.resolveConflictsOnCreate,
      resolveConflictsOnUpdate: p.resolveConflictsOnUpdate,
      preserve: p.preserve,
      serviceAccountRoleArn: p.serviceAccountRoleArn ?? undefined,
      podIdentityAssociation: dynamicBlock(associations, (each) => ({ service_account: each.key, role_arn: each.value() })),
      tags,
      dependsOn: [...(props.dependsOn ?? []), ...(agent ? [agent] : [])],
      lifecycle: {
        precondition: preconditionsFor(VPC_CNI_CROSS_RULES, { ...ref, addon_version: addonVersion }),
      },
    });

    this.prefixDelegation = p.enablePrefixDelegation;
    this.customNetworking = p.customNetworking;
    // The node role keeps the CNI policy only while aws-node has no role of its own.
    this.attachCniPolicy =
      isUnresolved(p.cniCredentials) || isUnresolved(p.serviceAccountRoleArn)
        ? Token.asAny(expr(`${ref.cni_credentials} == "node_role" && ${ref.service_account_role_arn} == null`))
        : p.cniCredentials === "node_role" && p.serviceAccountRoleArn === null;
    this.configurationValues = stringExpression(configurationValues);
    this.addonVersion = this.addon.addonVersion;
    this.cniRoleArn = stringExpression(`${podIdentity} ? ${roleRef}.arn : null`);
  }

  /** The region of the ENIConfigs: `region`, else the provider's, read only where ENIConfigs are rendered. */
  private region(p: typeof VPC_CNI_DEFAULTS & VpcCniAddonProps, needed: string): string {
    if (p.region !== undefined) return hcl(this, p.region);
    const current = new DataAwsRegion(this, "region:current", { count: Token.asNumber(expr(`${needed} ? 1 : 0`)) });
    return `one(${hcl(this, current.fqn)}[*].name)`;
  }

  /**
   * The Kubernetes version the add-on version is looked up for: `kubernetesVersion`, else the cluster's, from the
   * caller's lookup (`clusterKubernetesVersion`) or from one of the add-on's own (made only where it is needed).
   */
  private kubernetesVersion(p: typeof VPC_CNI_DEFAULTS & VpcCniAddonProps, ref: Record<string, string>): string {
    if (p.clusterKubernetesVersion !== undefined) {
      const clusterVersion = hcl(this, p.clusterKubernetesVersion);
      return p.kubernetesVersion === null ? clusterVersion : `coalesce(${ref.kubernetes_version}, ${clusterVersion})`;
    }
    const cluster = new DataAwsEksCluster(this, "cluster:this", {
      count: Token.asNumber(expr(`${ref.addon_version} == null && ${ref.kubernetes_version} == null ? 1 : 0`)),
      name: p.clusterName,
    });
    return `coalesce(${ref.kubernetes_version}, one(${hcl(this, cluster.fqn)}[*].version))`;
  }
}

/** eni_configs as the module's variable names its fields (a variable's value as it is). */
function eniConfigsValue(configs: Record<string, EniConfig> | IResolvable): unknown {
  if (Token.isUnresolved(configs)) return configs;
  return Object.fromEntries(
    Object.entries(configs as Record<string, EniConfig>).map(([zone, c]): [string, EniConfigValue] => [
      zone,
      { subnet_id: c.subnetId, security_group_ids: c.securityGroupIds ?? [] },
    ]),
  );
}
