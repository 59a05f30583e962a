import { describe, expect, it } from "vitest";
import {
  addressablePods,
  automaticMaxPods,
  effectiveMaxPods,
  kubeletMemoryMiB,
  maxPodsCap,
  maxPodsFlagCount,
  maxPodsFromKubeletArgs,
  memoryCapPods,
  memoryNeededMiB,
} from "../../src/rules/max-pods.js";
import { INSTANCES } from "../support/instances.js";

const t3aMedium = INSTANCES["t3a.medium"]!;

describe("automaticMaxPods", () => {
  it.each([
    ["t3a.medium", true, 110, 242, 110],
    ["t3a.medium", false, 17, 17, 110],
    ["t3.micro", true, 34, 34, 110],
    ["t3.micro", false, 4, 4, 110],
    ["m5.large", true, 110, 434, 110],
    ["m5.large", false, 29, 29, 110],
    ["m5.24xlarge", true, 250, 11762, 250],
    ["m5.24xlarge", false, 250, 737, 250],
    ["c5.9xlarge", false, 234, 234, 250],
    ["m4.large", true, 20, 20, 110],
    ["p5.48xlarge", false, 100, 100, 250],
    ["a1.metal", true, 110, 3714, 110],
    ["a1.metal", false, 110, 234, 110],
  ] as const)("%s with prefixes %s → %i (addressable %i, cap %i)", (type, prefixDelegation, maxPods, addressable, cap) => {
    // GIVEN an instance type's EC2 figures
    const limits = INSTANCES[type]!;
    // WHEN the rule runs
    const result = automaticMaxPods(limits, { prefixDelegation });
    // THEN it follows AWS's calculator (the memory cap does not bind on these)
    expect(result).toMatchObject({ maxPods, addressable, cap, prefixDelegation: prefixDelegation && limits.hypervisor !== "xen" });
    expect(result.memoryCap).toBeGreaterThan(maxPods);
  });

  it("counts only the default network card's interfaces", () => {
    const p5 = INSTANCES["p5.48xlarge"]!;
    expect(addressablePods(p5, { prefixDelegation: false })).toBe(2 * 49 + 2);
    expect(addressablePods({ ...p5, enis: p5.totalEnis }, { prefixDelegation: false })).not.toBe(100);
  });

  it("caps at 110 up to 30 vCPUs and 250 above", () => {
    expect([maxPodsCap(1), maxPodsCap(30), maxPodsCap(31), maxPodsCap(192)]).toEqual([110, 110, 250, 250]);
  });
});

describe("custom networking: pods skip the primary interface (max-pods-calculator --cni-custom-networking-enabled)", () => {
  it.each([
    ["t3a.medium", false, 12],
    ["t3a.medium", true, 110],
    ["m5.large", false, 20],
  ] as const)("%s with prefixes %s → %i", (type, prefixDelegation, maxPods) => {
    expect(automaticMaxPods(INSTANCES[type]!, { prefixDelegation, customNetworking: true }).maxPods).toBe(maxPods);
  });

  it("t3a.medium with prefixes addresses (3 − 1) × 5 × 16 + 2 = 162 before the cap", () => {
    expect(addressablePods(t3aMedium, { prefixDelegation: true, customNetworking: true })).toBe(162);
  });
});

describe("memory must fit", () => {
  it("sees EC2's memory less 7.5 % (and less 64 MiB CMA on Graviton)", () => {
    expect(kubeletMemoryMiB(512)).toBe(473);
    expect(kubeletMemoryMiB(512, "arm64")).toBe(414);
    expect(kubeletMemoryMiB(4096)).toBe(3788);
  });

  it("needs 11 MiB per pod + 255 MiB kube-reserved, 100 MiB eviction threshold and 64 MiB headroom", () => {
    expect(memoryNeededMiB(110)).toBe(11 * 110 + 255 + 100 + 64);
  });

  it.each([
    ["t3.nano", 4],
    ["t3a.nano", 4],
  ] as const)("%s with prefixes gets %i pods, not the 34 it could address, and they fit", (type, maxPods) => {
    const limits = INSTANCES[type]!;
    const result = automaticMaxPods(limits, { prefixDelegation: true });
    expect(result).toMatchObject({ maxPods, addressable: 34, memoryCap: maxPods });
    expect(11 * result.maxPods + 355).toBeLessThanOrEqual(kubeletMemoryMiB(limits.memoryMiB));
  });

  it("t4g.nano (Graviton, 414 MiB seen) fits no pod at all: negative memory cap, 0 pods", () => {
    expect(memoryCapPods(INSTANCES["t4g.nano"]!)).toBeLessThan(1);
    expect(automaticMaxPods(INSTANCES["t4g.nano"]!, { prefixDelegation: true }).maxPods).toBe(0);
  });

  it("caps nothing without a memory figure (EC2 always gives one; mocked data may not)", () => {
    expect(memoryCapPods({ memoryMiB: 0 })).toBe(250);
    expect(automaticMaxPods({ ...t3aMedium, memoryMiB: 0 }, { prefixDelegation: true }).maxPods).toBe(110);
  });

  it("leaves larger types alone: t3.micro stays 34, t3a.medium 110", () => {
    expect(automaticMaxPods(INSTANCES["t3.micro"]!, { prefixDelegation: true }).maxPods).toBe(34);
    expect(automaticMaxPods(t3aMedium, { prefixDelegation: true }).maxPods).toBe(110);
  });
});

describe("maxPodsFromKubeletArgs: flags as kubelet reads them", () => {
  it.each([
    ["--max-pods=110", 110],
    ["--node-labels=a=b --max-pods=58", 58],
    ["--max-pods=64 --node-labels=a=b", 64],
    ["--max_pods=300", 300],
    ["", undefined],
    ["--node-labels=max-pods=3", undefined],
    ["--max-pods 110", undefined],
    ["--max-pods=abc", undefined],
    ["--max-pods=0110", undefined],
    ["--max-pods=09", undefined],
  ] as const)("%j → %s", (args, expected) => {
    expect(maxPodsFromKubeletArgs(args)).toBe(expected);
  });

  it.each([
    ["--max-pods=110", 1],
    ["--max_pods=110", 1],
    ["--max-pods=1 --max_pods=2", 2],
    ["--max-pods 110", 1],
    ["--max-pods-per-core=4", 0],
    ["--node-labels=a=--max-pods", 0],
  ] as const)("%j sets max pods %i times", (args, count) => {
    expect(maxPodsFlagCount(args)).toBe(count);
  });
});

describe("effectiveMaxPods", () => {
  it("prefers explicit max_pods, then --max-pods=N, then automatic", () => {
    const base = { prefixDelegation: true, limits: t3aMedium };
    expect(effectiveMaxPods({ ...base, maxPods: 58, kubeletExtraArgs: "" })).toBe(58);
    expect(effectiveMaxPods({ ...base, maxPods: null, kubeletExtraArgs: "--max-pods=64" })).toBe(64);
    expect(effectiveMaxPods({ ...base, maxPods: null, kubeletExtraArgs: "" })).toBe(110);
    expect(effectiveMaxPods({ ...base, prefixDelegation: false })).toBe(17);
  });
});
