/**
 * EC2's figures for a few common instance types, as DescribeInstanceTypes
 * answers them and `data.aws_ec2_instance_type` reads them: the node-group
 * module's README turns them into ready `override_data` blocks for tests
 * against the mocked AWS account, which describes a t3a.medium whatever type
 * a configuration asks for. Figures: vCPUs, memory (MiB), network interfaces,
 * IPv4 addresses per interface, hypervisor, architecture and the network
 * card's bandwidth (Gbps) and performance, from EC2 DescribeInstanceTypes
 * (VCpuInfo, MemoryInfo, NetworkInfo, Hypervisor, ProcessorInfo); every type
 * here has one network card.
 */

export interface PublishedInstanceType {
  readonly instanceType: string;
  /** VCpuInfo.DefaultVCpus. */
  readonly vcpus: number;
  /** MemoryInfo.SizeInMiB. */
  readonly memoryMiB: number;
  /** NetworkInfo.MaximumNetworkInterfaces (one card: all of them on the default card). */
  readonly enis: number;
  /** NetworkInfo.Ipv4AddressesPerInterface. */
  readonly ipv4PerEni: number;
  /** Hypervisor: nitro or xen ("" for bare metal, which reports none). */
  readonly hypervisor: "nitro" | "xen" | "";
  /** ProcessorInfo.SupportedArchitectures. */
  readonly architecture: "x86_64" | "arm64";
  /** NetworkInfo.NetworkCards[0]: BaselineBandwidthInGbps, PeakBandwidthInGbps, NetworkPerformance. */
  readonly network: { readonly baselineGbps: number; readonly peakGbps: number; readonly performance: string };
}

const type = (
  instanceType: string,
  vcpus: number,
  memoryMiB: number,
  enis: number,
  ipv4PerEni: number,
  architecture: "x86_64" | "arm64",
  baselineGbps: number,
  peakGbps: number,
): PublishedInstanceType => ({
  instanceType,
  vcpus,
  memoryMiB,
  enis,
  ipv4PerEni,
  hypervisor: "nitro",
  architecture,
  network: { baselineGbps, peakGbps, performance: `Up to ${peakGbps} Gigabit` },
});

/** The mocked account's type first (modules/*\/mocks/aws.tfmock.hcl), then the README's, by family. */
export const PUBLISHED_INSTANCE_TYPES: readonly PublishedInstanceType[] = [
  type("t3a.medium", 2, 4096, 3, 6, "x86_64", 0.256, 5),
  type("t3.medium", 2, 4096, 3, 6, "x86_64", 0.256, 5),
  type("t3.large", 2, 8192, 3, 12, "x86_64", 0.512, 5),
  type("m5.large", 2, 8192, 3, 10, "x86_64", 0.75, 10),
  type("m6i.large", 2, 8192, 3, 10, "x86_64", 0.781, 12.5),
  type("m7i.large", 2, 8192, 3, 10, "x86_64", 0.781, 12.5),
  type("c6i.xlarge", 4, 8192, 4, 15, "x86_64", 1.562, 12.5),
  type("r6i.large", 2, 16384, 3, 10, "x86_64", 0.781, 12.5),
  type("m6g.large", 2, 8192, 3, 10, "arm64", 0.75, 10),
  type("m7g.large", 2, 8192, 3, 10, "arm64", 0.937, 12.5),
];

/** The instance type the mocked AWS account describes. */
export const MOCKED_INSTANCE_TYPE = "t3a.medium";

/** A published type by name. */
export function publishedInstanceType(name: string): PublishedInstanceType | undefined {
  return PUBLISHED_INSTANCE_TYPES.find((t) => t.instanceType === name);
}

/**
 * The answer `data.aws_ec2_instance_type` gives for `t`, by attribute: what an `override_data` block must hold.
 * `id` is the instance type EC2 answered for (the provider sets it so); the node group checks it against the type
 * it asked for.
 */
export function instanceTypeData(t: PublishedInstanceType): Record<string, unknown> {
  return {
    id: t.instanceType,
    maximum_network_interfaces: t.enis,
    maximum_ipv4_addresses_per_interface: t.ipv4PerEni,
    default_vcpus: t.vcpus,
    memory_size: t.memoryMiB,
    hypervisor: t.hypervisor,
    bare_metal: t.hypervisor === "",
    default_network_card_index: 0,
    network_cards: [
      {
        index: 0,
        maximum_interfaces: t.enis,
        baseline_bandwidth: t.network.baselineGbps,
        peak_bandwidth: t.network.peakGbps,
        performance: t.network.performance,
      },
    ],
    supported_architectures: [t.architecture],
  };
}

/** An HCL value for the literals {@link instanceTypeData} holds, on one line. */
function hclValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hclValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value).map(([k, v]) => `${k} = ${hclValue(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** An `override_data` block for `target` answering as EC2 does for `t`, laid out as `terraform fmt` does, indented by `indent`. */
export function instanceTypeOverride(target: string, t: PublishedInstanceType, indent = "  "): string {
  const data = instanceTypeData(t);
  const width = Math.max(...Object.keys(data).map((key) => key.length));
  return [
    "override_data {",
    `  target = ${target}`,
    "  values = {",
    ...Object.entries(data).map(([key, value]) => `    ${key.padEnd(width)} = ${hclValue(value)}`),
    "  }",
    "}",
  ]
    .map((line) => indent + line)
    .join("\n");
}
