import { describe, expect, it } from "vitest";
import { CNI_POLICY, NODE_POLICIES, NodeGroup, SSM_POLICY, TERMINATION_HOOK_NAME, type MetadataHopLimit, type NodeGroupProps } from "../../src/constructs/node-group/index.js";
import { READINESS_HOOK_NAME, READINESS_SCRIPT } from "../../src/user-data/readiness-gate.js";
import { CLUSTER, synth, testStack } from "../support/stacks.js";

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

  it("uses short readable addresses under the construct id, whatever part of the node group declares them", () => {
    expect(Object.keys(tf.resource).sort()).toEqual([
      "aws_autoscaling_group",
      "aws_autoscaling_lifecycle_hook",
      "aws_cloudwatch_event_rule",
      "aws_cloudwatch_event_target",
      "aws_eks_access_entry",
      "aws_iam_instance_profile",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
      "aws_launch_template",
      "aws_sqs_queue",
      "aws_sqs_queue_policy",
      "terraform_data",
    ]);
    const termination = ["aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_sqs_queue", "aws_sqs_queue_policy"];
    for (const [type, byName] of Object.entries(tf.resource)) {
      const expected = termination.includes(type)
        ? ["node_group_termination"]
        : ({
            terraform_data: ["node_group_launch_template_tags", "node_group_termination_hooks"],
            aws_autoscaling_lifecycle_hook: ["node_group_ready"],
            aws_iam_role_policy: ["node_group_readiness_gate"],
          } as Record<string, string[]>)[type] ?? ["node_group"];
      expect(Object.keys(byName as object).sort(), type).toEqual(expected);
    }
    expect(Object.keys(tf.data).sort()).toEqual(["aws_ec2_instance_type", "aws_partition", "aws_ssm_parameter"]);
  });

  it("requires IMDSv2 with hop limit 1, encrypts gp3 volumes and gives no public IP", () => {
    expect(launchTemplate.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_put_response_hop_limit: 1,
      http_tokens: "required",
      instance_metadata_tags: "disabled",
    });
    expect(launchTemplate.dynamic.block_device_mappings.content.ebs).toEqual([
      { volume_size: "${each.value}", volume_type: "gp3", encrypted: "true", delete_on_termination: "true" },
    ]);
    expect(launchTemplate.network_interfaces).toEqual([
      { associate_public_ip_address: "false", delete_on_termination: "true", device_index: 0, security_groups: ["sg-0123456789abcdef0"] },
    ]);
  });

  it("renders only the AL2023 user data for the default AMI type", () => {
    expect(Object.keys(tf.locals).filter((name) => name.includes("user_data")).sort()).toEqual([
      "node_group_user_data",
      "node_group_user_data_al2023",
    ]);
    expect(tf.locals.node_group_user_data).toBe('${join("\\n", local.node_group_user_data_al2023)}');
    expect(launchTemplate.user_data).toBe("${base64encode(local.node_group_user_data)}");
  });

  it("rolls nodes launch-before-terminate, counting each after a warm-up, and leaves desired capacity to autoscalers", () => {
    expect(asg.instance_refresh).toEqual({
      strategy: "Rolling",
      preferences: { min_healthy_percentage: 100, max_healthy_percentage: 200, instance_warmup: "300", skip_matching: true, auto_rollback: true },
    });
    expect(asg.launch_template).toEqual({
      id: "${aws_launch_template.node_group.id}",
      version: "${aws_launch_template.node_group.latest_version}",
    });
    expect(asg.lifecycle.ignore_changes).toEqual(["desired_capacity", "initial_lifecycle_hook"]);
    expect(asg.lifecycle.replace_triggered_by).toEqual(["terraform_data.node_group_termination_hooks"]);
    expect(tf.resource.terraform_data.node_group_termination_hooks).toEqual({ triggers_replace: "${local.node_group_termination_hooks}" });
    expect(asg.lifecycle.create_before_destroy).toBe(true);
    expect(asg.name_prefix).toBe("${format(\"%s-\", local.node_group_name)}");
    expect(launchTemplate.lifecycle.create_before_destroy).toBe(true);
  });

  it("holds terminating nodes in a lifecycle hook for the drain, then continues", () => {
    expect(tf.locals.node_group_termination_hooks).toBe(`\${true ? { "${TERMINATION_HOOK_NAME}" = 300 } : {}}`);
    expect(tf.locals.node_group_drain_hooks).toBe(
      '${{ for name, timeout in local.node_group_termination_hooks : name => { transition = "autoscaling:EC2_INSTANCE_TERMINATING", default_result = "CONTINUE", timeout = timeout } }}',
    );
    expect(tf.locals.node_group_initial_lifecycle_hooks).toBe("${merge(local.node_group_drain_hooks, local.node_group_readiness_hooks)}");
    expect(asg.dynamic.initial_lifecycle_hook).toEqual({
      for_each: "${local.node_group_initial_lifecycle_hooks}",
      iterator: "each",
      content: {
        name: "${each.key}",
        lifecycle_transition: "${each.value.transition}",
        default_result: "${each.value.default_result}",
        heartbeat_timeout: "${each.value.timeout}",
      },
    });
  });

  it("gates launches on readiness: a launching hook with ABANDON, the script part in the user data, the role's scoped policy", () => {
    // GIVEN the defaults (AL2023), THEN the launching hook waits 600 s and abandons a node that does not complete it
    expect(tf.locals.node_group_readiness_gate).toBe(`${"$"}{true && local.node_group_ami_family != "BOTTLEROCKET"}`);
    expect(tf.resource.aws_autoscaling_lifecycle_hook.node_group_ready).toEqual({
      count: "${local.node_group_readiness_gate ? 1 : 0}",
      name: READINESS_HOOK_NAME,
      autoscaling_group_name: "${aws_autoscaling_group.node_group.name}",
      lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING",
      default_result: "ABANDON",
      heartbeat_timeout: 600,
    });
    // AND a new group starts with it among its initial hooks, and its apply waits for ready nodes 300 s past the hook
    expect(tf.locals.node_group_readiness_hooks).toBe(
      `${"$"}{local.node_group_readiness_gate ? { "${READINESS_HOOK_NAME}" = { transition = "autoscaling:EC2_INSTANCE_LAUNCHING", default_result = "ABANDON", timeout = 600 } } : {}}`,
    );
    expect(asg.wait_for_capacity_timeout).toBe('${local.node_group_readiness_gate ? format("%ds", 600 + 300) : "10m"}');
    expect(asg.depends_on).toContain("aws_iam_role_policy.node_group_readiness_gate");
    // AND the user data has a shell-script part after the NodeConfig that starts the script detached
    const al2023 = (tf.locals.node_group_user_data_al2023 as string[]).join("\n");
    expect(al2023).toMatch(/application\/node\.eks\.aws[\s\S]*%\{ if local\.node_group_readiness_gate \}--\/\/\nContent-Type: text\/x-shellscript/);
    expect(al2023).toContain('${join("\\n", local.node_group_readiness_gate_launcher)}\n%{ endif }--//--\n');
    // AND the launcher's lines install the script, line by line as written, and start it
    const launcher = (tf.locals.node_group_readiness_gate_launcher as string[]).join("\n");
    expect(launcher).toContain(READINESS_SCRIPT.replace(/\$\{/g, "$${"));
    expect(launcher).toContain(`systemd-run --no-block --unit=eks-pod-density-ready /usr/local/bin/eks-pod-density-ready '${READINESS_HOOK_NAME}' '600'`);
    // AND the node role may complete lifecycle actions of this group's names only
    const policy = tf.resource.aws_iam_role_policy.node_group_readiness_gate;
    expect(policy.count).toBe("${local.node_group_readiness_gate ? 1 : 0}");
    expect(policy.policy).toContain(`autoScalingGroupName/%s-${"?".repeat(26)}", data.aws_partition.node_group_current.partition, local.node_group_name)`);
    expect(policy.policy).toContain('Action = "autoscaling:DescribeAutoScalingInstances", Resource = "*"');
  });

  it("tags the nodes as owned by the cluster, and new volumes and interfaces through the launch template", () => {
    expect(tf.locals.node_group_tags).toContain('(format("kubernetes.io/cluster/%s", "sre-test")) = "owned"');
    expect(asg.dynamic.tag.content).toEqual({ key: "${each.key}", value: "${each.value}", propagate_at_launch: true });
    expect(launchTemplate.tag_specifications).toEqual([
      { resource_type: "volume", tags: "${terraform_data.node_group_launch_template_tags.output}" },
      { resource_type: "network-interface", tags: "${terraform_data.node_group_launch_template_tags.output}" },
    ]);
  });

  it("takes new tags into the launch template only when something else rolls the nodes", () => {
    const launchTags = tf.resource.terraform_data.node_group_launch_template_tags;
    expect(launchTags.lifecycle.ignore_changes).toEqual(["input"]);
    for (const rolls of ["local.node_group_image_id", "sha256(local.node_group_user_data)", "aws_iam_instance_profile.node_group.arn", "local.node_group_volume_sizes"]) {
      expect(launchTags.triggers_replace).toContain(rolls);
    }
  });

  it("attaches the worker, pull-only ECR and (switchable) CNI policies; SSM only on request", () => {
    const forEach = tf.resource.aws_iam_role_policy_attachment.node_group.for_each as string;
    for (const policy of [...NODE_POLICIES, CNI_POLICY, SSM_POLICY]) expect(forEach).toContain(`"${policy}"`);
    expect(forEach).toContain(`true ? ["${CNI_POLICY}"] : []`);
    expect(forEach).toContain(`false ? ["${SSM_POLICY}"] : []`);
    expect(NODE_POLICIES).toEqual(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"]);
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
    const tf = synth(stack);
    const al2 = (tf.locals.node_group_user_data_al2 as string[]).join("\n");
    // THEN the script carries the article's two variables, quoted
    expect(al2).toContain("/etc/eks/bootstrap.sh 'sre-test'");
    expect(al2).toContain("--use-max-pods false \\\n");
    expect(al2).toContain("--kubelet-extra-args '${local.node_group_al2_kubelet_args}'");
    expect(tf.locals.node_group_al2_kubelet_args).toContain('trimspace("--max-pods=110")');
  });
});

