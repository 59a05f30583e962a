import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js";
import { describe, expect, it } from "vitest";
import { VpcCniAddon, type VpcCniAddonProps } from "../../src/constructs/vpc-cni-addon.js";
import type { ResolveConflictsOnCreate } from "../../src/constructs/vpc-cni-rules.js";
import { synth, testStack } from "../support/stacks.js";

describe("VpcCniAddon defaults", () => {
  // GIVEN the add-on with only a cluster name and version WHEN synthesized
  const stack = testStack();
  new VpcCniAddon(stack, "vpc_cni", { clusterName: "sre-test", kubernetesVersion: "1.33" });
  const tf = synth(stack);
  const addon = tf.resource.aws_eks_addon.vpc_cni;

  it("matches the snapshot", () => {
    expect(tf).toMatchSnapshot();
  });

  it("installs vpc-cni, taking over the pre-installed CNI and keeping it on destroy", () => {
    expect(addon).toMatchObject({
      cluster_name: "sre-test",
      addon_name: "vpc-cni",
      addon_version: "${local.vpc_cni_addon_version}",
      configuration_values: "${local.vpc_cni_configuration_values}",
      resolve_conflicts_on_create: "OVERWRITE",
      resolve_conflicts_on_update: "OVERWRITE",
      preserve: true,
    });
    expect(addon).not.toHaveProperty("service_account_role_arn");
  });

  it("sends {env: ...} with string values; unset targets are left out", () => {
    expect(tf.locals.vpc_cni_configuration_values).toBe("${jsonencode({ env = local.vpc_cni_env })}");
    expect(tf.locals.vpc_cni_env).toBe(
      '${merge(false ? { ENI_CONFIG_LABEL_DEF = "topology.kubernetes.io/zone" } : {}, {}, { for name, value in local.vpc_cni_typed_env : name => value if value != null })}',
    );
    expect(tf.locals.vpc_cni_typed_env).toEqual({
      ENABLE_PREFIX_DELEGATION: "${tostring(true)}",
      WARM_PREFIX_TARGET: "${true ? tostring(1) : null}",
      WARM_IP_TARGET: "${null == null ? null : tostring(null)}",
      MINIMUM_IP_TARGET: "${null == null ? null : tostring(null)}",
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: '${false ? "true" : null}',
    });
  });

  it("uses EKS's default add-on version for the Kubernetes version, which moves only with it", () => {
    expect(tf.data.aws_eks_addon_version.vpc_cni).toMatchObject({ addon_name: "vpc-cni", most_recent: false, kubernetes_version: '${coalesce("1.33", one(data.aws_eks_cluster.vpc_cni[*].version))}' });
    expect(tf.locals.vpc_cni_addon_version).toBe("${coalesce(null, one(data.aws_eks_addon_version.vpc_cni[*].version))}");
  });

  it("keeps aws-node on the node role: no role of its own, no Pod Identity association", () => {
    expect(tf.resource.aws_iam_role.vpc_cni.count).toBe('${"node_role" == "pod_identity" ? 1 : 0}');
    expect(tf.locals.vpc_cni_pod_identity_associations).toBe('${"node_role" == "pod_identity" ? { "aws-node" = one(aws_iam_role.vpc_cni[*]).arn } : {}}');
  });

  it("checks at plan time that the installed version supports prefix delegation (and Pod Identity when asked)", () => {
    expect(addon.lifecycle.precondition.map((p: { error_message: string }) => p.error_message)).toEqual([
      "addon_version ${local.vpc_cni_addon_version} does not support prefix delegation (needs v1.9.0 or later): pin a newer addon_version, or set enable_prefix_delegation = false.",
      'addon_version ${local.vpc_cni_addon_version} does not take EKS Pod Identity (needs v1.15.5-eksbuild.1 or later): pin a newer addon_version, or set cni_credentials = "node_role".',
    ]);
  });
});

describe("VpcCniAddon given the cluster's version by a caller that reads the cluster", () => {
  // GIVEN a stack that reads the cluster, and the add-on given that lookup's version WHEN synthesized
  const stack = testStack();
  const cluster = new DataAwsEksCluster(stack, "cluster", { name: "sre-test" });
  new VpcCniAddon(stack, "vpc_cni", { clusterName: "sre-test", clusterKubernetesVersion: cluster.version });
  const tf = synth(stack);

  it("makes no cluster lookup of its own and looks the add-on version up for the cluster's version", () => {
    expect(Object.keys(tf.data.aws_eks_cluster)).toEqual(["cluster"]);
    expect(tf.data.aws_eks_addon_version.vpc_cni.kubernetes_version).toBe("${data.aws_eks_cluster.cluster.version}");
  });

  it("still prefers a kubernetesVersion given as well", () => {
    const other = testStack();
    const lookup = new DataAwsEksCluster(other, "cluster", { name: "sre-test" });
    new VpcCniAddon(other, "vpc_cni", { clusterName: "sre-test", kubernetesVersion: "1.33", clusterKubernetesVersion: lookup.version });
    const result = synth(other);
    expect(Object.keys(result.data.aws_eks_cluster)).toEqual(["cluster"]);
    expect(result.data.aws_eks_addon_version.vpc_cni.kubernetes_version).toBe('${coalesce("1.33", data.aws_eks_cluster.cluster.version)}');
  });
});

