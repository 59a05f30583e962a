/** Small helpers for construct tests: a readable stack and its synthesized JSON. */
import { TerraformStack, Testing } from "cdktf";
import { ReadableStack } from "../../src/terraform/readable-stack.js";

export function testStack(id = "test"): ReadableStack {
  return new ReadableStack(Testing.app(), id);
}

// Synthesized Terraform JSON, metadata included (as cdktf writes it).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Synth = Record<string, any>;

export function synth(stack: ReadableStack): Synth {
  return JSON.parse(Testing.synth(stack)) as Synth;
}

/** Cluster values the tests give every node group. */
export const CLUSTER = {
  clusterName: "sre-test",
  clusterEndpoint: "https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com",
  clusterCertificateAuthorityData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
  clusterServiceCidr: "10.100.0.0/16",
  kubernetesVersion: "1.32",
  subnetIds: ["subnet-0123456789abcdef0"],
  securityGroupIds: ["sg-0123456789abcdef0"],
};

/** A stack's Terraform JSON as its constructs write it, before a RootStack folds it (src/terraform/fold-terraform.ts). */
export function unfoldedTerraform(stack: TerraformStack): Synth {
  return TerraformStack.prototype.toTerraform.call(stack) as Synth;
}
