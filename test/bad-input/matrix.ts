/**
 * The bad-input matrix: every module input and environment field, what is
 * refused, where, and the message. Each row is fed through the real paths:
 * the construct (TypeScript, synth time) when the value is known there, and
 * the generated module under `terraform test` (variable validation or
 * precondition). docs/bad-input.md is rendered from this table
 * (`npm run docs`), and a test keeps it current.
 */
import { INSTANCES } from "../support/instances.js";

export type ModuleName = "node-group" | "vpc-cni" | "prefix-reservations";

/** Where Terraform refuses the value. */
export type TerraformCheck = "variable" | "precondition" | "postcondition";

/** EC2 data for the instance type a row runs on (default t3a.medium), as AWS publishes it. */
export interface InstanceData {
  /** The type the data describes (the data source's id). */
  readonly instanceType: string;
  readonly enis: number;
  readonly ipv4PerEni: number;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly hypervisor: string;
  readonly architectures: readonly string[];
}

const data = (type: string): InstanceData => {
  const i = INSTANCES[type]!;
  return { instanceType: type, enis: i.enis, ipv4PerEni: i.ipv4PerEni, vcpus: i.vcpus, memoryMiB: i.memoryMiB, hypervisor: i.hypervisor, architectures: [i.architecture] };
};
export const T3A_MEDIUM = data("t3a.medium");
export const T3_MICRO = data("t3.micro");
export const T3_NANO = data("t3.nano");
export const T4G_NANO = data("t4g.nano");
export const M4_LARGE = data("m4.large");

export interface ModuleRow {
  readonly module: ModuleName;
  /** Module inputs besides the required cluster values (Terraform names and values). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Why the row is here, in a few words. */
  readonly what: string;
  /**
   * Refused: by which Terraform check, and the start of the message (which names the input); `also` lists
   * further plan-time refusals of the same value.
   */
  readonly refused?: {
    readonly by: TerraformCheck;
    readonly message: string;
    readonly planTimeOnly?: boolean;
    readonly also?: readonly string[];
    /** For a precondition or postcondition: the module's resource or data source whose check it is (every message of the row). */
    readonly at?: string;
  };
  /** Instance data when not a t3a.medium. */
  readonly instance?: InstanceData;
}

const ng = (what: string, inputs: Record<string, unknown>, refused?: ModuleRow["refused"], instance?: InstanceData): ModuleRow => ({
  module: "node-group",
  what,
  inputs,
  ...(refused ? { refused } : {}),
  ...(instance ? { instance } : {}),
});
const cni = (what: string, inputs: Record<string, unknown>, refused?: ModuleRow["refused"]): ModuleRow => ({
  module: "vpc-cni",
  what,
  inputs,
  ...(refused ? { refused } : {}),
});
const reservations = (what: string, list: Record<string, string>[], refused?: ModuleRow["refused"]): ModuleRow => ({
  module: "prefix-reservations",
  what,
  inputs: { reservations: list },
  ...(refused ? { refused } : {}),
});
const variable = (message: string) => ({ by: "variable" as const, message });
/** The checks' owners in the modules (Terraform addresses inside the module): where a plan-time refusal comes from. */
const LAUNCH_TEMPLATE = "aws_launch_template.this";
const AUTOSCALING_GROUP = "aws_autoscaling_group.this";
const INSTANCE_TYPE_DATA = "data.aws_ec2_instance_type.this";
const ADDON = "aws_eks_addon.this";
const RESERVATION = "aws_ec2_subnet_cidr_reservation.this";
/** Refused at plan by a postcondition of `at` (the instance type data's own check). */
const postcondition = (at: string, message: string) => ({ by: "postcondition" as const, at, message, planTimeOnly: true });
/** Refused at plan by a precondition of `at`, with `message` (and `also`, further messages of the same check owner). */
const precondition = (at: string, message: string, planTimeOnly = false, also?: string[]) => ({
  by: "precondition" as const,
  at,
  message,
  planTimeOnly,
  ...(also ? { also } : {}),
});

/** An add-on as data.aws_eks_addon reads it: its version and configuration values. */
const existingAddon = (configuration_values: string, addon_version = "v1.19.2-eksbuild.1") => ({ addon_version, configuration_values });
const EXISTING_PREFIXES = (value: string) => `existing_vpc_cni_addon does not run the VPC CNI with ENABLE_PREFIX_DELEGATION = ${value}`;
const KUBELET_CHARS = "kubelet_extra_args may hold only letters, digits, spaces and";
const MAX_PODS_FLAG = "kubelet_extra_args may set max pods only once, and only as --max-pods=N";
const KUBE_RESERVED_FLAG = "kubelet_extra_args may not set --kube-reserved";
const SECURITY_GROUPS = "security_group_ids must list at least one security group id";
const KUBERNETES_VERSION = "kubernetes_version must be a Kubernetes minor version such as 1.33, from 1.32";
const REFRESH_HEALTHY = "instance_refresh: min_healthy_percentage must be 0 to 100 and max_healthy_percentage 100 to 200";
const REFRESH_TIMING = "instance_refresh: instance_warmup must be 0 to 3600 seconds";
const OWN_TAGS = "tags may not set Name, aws-node-termination-handler/managed, kubernetes.io/cluster/*";
const TAG_LENGTHS = "tags: tag keys must be 1 to 128 characters";
const TAG_CASE = "tags: tag keys must differ in more than letter case";
const TAG_CHARACTERS = "tags: tag keys and values may hold only letters, digits, spaces";
const ENI_CONFIGS_NEEDED = "custom_networking = true needs an ENIConfig for every availability zone of the nodes";
const ENI_CONFIGS = "eni_configs must be keyed by availability zone names such as ap-northeast-1a";
const KUBE_RESERVED_TYPO = "kube_reserved holds a quantity the kubelet would take as written, though it is almost surely a typo:";
const BYTES_WHY = (key: string) => `(${key} is counted in bytes: no unit means bytes, m means thousandths of a byte)`;
const EXTRA_ENV = "extra_env may set only variables the vpc-cni add-on's configuration schema accepts";
/** Label characters that bring the rows' AL2023 user data (4081 bytes with an empty label value) to 16383 bytes. */
const USER_DATA_PADDING = 16383 - 4081;
const MEMORY = (type: string, memory: number, seen: number) => `instance_type ${type} has ${memory} MiB of memory, ${seen} MiB of it seen by the kubelet`;