describe("VpcCniAddon with typed inputs and an IRSA role", () => {
  it("passes them through as given", () => {
    const stack = testStack();
    new VpcCniAddon(stack, "vpc_cni", {
      clusterName: "sre-test",
      addonVersion: "v1.19.2-eksbuild.1",
      warmIpTarget: 5,
      serviceAccountRoleArn: "arn:aws:iam::123456789012:role/vpc-cni",
      resolveConflictsOnUpdate: "PRESERVE",
    });
    const tf = synth(stack);
    expect(tf.resource.aws_eks_addon.vpc_cni).toMatchObject({
      service_account_role_arn: "arn:aws:iam::123456789012:role/vpc-cni",
      resolve_conflicts_on_update: "PRESERVE",
    });
    expect(tf.locals.vpc_cni_addon_version).toBe('${coalesce("v1.19.2-eksbuild.1", one(data.aws_eks_addon_version.vpc_cni[*].version))}');
    expect(tf.locals.vpc_cni_typed_env).toMatchObject({ WARM_IP_TARGET: "${5 == null ? null : tostring(5)}" });
    expect(tf.data.aws_eks_addon_version.vpc_cni.count).toBe('${"v1.19.2-eksbuild.1" == null ? 1 : 0}');
  });

  it("gives aws-node a Pod Identity role of its own on request", () => {
    const stack = testStack();
    new VpcCniAddon(stack, "vpc_cni", { clusterName: "sre-test", kubernetesVersion: "1.33", cniCredentials: "pod_identity" });
    const tf = synth(stack);
    expect(JSON.parse(tf.resource.aws_iam_role.vpc_cni.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    });
    expect(tf.resource.aws_eks_addon.vpc_cni.dynamic.pod_identity_association.content).toEqual({ service_account: "${each.key}", role_arn: "${each.value}" });
    expect(tf.resource.aws_iam_role_policy_attachment.vpc_cni.policy_arn).toBe('${format("arn:%s:iam::aws:policy/AmazonEKS_CNI_Policy", data.aws_partition.vpc_cni_current.partition)}');
  });

  it("sets custom networking with ENIConfigs by zone, which the add-on creates in the provider's region", () => {
    const stack = testStack();
    new VpcCniAddon(stack, "vpc_cni", {
      clusterName: "sre-test",
      kubernetesVersion: "1.33",
      customNetworking: true,
      eniConfigs: { "ap-northeast-1a": { subnetId: "subnet-0a1b2c3d4e5f60101", securityGroupIds: ["sg-0123456789abcdef0"] } },
    });
    const tf = synth(stack);
    const env = tf.locals.vpc_cni_env as string;
    expect(env).toContain('true ? { ENI_CONFIG_LABEL_DEF = "topology.kubernetes.io/zone" } : {}');
    expect(tf.locals.vpc_cni_typed_env).toMatchObject({ AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: '${true ? "true" : null}' });
    expect(tf.locals.vpc_cni_eni_config).toContain("subnets = local.vpc_cni_eni_config_subnets");
    expect(tf.locals.vpc_cni_eni_config_subnets).toContain('{ for zone, config in { "ap-northeast-1a" = { "subnet_id" = "subnet-0a1b2c3d4e5f60101", "security_group_ids" = ["sg-0123456789abcdef0"] } }');
    expect(tf.locals.vpc_cni_eni_config).toContain("region = one(data.aws_region.vpc_cni_current[*].name)");
    expect(tf.locals.vpc_cni_configuration_values).toBe(
      "${jsonencode(merge({ env = local.vpc_cni_env }, local.vpc_cni_eni_config == null ? {} : { eniConfig = local.vpc_cni_eni_config }))}",
    );
  });

  it("takes ENIConfigs made elsewhere, rendering none and looking no region up", () => {
    const stack = testStack();
    new VpcCniAddon(stack, "vpc_cni", { clusterName: "sre-test", kubernetesVersion: "1.33", customNetworking: true, eniConfigsManagedElsewhere: true });
    const tf = synth(stack);
    expect(tf.locals.vpc_cni_configuration_values).toBe("${jsonencode({ env = local.vpc_cni_env })}");
    expect(tf.data).not.toHaveProperty("aws_region");
  });

  it("creates the Pod Identity agent with Pod Identity and updates the CNI after it, unless told the cluster has one", () => {
    const withAgent = testStack();
    new VpcCniAddon(withAgent, "vpc_cni", { clusterName: "sre-test", kubernetesVersion: "1.33", cniCredentials: "pod_identity" });
    const tf = synth(withAgent);
    expect(tf.resource.aws_eks_addon.vpc_cni_pod_identity_agent).toMatchObject({ addon_name: "eks-pod-identity-agent", cluster_name: "sre-test" });
    expect(tf.resource.aws_eks_addon.vpc_cni.depends_on).toEqual(["aws_eks_addon.vpc_cni_pod_identity_agent"]);
    const without = testStack();
    new VpcCniAddon(without, "vpc_cni", { clusterName: "sre-test", kubernetesVersion: "1.33", cniCredentials: "pod_identity", createPodIdentityAgent: false });
    expect(synth(without).resource.aws_eks_addon).not.toHaveProperty("vpc_cni_pod_identity_agent");
  });
});

