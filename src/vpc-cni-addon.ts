import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version/index.js";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon/index.js";
import { Annotations, Token, type IResolvable } from "cdktf";
import { Construct } from "constructs";
import { addLocal, expr, hcl, known, withDefaults } from "./hcl.js";
import { checkResolved, preconditionsFor } from "./rules.js";
import { VPC_CNI_CROSS_RULES, VPC_CNI_RULES } from "./vpc-cni-rules.js";

/** Defaults of the optional {@link VpcCniAddonProps}, shared with the generated module's variables. */
export const VPC_CNI_DEFAULTS = {
  kubernetesVersion: null as string | null,
  addonVersion: null as string | null,
  enablePrefixDelegation: true,
  warmPrefixTarget: 1,
  warmIpTarget: null as number | null,
  minimumIpTarget: null as number | null,
  extraEnv: {} as Record<string, string>,
  serviceAccountRoleArn: null as string | null,
  resolveConflictsOnCreate: "OVERWRITE",
  resolveConflictsOnUpdate: "OVERWRITE",
  preserve: true,
  tags: {} as Record<string, string>,
};

/** VPC CNI environment variables set by typed inputs. They win over the same keys in `extraEnv`. */
export const TYPED_ENV = {
  enablePrefixDelegation: "ENABLE_PREFIX_DELEGATION",
  warmPrefixTarget: "WARM_PREFIX_TARGET",
  warmIpTarget: "WARM_IP_TARGET",
  minimumIpTarget: "MINIMUM_IP_TARGET",
} as const;

export interface VpcCniAddonProps {
  /** Name of the EKS cluster. */
  readonly clusterName: string;
  /**
   * Kubernetes version used to find the most recent add-on version; null reads it from the cluster.
   * @default null
   */
  readonly kubernetesVersion?: string | null;
  /**
   * Add-on version, e.g. "v1.19.2-eksbuild.1"; null uses the most recent one for the Kubernetes version.
   * @default null
   */
  readonly addonVersion?: string | null;
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
   * Further VPC CNI environment variables. Keys that a typed input sets (ENABLE_PREFIX_DELEGATION,
   * WARM_PREFIX_TARGET, and WARM_IP_TARGET / MINIMUM_IP_TARGET when set) are overridden by the typed input.
   * @default {}
   */
  readonly extraEnv?: Record<string, string>;
  /**
   * IAM role for the aws-node service account (IRSA); null keeps the node role.
   * @default null
   */
  readonly serviceAccountRoleArn?: string | null;
  /**
   * What EKS does with existing aws-node settings when the add-on is created. OVERWRITE takes over the CNI EKS pre-installs.
   * @default "OVERWRITE"
   */
  readonly resolveConflictsOnCreate?: string;
  /**
   * What EKS does with settings changed outside Terraform (e.g. kubectl set env) on update. OVERWRITE keeps the code the source of truth.
   * @default "OVERWRITE"
   */
  readonly resolveConflictsOnUpdate?: string;
  /**
   * Keep the CNI running in the cluster when the add-on resource is destroyed (removing it would cut pod networking).
   * @default true
   */
  readonly preserve?: boolean | IResolvable;
  /**
   * Tags for the add-on.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/**
 * The `vpc-cni` EKS add-on with prefix-delegation configuration values built
 * from typed inputs (`{"env": {...}}`, string values, unset targets left out).
 */
export class VpcCniAddon extends Construct {
  public readonly addon: EksAddon;
  /** The JSON sent to EKS as configuration_values. */
  public readonly configurationValues: string;
  /** The add-on version installed. */
  public readonly addonVersion: string;

  constructor(scope: Construct, id: string, props: VpcCniAddonProps) {
    super(scope, id);
    const p = withDefaults(VPC_CNI_DEFAULTS, props);

    const inputs: Record<string, unknown> = {
      cluster_name: p.clusterName,
      kubernetes_version: p.kubernetesVersion,
      addon_version: p.addonVersion,
      enable_prefix_delegation: p.enablePrefixDelegation,
      warm_prefix_target: p.warmPrefixTarget,
      warm_ip_target: p.warmIpTarget,
      minimum_ip_target: p.minimumIpTarget,
      extra_env: p.extraEnv,
      service_account_role_arn: p.serviceAccountRoleArn,
      resolve_conflicts_on_create: p.resolveConflictsOnCreate,
      resolve_conflicts_on_update: p.resolveConflictsOnUpdate,
      preserve: p.preserve,
    };
    checkResolved(this.node.path, inputs, VPC_CNI_RULES, VPC_CNI_CROSS_RULES);
    const ref: Record<string, string> = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, hcl(this, v)]));
    const local = (localId: string, expression: string) => addLocal(this, localId, expression);

    const extraEnv = known(p.extraEnv);
    if (extraEnv) {
      const overridden = Object.values(TYPED_ENV).filter((name) => name in extraEnv);
      if (overridden.length > 0) {
        Annotations.of(this).addWarning(`extra_env sets ${overridden.join(", ")}, which typed inputs set; the typed inputs win.`);
      }
    }

    // Version: pinned, or the most recent for the Kubernetes version (read from the cluster when not given).
    const cluster = new DataAwsEksCluster(this, "cluster:this", {
      count: Token.asNumber(expr(`${ref.addon_version} == null && ${ref.kubernetes_version} == null ? 1 : 0`)),
      name: p.clusterName,
    });
    const latest = new DataAwsEksAddonVersion(this, "version:this", {
      count: Token.asNumber(expr(`${ref.addon_version} == null ? 1 : 0`)),
      addonName: "vpc-cni",
      kubernetesVersion: expr(`coalesce(${ref.kubernetes_version}, one(${hcl(this, cluster.fqn)}[*].version))`),
      mostRecent: true,
    });
    const addonVersion = local("addon_version", `coalesce(${ref.addon_version}, one(${hcl(this, latest.fqn)}[*].version))`);

    // configuration_values: {"env": {...}} with string values; typed inputs win over extra_env; unset targets left out.
    const typedEnv = [
      `${TYPED_ENV.enablePrefixDelegation} = tostring(${ref.enable_prefix_delegation})`,
      `${TYPED_ENV.warmPrefixTarget} = ${ref.enable_prefix_delegation} ? tostring(${ref.warm_prefix_target}) : null`,
      `${TYPED_ENV.warmIpTarget} = ${ref.warm_ip_target} == null ? null : tostring(${ref.warm_ip_target})`,
      `${TYPED_ENV.minimumIpTarget} = ${ref.minimum_ip_target} == null ? null : tostring(${ref.minimum_ip_target})`,
    ].join(", ");
    const env = local("env", `merge(${ref.extra_env}, { for name, value in { ${typedEnv} } : name => value if value != null })`);
    const configurationValues = local("configuration_values", `jsonencode({ env = ${env} })`);

    this.addon = new EksAddon(this, "addon:this", {
      clusterName: p.clusterName,
      addonName: "vpc-cni",
      addonVersion: expr(addonVersion),
      configurationValues: expr(configurationValues),
      resolveConflictsOnCreate: p.resolveConflictsOnCreate,
      resolveConflictsOnUpdate: p.resolveConflictsOnUpdate,
      preserve: p.preserve,
      serviceAccountRoleArn: p.serviceAccountRoleArn ?? undefined,
      tags: p.tags,
      lifecycle: {
        precondition: preconditionsFor(VPC_CNI_CROSS_RULES, { ...ref, addon_version: addonVersion }),
      },
    });

    this.configurationValues = Token.asString(expr(configurationValues));
    this.addonVersion = this.addon.addonVersion;
  }
}
