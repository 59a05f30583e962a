import { describe, expect, it } from "vitest";
import {
  amiDefaultMaxPods,
  effectiveKubeReserved,
  kubeReservedFor,
  kubeReservedTypos,
  quantityMiB,
  reservedCpuMillicores,
  reservedMemoryMiB,
} from "../../src/rules/kube-reserved.js";

describe("kube-reserved", () => {
  it("reserves 11 MiB per pod + 255 MiB: t3a.medium at 110 pods 1465Mi, at 17 pods 442Mi", () => {
    expect(reservedMemoryMiB(110)).toBe(1465);
    expect(reservedMemoryMiB(17)).toBe(442);
    expect(kubeReservedFor(110, 2)).toEqual({ cpu: "70m", "ephemeral-storage": "1Gi", memory: "1465Mi" });
  });

  it.each([
    [1, 60],
    [2, 70],
    [3, 75],
    [4, 80],
    [5, 82],
    [8, 90],
    [96, 310],
  ])("reserves CPU like the EKS AMIs: %i vCPUs → %im", (vcpus, millicores) => {
    expect(reservedCpuMillicores(vcpus)).toBe(millicores);
  });
});

describe("effectiveKubeReserved: the whole map the kubelet gets", () => {
  const t3aMedium = { enis: 3, ipv4PerEni: 6, vcpus: 2 };

  it("follows max pods by default", () => {
    expect(effectiveKubeReserved({ family: "AL2023", maxPods: 110, limits: t3aMedium, followsMaxPods: true })).toEqual({
      cpu: "70m",
      "ephemeral-storage": "1Gi",
      memory: "1465Mi",
    });
  });

  it("keeps the rest when an override sets one key (a --kube-reserved flag would drop it)", () => {
    for (const family of ["AL2", "AL2023", "BOTTLEROCKET"] as const) {
      expect(effectiveKubeReserved({ family, maxPods: 110, limits: t3aMedium, followsMaxPods: true, override: { memory: "1500Mi" } })).toEqual({
        cpu: "70m",
        "ephemeral-storage": "1Gi",
        memory: "1500Mi",
      });
    }
  });

  it("sizes as the AMI does when it does not follow max pods: AL2 and AL2023 from their default max pods, Bottlerocket from its max-pods setting", () => {
    expect(amiDefaultMaxPods(t3aMedium)).toBe(17);
    expect(effectiveKubeReserved({ family: "AL2", maxPods: 110, limits: t3aMedium, followsMaxPods: false }).memory).toBe("442Mi");
    expect(effectiveKubeReserved({ family: "AL2023", maxPods: 110, limits: t3aMedium, followsMaxPods: false }).memory).toBe("442Mi");
    expect(effectiveKubeReserved({ family: "BOTTLEROCKET", maxPods: 110, limits: t3aMedium, followsMaxPods: false }).memory).toBe("1465Mi");
  });

  it.each([
    ["1465Mi", 1465],
    ["2Gi", 2048],
    ["1500M", 1431],
    ["1048576", 1],
    ["lots", undefined],
    ["5Pi", undefined],
    ["1constructor", undefined],
  ])("reads the memory quantity %s as %s MiB", (quantity, mib) => {
    expect(quantityMiB(quantity)).toBe(mib);
  });
});

describe("kubeReservedTypos: quantities the kubelet would take as written, though almost surely typos", () => {
  it.each([
    [{ memory: "100m" }, "memory", "100Mi"], // 0.1 byte
    [{ memory: "1465" }, "memory", "1465Mi"], // 1465 bytes
    [{ memory: "500Ki" }, "memory", "500Mi"], // under 1 MiB
    [{ memory: "1000k" }, "memory", "1000Mi"], // 1,000,000 bytes: under 1 MiB
    [{ "ephemeral-storage": "1" }, "ephemeral-storage", "1Gi"],
    [{ "ephemeral-storage": "0.5m" }, "ephemeral-storage", "0.5Gi"],
    [{ cpu: "70" }, "cpu", "70m"], // 70 cores
    [{ cpu: "10" }, "cpu", "10m"],
    [{ cpu: "1k" }, "cpu", "1m"], // 1000 cores
    [{ cpu: "100Mi" }, "cpu", "100m"],
    [{ pid: "1000m" }, "pid", "1000"], // one process ID
  ])("refuses %j, meaning %s = %s", (map, key, meant) => {
    expect(kubeReservedTypos(map)).toEqual([{ key, quantity: Object.values(map)[0], meant }]);
  });

  it.each([
    { memory: "1465Mi" },
    { memory: "2000k" }, // 2 MB: odd, but not a slip of the unit
    { memory: "0" }, // nothing reserved, on purpose
    { "ephemeral-storage": "1Gi" },
    { cpu: "70m" },
    { cpu: "9" },
    { cpu: "0.07" },
    { cpu: "10000m" }, // ten cores, written the way the message suggests
    { pid: "1000" },
    { memory: "lots", gpu: "1" }, // not quantities or not resources: the other kube_reserved rule's refusals
  ])("accepts %j", (map) => {
    expect(kubeReservedTypos(map)).toEqual([]);
  });
});
