import { describe, expect, it } from "vitest";
import { kubeReservedFor, reservedCpuMillicores, reservedMemoryMiB } from "../src/kube-reserved.js";

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
