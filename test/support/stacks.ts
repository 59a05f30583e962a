/** Small helpers for construct tests: a test app, a readable stack and its synthesized JSON. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, TerraformStack, Testing } from "cdktf";
import { ReadableStack } from "../../src/terraform/readable-stack.js";

let outdir: string | undefined;
/**
 * cdktf's test app, with one output folder for the whole test process: cdktf creates an app's folder even when
 * nothing is written there, and Testing.app() alone makes a new one per call (hundreds per `npm test`).
 */
export function testApp(): App {
  outdir ??= mkdtempSync(join(tmpdir(), "eks-pod-density-app-"));
  return Testing.app({ outdir });
}

export function testStack(id = "test"): ReadableStack {
  return new ReadableStack(testApp(), id);
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
