/**
 * The Terraform test every environment gets without anyone writing it: its
 * root stack plans against the mocked AWS account, as synthesized and as its
 * constructs write it (the plans must be equal: folding changes nothing
 * Terraform computes), and modules/node-group, called with the environment's
 * values, renders the same user data, max pods and kube-reserved: all three
 * in one plan, of a configuration calling them as modules (a pair,
 * test/support/equivalence.ts, with the module beside). Written by
 * test/terraform.test.ts for each file in environments/ (and
 * test/terraform/environments/); a hand-written
 * test/terraform/<environment>.tftest.hcl adds environment-specific asserts
 * beside it.
 */
import { ENVIRONMENT_TAG, podIdentityAgentOwnership, refreshSettings, type Environment } from "../../src/app/config.js";
import { hclLiteral } from "../../src/terraform/hcl.js";
import { instanceRefreshValue } from "../../src/constructs/node-group/index.js";
import { PAIR, pairConfiguration, type PairPart } from "./equivalence.js";
import { INSTANCES } from "./instances.js";

/**
 * The cluster as modules/node-group/mocks/aws.tfmock.hcl mocks `aws_eks_cluster`:
 * the module gets as inputs what the root stack reads from the cluster.
 */
const MOCKED_CLUSTER = {
  cluster_endpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com",
  cluster_certificate_authority_data: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
  cluster_service_cidr: "10.100.0.0/16",
  kubernetes_version: "1.32",
  security_group_ids: ["sg-0123456789abcdef0"],
  /** Its authentication mode (API_AND_CONFIG_MAP) takes access entries. */
  access_entries: true,
} as const;

/** The node-group module's inputs for what the environment's root stack builds. */
export function nodeGroupInputs(env: Environment): Record<string, unknown> {
  return {
    cluster_name: env.cluster_name,
    cluster_endpoint: MOCKED_CLUSTER.cluster_endpoint,
    cluster_certificate_authority_data: MOCKED_CLUSTER.cluster_certificate_authority_data,
    cluster_service_cidr: MOCKED_CLUSTER.cluster_service_cidr,
    kubernetes_version: env.kubernetes_version ?? MOCKED_CLUSTER.kubernetes_version,
    subnet_ids: env.subnet_ids,
    security_group_ids: MOCKED_CLUSTER.security_group_ids,
    name: env.node_group_name,
    instance_type: env.instance_type,
    ami_type: env.ami_type,
    kubelet_extra_args: env.kubelet_extra_args,
    use_max_pods: env.use_max_pods,
    max_pods: env.max_pods,
    enable_prefix_delegation: env.enable_prefix_delegation,
    custom_networking: env.custom_networking,
    min_size: env.min_size,
    max_size: env.max_size,
    desired_size: env.desired_size,
    root_volume_size: env.root_volume_size,
    instance_refresh: instanceRefreshValue(refreshSettings(env.instance_refresh)),
    termination_handling: env.termination_handling,
    termination_heartbeat_timeout: env.termination_heartbeat_timeout,
    metadata_http_put_response_hop_limit: env.metadata_http_put_response_hop_limit,
    attach_cni_policy: env.cni_credentials !== "pod_identity",
    attach_ssm_policy: env.attach_ssm_policy,
    create_access_entry: env.create_access_entry ?? MOCKED_CLUSTER.access_entries,
    kube_reserved_follows_max_pods: env.kube_reserved_follows_max_pods,
    kube_reserved: env.kube_reserved,
    tags: { ...env.tags, [ENVIRONMENT_TAG]: env.name },
  };
}

/**
 * The EC2 figures the plan uses for the environment's instance type: AWS's published ones from
 * test/support/instances.ts, with the type as the data's id. Undefined for a type without figures there: the mocked
 * account's t3a.medium does not stand in (the node group refuses data that describes another type).
 */
export function instanceData(env: Environment): Record<string, unknown> | undefined {
  const known = INSTANCES[env.instance_type];
  if (!known) return undefined;
  return {
    id: known.instanceType,
    maximum_network_interfaces: known.totalEnis,
    maximum_ipv4_addresses_per_interface: known.ipv4PerEni,
    default_vcpus: known.vcpus,
    memory_size: known.memoryMiB,
    hypervisor: known.hypervisor,
    bare_metal: known.hypervisor === "",
    default_network_card_index: 0,
    network_cards: Array.from({ length: known.networkCards ?? 1 }, (_, index) => ({ index, maximum_interfaces: known.enis })),
    supported_architectures: [known.architecture],
  };
}

/** The override_data block answering an environment's instance type lookup; none without published figures. */
function instanceOverride(env: Environment, target: string): string {
  const values = instanceData(env);
  return values ? `  override_data {\n    target = ${target}\n    values = ${hclLiteral(values)}\n  }\n` : "";
}

/**
 * The add-ons an environment's stack imports (`adopt`), by resource address, with the state EKS would answer the
 * import with: terraform's mocked provider imports nothing by itself (it asks for an override_resource), so the
 * test gives each one, as an add-on made without configuration values (the console's, or eksctl's, default).
 * Import blocks are allowed only in a root module, so such a stack is planned as the root of its own folder
 * ({@link importTest}); the harness's copies of it leave them out.
 */
