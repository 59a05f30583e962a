/**
 * A node group given the vpc-cni add-on it runs with (`cni`): it takes the add-on's prefix delegation, custom
 * networking and node-role CNI policy, waits for the add-on, and the add-on waits for the node role's policy
 * attachments. A setting also given by hand must agree: refused at synth time when both are known, by a
 * precondition when one is a token.
 */
import { TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { NodeGroup, type NodeGroupProps } from "../../src/constructs/node-group/index.js";
import { InputError } from "../../src/rules/checker.js";
import { VpcCniAddon, type VpcCniAddonProps } from "../../src/constructs/vpc-cni-addon.js";
import { CLUSTER, synth, testStack } from "../support/stacks.js";

const ADDON = { clusterName: "sre-test", kubernetesVersion: "1.33" };

/** The add-on's props; with custom networking its ENIConfigs are applied elsewhere (the add-on refuses neither). */
const addonProps = (addon: Partial<VpcCniAddonProps>): VpcCniAddonProps => ({
  ...ADDON,
  ...(addon.customNetworking === true && !addon.eniConfigs ? { eniConfigsManagedElsewhere: true } : {}),
  ...addon,
});

/** A stack with the add-on and a node group given it (and `nodes` besides). */
function wired(addon: Partial<VpcCniAddonProps>, nodes: Partial<NodeGroupProps> = {}) {
  const stack = testStack();
  const cni = new VpcCniAddon(stack, "vpc_cni", addonProps(addon));
  const group = new NodeGroup(stack, "node_group", { ...CLUSTER, ...nodes, cni });
  return { stack, cni, group };
}

/** The same, wired by hand as before `cni`: the three settings and the dependencies written out. */
function byHand(addon: Partial<VpcCniAddonProps>, nodes: Partial<NodeGroupProps>) {
  const stack = testStack();
  const cni = new VpcCniAddon(stack, "vpc_cni", addonProps(addon));
  const group = new NodeGroup(stack, "node_group", { ...CLUSTER, ...nodes, dependsOn: [cni.addon] });
  cni.addon.dependsOn = [...(cni.addon.dependsOn ?? []), "aws_iam_role_policy_attachment.node_group"];
  return { stack, cni, group };
}

describe("VpcCniAddon: what a node group needs to agree with it", () => {
  it("exposes prefix delegation and custom networking as given, and whether the node role still needs the CNI policy", () => {
    const defaults = new VpcCniAddon(testStack(), "vpc_cni", ADDON);
    expect([defaults.prefixDelegation, defaults.customNetworking, defaults.attachCniPolicy]).toEqual([true, false, true]);
    const own = new VpcCniAddon(testStack(), "vpc_cni", addonProps({ enablePrefixDelegation: false, customNetworking: true, cniCredentials: "pod_identity" }));
    expect([own.prefixDelegation, own.customNetworking, own.attachCniPolicy]).toEqual([false, true, false]);
    const irsa = new VpcCniAddon(testStack(), "vpc_cni", { ...ADDON, serviceAccountRoleArn: "arn:aws:iam::123456789012:role/vpc-cni" });
    expect(irsa.attachCniPolicy).toBe(false);
  });

  it("works attachCniPolicy out at plan time when the credentials are a token", () => {
    const stack = testStack();
    const credentials = new TerraformVariable(stack, "cni_credentials", { type: "string" });
    const cni = new VpcCniAddon(stack, "vpc_cni", { ...ADDON, cniCredentials: credentials.stringValue as "node_role" });
    new NodeGroup(stack, "node_group", { ...CLUSTER, cni });
    const attachments = synth(stack).resource.aws_iam_role_policy_attachment.node_group.for_each as string;
    expect(attachments).toContain('var.cni_credentials == "node_role" && null == null');
  });
});

describe("NodeGroup given the add-on (cni)", () => {
  it("follows its custom networking and prefix delegation: the same Terraform as the settings written out by hand", () => {
    const addon = { customNetworking: true, enablePrefixDelegation: false };
    const given = synth(wired(addon).stack);
    const written = synth(byHand(addon, { customNetworking: true, enablePrefixDelegation: false }).stack);
    expect(given).toEqual(written);
    // One interface less for pods, single IPs: max pods counts (ENIs - 1) x (IPs - 1) + 2.
    expect(given.locals.node_group_max_pods_addressable).toContain("local.node_group_instance_enis - (true ? 1 : 0)");
    expect(given.locals.node_group_prefix_delegation).toMatch(/^\$\{false && /);
  });

  it("starts its nodes after the add-on, and the add-on waits for the node role's policy attachments", () => {
    const tf = synth(wired({}).stack);
    expect(tf.resource.aws_autoscaling_group.node_group.depends_on).toContain("aws_eks_addon.vpc_cni");
    // (after its own Pod Identity agent, which it creates only with cniCredentials "pod_identity")
    expect(tf.resource.aws_eks_addon.vpc_cni.depends_on).toEqual(["aws_eks_addon.vpc_cni_pod_identity_agent", "aws_iam_role_policy_attachment.node_group"]);
  });

  it("drops AmazonEKS_CNI_Policy from the node role when aws-node has a role of its own", () => {
    // The construct writes the choice as a condition; a root stack folds it away.
    const tf = synth(wired({ cniCredentials: "pod_identity" }).stack);
    expect(tf.resource.aws_iam_role_policy_attachment.node_group.for_each).toContain('false ? ["AmazonEKS_CNI_Policy"] : []');
    expect(synth(wired({}).stack).resource.aws_iam_role_policy_attachment.node_group.for_each).toContain('true ? ["AmazonEKS_CNI_Policy"] : []');
  });

  it("accepts a setting also given by hand when it agrees", () => {
    expect(() => wired({ customNetworking: true }, { customNetworking: true, enablePrefixDelegation: true })).not.toThrow();
  });

  it.each<[Partial<VpcCniAddonProps>, Partial<NodeGroupProps>, string]>([
    [
      { customNetworking: true },
      { customNetworking: false },
      "test/node_group: customNetworking (custom_networking) = false disagrees with cni, the vpc-cni add-on the nodes run with, whose customNetworking is true: leave customNetworking out (the node group follows the add-on), or configure the add-on to match.",
    ],
    [{ enablePrefixDelegation: false }, { enablePrefixDelegation: true }, "enablePrefixDelegation (enable_prefix_delegation) = true disagrees with cni"],
    [{ cniCredentials: "pod_identity" }, { attachCniPolicy: true }, "attachCniPolicy (attach_cni_policy) = true disagrees with cni, the vpc-cni add-on the nodes run with, whose attachCniPolicy is false"],
  ])("refuses a known mismatch at synth time: add-on %j, node group %j", (addon, nodes, message) => {
    expect(() => wired(addon, nodes)).toThrow(InputError);
    expect(() => wired(addon, nodes)).toThrow(message);
  });

  it("refuses a mismatch that involves a token at plan time, with a precondition naming both", () => {
    const stack = testStack();
    const networking = new TerraformVariable(stack, "custom_networking", { type: "bool" });
    const cni = new VpcCniAddon(stack, "vpc_cni", { ...ADDON, customNetworking: networking.booleanValue });
    new NodeGroup(stack, "node_group", { ...CLUSTER, cni, customNetworking: false });
    const preconditions = synth(stack).resource.aws_launch_template.node_group.lifecycle.precondition as { condition: string; error_message: string }[];
    const agreement = preconditions.find((p) => p.condition === "${false == var.custom_networking}");
    expect(agreement?.error_message).toBe(
      "custom_networking = ${false} disagrees with cni, the vpc-cni add-on the nodes run with, whose customNetworking is ${var.custom_networking}: leave custom_networking out (the node group follows the add-on), or configure the add-on to match.",
    );
  });
});
