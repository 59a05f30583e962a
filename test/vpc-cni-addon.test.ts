import { Annotations } from "cdktf";
import { describe, expect, it } from "vitest";
import { VpcCniAddon } from "../src/vpc-cni-addon.js";
import { synth, testStack } from "./support/stacks.js";

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

  it("sends {env: ...} with string values; typed inputs win; unset targets are left out", () => {
    expect(tf.locals.vpc_cni_configuration_values).toBe("${jsonencode({ env = local.vpc_cni_env })}");
    expect(tf.locals.vpc_cni_env).toBe(
      '${merge({}, { for name, value in { ENABLE_PREFIX_DELEGATION = tostring(true), WARM_PREFIX_TARGET = true ? tostring(1) : null, WARM_IP_TARGET = null == null ? null : tostring(null), MINIMUM_IP_TARGET = null == null ? null : tostring(null) } : name => value if value != null })}',
    );
  });

  it("uses the most recent add-on version for the Kubernetes version", () => {
    expect(tf.data.aws_eks_addon_version.vpc_cni).toMatchObject({ addon_name: "vpc-cni", most_recent: true, kubernetes_version: '${coalesce("1.33", one(data.aws_eks_cluster.vpc_cni[*].version))}' });
    expect(tf.locals.vpc_cni_addon_version).toBe("${coalesce(null, one(data.aws_eks_addon_version.vpc_cni[*].version))}");
  });

  it("checks at plan time that the installed version supports prefix delegation", () => {
    expect(addon.lifecycle.precondition).toHaveLength(1);
    expect(addon.lifecycle.precondition[0].error_message).toBe(
      "addon_version ${local.vpc_cni_addon_version} does not support prefix delegation (needs v1.9.0 or later): pin a newer addon_version, or set enable_prefix_delegation = false.",
    );
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
    expect(tf.locals.vpc_cni_env).toContain("WARM_IP_TARGET = 5 == null ? null : tostring(5)");
    expect(tf.data.aws_eks_addon_version.vpc_cni.count).toBe('${"v1.19.2-eksbuild.1" == null ? 1 : 0}');
  });

  it("warns when extra_env repeats a key a typed input sets", () => {
    const stack = testStack();
    const cni = new VpcCniAddon(stack, "vpc_cni", { clusterName: "sre-test", extraEnv: { WARM_PREFIX_TARGET: "0", AWS_VPC_K8S_CNI_LOGLEVEL: "DEBUG" } });
    Annotations.of(cni);
    const warnings = cni.node.metadata.filter((entry) => entry.type === "@cdktf/warn").map((entry) => entry.data);
    expect(warnings).toEqual(["extra_env sets WARM_PREFIX_TARGET, which typed inputs set; the typed inputs win."]);
  });
});

describe("VpcCniAddon errors", () => {
  const refused = (props: Partial<ConstructorParameters<typeof VpcCniAddon>[2]>) => () =>
    new VpcCniAddon(testStack(), "vpc_cni", { clusterName: "sre-test", ...props });

  it.each([
    [{ warmPrefixTarget: 0 }, "test/vpc_cni: warm_prefix_target = 0 with enable_prefix_delegation = true is not supported"],
    [{ addonVersion: "v1.8.0-eksbuild.1" }, "test/vpc_cni: addon_version v1.8.0-eksbuild.1 does not support prefix delegation (needs v1.9.0 or later)"],
    [{ addonVersion: "latest" }, "test/vpc_cni: addon_version must be null (most recent for the Kubernetes version) or an EKS add-on version"],
    [{ warmIpTarget: -1 }, "test/vpc_cni: warm_ip_target must be null (unset) or a whole number from 0 to 1000"],
    [{ extraEnv: { loglevel: "DEBUG" } }, "test/vpc_cni: extra_env keys must be environment variable names in upper case"],
    [{ resolveConflictsOnCreate: "PRESERVE" }, "test/vpc_cni: resolve_conflicts_on_create must be NONE or OVERWRITE"],
  ])("refuses %j", (props, message) => {
    expect(refused(props)).toThrow(message);
  });

  it("accepts warm_prefix_target = 0 without prefixes, and v1.9.0 with them", () => {
    expect(refused({ warmPrefixTarget: 0, enablePrefixDelegation: false })).not.toThrow();
    expect(refused({ addonVersion: "v1.9.0-eksbuild.1" })).not.toThrow();
  });
});
