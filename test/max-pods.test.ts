import { describe, expect, it } from "vitest";
import {
  addressablePods,
  automaticMaxPods,
  effectiveMaxPods,
  maxPodsCap,
  maxPodsFromKubeletArgs,
} from "../src/max-pods.js";
import { INSTANCES } from "./support/instances.js";

const t3aMedium = INSTANCES["t3a.medium"]!;

describe("automaticMaxPods", () => {
  it.each([
    ["t3a.medium", true, 110, 242, 110],
    ["t3a.medium", false, 17, 17, 110],
    ["t3.micro", true, 34, 34, 110],
    ["t3.micro", false, 4, 4, 110],
    ["m5.24xlarge", true, 250, 11762, 250],
    ["m5.24xlarge", false, 250, 737, 250],
    ["c5.9xlarge", false, 234, 234, 250],
    ["m4.large", true, 20, 20, 110],
    ["p5.48xlarge", false, 100, 100, 250],
    ["a1.metal", true, 110, 234, 110],
  ] as const)("%s with prefixes %s → %i (addressable %i, cap %i)", (type, prefixes, maxPods, addressable, cap) => {
    // GIVEN an instance type's EC2 figures
    const limits = INSTANCES[type]!;
    // WHEN the rule runs
    const result = automaticMaxPods(limits, prefixes);
    // THEN it follows AWS's calculator
    expect(result).toEqual({
      maxPods: Math.min(addressable, cap),
      addressable,
      cap,
      prefixDelegation: prefixes && limits.hypervisor === "nitro",
    });
    expect(result.maxPods).toBe(maxPods);
  });

  it("counts only the default network card's interfaces", () => {
    const p5 = INSTANCES["p5.48xlarge"]!;
    expect(addressablePods(p5, false)).toBe(2 * 49 + 2);
    expect(addressablePods({ ...p5, enis: p5.totalEnis }, false)).not.toBe(100);
  });

  it("caps at 110 up to 30 vCPUs and 250 above", () => {
    expect([maxPodsCap(1), maxPodsCap(30), maxPodsCap(31), maxPodsCap(192)]).toEqual([110, 110, 250, 250]);
  });
});

describe("maxPodsFromKubeletArgs", () => {
  it.each([
    ["--max-pods=110", 110],
    ["--node-labels=a=b --max-pods=58", 58],
    ["--max-pods=64 --node-labels=a=b", 64],
    ["", undefined],
    ["--node-labels=max-pods=3", undefined],
    ["--max-pods 110", undefined],
    ["--max-pods=abc", undefined],
  ] as const)("%j → %s", (args, expected) => {
    expect(maxPodsFromKubeletArgs(args)).toBe(expected);
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
