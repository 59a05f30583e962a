/**
 * What verify expects comes from the rules the modules use: the add-on's
 * variables as modules/vpc-cni's own tests show them, and a node's max pods
 * and kube-reserved by the node group's rules (explicit, kubelet flag,
 * automatic with the memory cap and custom networking; kube-reserved merged
 * key by key).
 */
import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../src/app/config.js";
import { subnetRooms } from "../../src/verify/checks.js";
import type { SubnetState } from "../../src/verify/ec2.js";
import { expectedCniVariables, nodeExpectation, targetFromEnvironment, type VerifyTarget } from "../../src/verify/expected.js";
import { INSTANCES } from "../support/instances.js";

const ARTICLE = targetFromEnvironment(
  parseEnvironment(
    "environments/article.yaml",
    `region: ap-northeast-1
cluster_name: sre-test
subnet_ids: [subnet-0a1b2c3d4e5f60001]
instance_type: t3a.medium
ami_type: AL2_x86_64
kubernetes_version: "1.32"
kubelet_extra_args: "--max-pods=110"
enable_prefix_delegation: true
warm_prefix_target: 1
`,
  ),
);
const target = (changes: Partial<VerifyTarget>): VerifyTarget => ({ ...ARTICLE, ...changes });
/** The variables the add-on sends (those it leaves out are expected unset). */
const sent = (t: VerifyTarget) => Object.fromEntries(expectedCniVariables(t).flatMap((v) => (v.value === null ? [] : [[v.name, v.value]])));