export function adoptedAddons(env: Environment): Record<string, Record<string, unknown>> {
  const addon = (name: string): Record<string, unknown> => ({
    addon_name: name,
    addon_version: name === "vpc-cni" ? "v1.19.2-eksbuild.1" : "v1.3.8-eksbuild.2",
    configuration_values: "",
    arn: `arn:aws:eks:ap-northeast-1:123456789012:addon/${env.cluster_name}/${name}/0ec9d3f2-5b1a-4c7e-8d6f-2a3b4c5d6e7f`,
  });
  return {
    ...(env.vpc_cni_addon === "adopt" ? { "aws_eks_addon.vpc_cni": addon("vpc-cni") } : {}),
    ...(env.cni_credentials === "pod_identity" && podIdentityAgentOwnership(env) === "adopt"
      ? { "aws_eks_addon.pod_identity_agent": addon("eks-pod-identity-agent") }
      : {}),
  };
}

/** The run of an environment's generated test: its stack's pair and the node-group module, planned together. */
export function environmentRun(env: Environment): string {
  return `${env.name.replace(/\W/g, "_")}_folded_unfolded_and_module`;
}

/** Name of the node-group module call beside the stack's copies in an environment's pair (see environmentPair). */
const MODULE = "node_group";

/**
 * The root module of an environment's pair (test/support/equivalence.ts): its stack as synthesized and as its
 * constructs write it (`copies`: their folders, relative to the pair's), and modules/node-group (`nodeGroup`, the
 * same) given the environment's values.
 */
export function environmentPair(env: Environment, copies: Record<PairPart, string>, nodeGroup: string): string {
  const inputs = Object.entries(nodeGroupInputs(env)).map(([input, value]) => `  ${input} = ${hclLiteral(value)}`);
  return `# Generated by test/support/environment-test.ts for environments/${env.name}.yaml.

${pairConfiguration(copies, [`module "${MODULE}" {`, `  source = "${nodeGroup}"`, "", ...inputs, "}", ""].join("\n"))}`;
}

/**
 * The generic test file for one environment: one plan of its pair (`pair`: the folder environmentPair's text is in,
 * relative to where terraform runs), against the mocked AWS account with AWS's figures for its instance type. The
 * caller compares the stack's two copies in the printed plan (test/support/equivalence.ts); the asserts hold the
 * node-group module, given the environment's values, to the nodes the stack renders.
 */
export function environmentTest(env: Environment, pair: string, mocks = "../modules/node-group/mocks"): string {
  const overrides = [...PAIR.map((kind) => `module.${kind}.data.aws_ec2_instance_type.node_group`), `module.${MODULE}.data.aws_ec2_instance_type.this`];
  return `# Generated by test/support/environment-test.ts for environments/${env.name}.yaml.

mock_provider "aws" {
  source = "${mocks}"
}

run "${environmentRun(env)}" {
  command = plan

  module {
    source = "${pair}"
  }

${overrides.map((target) => instanceOverride(env, target)).join("\n")}
  assert {
    condition     = module.${MODULE}.user_data == module.folded.node_user_data
    error_message = "modules/node-group should render the same user data as the ${env.name} root stack"
  }
  assert {
    condition     = module.${MODULE}.max_pods == module.folded.max_pods && module.${MODULE}.kube_reserved == module.folded.kube_reserved
    error_message = "modules/node-group should work out the same max pods and kube-reserved as the ${env.name} root stack"
  }
}
`;
}

/** Name of the run in {@link importTest}. */
export const IMPORT_RUN = "imports";

/**
 * The test file for a stack that imports add-ons, run in the stack's own folder (it is the root module there):
 * one plan against the mocked AWS account, the imported add-ons described by override_resource.
 */
export function importTest(env: Environment, mocks: string): string {
  const imported = Object.entries(adoptedAddons(env)).map(
    ([address, values]) => `  override_resource {
    target = ${address}
    values = ${hclLiteral(values)}
  }
`,
  );
  // The mocked import takes the add-on's configuration as its state, which must be known: with Pod Identity that
  // holds the new CNI role's ARN, given here during the plan.
  if (env.vpc_cni_addon === "adopt" && env.cni_credentials === "pod_identity") {
    const role = `${env.cluster_name}-vpc-cni-20261128000000000000000001`;
    imported.push(`  override_resource {
    target          = aws_iam_role.vpc_cni
    override_during = plan
    values          = ${hclLiteral({ arn: `arn:aws:iam::123456789012:role/${role}`, name: role })}
  }
`);
  }
  return `# Generated by test/support/environment-test.ts for the add-ons environments/${env.name}.yaml adopts.

mock_provider "aws" {
  source = "${mocks}"
}

run "${IMPORT_RUN}" {
  command = plan

${imported.join("\n")}
${instanceOverride(env, "data.aws_ec2_instance_type.node_group")}}
`;
}
