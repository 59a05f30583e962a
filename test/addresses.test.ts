/**
 * Resource addresses are part of the contract: renaming a launch template,
 * Auto Scaling group or role replaces a user's nodes. These lists pin every
 * address of each generated module and each root stack, so a rename is a
 * deliberate, reviewed change of this file.
 */
import { TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { testApp, testStack } from "./support/stacks.js";
import { describe, expect, it } from "vitest";
import { renderModules, rootStacks } from "../src/app/app.js";
import { loadEnvironments } from "../src/app/config.js";

type Json = Record<string, Record<string, Record<string, unknown>>>;

function addresses(terraform: Json): string[] {
  return (["resource", "data"] as const)
    .flatMap((kind) =>
      Object.entries(terraform[kind] ?? {}).flatMap(([type, byName]) =>
        Object.keys(byName).map((name) => `${kind === "data" ? "data." : ""}${type}.${name}`),
      ),
    )
    .sort();
}

const NODE_GROUP_MODULE = [
  "aws_autoscaling_group.this",
  "aws_autoscaling_lifecycle_hook.ready",
  "aws_cloudwatch_event_rule.termination",
  "aws_cloudwatch_event_target.termination",
  "aws_eks_access_entry.this",
  "aws_iam_instance_profile.this",
  "aws_iam_role.this",
  "aws_iam_role_policy.readiness_gate",
  "aws_iam_role_policy_attachment.this",
  "aws_launch_template.this",
  "aws_sqs_queue.termination",
  "aws_sqs_queue_policy.termination",
  "data.aws_ec2_instance_type.this",
  "data.aws_partition.current",
  "data.aws_ssm_parameter.ami",
  "terraform_data.launch_template_tags",
  "terraform_data.termination_hooks",
  "terraform_data.wait_for",
];

const VPC_CNI_MODULE = [
  "aws_eks_addon.pod_identity_agent",
  "aws_eks_addon.this",
  "aws_iam_role.this",
  "aws_iam_role_policy_attachment.this",
  "data.aws_eks_addon_version.this",
  "data.aws_eks_cluster.this",
  "data.aws_partition.current",
  "data.aws_region.current",
];

// Only what the shipped environments use: resources and data sources with no instances go (src/terraform/fold-terraform.ts).
const ROOT_STACK = [
  "aws_autoscaling_group.node_group",
  "aws_autoscaling_lifecycle_hook.node_group_ready",
  "aws_cloudwatch_event_rule.node_group_termination",
  "aws_cloudwatch_event_target.node_group_termination",
  "aws_eks_access_entry.node_group",
  "aws_eks_addon.vpc_cni",
  "aws_iam_instance_profile.node_group",
  "aws_iam_role.node_group",
  "aws_iam_role_policy.node_group_readiness_gate",
  "aws_iam_role_policy_attachment.node_group",
  "aws_launch_template.node_group",
  "aws_sqs_queue.node_group_termination",
  "aws_sqs_queue_policy.node_group_termination",
  "data.aws_ec2_instance_type.node_group",
  "data.aws_eks_addon_version.vpc_cni",
  "data.aws_eks_cluster.cluster",
  "data.aws_partition.node_group_current",
  "data.aws_ssm_parameter.node_group_ami",
  "terraform_data.node_group_launch_template_tags",
  "terraform_data.node_group_termination_hooks",
];

const PREFIX_RESERVATIONS_MODULE = ["aws_ec2_subnet_cidr_reservation.this", "data.aws_subnet.this"];

describe("resource addresses", () => {
  const modules = renderModules();
  const module = (name: string) => JSON.parse(modules[name]!["main.tf.json"]!) as Json;

  it("modules/node-group", () => {
    expect(addresses(module("node-group"))).toEqual(NODE_GROUP_MODULE);
  });

  it("modules/vpc-cni", () => {
    expect(addresses(module("vpc-cni"))).toEqual(VPC_CNI_MODULE);
  });

  it("modules/prefix-reservations", () => {
    expect(addresses(module("prefix-reservations"))).toEqual(PREFIX_RESERVATIONS_MODULE);
  });

  for (const stack of rootStacks(testApp(), loadEnvironments("environments"))) {
    it(`root stack ${stack.node.id}`, () => {
      expect(addresses(JSON.parse(JSON.stringify(stack.toTerraform())) as Json)).toEqual(ROOT_STACK);
    });
  }
});

describe("node replacement", () => {
  const main = JSON.parse(renderModules()["node-group"]!["main.tf.json"]!) as Json;
  const launchTemplate = main.resource!.aws_launch_template!.this as Record<string, any>;
  const asg = main.resource!.aws_autoscaling_group!.this as Record<string, any>;

  it("goes through the Auto Scaling group's instance refresh: the group follows the template's latest version", () => {
    expect(asg.launch_template).toEqual({ id: "${aws_launch_template.this.id}", version: "${aws_launch_template.this.latest_version}" });
    expect(asg.instance_refresh.strategy).toBe("Rolling");
  });

  it("never replaces the Auto Scaling group for a user-data change: its name and settings do not depend on the user data", () => {
    expect(JSON.stringify(asg)).not.toContain("user_data");
    expect(asg.name_prefix).toBe('${format("%s-", local.name)}');
    expect(main.locals!.name).toBe('${format("%s-%s", var.cluster_name, var.name)}');
  });

  it("replaces the Auto Scaling group create-before-destroy (a rename brings the new group up first), under a fresh name", () => {
    expect(asg.lifecycle.create_before_destroy).toBe(true);
    expect(asg).not.toHaveProperty("name");
  });

  it("creates a replacement launch template, role and instance profile before destroying the old one", () => {
    expect(launchTemplate.lifecycle.create_before_destroy).toBe(true);
    expect(launchTemplate.update_default_version).toBe(true);
    for (const type of ["aws_iam_role", "aws_iam_instance_profile"]) {
      expect((main.resource![type]!.this as Record<string, any>).lifecycle.create_before_destroy, type).toBe(true);
      expect((main.resource![type]!.this as Record<string, any>).name_prefix, type).toBeDefined();
    }
  });
});

describe("readable addresses", () => {
  it("are the construct path below the stack, without `this` and id labels", () => {
    // GIVEN a variable two constructs down, one of them a main construct
    const stack = testStack();
    const variable = new TerraformVariable(new Construct(new Construct(stack, "node_group"), "this"), "var:max_pods", { type: "number" });
    // THEN its address leaves out `this` and the label
    expect(variable.friendlyUniqueId).toBe("node_group_max_pods");
  });

  it("refuse two constructs that would share an address, naming both paths", () => {
    // GIVEN two variables whose paths differ only in a label and a `this`
    const stack = testStack();
    expect(new TerraformVariable(stack, "var:node_group_x", { type: "string" }).friendlyUniqueId).toBe("node_group_x");
    const second = new TerraformVariable(new Construct(stack, "node_group"), "x", { type: "string" });
    // THEN the second one's address is refused
    expect(() => second.friendlyUniqueId).toThrow("test/node_group/x and test/var:node_group_x would both be var.node_group_x; give one of them another id");
  });
});