describe("NodeGroup settings", () => {
  it("passes instance refresh preferences through, with the defaults for the rest", () => {
    const stack = testStack();
    new NodeGroup(stack, "node_group", { ...CLUSTER, instanceRefresh: { minHealthyPercentage: 90, maxHealthyPercentage: 190, checkpointPercentages: [50, 100], checkpointDelay: 600 } });
    expect(synth(stack).resource.aws_autoscaling_group.node_group.instance_refresh.preferences).toEqual({
      min_healthy_percentage: 90,
      max_healthy_percentage: 190,
      instance_warmup: "300",
      skip_matching: true,
      auto_rollback: true,
      checkpoint_percentages: [50, 100],
      checkpoint_delay: "600",
    });
  });

  it("without the readiness gate: no hook instance, no policy instance, and the user data as before", () => {
    // GIVEN launchReadinessGate false, THEN the counts are 0 and the template renders no script part
    const stack = testStack();
    new NodeGroup(stack, "node_group", { ...CLUSTER, launchReadinessGate: false });
    const tf = synth(stack);
    expect(tf.locals.node_group_readiness_gate).toBe(`${"$"}{false && local.node_group_ami_family != "BOTTLEROCKET"}`);
    expect(tf.resource.aws_autoscaling_lifecycle_hook.node_group_ready.count).toBe("${local.node_group_readiness_gate ? 1 : 0}");
    expect(tf.resource.aws_iam_role_policy.node_group_readiness_gate.count).toBe("${local.node_group_readiness_gate ? 1 : 0}");
  });

  it("Bottlerocket keeps EC2's health: no gate, and a warning that says so", () => {
    const stack = testStack();
    new NodeGroup(stack, "node_group", { ...CLUSTER, amiType: "BOTTLEROCKET_x86_64" });
    const tf = synth(stack);
    expect(tf.locals.node_group_readiness_gate).toBe(`${"$"}{true && local.node_group_ami_family != "BOTTLEROCKET"}`);
    expect((tf.locals.node_group_user_data_bottlerocket as string[]).join("\n")).not.toContain("eks-pod-density-ready");
    expect(tf.locals.node_group_warnings).toContain("local.node_group_warning_bottlerocket_gate");
    expect(tf.locals.node_group_warning_bottlerocket_gate).toBe(
      '${true && local.node_group_ami_family == "BOTTLEROCKET" ? local.node_group_warning_messages.bottlerocket_gate : ""}',
    );
    expect((tf.locals.node_group_warning_messages as Record<string, string>).bottlerocket_gate).toContain(
      "launch_readiness_gate: Bottlerocket nodes cannot complete the launching lifecycle hook",
    );
  });

  it("refuses a node_ready_timeout outside Auto Scaling's heartbeat limits", () => {
    for (const nodeReadyTimeout of [29, 7201, 600.5]) {
      expect(() => new NodeGroup(testStack(), "node_group", { ...CLUSTER, nodeReadyTimeout }), String(nodeReadyTimeout)).toThrow(
        "nodeReadyTimeout (node_ready_timeout) must be a whole number of seconds from 30 to 7200 (Auto Scaling's lifecycle hook limits).",
      );
    }
  });

  it("keeps a Terraform template in a tag as text", () => {
    // Refused by the tag rules in a module or root stack (IAM takes no $ or {), but never evaluated.
    const stack = testStack();
    new NodeGroup(stack, "node_group", { ...CLUSTER, tags: { team: "sre" } });
    expect(synth(stack).locals.node_group_tags).toBe(
      '${merge({ "team" = "sre" }, { Name = local.node_group_name, (format("kubernetes.io/cluster/%s", "sre-test")) = "owned" })}',
    );
  });
});

