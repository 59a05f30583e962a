import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parseEnvironment, type Environment } from "../../src/app/config.js";
import { ENVIRONMENT_TAG, RootStack } from "../../src/app/root-stack.js";
import { testApp, type Synth } from "../support/stacks.js";
import { readFileSync } from "node:fs";

const article = parseEnvironment("environments/article.yaml", readFileSync("environments/article.yaml", "utf8"));

function synthRoot(environment: Environment): Synth {
  const stack = new RootStack(testApp(), { environment, stackDir: `cdktf.out/stacks/${environment.name}` });
  return JSON.parse(Testing.synth(stack)) as Synth;
}

/** The AL2 user data's template: its lines (a local), joined as the node group joins them. */
const userData = (tf: Synth) => (tf.locals.node_group_user_data_al2 as string[]).join("\n");

describe("RootStack for the article environment", () => {
  // GIVEN the article's environment WHEN its root stack is synthesized
  const tf = synthRoot(article);

  it("matches the snapshot", () => {
    expect(tf).toMatchSnapshot();
  });

  it("creates the nodes only after the vpc-cni add-on", () => {
    expect(tf.resource.aws_autoscaling_group.node_group.depends_on).toEqual(["aws_eks_addon.vpc_cni", "aws_iam_role_policy.node_group_readiness_gate"]);
  });

  it("declares the Terraform version the modules need", () => {
    expect(tf.terraform.required_version).toBe(">= 1.9.0");
  });

  it("exposes the article's two variables with the environment's values as defaults", () => {
    expect(tf.variable.kubelet_extra_args).toMatchObject({ type: "string", default: "--max-pods=110" });
    expect(tf.variable.kubelet_extra_args.validation.length).toBeGreaterThan(0);
    expect(tf.variable.use_max_pods).toMatchObject({ type: "bool", default: false });
    expect(userData(tf)).toContain("--use-max-pods ${var.use_max_pods}");
    expect(tf.locals.node_group_max_pods_from_kubelet_args).toContain("var.kubelet_extra_args");
  });

  it("reads the existing cluster by name and feeds it to the node group", () => {
    expect(tf.data.aws_eks_cluster.cluster).toMatchObject({ name: "sre-test" });
    expect(userData(tf)).toContain("data.aws_eks_cluster.cluster.endpoint");
    expect(tf.resource.aws_launch_template.node_group.network_interfaces[0].security_groups).toEqual([
      "${data.aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}",
    ]);
  });

  it("configures the add-on for prefix delegation with one warm prefix", () => {
    expect(tf.locals.vpc_cni_env).toBe('${{ "ENABLE_PREFIX_DELEGATION" = "true", "WARM_PREFIX_TARGET" = "1" }}');
  });

  it("looks the cluster up once: the add-on takes its Kubernetes version from the stack's lookup", () => {
    expect(Object.keys(tf.data.aws_eks_cluster)).toEqual(["cluster"]);
    expect(tf.data.aws_eks_addon_version.vpc_cni).toMatchObject({ count: 1, kubernetes_version: "${data.aws_eks_cluster.cluster.version}" });
  });

  it("has no resources or data sources the environment does not use: no Pod Identity role, no prefix reservations", () => {
    expect(tf.resource).not.toHaveProperty("aws_iam_role.vpc_cni");
    expect(tf.resource).not.toHaveProperty("aws_iam_role_policy_attachment.vpc_cni");
    expect(tf.resource).not.toHaveProperty("aws_ec2_subnet_cidr_reservation");
    expect(tf.data).not.toHaveProperty("aws_subnet");
    expect(Object.keys(tf.data.aws_partition)).toEqual(["node_group_current"]);
    expect(tf.resource.aws_eks_addon.vpc_cni).not.toHaveProperty("dynamic");
  });

  it("sets the provider's region and default tags, and keeps local state in the project folder", () => {
    expect(tf.provider.aws[0]).toMatchObject({
      region: "ap-northeast-1",
      default_tags: [{ tags: { team: "sre", purpose: "test", [ENVIRONMENT_TAG]: "article" } }],
    });
    expect(tf.terraform.backend).toEqual({ local: { path: "../../../terraform.article.tfstate" } });
  });

  it("outputs effective max pods, ASG name, add-on version, termination queue and handler policy, aws-auth entry", () => {
    expect(Object.keys(tf.output).sort()).toEqual([
      "autoscaling_group_name",
      "aws_auth_map_roles",
      "kube_reserved",
      "max_pods",
      "node_user_data",
      "termination_handler_policy_json",
      "termination_queue_url",
      "vpc_cni_addon_version",
      "vpc_cni_configuration_values",
      "warnings",
    ]);
  });

  it("tags the nodes, their volumes and interfaces with the environment's tags (default_tags do not reach them)", () => {
    expect(tf.locals.node_group_tags).toContain('"team" = "sre", "purpose" = "test", "eks-pod-density:environment" = "article"');
  });

  it("creates the access entry only where the cluster's authentication mode takes it, else outputs the aws-auth entry", () => {
    expect(tf.resource.aws_eks_access_entry.node_group.count).toBe(
      '${contains(["API", "API_AND_CONFIG_MAP"], try(data.aws_eks_cluster.cluster.access_config[0].authentication_mode, "CONFIG_MAP")) ? 1 : 0}',
    );
    expect(tf.output.aws_auth_map_roles.value).toContain('? null : yamlencode([{ rolearn = aws_iam_role.node_group.arn, username = "system:node:{{EC2PrivateDNSName}}"');
  });

  it("ties the add-on and the nodes to one prefix delegation and custom networking setting", () => {
    expect(tf.locals.vpc_cni_env).toContain('"ENABLE_PREFIX_DELEGATION" = "true"');
    expect(tf.locals.node_group_prefix_delegation).toBe('${data.aws_ec2_instance_type.node_group.hypervisor == "nitro" || data.aws_ec2_instance_type.node_group.bare_metal}');
    expect(tf.locals.vpc_cni_env).not.toContain("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG");
    // Without custom networking every interface carries pods.
    expect(tf.locals.node_group_max_pods_addressable).toMatch(/^\$\{local\.node_group_instance_enis \* /);
  });
});

describe("RootStack for an environment with Pod Identity and custom networking", () => {
  const eniConfigs = { "ap-northeast-1a": { subnet_id: "subnet-0a1b2c3d4e5f60101", security_group_ids: [] } };
  const tf = synthRoot({ ...article, cni_credentials: "pod_identity", custom_networking: true, eni_configs: eniConfigs, create_access_entry: false });

  it("installs the Pod Identity agent first and takes the CNI policy off the node role", () => {
    expect(tf.resource.aws_eks_addon.pod_identity_agent).toMatchObject({ addon_name: "eks-pod-identity-agent", cluster_name: "sre-test" });
    expect(tf.resource.aws_eks_addon.vpc_cni.depends_on).toEqual(["aws_eks_addon.pod_identity_agent", "aws_iam_role_policy_attachment.node_group"]);
    expect(tf.resource.aws_iam_role_policy_attachment.node_group.for_each).toContain('["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"]');
    expect(tf.resource.aws_iam_role.vpc_cni.count).toBe(1);
    expect(tf.locals.vpc_cni_pod_identity_associations).toBe('${{ "aws-node" = one(aws_iam_role.vpc_cni[*]).arn }}');
  });

  it("has the add-on create the ENIConfigs in the environment's region, with no region lookup", () => {
    expect(tf.locals.vpc_cni_eni_config).toBe('${{ create = true, region = "ap-northeast-1", subnets = local.vpc_cni_eni_config_subnets }}');
    expect(tf.locals.vpc_cni_eni_config_subnets).toBe('${{ "ap-northeast-1a" = { id = "subnet-0a1b2c3d4e5f60101", securityGroups = [] } }}');
    expect(tf.locals.vpc_cni_configuration_values).toContain("eniConfig = local.vpc_cni_eni_config");
    expect(tf.data).not.toHaveProperty("aws_region");
  });

  it("refuses custom networking without ENIConfigs, naming eni_configs", () => {
    expect(() => synthRoot({ ...article, custom_networking: true })).toThrow(/customNetworking \(custom_networking\) = true needs an ENIConfig .*: set eniConfigs \(eni_configs\)/);
    expect(() => synthRoot({ ...article, custom_networking: true, eni_configs_managed_elsewhere: true })).not.toThrow();
  });

  it("forces the access entry off when the environment says so: the stack has none", () => {
    expect(tf.resource).not.toHaveProperty("aws_eks_access_entry");
    expect(tf.output.aws_auth_map_roles.value).toMatch(/^\$\{yamlencode\(/);
  });
});

describe("RootStack with prefix reservations", () => {
  // GIVEN an environment that reserves prefix room WHEN its root stack is synthesized
  const tf = synthRoot({ ...article, prefix_reservations: [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0/22" }] });

  it("reserves the blocks and starts the nodes only after the reservations", () => {
    expect(tf.resource.aws_ec2_subnet_cidr_reservation.prefix_reservations.for_each).toBe("${local.prefix_reservations_reservations}");
    expect(tf.data.aws_subnet.prefix_reservations).toBeDefined();
    expect(tf.resource.aws_autoscaling_group.node_group.depends_on).toEqual([
      "aws_eks_addon.vpc_cni",
      "aws_ec2_subnet_cidr_reservation.prefix_reservations",
      "aws_iam_role_policy.node_group_readiness_gate",
    ]);
  });
});

describe("RootStack keeps configuration as data", () => {
  it("writes a ${...} in a prefix reservation's description, the S3 key or the state path as text, never as an expression", () => {
    const tf = synthRoot({
      ...article,
      prefix_reservations: [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0/22", description: '${file("/etc/hostname")}' }],
      backend: { type: "s3", bucket: "tf-state", key: "eks/${terraform.workspace}.tfstate", region: "ap-northeast-1", use_lockfile: true, encrypt: true },
    });
    expect(tf.locals.prefix_reservations_reservations).toContain('"description" = "$${file(\\"/etc/hostname\\")}"');
    expect(tf.terraform.backend.s3.key).toBe("eks/$${terraform.workspace}.tfstate");
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
    // S3 native state locking (use_lockfile) came with Terraform 1.10.
    expect(tf.terraform.required_version).toBe(">= 1.10.0");
  });

  it("uses HCP Terraform when configured", () => {
    const tf = synthRoot({ ...article, backend: { type: "cloud", organization: "sre", workspace: "eks-article", hostname: "app.terraform.io" } });
    expect(tf.terraform.cloud).toEqual({ organization: "sre", hostname: "app.terraform.io", workspaces: { name: "eks-article" } });
    expect(tf.terraform.required_version).toBe(">= 1.9.0");
  });
});

describe("RootStack on a cluster whose add-ons exist already", () => {
  const preconditions = (tf: Synth) =>
    tf.resource.aws_launch_template.node_group.lifecycle.precondition as { condition: string; error_message: string }[];

  it("creates the add-on without an import block by default (vpc_cni_addon: create)", () => {
    const tf = synthRoot(article);
    expect(tf).not.toHaveProperty("import");
    expect(tf.data).not.toHaveProperty("aws_eks_addon");
    expect(preconditions(tf).map((p) => p.error_message).join("\n")).not.toContain("existing_vpc_cni_addon");
  });

  it("adopts both add-ons with import blocks by their IDs, <cluster>:<add-on> (vpc_cni_addon: adopt)", () => {
    // GIVEN an environment whose cluster has the add-ons WHEN it adopts them
    const tf = synthRoot({ ...article, vpc_cni_addon: "adopt", cni_credentials: "pod_identity" });
    // THEN the stack imports and then manages them, and the nodes still wait for the CNI
    expect(tf.import).toEqual([
      { to: "aws_eks_addon.pod_identity_agent", id: "sre-test:eks-pod-identity-agent" },
      { to: "aws_eks_addon.vpc_cni", id: "sre-test:vpc-cni" },
    ]);
    expect(tf.resource.aws_eks_addon.vpc_cni.configuration_values).toBe("${local.vpc_cni_configuration_values}");
    expect(tf.resource.aws_autoscaling_group.node_group.depends_on).toEqual(["aws_eks_addon.vpc_cni", "aws_iam_role_policy.node_group_readiness_gate"]);
  });

  it("adopts without running terraform at synthesis: the stack's required_version keeps Terraform < 1.5 (no import blocks) away", () => {
    // GIVEN an adopting stack, and no terraform on the PATH
    const stack = new RootStack(testApp(), { environment: { ...article, vpc_cni_addon: "adopt", cni_credentials: "pod_identity" } });
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      // THEN its validations pass (cdktf's importFrom would run `terraform version` for each import block)
      expect(() => stack.runAllValidations()).not.toThrow();
    } finally {
      process.env.PATH = path;
    }
    // AND Terraform itself refuses any version before 1.9.0, so before import blocks (1.5)
    expect(JSON.parse(Testing.synth(stack)).terraform.required_version).toBe(">= 1.9.0");
  });

  it("imports only the add-on it adopts: pod_identity_agent_addon overrides what vpc_cni_addon implies", () => {
    const tf = synthRoot({ ...article, vpc_cni_addon: "adopt", cni_credentials: "pod_identity", pod_identity_agent_addon: "external" });
    expect(tf.import).toEqual([{ to: "aws_eks_addon.vpc_cni", id: "sre-test:vpc-cni" }]);
    expect(tf.resource.aws_eks_addon).not.toHaveProperty("pod_identity_agent");
    expect(tf.data.aws_eks_addon.pod_identity_agent).toEqual({ cluster_name: "sre-test", addon_name: "eks-pod-identity-agent" });
    expect(tf.resource.aws_eks_addon.vpc_cni.depends_on).toEqual(["data.aws_eks_addon.pod_identity_agent", "aws_iam_role_policy_attachment.node_group"]);
  });

  it("reads an add-on another owner manages, creates none, and checks its mode before the nodes (vpc_cni_addon: external)", () => {
    // GIVEN an add-on managed by the cluster's own Terraform WHEN the stack is synthesized
    const tf = synthRoot({ ...article, vpc_cni_addon: "external" });
    // THEN there is no add-on resource, the add-on is read, and the launch template refuses a mode the nodes do not match
    expect(tf.resource).not.toHaveProperty("aws_eks_addon");
    expect(tf.resource).not.toHaveProperty("aws_iam_role.vpc_cni");
    expect(tf.data.aws_eks_addon.vpc_cni).toEqual({ cluster_name: "sre-test", addon_name: "vpc-cni" });
    expect(tf.resource.aws_autoscaling_group.node_group.depends_on).toEqual(["aws_iam_role_policy.node_group_readiness_gate"]);
    expect(tf.locals.node_group_existing_cni_env).toBe("${try(yamldecode(data.aws_eks_addon.vpc_cni.configuration_values).env, {})}");
    const refusal = preconditions(tf).find((p) => p.condition.includes("existing_cni_prefix_delegation"));
    expect(refusal?.error_message).toBe(
      'existing_vpc_cni_addon does not run the VPC CNI with ENABLE_PREFIX_DELEGATION = true (unset reads as false), which enable_prefix_delegation = true works out max pods for. Set "ENABLE_PREFIX_DELEGATION": "true" in the add-on\'s configuration values where it is managed (a kubectl set env on aws-node does not count: EKS puts the add-on\'s values back on its next update), or set enable_prefix_delegation to match.',
    );
    expect(preconditions(tf).some((p) => p.condition.includes("existing_cni_supports_prefixes"))).toBe(true);
    expect(tf.output.vpc_cni_configuration_values.value).toBe("${data.aws_eks_addon.vpc_cni.configuration_values}");
  });
});

describe("RootStack moving aws-node to a role of its own", () => {
  it("makes the add-on wait for the node role's policy attachments, which are create_before_destroy", () => {
    // GIVEN Pod Identity for the CNI WHEN the stack is synthesized
    const tf = synthRoot({ ...article, cni_credentials: "pod_identity" });
    // THEN removing AmazonEKS_CNI_Policy from the node role waits for the add-on's update (test/terraform.test.ts plans it)
    expect(tf.resource.aws_eks_addon.vpc_cni.depends_on).toEqual(["aws_eks_addon.pod_identity_agent", "aws_iam_role_policy_attachment.node_group"]);
    expect(tf.resource.aws_iam_role_policy_attachment.node_group.lifecycle).toEqual({ create_before_destroy: true });
    expect(tf.resource.aws_iam_role_policy_attachment.node_group.for_each).not.toContain("AmazonEKS_CNI_Policy");
  });
});

describe("RootStack errors", () => {
  it("refuses a bad resolved value at synth time, naming the stack and the input (as the node group's property)", () => {
    // The environment loader refuses it first, in the file's field names (config.test.ts); the construct names its props.
    expect(() => synthRoot({ ...article, min_size: 3, desired_size: 2 })).toThrow(/^article\/node_group: minSize \(min_size\) <= desiredSize \(desired_size\) <= maxSize \(max_size\)/);
  });

  it("leaves rules on the kubelet_extra_args variable to Terraform (a precondition)", () => {
    const tf = synthRoot({ ...article, max_pods: 58 });
    const conditions = tf.resource.aws_launch_template.node_group.lifecycle.precondition.map((p: { condition: string }) => p.condition);
    expect(conditions).toContain("${local.node_group_max_pods_from_kubelet_args == null}");
  });
});
