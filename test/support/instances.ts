/**
 * Instance types the tests use, with the figures AWS publishes for them (EC2
 * DescribeInstanceTypes: ENIs of the default network card, IPv4 per ENI,
 * default vCPUs, memory in MiB, hypervisor, architecture; an empty hypervisor
 * is bare metal): the types the module README gives override blocks for
 * (src/rules/published-instance-types.ts), and a few with edge cases.
 */
import type { InstanceNetworkLimits } from "../../src/rules/max-pods.js";
import { PUBLISHED_INSTANCE_TYPES } from "../../src/rules/published-instance-types.js";

export interface InstanceCase extends InstanceNetworkLimits {
  readonly instanceType: string;
  /** Network interfaces of the whole instance (all network cards). */
  readonly totalEnis: number;
  /** Network cards × interfaces per card, when the instance has more than one card. */
  readonly networkCards?: number;
  readonly architecture: "x86_64" | "arm64";
}

const instance = (
  instanceType: string,
  enis: number,
  ipv4PerEni: number,
  vcpus: number,
  memoryMiB: number,
  hypervisor: string,
  architecture: "x86_64" | "arm64" = "x86_64",
  extra: Partial<InstanceCase> = {},
): InstanceCase => ({ instanceType, enis, totalEnis: enis, ipv4PerEni, vcpus, memoryMiB, hypervisor, architecture, ...extra });

export const INSTANCES: Record<string, InstanceCase> = {
  ...Object.fromEntries(
    PUBLISHED_INSTANCE_TYPES.map((t) => [t.instanceType, instance(t.instanceType, t.enis, t.ipv4PerEni, t.vcpus, t.memoryMiB, t.hypervisor, t.architecture)]),
  ),
  "t3.micro": instance("t3.micro", 2, 2, 2, 1024, "nitro"),
  "t3.nano": instance("t3.nano", 2, 2, 2, 512, "nitro"),
  "t3a.nano": instance("t3a.nano", 2, 2, 2, 512, "nitro"),
  "t4g.nano": instance("t4g.nano", 2, 2, 2, 512, "nitro", "arm64"),
  "m5.24xlarge": instance("m5.24xlarge", 15, 50, 96, 393216, "nitro"),
  "c5.9xlarge": instance("c5.9xlarge", 8, 30, 36, 73728, "nitro"),
  "m4.large": instance("m4.large", 2, 10, 2, 8192, "xen"),
  "p5.48xlarge": instance("p5.48xlarge", 2, 50, 192, 2097152, "nitro", "x86_64", { totalEnis: 64, networkCards: 32 }),
  "a1.metal": instance("a1.metal", 8, 30, 16, 32768, "", "arm64"),
};
