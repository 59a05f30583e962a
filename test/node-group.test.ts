import { describe, expect, it } from "vitest";
import { NodeGroup, CNI_POLICY, NODE_POLICIES } from "../src/node-group/index.js";
import { CLUSTER, synth, testStack } from "./support/stacks.js";

describe("NodeGroup defaults", () => {
  // GIVEN a node group with only the required cluster values
  const stack = testStack();
  new NodeGroup(stack, "node_group", CLUSTER);
  // WHEN it is synthesized
  const tf = synth(stack);
  const launchTemplate = tf.resource.aws_launch_template.node_group;
  const asg = tf.resource.aws_autoscaling_group.node_group;

  it("matches the snapshot", () => {
    expect(tf).toMatchSnapshot();
  });

  it("uses short readable addresses under the construct id", () => {
    expect(Object.keys(tf.resource).sort()).toEqual([
      "aws_autoscaling_group",
      "aws_eks_access_entry",
      "aws_iam_instance_profile",
      "aws_iam_role",
      "aws_iam_role_policy_attachment",
      "aws_launch_template",
    ]);
    for (const byName of Object.values(tf.resource)) expect(Object.keys(byName as object)).toEqual(["node_group"]);
    expect(Object.keys(tf.data).sort()).toEqual(["aws_ec2_instance_type", "aws_partition", "aws_ssm_parameter"]);
  });

  it("requires IMDSv2, encrypts gp3 volumes and gives no public IP", () => {
    expect(launchTemplate.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_put_response_hop_limit: 2,
      http_tokens: "required",
      instance_metadata_tags: "disabled",
    });
    expect(launchTemplate.dynamic.block_device_mappings.content.ebs).toEqual([
      { volume_size: "${each.value}", volume_type: "gp3", encrypted: "true", delete_on_termination: "true" },
    ]);
    expect(launchTemplate.network_interfaces).toEqual([
      { associate_public_ip_address: "false", delete_on_termination: "true", device_index: 0, security_groups: [] },
    ]);
  });

  it("renders only the AL2023 user data for the default AMI type", () => {
    expect(Object.keys(tf.locals).filter((name) => name.includes("user_data")).sort()).toEqual([
      "node_group_user_data",
      "node_group_user_data_al2023",
    ]);
    expect(tf.locals.node_group_user_data).toBe("${local.node_group_user_data_al2023}");
    expect(launchTemplate.user_data).toBe("${base64encode(local.node_group_user_data)}");
  });

  it("rolls nodes with an instance refresh and leaves desired capacity to autoscalers", () => {
    expect(asg.instance_refresh).toEqual({ strategy: "Rolling", preferences: { min_healthy_percentage: 66 } });
    expect(asg.launch_template).toEqual({
      id: "${aws_launch_template.node_group.id}",
      version: "${aws_launch_template.node_group.latest_version}",
    });
    expect(asg.lifecycle.ignore_changes).toEqual(["desired_capacity"]);
    expect(launchTemplate.lifecycle.create_before_destroy).toBe(true);
  });

  it("tags the nodes as owned by the cluster", () => {
    expect(tf.locals.node_group_tags).toContain('(format("kubernetes.io/cluster/%s", "sre-test")) = "owned"');
    expect(asg.dynamic.tag.content).toEqual({ key: "${each.key}", value: "${each.value}", propagate_at_launch: true });
  });

  it("attaches the worker, ECR, SSM and (switchable) CNI policies", () => {
    const forEach = tf.resource.aws_iam_role_policy_attachment.node_group.for_each as string;
    for (const policy of [...NODE_POLICIES, CNI_POLICY]) expect(forEach).toContain(`"${policy}"`);
    expect(forEach).toContain(`true ? ["${CNI_POLICY}"] : []`);
  });

  it("creates an EC2_LINUX access entry for the node role", () => {
    expect(tf.resource.aws_eks_access_entry.node_group).toMatchObject({
      type: "EC2_LINUX",
      principal_arn: "${aws_iam_role.node_group.arn}",
      count: "${true ? 1 : 0}",
    });
  });
});

describe("NodeGroup with the article's inputs", () => {
  it("renders bootstrap.sh with --use-max-pods and --kubelet-extra-args", () => {
    // GIVEN the article's AL2 inputs
    const stack = testStack();
    new NodeGroup(stack, "node_group", {
      ...CLUSTER,
      amiType: "AL2_x86_64",
      kubeletExtraArgs: "--max-pods=110",
      useMaxPods: false,
    });
    // WHEN synthesized
    const al2 = synth(stack).locals.node_group_user_data_al2 as string;
    // THEN the script carries the article's two variables, quoted
    expect(al2).toContain("/etc/eks/bootstrap.sh 'sre-test'");
    expect(al2).toContain("--use-max-pods false \\\n");
    expect(al2).toContain(`--kubelet-extra-args '\${join(" ", compact([`);
    expect(al2).toContain('trimspace("--max-pods=110")');
  });
});

describe("NodeGroup errors", () => {
  const refused = (props: Partial<ConstructorParameters<typeof NodeGroup>[2]>) => () =>
    new NodeGroup(testStack(), "node_group", { ...CLUSTER, ...props });

  it.each([
    [{ kubeletExtraArgs: "--node-labels=a'b" }, "kubelet_extra_args may hold only"],
    [{ maxPods: 251 }, "max_pods must be null (automatic) or a whole number from 1 to 250"],
    [{ maxPods: 58, kubeletExtraArgs: "--max-pods=58" }, "max_pods and a --max-pods=N flag"],
    [{ amiType: "AL2_x86_64", kubernetesVersion: "1.33" }, "ami_type AL2_* has no EKS-optimized AMI after Kubernetes 1.32"],
    [{ minSize: 3, desiredSize: 2 }, "min_size <= desired_size <= max_size"],
    [{ subnetIds: [] }, "subnet_ids must list at least one subnet id"],
  ])("refuses %j", (props, message) => {
    expect(refused(props)).toThrow(message);
  });

  it("names the construct path in the error", () => {
    expect(refused({ maxPods: 0 })).toThrow(/^test\/node_group: max_pods/);
  });
});