export const MODULE_ROWS: readonly ModuleRow[] = [
  // kubelet_extra_args: nothing that could leave the bootstrap.sh quotes or the nodeadm YAML.
  ng("single quote", { kubelet_extra_args: "--node-labels=a=b' ; reboot '" }, variable(KUBELET_CHARS)),
  ng("double quote", { kubelet_extra_args: '--node-labels="a=b"' }, variable(KUBELET_CHARS)),
  ng("newline", { kubelet_extra_args: "--node-labels=a=b\nreboot" }, variable(KUBELET_CHARS)),
  ng("command substitution", { kubelet_extra_args: "--node-labels=$(reboot)" }, variable(KUBELET_CHARS)),
  ng("Terraform template", { kubelet_extra_args: '--node-labels=${file("/etc/hostname")}' }, variable(KUBELET_CHARS)),
  ng("backticks", { kubelet_extra_args: "--node-labels=`reboot`" }, variable(KUBELET_CHARS)),
  ng("semicolon", { kubelet_extra_args: "--v=2; reboot" }, variable(KUBELET_CHARS)),
  ng("pipe", { kubelet_extra_args: "--v=2 | reboot" }, variable(KUBELET_CHARS)),
  ng("ampersand", { kubelet_extra_args: "--v=2 && reboot" }, variable(KUBELET_CHARS)),
  ng("ordinary flags", { kubelet_extra_args: "--node-labels=a=b,c=d --register-with-taints=x=y:NoSchedule" }),

  // max pods in kubelet_extra_args, read as kubelet reads flags (_ is -, ints in base 0).
  ng("--max-pods twice", { kubelet_extra_args: "--max-pods=20 --max-pods=30" }, variable(MAX_PODS_FLAG)),
  ng("--max-pods and --max_pods", { kubelet_extra_args: "--max-pods=20 --max_pods=30" }, variable(MAX_PODS_FLAG)),
  ng("--max-pods without =", { kubelet_extra_args: "--max-pods 110" }, variable(MAX_PODS_FLAG)),
  ng("--max-pods=0110 (octal 72 to kubelet)", { kubelet_extra_args: "--max-pods=0110" }, variable(MAX_PODS_FLAG)),
  ng("--max-pods=09 (not octal)", { kubelet_extra_args: "--max-pods=09" }, variable(MAX_PODS_FLAG)),
  ng("--max-pods=0", { kubelet_extra_args: "--max-pods=0" }, variable(MAX_PODS_FLAG)),
  ng("--max-pods=251", { kubelet_extra_args: "--max-pods=251" }, variable("kubelet_extra_args: --max-pods=N must be a whole number from 1 to 250")),
  ng("--max_pods=300 on t3.micro", { instance_type: "t3.micro", kubelet_extra_args: "--max_pods=300" }, variable("kubelet_extra_args: --max-pods=N must be a whole number from 1 to 250"), T3_MICRO),
  ng("--max_pods=34 on t3.micro", { instance_type: "t3.micro", kubelet_extra_args: "--max_pods=34" }, undefined, T3_MICRO),
  ng("--max-pods=N and max_pods", { kubelet_extra_args: "--max-pods=110", max_pods: 110 }, precondition(LAUNCH_TEMPLATE, "max_pods and a --max-pods=N flag in kubelet_extra_args both set max pods")),
  ng("--max-pods=N with use_max_pods", { kubelet_extra_args: "--max-pods=110", use_max_pods: true }, precondition(LAUNCH_TEMPLATE, "use_max_pods = true asks bootstrap.sh to pick max pods itself")),
  ng("--kube-reserved", { kubelet_extra_args: "--kube-reserved=memory=1Gi" }, variable(KUBE_RESERVED_FLAG)),
  ng("--kube_reserved", { kubelet_extra_args: "--kube_reserved=memory=1Gi" }, variable(KUBE_RESERVED_FLAG)),
  ng("--kube-reserved with the module's sizing off", { kubelet_extra_args: "--kube-reserved=memory=1Gi", kube_reserved_follows_max_pods: false }, variable(KUBE_RESERVED_FLAG)),
  ng("--kube-reserved-cgroup (another flag)", { kubelet_extra_args: "--kube-reserved-cgroup=/runtime" }),
  ng("kubelet_extra_args on Bottlerocket", { ami_type: "BOTTLEROCKET_x86_64", kubelet_extra_args: "--v=2" }, precondition(LAUNCH_TEMPLATE, "kubelet_extra_args is not supported with a BOTTLEROCKET ami_type")),
  ng("--max-pods=110 above what t3.micro addresses", { instance_type: "t3.micro", kubelet_extra_args: "--max-pods=110" }, precondition(LAUNCH_TEMPLATE, "max_pods (or --max-pods=N in kubelet_extra_args) asks for 110 pods, but instance_type t3.micro can give only 34", true, [MEMORY("t3.micro", 1024, 947)]), T3_MICRO),
  ng("user data over 16 KB", { kubelet_extra_args: `--node-labels=${"a=b,".repeat(4200)}c=d` }, precondition(LAUNCH_TEMPLATE, "kubelet_extra_args and the cluster values make the user data 20882 bytes", true)),
  // EC2 takes at most 21847 base64 characters: 16384 bytes encode to 21848, 16383 to 21844. The rows' user data is
  // 4081 bytes with these cluster values and an empty label value, plus one byte per character of it.
  ng("user data of exactly 16384 bytes", { kubelet_extra_args: `--node-labels=x=${"y".repeat(USER_DATA_PADDING + 1)}` }, precondition(LAUNCH_TEMPLATE, "kubelet_extra_args and the cluster values make the user data 16384 bytes; EC2 takes less than 16384", true)),
  ng("user data of 16383 bytes", { kubelet_extra_args: `--node-labels=x=${"y".repeat(USER_DATA_PADDING)}` }),

  // max_pods, and what the instance can hold
  ng("max_pods = 0", { max_pods: 0 }, variable("max_pods must be null (automatic) or a whole number from 1 to 250")),
  ng("max_pods = 251", { max_pods: 251 }, variable("max_pods must be null (automatic) or a whole number from 1 to 250")),
  ng("max_pods = 1.5", { max_pods: 1.5 }, variable("max_pods must be null (automatic) or a whole number from 1 to 250")),
  ng("max_pods above what t3.micro addresses", { instance_type: "t3.micro", max_pods: 110 }, precondition(LAUNCH_TEMPLATE, "max_pods (or --max-pods=N in kubelet_extra_args) asks for 110 pods, but instance_type t3.micro can give only 34", true, [MEMORY("t3.micro", 1024, 947)]), T3_MICRO),
  ng("max_pods = 34 on t3.micro", { instance_type: "t3.micro", max_pods: 34 }, undefined, T3_MICRO),
  ng("max_pods = 110 on t3.nano", { instance_type: "t3.nano", max_pods: 110 }, precondition(LAUNCH_TEMPLATE, MEMORY("t3.nano", 512, 473), true, ["max_pods (or --max-pods=N in kubelet_extra_args) asks for 110 pods, but instance_type t3.nano can give only 34"]), T3_NANO),
  ng("max_pods = 30 on t3.nano (addressable, too big for 512 MiB)", { instance_type: "t3.nano", max_pods: 30 }, precondition(LAUNCH_TEMPLATE, MEMORY("t3.nano", 512, 473), true), T3_NANO),
  ng("automatic max pods on t3.nano", { instance_type: "t3.nano" }, undefined, T3_NANO),
  ng("automatic max pods on t4g.nano (414 MiB seen)", { instance_type: "t4g.nano", ami_type: "AL2023_ARM_64_STANDARD" }, precondition(LAUNCH_TEMPLATE, "instance_type t4g.nano is too small for automatic max pods: the 414 MiB its kubelet sees (of 512 MiB)", true), T4G_NANO),
  // AWS's eni-max-pods.txt lists 4 for t4g.nano: 4 × 11 + 255 + 100 = 399 MiB, which its kubelet's 414 MiB hold.
  ng("max_pods = 4 on t4g.nano, as AWS's table lists it", { instance_type: "t4g.nano", ami_type: "AL2023_ARM_64_STANDARD", max_pods: 4 }, undefined, T4G_NANO),
  ng("max_pods = 5 on t4g.nano (what its kubelet accepts)", { instance_type: "t4g.nano", ami_type: "AL2023_ARM_64_STANDARD", max_pods: 5 }, undefined, T4G_NANO),
  ng("max_pods = 6 on t4g.nano", { instance_type: "t4g.nano", ami_type: "AL2023_ARM_64_STANDARD", max_pods: 6 }, precondition(LAUNCH_TEMPLATE, `${MEMORY("t4g.nano", 512, 414)}: 6 pods need 421 MiB`, true), T4G_NANO),
  ng("kube_reserved memory larger than t3.micro holds", { instance_type: "t3.micro", kube_reserved: { memory: "1Gi" } }, precondition(LAUNCH_TEMPLATE, MEMORY("t3.micro", 1024, 947), true), T3_MICRO),
  ng("max_pods with use_max_pods", { max_pods: 110, use_max_pods: true }, precondition(LAUNCH_TEMPLATE, "use_max_pods = true asks bootstrap.sh to pick max pods itself")),
  ng("prefix delegation on Xen m4.large (accepted, warned)", { instance_type: "m4.large" }, undefined, M4_LARGE),
  ng("custom networking", { custom_networking: true }),
  // A mocked AWS account answers every type alike: its t3a.medium must not pass for another type.
  ng("instance data describing another type (a mock without override)", { instance_type: "m6i.large" }, postcondition(INSTANCE_TYPE_DATA, "data.aws_ec2_instance_type describes t3a.medium, not instance_type m6i.large")),

  // an add-on managed elsewhere (existing_vpc_cni_addon = data.aws_eks_addon.vpc_cni)
  ng("existing add-on without configuration values", { existing_vpc_cni_addon: existingAddon("") }, precondition(LAUNCH_TEMPLATE, EXISTING_PREFIXES("true"))),
  ng("existing add-on with prefixes off", { existing_vpc_cni_addon: existingAddon('{"env":{"ENABLE_PREFIX_DELEGATION":"false"}}') }, precondition(LAUNCH_TEMPLATE, EXISTING_PREFIXES("true"))),
  ng("existing add-on in prefix mode (JSON)", { existing_vpc_cni_addon: existingAddon('{"env":{"ENABLE_PREFIX_DELEGATION":"true","WARM_PREFIX_TARGET":"1"}}') }),
  ng("existing add-on in prefix mode (YAML, as the console writes it)", { existing_vpc_cni_addon: existingAddon('env:\n  ENABLE_PREFIX_DELEGATION: "True"\n') }),
  ng("existing add-on in prefix mode, group without prefixes", { enable_prefix_delegation: false, existing_vpc_cni_addon: existingAddon('{"env":{"ENABLE_PREFIX_DELEGATION":"true"}}') }, precondition(LAUNCH_TEMPLATE, EXISTING_PREFIXES("false"))),
  ng("existing add-on older than v1.9.0", { existing_vpc_cni_addon: existingAddon('{"env":{"ENABLE_PREFIX_DELEGATION":"true"}}', "v1.8.0-eksbuild.1") }, precondition(LAUNCH_TEMPLATE, "existing_vpc_cni_addon runs a VPC CNI older than v1.9.0")),
  ng("existing add-on without custom networking", { custom_networking: true, existing_vpc_cni_addon: existingAddon('{"env":{"ENABLE_PREFIX_DELEGATION":"true"}}') }, precondition(LAUNCH_TEMPLATE, "existing_vpc_cni_addon does not run the VPC CNI with AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = true")),

  // sizes
  ng("min_size > desired_size", { min_size: 3, desired_size: 2 }, precondition(AUTOSCALING_GROUP, "min_size <= desired_size <= max_size must hold")),
  ng("desired_size > max_size", { desired_size: 4, max_size: 3 }, precondition(AUTOSCALING_GROUP, "min_size <= desired_size <= max_size must hold")),
  ng("min_size = -1", { min_size: -1 }, variable("min_size must be a whole number from 0 to 1000")),
  ng("desired_size = 1.5", { desired_size: 1.5 }, variable("desired_size must be a whole number from 0 to 1000")),
  ng("max_size = 0", { max_size: 0, min_size: 0, desired_size: 0 }, variable("max_size must be a whole number from 1 to 1000")),
  ng("min = desired = max", { min_size: 2, desired_size: 2, max_size: 2 }),

  // subnets, security groups, names
  ng("empty subnet_ids", { subnet_ids: [] }, variable("subnet_ids must list at least one subnet id")),
  ng("a security group id as subnet", { subnet_ids: ["sg-0123456789abcdef0"] }, variable("subnet_ids must list at least one subnet id")),
  ng("empty security_group_ids (the VPC's default group)", { security_group_ids: [] }, variable(SECURITY_GROUPS)),
  ng("a subnet id as security group", { security_group_ids: ["subnet-0123456789abcdef0"] }, variable(SECURITY_GROUPS)),
  ng("upper-case name", { name: "Nodes" }, variable("name must be 1 to 32 lowercase letters")),
  ng("cluster name with a space", { cluster_name: "sre test" }, variable("cluster_name must be an EKS cluster name")),
  // hashicorp/aws 5.100 takes a launch template name_prefix of at most 99 characters: <cluster_name>-<name>-.
  ng("cluster_name and name of 98 characters (name_prefix of 100)", { cluster_name: "c".repeat(93), name: "nodes" }, precondition(LAUNCH_TEMPLATE, "cluster_name and name together may hold at most 97 characters")),
  ng("cluster_name and name of 97 characters (name_prefix of 99)", { cluster_name: "c".repeat(92), name: "nodes" }),
  ng("http endpoint", { cluster_endpoint: "http://example.com" }, variable("cluster_endpoint must be the cluster's https:// API server URL")),
  ng("endpoint with a quote", { cluster_endpoint: "https://example.com'; reboot" }, variable("cluster_endpoint must be the cluster's https:// API server URL")),
  ng("CA that is not base64", { cluster_certificate_authority_data: "not base64!" }, variable("cluster_certificate_authority_data must be the cluster's base64-encoded")),
  ng("service CIDR without prefix", { cluster_service_cidr: "10.100.0.0" }, variable("cluster_service_cidr must be the cluster's IPv4 service CIDR")),

  // AMI and versions
  ng("unknown ami_type", { ami_type: "AL2_x86" }, variable("ami_type must be one of")),
  ng("Windows ami_type", { ami_type: "WINDOWS_CORE_2022_x86_64" }, variable("ami_type must be one of")),
  ng("kubernetes_version past EKS support", { kubernetes_version: "1.31" }, variable(KUBERNETES_VERSION)),
  ng("kubernetes_version that is not 1.N", { kubernetes_version: "1.33.1" }, variable(KUBERNETES_VERSION)),
  ng("a future kubernetes_version", { kubernetes_version: "1.40" }),
  ng("AL2 after Kubernetes 1.32", { ami_type: "AL2_x86_64", kubernetes_version: "1.33" }, precondition(LAUNCH_TEMPLATE, "ami_type AL2_* has no EKS-optimized AMI after Kubernetes 1.32")),
  ng("AL2 on 1.32 (accepted, warned)", { ami_type: "AL2_x86_64", kubernetes_version: "1.32" }),
  ng("AL2 on 1.33 with an own AMI", { ami_type: "AL2_x86_64", kubernetes_version: "1.33", ami_id: "ami-0123456789abcdef0" }),
  ng("malformed ami_id", { ami_id: "ami-xyz" }, variable("ami_id must be null (use the EKS-optimized AMI) or an AMI id")),
  ng("arm64 AMI on an x86_64 instance", { ami_type: "AL2023_ARM_64_STANDARD" }, precondition(LAUNCH_TEMPLATE, "ami_type AL2023_ARM_64_STANDARD is built for arm64, which instance_type t3a.medium does not run", true)),
  ng("instance type in capitals", { instance_type: "T3A.MEDIUM" }, variable("instance_type must be an EC2 instance type")),

  // volumes, IMDS, rollouts, termination handling
  ng("root volume of 19 GiB", { root_volume_size: 19 }, variable("root_volume_size must be a whole number of GiB from 20")),
  ng("IMDS hop limit 3", { metadata_http_put_response_hop_limit: 3 }, variable("metadata_http_put_response_hop_limit must be 1")),
  ng("IMDS hop limit 2", { metadata_http_put_response_hop_limit: 2 }),
  ng("max healthy 200 % over min healthy 50 %", { instance_refresh: { min_healthy_percentage: 50, max_healthy_percentage: 200 } }, variable(REFRESH_HEALTHY)),
  ng("min healthy 101 %", { instance_refresh: { min_healthy_percentage: 101 } }, variable(REFRESH_HEALTHY)),
  ng("checkpoints out of order", { instance_refresh: { checkpoint_percentages: [50, 20] } }, variable(REFRESH_TIMING)),
  ng("an hour and a half of warm-up", { instance_refresh: { instance_warmup: 5400 } }, variable(REFRESH_TIMING)),
  ng("checkpoints with a delay", { instance_refresh: { checkpoint_percentages: [33, 66, 100], checkpoint_delay: 600 } }),
  ng("checkpoints that stop before 100 %", { instance_refresh: { checkpoint_percentages: [33, 66] } }, variable(REFRESH_TIMING)),
  ng("heartbeat timeout of 10 s", { termination_heartbeat_timeout: 10 }, variable("termination_heartbeat_timeout must be a whole number of seconds from 30 to 7200")),
  ng("no termination handling", { termination_handling: false }),
  ng("node ready timeout of 20 s", { node_ready_timeout: 20 }, variable("node_ready_timeout must be a whole number of seconds from 30 to 7200")),
  ng("node ready timeout of 15 minutes", { node_ready_timeout: 900 }),
  ng("no launch readiness gate", { launch_readiness_gate: false }),

  // kube-reserved
  ng("kube_reserved for an unknown resource", { kube_reserved: { gpu: "1" } }, variable("kube_reserved must be null or a map from cpu, memory, ephemeral-storage, pid")),
  ng("kube_reserved that is not a quantity", { kube_reserved: { memory: "lots" } }, variable("kube_reserved must be null or a map from cpu, memory, ephemeral-storage, pid")),
  ng("explicit kube_reserved", { kube_reserved: { memory: "2Gi", cpu: "100m" } }),
  ng("kube_reserved pid on AL2023", { kube_reserved: { pid: "1000" } }),
  ng('kube_reserved memory "100m" (0.1 byte)', { kube_reserved: { memory: "100m" } }, variable(`${KUBE_RESERVED_TYPO} memory = "100m" is almost surely a typo ${BYTES_WHY("memory")}; you probably meant "100Mi".`)),
  ng('kube_reserved memory "1465" (bytes)', { kube_reserved: { memory: "1465" } }, variable(`${KUBE_RESERVED_TYPO} memory = "1465" is almost surely a typo ${BYTES_WHY("memory")}; you probably meant "1465Mi".`)),
  ng('kube_reserved ephemeral-storage "1" (one byte)', { kube_reserved: { "ephemeral-storage": "1" } }, variable(`${KUBE_RESERVED_TYPO} ephemeral-storage = "1" is almost surely a typo ${BYTES_WHY("ephemeral-storage")}; you probably meant "1Gi".`)),
  ng('kube_reserved cpu "70" (70 cores)', { kube_reserved: { cpu: "70", memory: "1465Mi" } }, variable(`${KUBE_RESERVED_TYPO} cpu = "70" is almost surely a typo (cpu without m is whole cores; write 10000m for 10 cores); you probably meant "70m".`)),
  ng('kube_reserved pid "1000m" (one process ID)', { kube_reserved: { pid: "1000m" } }, variable(`${KUBE_RESERVED_TYPO} pid = "1000m" is almost surely a typo (pid counts process IDs: m means thousandths of one); you probably meant "1000".`)),
  ng('kube_reserved cpu "10000m" and memory "0" (meant as written)', { kube_reserved: { cpu: "10000m", memory: "0", "ephemeral-storage": "1.5Gi" } }),
  ng("kube_reserved pid on Bottlerocket", { ami_type: "BOTTLEROCKET_x86_64", kube_reserved: { pid: "1000" } }, precondition(LAUNCH_TEMPLATE, "kube_reserved may set only cpu, memory, ephemeral-storage with a BOTTLEROCKET ami_type")),

  // tags: AWS's limits, the characters IAM takes, and the module's own tags
  ng("tags over the limit", { tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "x"])) }, variable("tags may hold at most 47 tags")),
  ng("47 tags", { tags: Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, "x"])) }),
  ng("a Name tag", { tags: { Name: "mine" } }, variable(OWN_TAGS)),
  ng("a cluster ownership tag", { tags: { "kubernetes.io/cluster/other": "owned" } }, variable(OWN_TAGS)),
  ng("an aws: tag", { tags: { "aws:team": "sre" } }, variable(TAG_LENGTHS)),
  ng("a tag key of 129 characters", { tags: { ["k".repeat(129)]: "v" } }, variable(TAG_LENGTHS)),
  ng("a tag value of 257 characters", { tags: { team: "v".repeat(257) } }, variable(TAG_LENGTHS)),
  ng("a Terraform template in a tag", { tags: { host: '${file("/etc/hostname")}' } }, variable(TAG_CHARACTERS)),
  ng("tag keys that differ only in case", { tags: { Team: "sre", team: "platform" } }, variable(TAG_CASE)),
  ng("tags in other scripts", { tags: { チーム: "SRE 基盤", "cost-center": "42" } }),

  // vpc-cni
  cni("warm_prefix_target = 0 with prefixes", { warm_prefix_target: 0 }, precondition(ADDON, "warm_prefix_target = 0 with enable_prefix_delegation = true is not supported")),
  cni("warm_prefix_target = 0 with prefixes off", { warm_prefix_target: 0, enable_prefix_delegation: false }),
  cni("warm_prefix_target = 0 with warm_ip_target", { warm_prefix_target: 0, warm_ip_target: 5 }),
  cni("warm_prefix_target = 0 with warm_ip_target = 0 (unset to the CNI)", { warm_prefix_target: 0, warm_ip_target: 0 }, precondition(ADDON, "warm_prefix_target = 0 with enable_prefix_delegation = true is not supported")),
  cni("warm_prefix_target = 0 with minimum_ip_target = 0 (unset to the CNI)", { warm_prefix_target: 0, minimum_ip_target: 0 }, precondition(ADDON, "warm_prefix_target = 0 with enable_prefix_delegation = true is not supported")),
  cni("negative warm_prefix_target", { warm_prefix_target: -1 }, variable("warm_prefix_target must be a whole number from 0 to 1000")),
  cni("fractional warm_prefix_target", { warm_prefix_target: 1.5 }, variable("warm_prefix_target must be a whole number from 0 to 1000")),
  cni("negative warm_ip_target", { warm_ip_target: -1 }, variable("warm_ip_target must be null (unset) or a whole number from 0 to 1000")),
  cni("fractional minimum_ip_target", { minimum_ip_target: 2.5 }, variable("minimum_ip_target must be null (unset) or a whole number from 0 to 1000")),
  cni("addon_version before v1.9.0 with prefixes", { addon_version: "v1.8.0-eksbuild.1" }, precondition(ADDON, "addon_version v1.8.0-eksbuild.1 does not support prefix delegation")),
  cni("addon_version v1.9.0 with prefixes", { addon_version: "v1.9.0-eksbuild.1" }),
  cni("addon_version before v1.9.0 without prefixes", { addon_version: "v1.7.5-eksbuild.1", enable_prefix_delegation: false }),
  cni("addon_version without v and build", { addon_version: "1.19.0" }, variable("addon_version must be null (EKS's default version for the Kubernetes version) or an EKS add-on version")),
  cni("the most recent add-on version", { most_recent: true }),
  cni("extra_env setting what a typed input owns", { extra_env: { WARM_PREFIX_TARGET: "0" } }, variable(EXTRA_ENV)),
  cni("extra_env turning custom networking on behind the node group's back", { extra_env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true" } }, variable(EXTRA_ENV)),
  cni("extra_env with MAX_ENI", { extra_env: { MAX_ENI: "2" } }, variable(EXTRA_ENV)),
  cni("extra_env with a name the add-on schema refuses", { extra_env: { ENABLE_NFTABLES: "true" } }, variable(EXTRA_ENV)),
  cni("lower-case extra_env key", { extra_env: { loglevel: "DEBUG" } }, variable(EXTRA_ENV)),
  cni("extra_env the schema accepts", { extra_env: { AWS_VPC_K8S_CNI_LOGLEVEL: "DEBUG", ENABLE_SUBNET_DISCOVERY: "false" } }),
  // ipamd attaches no interface for pods without the ENIConfig of the node's zone (pkg/eniconfig, ErrNoENIConfig).
  cni("custom networking without ENIConfigs", { custom_networking: true }, precondition(ADDON, ENI_CONFIGS_NEEDED)),
  cni("custom networking with an ENIConfig per zone", { custom_networking: true, eni_configs: { "ap-northeast-1a": { subnet_id: "subnet-0a1b2c3d4e5f60101" }, "ap-northeast-1c": { subnet_id: "subnet-0a1b2c3d4e5f60102", security_group_ids: ["sg-0123456789abcdef0"] } } }),
  cni("custom networking, ENIConfigs applied elsewhere", { custom_networking: true, eni_configs_managed_elsewhere: true }),
  cni("eni_configs and eni_configs_managed_elsewhere", { custom_networking: true, eni_configs_managed_elsewhere: true, eni_configs: { "ap-northeast-1a": { subnet_id: "subnet-0a1b2c3d4e5f60101" } } }, precondition(ADDON, "eni_configs and eni_configs_managed_elsewhere = true both say who makes the ENIConfigs")),
  cni("eni_configs without custom networking", { eni_configs: { "ap-northeast-1a": { subnet_id: "subnet-0a1b2c3d4e5f60101" } } }, precondition(ADDON, "eni_configs applies only with custom_networking = true")),
  cni("eni_configs keyed by something other than a zone", { custom_networking: true, eni_configs: { "zone-a": { subnet_id: "subnet-0a1b2c3d4e5f60101" } } }, variable(ENI_CONFIGS)),
  cni("eni_configs with a security group id as subnet", { custom_networking: true, eni_configs: { "ap-northeast-1a": { subnet_id: "sg-0123456789abcdef0" } } }, variable(ENI_CONFIGS)),
  cni("Pod Identity on a cluster that has the agent", { cni_credentials: "pod_identity", create_pod_identity_agent: false }),
  cni("service account role that is not an ARN", { service_account_role_arn: "role/vpc-cni" }, variable("service_account_role_arn must be null (use the node role) or an IAM role ARN")),
  cni("unknown cni_credentials", { cni_credentials: "irsa" }, variable("cni_credentials must be one of node_role, pod_identity")),
  cni("Pod Identity", { cni_credentials: "pod_identity" }),
  cni("Pod Identity and an IRSA role", { cni_credentials: "pod_identity", service_account_role_arn: "arn:aws:iam::123456789012:role/vpc-cni" }, precondition(ADDON, 'cni_credentials = "pod_identity" gives aws-node a role of its own')),
  cni("Pod Identity on v1.15.4", { cni_credentials: "pod_identity", addon_version: "v1.15.4-eksbuild.1" }, precondition(ADDON, "addon_version v1.15.4-eksbuild.1 does not take EKS Pod Identity")),
  cni("resolve_conflicts_on_create = PRESERVE", { resolve_conflicts_on_create: "PRESERVE" }, variable("resolve_conflicts_on_create must be NONE or OVERWRITE")),
  cni("resolve_conflicts_on_update = FORCE", { resolve_conflicts_on_update: "FORCE" }, variable("resolve_conflicts_on_update must be NONE, OVERWRITE or PRESERVE")),
  cni("unsupported kubernetes_version", { kubernetes_version: "1.2" }, variable("kubernetes_version must be null (read it from the cluster) or a Kubernetes minor version")),
  cni("cluster name with a slash", { cluster_name: "sre/test" }, variable("cluster_name must be an EKS cluster name")),
  cni("an aws: tag", { tags: { "aws:team": "sre" } }, variable(TAG_LENGTHS)),
  cni("tag keys that differ only in case", { tags: { Team: "sre", team: "platform" } }, variable(TAG_CASE)),

  // prefix-reservations (subnets mocked as 10.0.0.0/20)
  reservations("an aligned /22 inside the subnet", [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0/22" }]),
  reservations("a block outside the subnet", [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.16.0/24" }], precondition(RESERVATION, "reservations: cidr_block 10.0.16.0/24 is not inside subnet subnet-0a1b2c3d4e5f60001 (10.0.0.0/20)", true)),
  reservations("a block larger than the subnet", [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.0.0/16" }], precondition(RESERVATION, "reservations: cidr_block 10.0.0.0/16 is not inside subnet", true)),
  reservations("a /28 off its boundary", [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.4/28" }], variable("reservations: every cidr_block must be an IPv4 CIDR of /28 or larger that starts on its own boundary")),
  reservations("a /29 (smaller than one prefix)", [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0/29" }], variable("reservations: every cidr_block must be an IPv4 CIDR of /28 or larger that starts on its own boundary")),
  reservations("not a CIDR", [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0" }], variable("reservations: every cidr_block must be an IPv4 CIDR of /28 or larger that starts on its own boundary")),
  reservations("a security group as subnet", [{ subnet_id: "sg-0123456789abcdef0", cidr_block: "10.0.8.0/22" }], variable("reservations: every subnet_id must be a subnet id")),
  reservations("the same block twice", [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0/22" }, { subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0/22" }], variable("reservations: each subnet_id and cidr_block pair may appear only once")),
];

/** An environment file row: a change to environments/article.yaml and the error naming the field. */
export interface EnvironmentRow {
  readonly what: string;
  /** Field changes (null removes the field). */
  readonly set: Readonly<Record<string, unknown>>;
  /** Start of the error line after "<file>: "; undefined = accepted. */
  readonly refused?: string;
}

export const ENVIRONMENT_ROWS: readonly EnvironmentRow[] = [
  { what: "unknown field", set: { max_pod: 110 }, refused: "max_pod: unknown field; did you mean max_pods?" },
  { what: "region that is not one", set: { region: "tokyo" }, refused: "region: must be an AWS region" },
  { what: "missing cluster_name", set: { cluster_name: null }, refused: "cluster_name: is required (text)" },
  { what: "cluster_name with a space", set: { cluster_name: "sre test" }, refused: "cluster_name: cluster_name must be an EKS cluster name" },
  { what: "subnet_ids as a string", set: { subnet_ids: "subnet-0123456789abcdef0" }, refused: "subnet_ids: must be a list, not the text \"subnet-0123456789abcdef0\"" },
  { what: "empty subnet_ids", set: { subnet_ids: [] }, refused: "subnet_ids: subnet_ids must list at least one subnet id" },
  { what: "node_group_name in capitals", set: { node_group_name: "Nodes" }, refused: "node_group_name: name must be 1 to 32 lowercase letters" },
  { what: "instance_type as a number", set: { instance_type: 3 }, refused: "instance_type: must be text, not 3" },
  { what: "unknown ami_type", set: { ami_type: "AL3" }, refused: 'ami_type: must be one of "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2_x86_64", "AL2_ARM_64", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64", not the text "AL3"' },
  { what: "kubernetes_version past EKS support", set: { kubernetes_version: "1.31" }, refused: `kubernetes_version: ${KUBERNETES_VERSION}` },
  { what: "AL2 after 1.32", set: { kubernetes_version: "1.33" }, refused: "ami_type, kubernetes_version, ami_id: ami_type AL2_* has no EKS-optimized AMI" },
  { what: "min_size > desired_size", set: { min_size: 3 }, refused: "min_size, desired_size, max_size: min_size <= desired_size <= max_size must hold" },
  { what: "negative max_size", set: { max_size: -1 }, refused: "max_size: max_size must be a whole number from 1 to 1000" },
  { what: "root volume of 10 GiB", set: { root_volume_size: 10 }, refused: "root_volume_size: root_volume_size must be a whole number of GiB from 20" },
  { what: "kubelet_extra_args with $(", set: { kubelet_extra_args: "--v=$(reboot)" }, refused: "kubelet_extra_args: kubelet_extra_args may hold only" },
  { what: "--max_pods=300", set: { kubelet_extra_args: "--max_pods=300" }, refused: "kubelet_extra_args: kubelet_extra_args: --max-pods=N must be a whole number from 1 to 250" },
  { what: "--max-pods=09", set: { kubelet_extra_args: "--max-pods=09" }, refused: `kubelet_extra_args: ${MAX_PODS_FLAG}` },
  { what: "--kube_reserved", set: { kubelet_extra_args: "--kube_reserved=memory=1Gi" }, refused: `kubelet_extra_args: ${KUBE_RESERVED_FLAG}` },
  { what: "use_max_pods as a string", set: { use_max_pods: "false" }, refused: "use_max_pods: must be true or false, not the text \"false\"" },
  { what: "use_max_pods with --max-pods", set: { use_max_pods: true }, refused: "use_max_pods, max_pods, kubelet_extra_args: use_max_pods = true asks bootstrap.sh" },
  { what: "max_pods = 300", set: { kubelet_extra_args: "", max_pods: 300 }, refused: "max_pods: max_pods must be null (automatic) or a whole number from 1 to 250" },
  { what: "max_pods and --max-pods", set: { max_pods: 110 }, refused: "max_pods, kubelet_extra_args: max_pods and a --max-pods=N flag" },
  { what: "enable_prefix_delegation as a string", set: { enable_prefix_delegation: "yes" }, refused: "enable_prefix_delegation: must be true or false, not the text \"yes\"" },
  { what: "custom_networking as a string", set: { custom_networking: "yes" }, refused: "custom_networking: must be true or false, not the text \"yes\"" },
  { what: "custom networking without ENIConfigs", set: { custom_networking: true }, refused: `custom_networking, eni_configs, eni_configs_managed_elsewhere: ${ENI_CONFIGS_NEEDED}` },
  { what: "custom networking with ENIConfigs applied elsewhere", set: { custom_networking: true, eni_configs_managed_elsewhere: true } },
  { what: "an ENIConfig with an unknown field", set: { custom_networking: true, eni_configs: { "ap-northeast-1a": { subnet: "subnet-0a1b2c3d4e5f60101" } } }, refused: "eni_configs.ap-northeast-1a.subnet: unknown field" },
  { what: "eni_configs keyed by a subnet", set: { custom_networking: true, eni_configs: { "subnet-0a1b2c3d4e5f60101": { subnet_id: "subnet-0a1b2c3d4e5f60101" } } }, refused: `eni_configs: ${ENI_CONFIGS}` },
  { what: "custom networking with an external vpc-cni add-on (its owner makes the ENIConfigs)", set: { custom_networking: true, vpc_cni_addon: "external" } },
  { what: "eni_configs with an external vpc-cni add-on", set: { custom_networking: true, vpc_cni_addon: "external", eni_configs: { "ap-northeast-1a": { subnet_id: "subnet-0a1b2c3d4e5f60101" } } }, refused: "vpc_cni_addon, eni_configs: eni_configs are created by the add-on's configuration" },
  { what: "warm_prefix_target = 0 with prefixes", set: { warm_prefix_target: 0 }, refused: "warm_prefix_target, enable_prefix_delegation, warm_ip_target, minimum_ip_target: warm_prefix_target = 0" },
  { what: "warm_prefix_target = 0 with warm_ip_target = 0", set: { warm_prefix_target: 0, warm_ip_target: 0 }, refused: "warm_prefix_target, enable_prefix_delegation, warm_ip_target, minimum_ip_target: warm_prefix_target = 0" },
  { what: "negative warm_ip_target", set: { warm_ip_target: -2 }, refused: "warm_ip_target: warm_ip_target must be null (unset) or a whole number" },
  { what: "fractional minimum_ip_target", set: { minimum_ip_target: 0.5 }, refused: "minimum_ip_target: minimum_ip_target must be null (unset) or a whole number" },
  { what: "old vpc_cni_addon_version with prefixes", set: { vpc_cni_addon_version: "v1.8.0-eksbuild.1" }, refused: "vpc_cni_addon_version, enable_prefix_delegation: addon_version v1.8.0-eksbuild.1 does not support prefix delegation" },
  { what: "malformed vpc_cni_addon_version", set: { vpc_cni_addon_version: "latest" }, refused: "vpc_cni_addon_version: addon_version must be null" },
  { what: "vpc_cni_extra_env with MAX_ENI", set: { vpc_cni_extra_env: { MAX_ENI: "2" } }, refused: `vpc_cni_extra_env: ${EXTRA_ENV}` },
  { what: "unknown vpc_cni_addon", set: { vpc_cni_addon: "import" }, refused: 'vpc_cni_addon: must be one of "create", "adopt", "external", not the text "import"' },
  { what: "unknown pod_identity_agent_addon", set: { cni_credentials: "pod_identity", pod_identity_agent_addon: "manage" }, refused: 'pod_identity_agent_addon: must be one of "create", "adopt", "external", not the text "manage"' },
  { what: "an external vpc-cni add-on with Pod Identity", set: { vpc_cni_addon: "external", cni_credentials: "pod_identity" }, refused: "vpc_cni_addon, cni_credentials: cni_credentials: pod_identity binds a role to aws-node through the add-on" },
  { what: "pod_identity_agent_addon without Pod Identity", set: { pod_identity_agent_addon: "adopt" }, refused: "pod_identity_agent_addon, cni_credentials: pod_identity_agent_addon applies only with cni_credentials: pod_identity" },
  { what: "an external vpc-cni add-on", set: { vpc_cni_addon: "external" } },
  { what: "adopting the vpc-cni add-on, the agent left to its owner", set: { vpc_cni_addon: "adopt", cni_credentials: "pod_identity", pod_identity_agent_addon: "external" } },
  { what: "unknown cni_credentials", set: { cni_credentials: "irsa" }, refused: 'cni_credentials: must be one of "node_role", "pod_identity", not the text "irsa"' },
  { what: "instance_refresh with an unknown field", set: { instance_refresh: { min_healthy: 100 } }, refused: "instance_refresh.min_healthy: unknown field" },
  { what: "instance_refresh max more than 100 over min", set: { instance_refresh: { min_healthy_percentage: 0 } }, refused: `instance_refresh: ${REFRESH_HEALTHY}` },
  { what: "heartbeat timeout of 10 s", set: { termination_heartbeat_timeout: 10 }, refused: "termination_heartbeat_timeout: termination_heartbeat_timeout must be a whole number of seconds" },
  { what: "node ready timeout of 20 s", set: { node_ready_timeout: 20 }, refused: "node_ready_timeout: node_ready_timeout must be a whole number of seconds" },
  { what: "IMDS hop limit 3", set: { metadata_http_put_response_hop_limit: 3 }, refused: "metadata_http_put_response_hop_limit: metadata_http_put_response_hop_limit must be 1" },
  { what: "tag value that is a number", set: { tags: { team: 1 } }, refused: "tags.team: must be text, not 1" },
  { what: "a Terraform template in a tag", set: { tags: { host: '${file("/etc/hostname")}' } }, refused: `tags: ${TAG_CHARACTERS}` },
  { what: "the environment tag", set: { tags: { "eks-pod-density:environment": "prod" } }, refused: "tags: tags may not set eks-pod-density:environment" },
  { what: "a Name tag", set: { tags: { Name: "mine" } }, refused: `tags: ${OWN_TAGS}` },
  { what: "tag keys that differ only in case", set: { tags: { Team: "sre", team: "platform" } }, refused: `tags: ${TAG_CASE}` },
  { what: "checkpoints that stop before 100 %", set: { instance_refresh: { checkpoint_percentages: [50] } }, refused: "instance_refresh: instance_refresh: instance_warmup must be 0 to 3600 seconds" },
  { what: "47 tags (with the environment tag, one too many)", set: { tags: Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`t${i}`, "x"])) }, refused: "tags: tags may hold at most 47 tags" },
  { what: "unknown backend type", set: { backend: { type: "gcs" } }, refused: 'backend.type: must be one of "local", "s3", "cloud", not the text "gcs"' },
  { what: "s3 backend without bucket", set: { backend: { type: "s3", key: "k", region: "ap-northeast-1" } }, refused: "backend.bucket: is required (text)" },
  { what: "s3 bucket with a Terraform template", set: { backend: { type: "s3", bucket: "${var.bucket}", key: "k", region: "ap-northeast-1" } }, refused: "backend.bucket: must be an S3 bucket name" },
  { what: "cloud workspace with a Terraform template", set: { backend: { type: "cloud", organization: "sre", workspace: "${terraform.workspace}" } }, refused: "backend.workspace: must be an HCP Terraform workspace name" },
  { what: "prefix reservation off its /28 boundary", set: { prefix_reservations: [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.4/28" }] }, refused: "prefix_reservations: reservations: every cidr_block must be" },
  { what: "prefix reservation with an unknown field", set: { prefix_reservations: [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr: "10.0.8.0/22" }] }, refused: "prefix_reservations.0.cidr: unknown field" },
  { what: "kube_reserved that is not a quantity", set: { kube_reserved: { memory: "lots" } }, refused: "kube_reserved: kube_reserved must be null or a map" },
  { what: 'kube_reserved memory "100m" (0.1 byte)', set: { kube_reserved: { memory: "100m" } }, refused: `kube_reserved: ${KUBE_RESERVED_TYPO} memory = "100m" is almost surely a typo ${BYTES_WHY("memory")}; you probably meant "100Mi".` },
  { what: 'kube_reserved cpu "250" (250 cores)', set: { kube_reserved: { cpu: "250" } }, refused: `kube_reserved: ${KUBE_RESERVED_TYPO} cpu = "250" is almost surely a typo` },
  { what: "prefix reservations and kube-reserved off", set: { prefix_reservations: [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0/22" }], kube_reserved_follows_max_pods: false } },
  { what: "a Terraform template in a prefix reservation's description (kept as text)", set: { prefix_reservations: [{ subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0/22", description: '${file("/etc/hostname")}' }] } },
  { what: "a Terraform template in the s3 key (kept as text)", set: { backend: { type: "s3", bucket: "tf-state", key: "eks/${terraform.workspace}.tfstate", region: "ap-northeast-1" } } },
  { what: "s3 backend", set: { backend: { type: "s3", bucket: "tf-state", key: "eks/article.tfstate", region: "ap-northeast-1" } } },
  { what: "AL2023 with automatic max pods", set: { ami_type: "AL2023_x86_64_STANDARD", kubelet_extra_args: "", kubernetes_version: null } },
  { what: "custom networking, Pod Identity, rollout and termination settings", set: { custom_networking: true, eni_configs: { "ap-northeast-1a": { subnet_id: "subnet-0a1b2c3d4e5f60101" } }, cni_credentials: "pod_identity", instance_refresh: { instance_warmup: 600 }, termination_heartbeat_timeout: 900, create_access_entry: false, attach_ssm_policy: true } },
  { what: "no launch readiness gate, a longer node ready timeout", set: { launch_readiness_gate: false, node_ready_timeout: 1200 } },
];