describe("the aws-node variables expected: what modules/vpc-cni's configuration_values test says the add-on sends", () => {
  it.each<[string, Partial<VerifyTarget>, Record<string, string>]>([
    ["defaults", {}, { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" }],
    ["prefixes off", { prefixDelegation: false }, { ENABLE_PREFIX_DELEGATION: "false" }],
    ["warm_ip_target", { warmIpTarget: 5 }, { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1", WARM_IP_TARGET: "5" }],
    [
      "extra_env",
      { extraEnv: { AWS_VPC_K8S_CNI_LOGLEVEL: "DEBUG", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" } },
      { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1", AWS_VPC_K8S_CNI_LOGLEVEL: "DEBUG", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" },
    ],
    [
      "custom",
      { customNetworking: true },
      { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1", AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true", ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone" },
    ],
    [
      "custom_label",
      { customNetworking: true, extraEnv: { ENI_CONFIG_LABEL_DEF: "k8s.amazonaws.com/eniConfig" } },
      { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1", AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true", ENI_CONFIG_LABEL_DEF: "k8s.amazonaws.com/eniConfig" },
    ],
  ])("GIVEN the %s case THEN the same variables", (_, changes, env) => {
    expect(sent(target(changes))).toEqual(env);
  });

  it("GIVEN vpc_cni_addon: external THEN only the mode the nodes are built for: its owner sets the rest", () => {
    // GIVEN warm targets and extra variables the stack would send WHEN another owner manages the add-on
    const external = target({ vpcCniAddon: "external", warmIpTarget: 5, extraEnv: { AWS_VPC_K8S_CNI_LOGLEVEL: "DEBUG" } });
    // THEN verify checks the flags max pods depends on, and custom networking's ENIConfig label with it
    expect(expectedCniVariables(external).map((v) => v.name)).toEqual(["ENABLE_PREFIX_DELEGATION", "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"]);
    expect(sent({ ...external, customNetworking: true })).toEqual({
      ENABLE_PREFIX_DELEGATION: "true",
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
      ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
    });
    // adopt: the stack manages the add-on after the import, so everything is checked as with create
    expect(expectedCniVariables(target({ vpcCniAddon: "adopt" }))).toEqual(expectedCniVariables(ARTICLE));
  });

  it("expects the targets left null to be unset, and the flags read as booleans", () => {
    const variables = expectedCniVariables(ARTICLE);
    expect(variables.filter((v) => v.value === null).map((v) => v.name)).toEqual(["WARM_IP_TARGET", "MINIMUM_IP_TARGET", "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"]);
    expect(variables.filter((v) => v.boolean).map((v) => v.name)).toEqual(["ENABLE_PREFIX_DELEGATION", "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"]);
  });
});

describe("what a node should run with: the node group's rules", () => {
  it("GIVEN the article (--max-pods=110 on a t3a.medium) THEN 110 pods, 1465Mi reserved, 8 prefixes on 2 interfaces at max pods", () => {
    expect(nodeExpectation(ARTICLE, INSTANCES["t3a.medium"]!)).toEqual({
      maxPods: 110,
      kubeReserved: { cpu: "70m", "ephemeral-storage": "1Gi", memory: "1465Mi" },
      prefixes: true,
      prefixesAtMaxPods: 8,
      // 5 prefixes an interface (6 addresses, the primary one no prefix): ceil(8 / 5).
      interfacesAtMaxPods: 2,
    });
  });

  it.each<[string, string, Partial<VerifyTarget>, number, number]>([
    // 2 prefixes (ceil(4 / 16) + 1), one an interface (2 addresses): both interfaces.
    ["t3.nano at 4 pods", "t3.nano", { kubeletExtraArgs: "" }, 2, 2],
    // 3 prefixes: 1 interface without custom networking; with it, one the CNI attaches in the ENIConfig's subnet.
    ["m5.large at 20 pods", "m5.large", { kubeletExtraArgs: "--max-pods=20" }, 3, 1],
    ["m5.large at 20 pods, custom networking", "m5.large", { kubeletExtraArgs: "--max-pods=20", customNetworking: true }, 3, 1],
    // 17 prefixes (ceil(250 / 16) + 1), 29 an interface: the primary one carries them all.
    ["c5.9xlarge at 250 pods", "c5.9xlarge", { kubeletExtraArgs: "--max-pods=250" }, 17, 1],
    // 8 prefixes on interfaces of 5: 2 the CNI attaches in the ENIConfig's subnet.
    ["t3a.medium at 110 pods, custom networking", "t3a.medium", { kubeletExtraArgs: "", customNetworking: true }, 8, 2],
  ])("GIVEN %s THEN its prefixes and the interfaces that carry them (a block each at worst)", (_, type, changes, prefixes, interfaces) => {
    expect(nodeExpectation(target(changes), INSTANCES[type]!)).toMatchObject({ prefixesAtMaxPods: prefixes, interfacesAtMaxPods: interfaces });
  });

  it.each<[string, string, Partial<VerifyTarget>, number]>([
    ["automatic, t3a.medium with prefixes", "t3a.medium", { kubeletExtraArgs: "" }, 110],
    ["automatic, t3.nano: capped by memory", "t3.nano", { kubeletExtraArgs: "" }, 4],
    ["automatic, t3.micro", "t3.micro", { kubeletExtraArgs: "" }, 34],
    ["automatic, custom networking without prefixes: one interface less", "t3a.medium", { kubeletExtraArgs: "", prefixDelegation: false, customNetworking: true }, 12],
    ["automatic, custom networking with prefixes", "t3a.medium", { kubeletExtraArgs: "", customNetworking: true }, 110],
    ["automatic, m4.large (Xen: no prefixes there)", "m4.large", { kubeletExtraArgs: "" }, 20],
    ["explicit max_pods over the kubelet flag", "t3a.medium", { maxPods: 58 }, 58],
  ])("%s → %i", (_, type, changes, maxPods) => {
    expect(nodeExpectation(target(changes), INSTANCES[type]!).maxPods).toBe(maxPods);
  });

  it("GIVEN a Xen instance THEN no prefixes, so none counted in the subnets", () => {
    expect(nodeExpectation(target({ kubeletExtraArgs: "" }), INSTANCES["m4.large"]!)).toMatchObject({ prefixes: false, prefixesAtMaxPods: 0 });
  });

  it("GIVEN kube_reserved { memory = 1500Mi } THEN that key replaces the computed one, the others stay", () => {
    expect(nodeExpectation(target({ kubeReserved: { memory: "1500Mi" } }), INSTANCES["t3a.medium"]!).kubeReserved).toEqual({
      cpu: "70m",
      "ephemeral-storage": "1Gi",
      memory: "1500Mi",
    });
  });

  it("GIVEN kube_reserved_follows_max_pods = false THEN the AMI's own sizing (17 pods: 442Mi) on AL2, but max pods on Bottlerocket", () => {
    const notFollowing = target({ kubeReservedFollowsMaxPods: false });
    expect(nodeExpectation(notFollowing, INSTANCES["t3a.medium"]!).kubeReserved.memory).toBe("442Mi");
    expect(nodeExpectation({ ...notFollowing, amiType: "BOTTLEROCKET_x86_64" }, INSTANCES["t3a.medium"]!).kubeReserved.memory).toBe("1465Mi");
  });
});

describe("how many more nodes a subnet holds: prefixes and every interface's primary address", () => {
  const subnet = (cidr: string, addresses: string[] = [], interfaces = new Map<string, number>(), prefixes: string[] = []): SubnetState => ({
    subnetId: "subnet-0a1b2c3d4e5f60001",
    availabilityZone: "ap-northeast-1a",
    use: { cidr, addresses, prefixes, reservations: [] },
    prefixesByInstance: new Map(interfaces.size > 0 ? [["i-0a1b2c3d4e5f60011", prefixes.length]] : []),
    interfacesByInstance: interfaces,
  });
  const room = (state: SubnetState, instances = 0, maxSize = 3) =>
    subnetRooms(
      target({ maxSize }),
      [{ state, instances: Array.from({ length: instances }, () => ({ instanceId: "i-0a1b2c3d4e5f60011", instanceType: "t3a.medium", subnetId: state.subnetId, availabilityZone: "ap-northeast-1a", autoScalingGroup: "g" })) }],
      1,
      INSTANCES["t3a.medium"]!,
    )[0]!;

  it("GIVEN an empty /22 (64 blocks, AWS's addresses in the first and last) THEN 6 t3a.medium at 110 pods fit, not 7", () => {
    // A node at 110 pods: 8 prefixes on 2 interfaces, whose primary addresses EC2 may place in 2 more free blocks:
    // 10 blocks at worst. 62 free: 6 nodes (60); 7 would need 70. Counting prefixes alone said 7 (62 / 8).
    expect(room(subnet("10.0.0.0/22"))).toMatchObject({ prefixesPerNode: 8, interfacesPerNode: 2, needed: 30, moreNodesFit: 6 });
  });

  it("GIVEN a node there with 2 prefixes on its primary interface THEN it grows by 6 prefixes and 1 interface", () => {
    // /22 with the node's address in block 1 and its prefixes in blocks 2 and 3: 59 free; (59 − 7) / 10 = 5 more.
    const state = subnet("10.0.0.0/22", ["10.0.0.23"], new Map([["i-0a1b2c3d4e5f60011", 1]]), ["10.0.0.32/28", "10.0.0.48/28"]);
    expect(room(state, 1)).toMatchObject({ held: 3, needed: 27, moreNodesFit: 5 });
    expect(room(state, 1).count.free).toBe(59);
  });
});