describe("NodeGroup errors", () => {
  const refused = (props: Partial<ConstructorParameters<typeof NodeGroup>[2]>) => () =>
    new NodeGroup(testStack(), "node_group", { ...CLUSTER, ...props });

  it.each<[Partial<NodeGroupProps>, string]>([
    [{ kubeletExtraArgs: "--node-labels=a'b" }, "kubeletExtraArgs (kubelet_extra_args) may hold only"],
    [{ kubeletExtraArgs: "--max_pods=300" }, "kubeletExtraArgs (kubelet_extra_args): --max-pods=N must be a whole number from 1 to 250"],
    [{ kubeletExtraArgs: "--max-pods=0110" }, "kubeletExtraArgs (kubelet_extra_args) may set max pods only once, and only as --max-pods=N with N written without leading zeros"],
    [{ kubeletExtraArgs: "--kube_reserved=memory=1Gi" }, "kubeletExtraArgs (kubelet_extra_args) may not set --kube-reserved"],
    [{ maxPods: 251 }, "maxPods (max_pods) must be null (automatic) or a whole number from 1 to 250"],
    [{ maxPods: 58, kubeletExtraArgs: "--max-pods=58" }, "maxPods (max_pods) and a --max-pods=N flag"],
    [{ amiType: "AL2_x86_64", kubernetesVersion: "1.33" }, "amiType (ami_type) AL2_* has no EKS-optimized AMI after Kubernetes 1.32"],
    [{ amiType: "BOTTLEROCKET_x86_64", kubeReserved: { pid: "1000" } }, "kubeReserved (kube_reserved) may set only cpu, memory, ephemeral-storage with a BOTTLEROCKET amiType (ami_type)"],
    [{ minSize: 3, desiredSize: 2 }, "minSize (min_size) <= desiredSize (desired_size) <= maxSize (max_size)"],
    [{ subnetIds: [] }, "subnetIds (subnet_ids) must list at least one subnet id"],
    [{ securityGroupIds: [] }, "securityGroupIds (security_group_ids) must list at least one security group id"],
    [{ rootVolumeSize: 8 }, "rootVolumeSize (root_volume_size) must be a whole number of GiB from 20"],
    [{ metadataHttpPutResponseHopLimit: 3 as MetadataHopLimit /* JavaScript callers are not typed */ }, "metadataHttpPutResponseHopLimit (metadata_http_put_response_hop_limit) must be 1"],
    [{ instanceRefresh: { minHealthyPercentage: 50 } }, "instanceRefresh (instance_refresh): minHealthyPercentage (min_healthy_percentage) must be 0 to 100 and maxHealthyPercentage (max_healthy_percentage) 100 to 200, at most 100 apart"],
    [{ kubernetesVersion: "1.31" }, "kubernetesVersion (kubernetes_version) must be a Kubernetes minor version such as 1.33, from 1.32"],
    [{ tags: { Name: "mine" } }, "tags may not set Name"],
    [{ tags: { host: '${file("/etc/hostname")}' } }, "tags: tag keys and values may hold only letters, digits, spaces"],
    [{ clusterName: "c".repeat(100) }, "clusterName (cluster_name) and name together may hold at most 97 characters"],
  ])("refuses %j, naming the TypeScript property (and the Terraform input)", (props, message) => {
    expect(refused(props)).toThrow(message);
  });

  it("names the construct path in the error", () => {
    expect(refused({ maxPods: 0 })).toThrow(/^test\/node_group: maxPods \(max_pods\) must be null/);
  });
});