describe("VpcCniAddon errors", () => {
  const refused = (props: Partial<ConstructorParameters<typeof VpcCniAddon>[2]>) => () =>
    new VpcCniAddon(testStack(), "vpc_cni", { clusterName: "sre-test", ...props });

  it.each<[Partial<VpcCniAddonProps>, string]>([
    [{ warmPrefixTarget: 0 }, "test/vpc_cni: warmPrefixTarget (warm_prefix_target) = 0 with enablePrefixDelegation (enable_prefix_delegation) = true is not supported"],
    [{ addonVersion: "v1.8.0-eksbuild.1" }, "test/vpc_cni: addonVersion (addon_version) v1.8.0-eksbuild.1 does not support prefix delegation (needs v1.9.0 or later)"],
    [{ addonVersion: "latest" }, "test/vpc_cni: addonVersion (addon_version) must be null (EKS's default version for the Kubernetes version) or an EKS add-on version"],
    [{ warmIpTarget: -1 }, "test/vpc_cni: warmIpTarget (warm_ip_target) must be null (unset) or a whole number from 0 to 1000"],
    [{ extraEnv: { loglevel: "DEBUG" } }, "test/vpc_cni: extraEnv (extra_env) may set only variables the vpc-cni add-on's configuration schema accepts"],
    [{ extraEnv: { WARM_PREFIX_TARGET: "0" } }, "test/vpc_cni: extraEnv (extra_env) may set only variables the vpc-cni add-on's configuration schema accepts, other than those typed inputs set"],
    [{ extraEnv: { MAX_ENI: "2" } }, "and MAX_ENI (it would lower the pods a node can address without the node group knowing)"],
    [{ cniCredentials: "pod_identity" as const, addonVersion: "v1.15.4-eksbuild.1" }, "test/vpc_cni: addonVersion (addon_version) v1.15.4-eksbuild.1 does not take EKS Pod Identity"],
    [{ cniCredentials: "pod_identity" as const, serviceAccountRoleArn: "arn:aws:iam::123456789012:role/vpc-cni" }, 'test/vpc_cni: cniCredentials (cni_credentials) = "pod_identity" gives aws-node a role of its own: leave serviceAccountRoleArn (service_account_role_arn) (IRSA) null'],
    [{ customNetworking: true }, "test/vpc_cni: customNetworking (custom_networking) = true needs an ENIConfig for every availability zone of the nodes"],
    [{ eniConfigs: { "ap-northeast-1a": { subnetId: "subnet-0a1b2c3d4e5f60101" } } }, "test/vpc_cni: eniConfigs (eni_configs) applies only with customNetworking (custom_networking) = true"],
    [{ customNetworking: true, eniConfigs: { "zone-a": { subnetId: "subnet-0a1b2c3d4e5f60101" } } }, "test/vpc_cni: eniConfigs (eni_configs) must be keyed by availability zone names"],
    [
      { customNetworking: true, eniConfigsManagedElsewhere: true, eniConfigs: { "ap-northeast-1a": { subnetId: "subnet-0a1b2c3d4e5f60101" } } },
      "test/vpc_cni: eniConfigs (eni_configs) and eniConfigsManagedElsewhere (eni_configs_managed_elsewhere) = true both say who makes the ENIConfigs",
    ],
    [{ tags: { "aws:team": "sre" } }, "test/vpc_cni: tags: tag keys must be 1 to 128 characters"],
    [{ resolveConflictsOnCreate: "PRESERVE" as ResolveConflictsOnCreate /* JavaScript callers are not typed */ }, "test/vpc_cni: resolveConflictsOnCreate (resolve_conflicts_on_create) must be NONE or OVERWRITE"],
  ])("refuses %j, naming the TypeScript property (and the Terraform input)", (props, message) => {
    expect(refused(props)).toThrow(message);
  });

  it("accepts warm_prefix_target = 0 without prefixes, and v1.9.0 with them", () => {
    expect(refused({ warmPrefixTarget: 0, enablePrefixDelegation: false })).not.toThrow();
    expect(refused({ addonVersion: "v1.9.0-eksbuild.1" })).not.toThrow();
  });
});
