/**
 * Instance types the tests use, with the EC2 figures AWS publishes for them
 * (DescribeInstanceTypes: ENIs of the default network card, IPv4 per ENI,
 * default vCPUs, hypervisor; an empty hypervisor is bare metal).
 */
import type { InstanceNetworkLimits } from "../../src/max-pods.js";

export interface InstanceCase extends InstanceNetworkLimits {
  readonly instanceType: string;
  /** Network interfaces of the whole instance (all network cards). */
  readonly totalEnis: number;
  /** Network cards × interfaces per card, when the instance has more than one card. */
  readonly networkCards?: number;
}

export const INSTANCES: Record<string, InstanceCase> = {
  "t3a.medium": { instanceType: "t3a.medium", enis: 3, totalEnis: 3, ipv4PerEni: 6, vcpus: 2, hypervisor: "nitro" },
  "t3.micro": { instanceType: "t3.micro", enis: 2, totalEnis: 2, ipv4PerEni: 2, vcpus: 2, hypervisor: "nitro" },
  "m5.large": { instanceType: "m5.large", enis: 3, totalEnis: 3, ipv4PerEni: 10, vcpus: 2, hypervisor: "nitro" },
  "m5.24xlarge": { instanceType: "m5.24xlarge", enis: 15, totalEnis: 15, ipv4PerEni: 50, vcpus: 96, hypervisor: "nitro" },
  "c5.9xlarge": { instanceType: "c5.9xlarge", enis: 8, totalEnis: 8, ipv4PerEni: 30, vcpus: 36, hypervisor: "nitro" },
  "m4.large": { instanceType: "m4.large", enis: 2, totalEnis: 2, ipv4PerEni: 10, vcpus: 2, hypervisor: "xen" },
  "p5.48xlarge": { instanceType: "p5.48xlarge", enis: 2, totalEnis: 64, networkCards: 32, ipv4PerEni: 50, vcpus: 192, hypervisor: "nitro" },
  "a1.metal": { instanceType: "a1.metal", enis: 8, totalEnis: 8, ipv4PerEni: 30, vcpus: 16, hypervisor: "" },
};
