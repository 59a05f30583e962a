/**
 * The constructs' types, checked by the compiler: `npm run typecheck` (tsc) fails when a line marked
 * `@ts-expect-error` compiles, so each one below is a value the types refuse. At run time (JavaScript callers, values
 * that bypass the types) the rules refuse the same values, naming the property. test/package.test.ts checks the
 * published declarations the same way.
 */
import { describe, expect, it } from "vitest";
import { NodeGroup } from "../../src/constructs/node-group/index.js";
import { VpcCniAddon } from "../../src/constructs/vpc-cni-addon.js";
import { CLUSTER, testStack } from "../support/stacks.js";

describe("closed sets are union types", () => {
  it("refuses an AMI type that does not exist: at compile time, and at run time for untyped callers", () => {
    const nodes = () =>
      new NodeGroup(testStack(), "node_group", {
        ...CLUSTER,
        // @ts-expect-error -- "AL2023_ARM_64" is no AMI type (AL2023_ARM_64_STANDARD is)
        amiType: "AL2023_ARM_64",
      });
    expect(nodes).toThrow("test/node_group: amiType (ami_type) must be one of AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD");
    expect(() => new NodeGroup(testStack(), "node_group", { ...CLUSTER, amiType: "AL2023_ARM_64_STANDARD", instanceType: "m6g.large" })).not.toThrow();
  });

  it("refuses an IMDS hop limit, kube-reserved resource or add-on conflict mode outside their sets at compile time", () => {
    const stack = testStack();
    // @ts-expect-error -- the hop limit is 1 or 2
    const hopLimit: NonNullable<ConstructorParameters<typeof NodeGroup>[2]["metadataHttpPutResponseHopLimit"]> = 3;
    // @ts-expect-error -- kube-reserved takes cpu, memory, ephemeral-storage and pid
    const reserved: NonNullable<ConstructorParameters<typeof NodeGroup>[2]["kubeReserved"]> = { storage: "1Gi" };
    // @ts-expect-error -- EKS takes NONE or OVERWRITE when it creates an add-on
    const onCreate: NonNullable<ConstructorParameters<typeof VpcCniAddon>[2]["resolveConflictsOnCreate"]> = "PRESERVE";
    expect(() => new NodeGroup(stack, "node_group", { ...CLUSTER, metadataHttpPutResponseHopLimit: hopLimit })).toThrow("metadataHttpPutResponseHopLimit");
    expect(() => new NodeGroup(testStack(), "node_group", { ...CLUSTER, kubeReserved: reserved })).toThrow("kubeReserved (kube_reserved) must be null or a map");
    expect(() => new VpcCniAddon(testStack(), "vpc_cni", { clusterName: "sre-test", resolveConflictsOnCreate: onCreate })).toThrow(
      "resolveConflictsOnCreate (resolve_conflicts_on_create) must be NONE or OVERWRITE",
    );
  });
});
