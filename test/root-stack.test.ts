import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseEnvironment, type Environment } from "../src/config.js";
import { ENVIRONMENT_TAG, RootStack } from "../src/root-stack.js";
import type { Synth } from "./support/stacks.js";
import { readFileSync } from "node:fs";

const article = parseEnvironment("environments/article.yaml", readFileSync("environments/article.yaml", "utf8"));

function synthRoot(environment: Environment): Synth {
  const stack = new RootStack(Testing.app(), { environment, stackDir: `cdktf.out/stacks/${environment.name}` });
  return JSON.parse(Testing.synth(stack)) as Synth;
}

describe("RootStack for the article environment", () => {
  // GIVEN the article's environment WHEN its root stack is synthesized
  const tf = synthRoot(article);

  it("matches the snapshot", () => {
    expect(tf).toMatchSnapshot();
  });

  it("creates the nodes only after the vpc-cni add-on", () => {
    expect(tf.resource.aws_autoscaling_group.node_group.depends_on).toEqual([
      "aws_eks_addon.vpc_cni",
      "aws_ec2_subnet_cidr_reservation.prefix_reservations",
    ]);
  });

  it("exposes the article's two variables with the environment's values as defaults", () => {
    expect(tf.variable.kubelet_extra_args).toMatchObject({ type: "string", default: "--max-pods=110" });
    expect(tf.variable.kubelet_extra_args.validation.length).toBeGreaterThan(0);
    expect(tf.variable.use_max_pods).toMatchObject({ type: "bool", default: false });
    expect(tf.locals.node_group_user_data_al2).toContain("--use-max-pods ${var.use_max_pods}");
    expect(tf.locals.node_group_max_pods_from_kubelet_args).toContain("var.kubelet_extra_args");
  });

  it("reads the existing cluster by name and feeds it to the node group", () => {
    expect(tf.data.aws_eks_cluster.cluster).toMatchObject({ name: "sre-test" });
    expect(tf.locals.node_group_user_data_al2).toContain("data.aws_eks_cluster.cluster.endpoint");
    expect(tf.resource.aws_launch_template.node_group.network_interfaces[0].security_groups).toEqual([
      "${data.aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}",
    ]);
  });

  it("configures the add-on for prefix delegation with one warm prefix", () => {
    expect(tf.locals.vpc_cni_env).toContain("ENABLE_PREFIX_DELEGATION = tostring(true)");
    expect(tf.locals.vpc_cni_env).toContain("WARM_PREFIX_TARGET = true ? tostring(1) : null");
  });

  it("sets the provider's region and default tags, and keeps local state in the project folder", () => {
    expect(tf.provider.aws[0]).toMatchObject({
      region: "ap-northeast-1",
      default_tags: [{ tags: { team: "sre", purpose: "test", [ENVIRONMENT_TAG]: "article" } }],
    });
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.article.tfstate" } });
  });

  it("outputs effective max pods, ASG name and add-on version", () => {
    expect(Object.keys(tf.output).sort()).toEqual([
      "autoscaling_group_name",
      "kube_reserved",
      "max_pods",
      "node_user_data",
      "vpc_cni_addon_version",
      "vpc_cni_configuration_values",
    ]);
  });
});

describe("RootStack backends", () => {
  it("uses S3 with native locking when configured", () => {
    const tf = synthRoot({
      ...article,
      backend: { type: "s3", bucket: "tf-state", key: "eks/article.tfstate", region: "ap-northeast-1", use_lockfile: true, encrypt: true },
    });
    expect(tf.terraform.backend).toEqual({
      s3: { bucket: "tf-state", key: "eks/article.tfstate", region: "ap-northeast-1", encrypt: true, use_lockfile: true },
    });
  });

  it("uses HCP Terraform when configured", () => {
    const tf = synthRoot({ ...article, backend: { type: "cloud", organization: "sre", workspace: "eks-article", hostname: "app.terraform.io" } });
    expect(tf.terraform.cloud).toEqual({ organization: "sre", hostname: "app.terraform.io", workspaces: { name: "eks-article" } });
  });
});

describe("RootStack errors", () => {
  it("refuses a bad resolved value at synth time, naming the stack and the input", () => {
    expect(() => synthRoot({ ...article, min_size: 3, desired_size: 2 })).toThrow(/^article\/node_group: min_size <= desired_size <= max_size/);
  });

  it("leaves rules on the kubelet_extra_args variable to Terraform (a precondition)", () => {
    const tf = synthRoot({ ...article, max_pods: 58 });
    const conditions = tf.resource.aws_launch_template.node_group.lifecycle.precondition.map((p: { condition: string }) => p.condition);
    expect(conditions).toContain("${58 == null || local.node_group_max_pods_from_kubelet_args == null}");
  });
});
