/**
 * A node group of `count` t3a.medium nodes at 110 pods, half in each of the
 * article's two subnets, on the simulated cluster, and one verify run over
 * it: how many of the node rows differ, how many kubelets could not be read,
 * and how many requests the API server answered at once. Used in-process by
 * the verify tests and, under `ulimit -n 256`, as a child process
 * (test/support/many-nodes-main.ts).
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { runCli } from "../../src/cli/main.js";
import type { VerifyReport } from "../../src/verify/verify.js";
import { startKubeApi } from "./kube-api.js";
import { NODE_A, NODE_C, simulatedCluster, stubEc2, type SimulatedNode } from "./verify-cluster.js";

/** `count` nodes with their own names, instance ids and addresses (no prefixes: the subnets are not the point here). */
export function manyNodes(count: number): SimulatedNode[] {
  return Array.from({ length: count }, (_, i) => {
    const inA = i % 2 === 0;
    const j = Math.floor(i / 2);
    const third = (inA ? 1 : 17) + Math.floor(j / 250);
    const fourth = (j % 250) + 4;
    return {
      ...(inA ? NODE_A : NODE_C),
      name: `ip-10-0-${third}-${fourth}.ap-northeast-1.compute.internal`,
      instanceId: `i-${(0x100000 + i).toString(16).padStart(17, "0")}`,
      address: `10.0.${third}.${fourth}`,
      prefixes: [],
    };
  });
}

export interface ManyNodesRun {
  readonly code: number;
  readonly stderr: string;
  readonly nodes: number;
  /** Node rows that differ (none on a healthy group). */
  readonly differingNodeRows: number;
  /** Kubelets whose configuration could not be read. */
  readonly unreadKubelets: number;
  readonly maxInFlight: number;
  readonly ms: number;
}

/** Verify the article environment against a group of `count` nodes. */
export async function runManyNodes(count: number, configzDelayMs = 5): Promise<ManyNodesRun> {
  const nodes = manyNodes(count);
  const client = new EC2Client({ region: "ap-northeast-1" });
  stubEc2(mockClient(client), { nodes });
  const api = await startKubeApi({ ...simulatedCluster({ nodes }), configzDelayMs });
  let stdout = "";
  let stderr = "";
  const started = Date.now();
  try {
    const code = await runCli(["verify", "article", "--json", "--kubeconfig", api.kubeconfig()], {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      ec2: async () => client,
    });
    const ms = Date.now() - started;
    const checks = stdout ? (JSON.parse(stdout) as VerifyReport).checks : [];
    const nodeRows = checks.filter((check) => check.on.startsWith("node "));
    return {
      code,
      stderr,
      nodes: new Set(nodeRows.map((check) => check.on)).size,
      differingNodeRows: nodeRows.filter((check) => !check.ok).length,
      unreadKubelets: nodeRows.filter((check) => check.check === "kubelet config (configz)").length,
      maxInFlight: api.maxInFlight(),
      ms,
    };
  } finally {
    await api.close();
  }
}
