/**
 * An instance type's limits as the max-pods rule needs them, from what EC2
 * DescribeInstanceTypes answers: the `max-pods` and `verify` commands read
 * them the same way.
 */
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { InstanceNetworkLimits } from "./max-pods.js";

/**
 * The limits of one DescribeInstanceTypes entry, or undefined when EC2 left
 * out a figure the rule needs. Interfaces are those of the default network
 * card: the VPC CNI attaches interfaces there only (amazon-vpc-cni-k8s
 * docs/prefix-and-ip-target.md, multi-card instances).
 */
export function instanceNetworkLimits(info: InstanceTypeInfo | undefined): InstanceNetworkLimits | undefined {
  const network = info?.NetworkInfo;
  if (
    !info ||
    !network?.MaximumNetworkInterfaces ||
    !network.Ipv4AddressesPerInterface ||
    !info.VCpuInfo?.DefaultVCpus ||
    !info.MemoryInfo?.SizeInMiB
  ) {
    return undefined;
  }
  const defaultCard = network.NetworkCards?.find((card) => card.NetworkCardIndex === (network.DefaultNetworkCardIndex ?? 0));
  return {
    enis: defaultCard?.MaximumNetworkInterfaces ?? network.MaximumNetworkInterfaces,
    ipv4PerEni: network.Ipv4AddressesPerInterface,
    vcpus: info.VCpuInfo.DefaultVCpus,
    hypervisor: info.Hypervisor ?? "",
    memoryMiB: info.MemoryInfo.SizeInMiB,
    architecture: info.ProcessorInfo?.SupportedArchitectures?.[0] === "arm64" ? "arm64" : "x86_64",
  };
}
