/**
 * `eks-pod-density verify` end to end: the Kubernetes API is a local HTTP
 * server answering in the real API's shapes (test/support/kube-api.ts), read
 * through @kubernetes/client-node with a generated kubeconfig; EC2 is stubbed
 * with aws-sdk-client-mock. The cluster is the article's after a deploy
 * (test/support/verify-cluster.ts), changed one fact at a time.
 */
import { loadEnvironments } from "../../src/app/config.js";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  GetSubnetCidrReservationsCommand,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import type { CheckRow } from "../../src/verify/checks.js";
import type { VerifyReport } from "../../src/verify/verify.js";
import { startKubeApi, TOKEN, type KubeApi } from "../support/kube-api.js";
import {
  NODE_A,
  NODE_C,
  NODE_C_AT_17,
  POD_SUBNET_A,
  POD_SUBNET_C,
  simulatedCluster,
  stubEc2,
  SUBNET_A,
  SUBNET_C,
  type ClusterOptions,
  type SimulatedNode,
} from "../support/verify-cluster.js";

const ec2 = mockClient(EC2Client);
let api: KubeApi | undefined;
afterEach(async () => {
  ec2.reset();
  await api?.close();
  api = undefined;
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly requests: readonly string[];
}

interface Setup {
  /** The kubeconfig to pass with --kubeconfig ("" for none); default one for the server with its token. */
  readonly kubeconfig?: (api: KubeApi) => string;
  /** Changes to EC2's answers, after the simulated cluster's. */
  readonly ec2?: () => void;
}

/** Serve the simulated cluster, stub EC2, and run `verify` with `argv` (and a kubeconfig for the server unless given). */
async function verify(options: ClusterOptions = {}, argv: string[] = ["article"], setup: Setup = {}): Promise<Run> {
  stubEc2(ec2, options);
  setup.ec2?.();
  api = await startKubeApi(simulatedCluster(options));
  const config = setup.kubeconfig ? setup.kubeconfig(api) : api.kubeconfig();
  let stdout = "";
  let stderr = "";
  const code = await runCli(["verify", ...argv, ...(config ? ["--kubeconfig", config] : [])], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    ec2: async (region) => new EC2Client({ region }),
  });
  return { code, stdout, stderr, requests: [...api.requests] };
}

/** The checks of a --json run. */
const checksOf = (run: Run): readonly CheckRow[] => (JSON.parse(run.stdout) as VerifyReport).checks;

/** The recorded sample run of the README: the article environment on its simulated cluster, 110 pods a node. */
const PASSING = `Verifying environment article: cluster sre-test (ap-northeast-1) through kubeconfig context test
Node group sre-test-nodes: 2 running instances in Auto Scaling group sre-test-nodes-20250601093000123400000001

RESULT  CHECK                     ON                                                  EXPECTED                                                        ACTUAL
ok      ENABLE_PREFIX_DELEGATION  daemonset kube-system/aws-node                      true                                                            true
ok      WARM_PREFIX_TARGET        daemonset kube-system/aws-node                      1                                                               1
ok      CNI version               daemonset kube-system/aws-node                      v1.9.0 or later                                                 amazon-k8s-cni:v1.19.2-eksbuild.1
ok      pods on the current spec  daemonset kube-system/aws-node                      2 of 2                                                          2 of 2
ok      pods capacity             node ip-10-0-1-23.ap-northeast-1.compute.internal   110 (t3a.medium, prefixes)                                      110
ok      kubelet maxPods           node ip-10-0-1-23.ap-northeast-1.compute.internal   110                                                             110
ok      kubelet kubeReserved      node ip-10-0-1-23.ap-northeast-1.compute.internal   cpu=70m ephemeral-storage=1Gi memory=1465Mi                     cpu=70m ephemeral-storage=1Gi memory=1465Mi
ok      allocatable memory        node ip-10-0-1-23.ap-northeast-1.compute.internal   2276352Ki (capacity 3878912Ki − 1465Mi − 100Mi)                 2276352Ki
ok      pods capacity             node ip-10-0-17-45.ap-northeast-1.compute.internal  110 (t3a.medium, prefixes)                                      110
ok      kubelet maxPods           node ip-10-0-17-45.ap-northeast-1.compute.internal  110                                                             110
ok      kubelet kubeReserved      node ip-10-0-17-45.ap-northeast-1.compute.internal  cpu=70m ephemeral-storage=1Gi memory=1465Mi                     cpu=70m ephemeral-storage=1Gi memory=1465Mi
ok      allocatable memory        node ip-10-0-17-45.ap-northeast-1.compute.internal  2276352Ki (capacity 3878912Ki − 1465Mi − 100Mi)                 2276352Ki
ok      free /28 blocks           subnet subnet-0a1b2c3d4e5f60001 (10.0.0.0/20)       ≥ 17 (2 nodes × (8 + 2 interfaces) at max_size 3, less 3 held)  249 free: 24 more nodes fit
ok      free /28 blocks           subnet subnet-0a1b2c3d4e5f60002 (10.0.16.0/20)      ≥ 16 (2 nodes × (8 + 2 interfaces) at max_size 3, less 4 held)  250 free: 24 more nodes fit

All 14 checks hold.
Room for prefixes: 48 more nodes at max pods fit in the subnets (subnet-0a1b2c3d4e5f60001 24, subnet-0a1b2c3d4e5f60002 24).
`;

/** The same cluster with one node at the AMI's 17 pods and the CNI without prefix delegation. */
const FAILING = `Verifying environment article: cluster sre-test (ap-northeast-1) through kubeconfig context test
Node group sre-test-nodes: 2 running instances in Auto Scaling group sre-test-nodes-20250601093000123400000001

RESULT   CHECK                     ON                                                  EXPECTED                                                        ACTUAL
DIFFERS  ENABLE_PREFIX_DELEGATION  daemonset kube-system/aws-node                      true                                                            false
ok       WARM_PREFIX_TARGET        daemonset kube-system/aws-node                      1                                                               1
ok       CNI version               daemonset kube-system/aws-node                      v1.9.0 or later                                                 amazon-k8s-cni:v1.19.2-eksbuild.1
ok       pods on the current spec  daemonset kube-system/aws-node                      2 of 2                                                          2 of 2
ok       pods capacity             node ip-10-0-1-23.ap-northeast-1.compute.internal   110 (t3a.medium, prefixes)                                      110
ok       kubelet maxPods           node ip-10-0-1-23.ap-northeast-1.compute.internal   110                                                             110
ok       kubelet kubeReserved      node ip-10-0-1-23.ap-northeast-1.compute.internal   cpu=70m ephemeral-storage=1Gi memory=1465Mi                     cpu=70m ephemeral-storage=1Gi memory=1465Mi
ok       allocatable memory        node ip-10-0-1-23.ap-northeast-1.compute.internal   2276352Ki (capacity 3878912Ki − 1465Mi − 100Mi)                 2276352Ki
DIFFERS  pods capacity             node ip-10-0-17-45.ap-northeast-1.compute.internal  110 (t3a.medium, prefixes)                                      17
DIFFERS  kubelet maxPods           node ip-10-0-17-45.ap-northeast-1.compute.internal  110                                                             17
DIFFERS  kubelet kubeReserved      node ip-10-0-17-45.ap-northeast-1.compute.internal  cpu=70m ephemeral-storage=1Gi memory=1465Mi                     cpu=70m ephemeral-storage=1Gi memory=442Mi
DIFFERS  allocatable memory        node ip-10-0-17-45.ap-northeast-1.compute.internal  2276352Ki (capacity 3878912Ki − 1465Mi − 100Mi)                 3323904Ki
ok       free /28 blocks           subnet subnet-0a1b2c3d4e5f60001 (10.0.0.0/20)       ≥ 17 (2 nodes × (8 + 2 interfaces) at max_size 3, less 3 held)  249 free: 24 more nodes fit
ok       free /28 blocks           subnet subnet-0a1b2c3d4e5f60002 (10.0.16.0/20)      ≥ 16 (2 nodes × (8 + 2 interfaces) at max_size 3, less 4 held)  250 free: 24 more nodes fit

5 of 14 checks differ:
  ENABLE_PREFIX_DELEGATION on daemonset kube-system/aws-node: expected true, found false
  pods capacity on node ip-10-0-17-45.ap-northeast-1.compute.internal: expected 110 (t3a.medium, prefixes), found 17
  kubelet maxPods on node ip-10-0-17-45.ap-northeast-1.compute.internal: expected 110, found 17
  kubelet kubeReserved on node ip-10-0-17-45.ap-northeast-1.compute.internal: expected cpu=70m ephemeral-storage=1Gi memory=1465Mi, found cpu=70m ephemeral-storage=1Gi memory=442Mi
  allocatable memory on node ip-10-0-17-45.ap-northeast-1.compute.internal: expected 2276352Ki (capacity 3878912Ki − 1465Mi − 100Mi), found 3323904Ki
Room for prefixes: 48 more nodes at max pods fit in the subnets (subnet-0a1b2c3d4e5f60001 24, subnet-0a1b2c3d4e5f60002 24).
`;

describe("README", () => {
  it("shows the recorded sample runs exactly as verify prints them", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain(`\`\`\`text\n${PASSING}\`\`\``);
    expect(readme).toContain(`\`\`\`text\n${FAILING}\`\`\``);
  });
});

describe("the article environment on a simulated cluster", () => {
  it("GIVEN 110-pod nodes and the CNI in prefix mode WHEN verify article THEN every check holds, exit 0 (the README's sample)", async () => {
    const run = await verify();
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(PASSING);
    expect(run.code).toBe(0);
  });

  it("reads only: three kinds of GET through the API server, and EC2 Describe/Get calls", async () => {
    const run = await verify();
    expect(run.requests).toEqual([
      "GET /apis/apps/v1/namespaces/kube-system/daemonsets/aws-node",
      "GET /api/v1/nodes",
      `GET /api/v1/nodes/${NODE_A.name}/proxy/configz`,
      `GET /api/v1/nodes/${NODE_C.name}/proxy/configz`,
    ]);
    const calls = ec2.calls().map((call) => (call.args[0] as object).constructor.name);
    expect(calls.every((name) => /^(Describe|Get)/.test(name))).toBe(true);
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: "tag:Name", Values: ["sre-test-nodes"] },
      { Name: "tag-key", Values: ["aws:autoscaling:groupName"] },
      { Name: "instance-state-name", Values: ["running"] },
    ]);
    expect(new Set(calls)).toEqual(
      new Set(["DescribeInstancesCommand", "DescribeInstanceTypesCommand", "DescribeSubnetsCommand", "DescribeNetworkInterfacesCommand", "GetSubnetCidrReservationsCommand"]),
    );
  });

  it("GIVEN one node at 17 pods and the CNI without prefix delegation WHEN verify article THEN both rows differ, exit 1", async () => {
    const run = await verify({ nodes: [NODE_A, NODE_C_AT_17], env: { ENABLE_PREFIX_DELEGATION: "false" } });
    expect(run.stdout).toBe(FAILING);
    expect(run.stdout).toMatch(/^DIFFERS {2}ENABLE_PREFIX_DELEGATION {2}daemonset kube-system\/aws-node .* true .* false$/m);
    expect(run.stdout).toMatch(/^DIFFERS {2}pods capacity .* node ip-10-0-17-45\.ap-northeast-1\.compute\.internal .* 110 \(t3a\.medium, prefixes\) .* 17$/m);
    expect(run.code).toBe(1);
  });

  it("GIVEN --json THEN the same checks and the subnets' room for scripts", async () => {
    const run = await verify({ nodes: [NODE_A, NODE_C_AT_17], env: { ENABLE_PREFIX_DELEGATION: "false" } }, ["article", "--json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as VerifyReport;
    expect(report).toMatchObject({ ok: false, cluster: "sre-test", region: "ap-northeast-1", nodeGroup: "sre-test-nodes", instances: 2, context: "test" });
    expect(report.checks.filter((check) => !check.ok).map((check) => `${check.check} on ${check.on}`)).toEqual([
      "ENABLE_PREFIX_DELEGATION on daemonset kube-system/aws-node",
      `pods capacity on node ${NODE_C.name}`,
      `kubelet maxPods on node ${NODE_C.name}`,
      `kubelet kubeReserved on node ${NODE_C.name}`,
      `allocatable memory on node ${NODE_C.name}`,
    ]);
    expect(report.subnets.map(({ subnetId, count, needed, moreNodesFit }) => ({ subnetId, free: count.free, needed, moreNodesFit }))).toEqual([
      // 8 prefixes and 2 interfaces a node at 110 pods (ceil(8 / 5)); the node there holds 2 (3) prefixes on 1 interface.
      { subnetId: SUBNET_A, free: 249, needed: 17, moreNodesFit: 24 },
      { subnetId: SUBNET_C, free: 250, needed: 16, moreNodesFit: 24 },
    ]);
  });
});

/** The row for `check` on an object whose name contains `on`. */
const rowOf = (run: Run, check: string, on: string) => checksOf(run).find((row) => row.check === check && row.on.includes(on));

/** The article's settings as options, with custom networking. */
const CUSTOM_NETWORKING = ["--cluster", "sre-test", "--region", "ap-northeast-1", "--subnets", `${SUBNET_A},${SUBNET_C}`, "--ami-type", "AL2_x86_64", "--custom-networking"];

describe("every kind of difference gets its row and exit 1", () => {
  const fewNodes = [NODE_A, { ...NODE_C, pods: 58 }];
  it.each<[string, ClusterOptions, string[], string, string, string, string]>([
    ["no aws-node DaemonSet", { daemonSet: false }, [], "VPC CNI", "aws-node", "present", "not found"],
    ["prefix delegation off", { env: { ENABLE_PREFIX_DELEGATION: "false" } }, [], "ENABLE_PREFIX_DELEGATION", "aws-node", "true", "false"],
    ["prefix delegation unset", { env: { ENABLE_PREFIX_DELEGATION: null } }, [], "ENABLE_PREFIX_DELEGATION", "aws-node", "true", "unset"],
    ["another warm prefix target", { env: { WARM_PREFIX_TARGET: "0" } }, [], "WARM_PREFIX_TARGET", "aws-node", "1", "0"],
    ["an unconfigured WARM_IP_TARGET (it overrides WARM_PREFIX_TARGET)", { env: { WARM_IP_TARGET: "5" } }, [], "WARM_IP_TARGET", "aws-node", "unset", "5"],
    ["a CNI older than prefix delegation", { image: "602401143452.dkr.ecr.ap-northeast-1.amazonaws.com/amazon-k8s-cni:v1.8.0-eksbuild.1" }, [], "CNI version", "aws-node", "v1.9.0 or later", "amazon-k8s-cni:v1.8.0-eksbuild.1"],
    ["aws-node pods on an older spec", { outdatedPods: 1 }, [], "pods on the current spec", "aws-node", "2 of 2", "1 of 2"],
    ["a node at 58 pods", { nodes: fewNodes }, [], "pods capacity", NODE_C.name, "110 (t3a.medium, prefixes)", "58"],
    ["a kubelet with another maxPods", { kubelet: { maxPods: 58 } }, [], "kubelet maxPods", NODE_A.name, "110", "58"],
    ["a kubelet with the AMI's kube-reserved", { kubelet: { kubeReserved: { cpu: "70m", "ephemeral-storage": "1Gi", memory: "442Mi" } } }, [], "kubelet kubeReserved", NODE_A.name, "memory=1465Mi", "memory=442Mi"],
    ["a kubelet without kube-reserved", { kubelet: { kubeReserved: undefined } }, [], "kubelet kubeReserved", NODE_A.name, "memory=1465Mi", "none"],
    ["allocatable memory that does not follow", { nodes: [NODE_A, { ...NODE_C, allocatableMemory: "3323904Ki" }] }, [], "allocatable memory", NODE_C.name, "2276352Ki", "3323904Ki"],
    ["an unexpected system-reserved", { kubelet: { systemReserved: { memory: "100Mi" } } }, [], "allocatable memory", NODE_A.name, "2173952Ki (capacity 3878912Ki − 1465Mi − 100Mi − 100Mi)", "2276352Ki"],
    ["a kubelet that does not answer", { silentKubelets: [NODE_C.name] }, [], "kubelet config (configz)", NODE_C.name, "readable", "connection refused"],
    ["an instance that never joined", { unjoined: [{ ...NODE_C, instanceId: "i-0a1b2c3d4e5f60013" }] }, [], "joined the cluster", "i-0a1b2c3d4e5f60013", "a node", "no node has this instance's provider ID"],
    ["no running instances", { nodes: [] }, [], "running instances", "sre-test-nodes", "at least 1", "none"],
    ["a subnet fragmented by single addresses", { fragment: SUBNET_A }, [], "free /28 blocks", SUBNET_A, "≥ 17", "0 free: 0 more nodes fit"],
  ])("%s", async (_, options, argv, check, on, expected, actual) => {
    const run = await verify(options, ["article", "--json", ...argv]);
    const row = rowOf(run, check, on);
    expect(row, `${check} on ${on} in ${run.stdout}${run.stderr}`).toBeDefined();
    expect(row!.ok).toBe(false);
    expect(row!.expected).toContain(expected);
    expect(row!.actual).toContain(actual);
    expect(run.code).toBe(1);
  });

  it("GIVEN kube-reserved larger than the node's memory THEN allocatable memory differs: none left", async () => {
    const run = await verify({}, ["--json", "--cluster", "sre-test", "--region", "ap-northeast-1", "--subnets", `${SUBNET_A},${SUBNET_C}`, "--ami-type", "AL2_x86_64", "--kube-reserved", "memory=4000Mi"]);
    expect(rowOf(run, "allocatable memory", NODE_A.name)).toMatchObject({ ok: false, expected: "more than 0 (capacity 3878912Ki − 4000Mi − 100Mi leaves none)" });
    expect(run.code).toBe(1);
  });

  it("GIVEN custom networking configured but not in the cluster THEN its two variables and the missing ENIConfig differ", async () => {
    const run = await verify({}, ["--json", ...CUSTOM_NETWORKING]);
    expect(rowOf(run, "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "aws-node")).toMatchObject({ ok: false, expected: "true", actual: "false" });
    expect(rowOf(run, "ENI_CONFIG_LABEL_DEF", "aws-node")).toMatchObject({ ok: false, expected: "topology.kubernetes.io/zone", actual: "unset" });
    expect(rowOf(run, "ENIConfig", "zone ap-northeast-1a")).toMatchObject({ ok: false, expected: "an ENIConfig named ap-northeast-1a with a subnet", actual: "none" });
    expect(run.code).toBe(1);
  });

  it("GIVEN custom networking with an ENIConfig for one zone only THEN the other zone's row differs", async () => {
    const run = await verify({ customNetworking: { zones: ["ap-northeast-1a"] } }, ["--json", ...CUSTOM_NETWORKING]);
    expect(rowOf(run, "ENIConfig", "zone ap-northeast-1c")).toMatchObject({ ok: false, actual: "none" });
    expect(rowOf(run, "ENIConfig", "zone ap-northeast-1a")).toBeUndefined();
    expect(run.code).toBe(1);
  });

  it("GIVEN a further variable configured (--cni-env) THEN it is checked too", async () => {
    const run = await verify({}, ["--json", "--cluster", "sre-test", "--region", "ap-northeast-1", "--subnets", SUBNET_A, "--ami-type", "AL2_x86_64", "--cni-env", "AWS_VPC_K8S_CNI_EXTERNALSNAT=true"]);
    expect(rowOf(run, "AWS_VPC_K8S_CNI_EXTERNALSNAT", "aws-node")).toMatchObject({ ok: false, expected: "true", actual: "false" });
    expect(run.code).toBe(1);
  });
});

describe("moving running nodes to the group", () => {
  // An older node group's node, still at the AMI's 17 pods (its instance is not in the group's Auto Scaling group).
  const OLD_NODE: SimulatedNode = { ...NODE_C_AT_17, name: "ip-10-0-18-9.ap-northeast-1.compute.internal", instanceId: "i-0a1b2c3d4e5f60099" };

  it("GIVEN a node outside the group at 17 pods THEN a warning row says to move its pods, and verify still exits 0", async () => {
    const run = await verify({ otherNodes: [OLD_NODE] }, ["article", "--json"]);
    expect(rowOf(run, "node outside the group", OLD_NODE.name)).toEqual({
      check: "node outside the group",
      on: `node ${OLD_NODE.name}`,
      expected: "its pods moved to sre-test-nodes (110 pods per node), then its group scaled to 0",
      actual: "17 pods capacity (t3a.medium)",
      ok: true,
      warning: true,
    });
    expect(run.code).toBe(0);
  });

  it("GIVEN the same in the table THEN the row reads WARNING and the summary lists it", async () => {
    const run = await verify({ otherNodes: [OLD_NODE] });
    expect(run.stdout).toMatch(/^WARNING {2}node outside the group +node ip-10-0-18-9\.ap-northeast-1\.compute\.internal .* 17 pods capacity \(t3a\.medium\)$/m);
    expect(run.stdout).toContain(`All 15 checks hold.\n1 warning:\n  node outside the group on node ${OLD_NODE.name}: 17 pods capacity (t3a.medium); expected its pods moved`);
  });

  it("GIVEN a node outside the group already at 110 pods THEN no row for it", async () => {
    const run = await verify({ otherNodes: [{ ...NODE_A, name: "ip-10-0-2-7.ap-northeast-1.compute.internal", instanceId: "i-0a1b2c3d4e5f60098" }] }, ["article", "--json"]);
    expect(rowOf(run, "node outside the group", "ip-10-0-2-7")).toBeUndefined();
    expect(run.code).toBe(0);
  });
});

describe("the settings as options instead of an environment", () => {
  it.each([
    [["--kubelet-extra-args=--max-pods=110"]],
    [["--max-pods", "110"]],
    [[]], // automatic: 110 for a t3a.medium with prefixes
  ])("GIVEN the article's cluster, subnets and AMI type and %j THEN every check holds", async (extra) => {
    const run = await verify({}, ["--cluster", "sre-test", "--region", "ap-northeast-1", "--subnets", `${SUBNET_A},${SUBNET_C}`, "--ami-type", "AL2_x86_64", ...extra]);
    expect(run.stdout).toContain("Verifying the settings given: cluster sre-test (ap-northeast-1)");
    expect(run.stdout).toContain("All 14 checks hold.");
    expect(run.code).toBe(0);
  });

  it("GIVEN --no-prefix-delegation THEN the cluster's prefix mode differs and the subnets are not checked for /28 blocks", async () => {
    const run = await verify({}, ["--json", "--cluster", "sre-test", "--region", "ap-northeast-1", "--subnets", SUBNET_A, "--no-prefix-delegation"]);
    const report = JSON.parse(run.stdout) as VerifyReport;
    expect(rowOf(run, "ENABLE_PREFIX_DELEGATION", "aws-node")).toMatchObject({ ok: false, expected: "false", actual: "true" });
    expect(rowOf(run, "pods capacity", NODE_A.name)).toMatchObject({ ok: false, expected: "17 (t3a.medium)", actual: "110" });
    expect(report.subnets).toEqual([]);
    expect(report.notes).toEqual(["subnets: not checked for /28 blocks, prefix delegation is off"]);
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
  });
});

describe("custom networking", () => {
  it("GIVEN an ENIConfig per zone THEN the /28 blocks are counted in the ENIConfigs' pod subnets, where the nodes' prefixes are", async () => {
    const run = await verify({ customNetworking: {} }, ["--json", ...CUSTOM_NETWORKING]);
    const report = JSON.parse(run.stdout) as VerifyReport;
    // /19: 512 blocks, less AWS's 2, the second interface's address and the prefixes; 8 prefixes a node (ceil(110 / 16)
    // + 1) on 2 interfaces of the pod subnet (ceil(8 / 5); the primary one stays in the node subnet), 10 blocks at worst.
    // Subnet A: its node holds 2 prefixes on 1 interface, (507 − 7) / 10 = 50 more nodes; needed 2 × 10 − 3 = 17.
    expect(
      report.subnets.map(({ subnetId, cidr, via, count, needed, moreNodesFit, interfacesPerNode }) => ({ subnetId, cidr, via, free: count.free, needed, moreNodesFit, interfacesPerNode })),
    ).toEqual([
      { subnetId: POD_SUBNET_A, cidr: "100.64.0.0/19", via: "ENIConfig ap-northeast-1a", free: 507, needed: 17, moreNodesFit: 50, interfacesPerNode: 2 },
      { subnetId: POD_SUBNET_C, cidr: "100.64.32.0/19", via: "ENIConfig ap-northeast-1c", free: 506, needed: 16, moreNodesFit: 50, interfacesPerNode: 2 },
    ]);
    expect(rowOf(run, "free /28 blocks", POD_SUBNET_A)).toMatchObject({ ok: true, on: `subnet ${POD_SUBNET_A} (100.64.0.0/19, ENIConfig ap-northeast-1a)` });
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(run.requests).toContain("GET /apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs");
    expect(run.code).toBe(0);
  });
});

describe("the kubeconfig, as kubectl uses it", () => {
  it("GIVEN a user with an exec plugin (as aws eks get-token) THEN its token authenticates", async () => {
    const credential = JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1beta1", kind: "ExecCredential", status: { token: TOKEN } });
    const run = await verify({}, ["article"], { kubeconfig: (server) => server.kubeconfig({ exec: { command: process.execPath, args: ["-e", `console.log(${JSON.stringify(credential)})`] } }) });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("GIVEN no --kubeconfig THEN $KUBECONFIG", async () => {
    const before = process.env.KUBECONFIG;
    try {
      const run = await verify({}, ["article"], {
        kubeconfig: (server) => {
          process.env.KUBECONFIG = server.kubeconfig();
          return "";
        },
      });
      expect(run.code).toBe(0);
    } finally {
      if (before === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = before;
    }
  });

  it("GIVEN --context THEN that context", async () => {
    const run = await verify({}, ["article", "--context", "staging"], { kubeconfig: (server) => server.kubeconfig(undefined, "staging") });
    expect(run.stdout).toContain("through kubeconfig context staging");
    expect(run.code).toBe(0);
  });
});

describe("usage and access errors: one line, exit 2", () => {
  it.each<[string, ClusterOptions, string[], ((api: KubeApi) => string) | undefined, string]>([
    ["list nodes refused", { forbidden: [{ path: /^\/api\/v1\/nodes$/, verb: "list", resource: "nodes" }] }, ["article"], undefined,
      'verify: the Kubernetes API refused to list nodes (403 Forbidden): nodes is forbidden: User "reader" cannot list resource "nodes"'],
    ["the DaemonSet refused", { forbidden: [{ path: /daemonsets/, verb: "get", resource: "daemonsets" }] }, ["article"], undefined,
      "verify: the Kubernetes API refused to get daemonset kube-system/aws-node (403 Forbidden)"],
    ["configz refused (nodes/proxy)", { forbidden: [{ path: /\/proxy\/configz$/, verb: "get", resource: "nodes/proxy" }] }, ["article"], undefined,
      `verify: the Kubernetes API refused to get nodes/${NODE_A.name}/proxy/configz (403 Forbidden): nodes/proxy is forbidden`],
    ["ENIConfigs refused (custom networking)", { customNetworking: {}, forbidden: [{ path: /eniconfigs$/, verb: "list", resource: "eniconfigs.crd.k8s.amazonaws.com" }] }, CUSTOM_NETWORKING, undefined,
      "verify: the Kubernetes API refused to list eniconfigs.crd.k8s.amazonaws.com (403 Forbidden)"],
    ["a token the API does not take", {}, ["article"], (server) => server.kubeconfig({ token: "expired" }),
      "verify: the Kubernetes API refused to get daemonset kube-system/aws-node (401 Unauthorized: check the kubeconfig's credentials)"],
    ["no kubeconfig", {}, ["article", "--kubeconfig", "/nonexistent/kubeconfig"], () => "",
      "verify: no kubeconfig at /nonexistent/kubeconfig: run aws eks update-kubeconfig --region ap-northeast-1 --name sre-test, or pass --kubeconfig"],
    ["an unknown context", {}, ["article", "--context", "prod"], undefined, 'verify: the kubeconfig has no context "prod" (it has test)'],
    ["a context of another EKS cluster", {}, ["article"], (server) => server.kubeconfig(undefined, "arn:aws:eks:ap-northeast-1:123456789012:cluster/prod"),
      'verify: kubeconfig context "arn:aws:eks:ap-northeast-1:123456789012:cluster/prod" is for EKS cluster prod in ap-northeast-1, not sre-test in ap-northeast-1: pass --context'],
    // Whatever environments the checkout has (a user's own ones included).
    ["an unknown environment", {}, ["no-such-env"], undefined, `verify: no environment "no-such-env" in environments (it has ${loadEnvironments("environments").map((env) => env.name).join(", ")})`],
    ["an environment and settings", {}, ["article", "--max-pods", "110"], undefined, "verify: give an environment or the settings as options, not both (--max-pods)"],
    ["nothing to check against", {}, [], undefined, "verify: give an environment (verify article) or --cluster, --region and --subnets"],
    ["settings without subnets", {}, ["--cluster", "sre-test", "--region", "ap-northeast-1"], undefined, "verify: --subnets is needed with the settings as options"],
    ["a max pods that is no number", {}, ["--cluster", "c", "--region", "ap-northeast-1", "--subnets", SUBNET_A, "--max-pods", "many"], undefined, 'verify: --max-pods must be a whole number of 1 or more, not "many"'],
    ["an AMI type the node group does not know", {}, ["--cluster", "c", "--region", "ap-northeast-1", "--subnets", SUBNET_A, "--ami-type", "WINDOWS_CORE_2022_x86_64"], undefined, "verify: --ami-type must be one of AL2023_x86_64_STANDARD, "],
    ["--cni-env without a value", {}, ["--cluster", "c", "--region", "ap-northeast-1", "--subnets", SUBNET_A, "--cni-env", "WARM_ENI_TARGET"], undefined, 'verify: --cni-env takes NAME=VALUE, not "WARM_ENI_TARGET"'],
    ["an unknown option", {}, ["article", "--pods"], undefined, "verify: Unknown option '--pods'"],
  ])("%s", async (_, options, argv, kubeconfig, message) => {
    const run = await verify(options, argv, { kubeconfig });
    expect(run.stderr).toContain(message);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stdout).toBe("");
    expect(run.code).toBe(2);
  });

  it("GIVEN an API server that is not there THEN it says it cannot reach it", async () => {
    const run = await verify({}, ["article"], {
      kubeconfig: (server) => {
        const config = server.kubeconfig();
        void server.close();
        return config;
      },
    });
    expect(run.stderr).toMatch(/^verify: cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:[0-9]+ to get daemonset kube-system\/aws-node: .*ECONNREFUSED/);
    expect(run.code).toBe(2);
  });

  it.each([
    ["DescribeInstances", DescribeInstancesCommand],
    ["DescribeInstanceTypes", DescribeInstanceTypesCommand],
    ["DescribeSubnets", DescribeSubnetsCommand],
    ["DescribeNetworkInterfaces", DescribeNetworkInterfacesCommand],
    ["GetSubnetCidrReservations", GetSubnetCidrReservationsCommand],
  ] as const)("GIVEN no permission for EC2 %s THEN exit 2 naming it", async (api, command) => {
    const refusal = `You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/reader/cli is not authorized to perform: ec2:${api} because no identity-based policy allows the ec2:${api} action. Encoded authorization failure message: AbCdEf0123`;
    const { code, stderr } = await verify({}, ["article"], {
      ec2: () => ec2.on(command as typeof DescribeInstancesCommand).rejects(Object.assign(new Error(refusal), { name: "UnauthorizedOperation" })),
    });
    expect(stderr).toBe(
      `verify: EC2 ${api} refused (UnauthorizedOperation): You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/reader/cli is not authorized to perform: ec2:${api} because no identity-based policy allows the ec2:${api} action.\n`,
    );
    expect(code).toBe(2);
  });

  it("GIVEN no AWS credentials THEN it says how to give them", async () => {
    const { code, stderr } = await verify({}, ["article"], {
      ec2: () => ec2.on(DescribeInstancesCommand).rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" })),
    });
    expect(stderr).toBe("verify: no AWS credentials for EC2 DescribeInstances: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)\n");
    expect(code).toBe(2);
  });
});

describe("the eks-pod-density bin", () => {
  it("prints verify's usage with --help", () => {
    const result = spawnSync(process.execPath, ["bin/eks-pod-density.mjs", "verify", "--help"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("usage: eks-pod-density verify <environment>");
  });

  it("exits 2 with one line when there is no kubeconfig", () => {
    const result = spawnSync(process.execPath, ["bin/eks-pod-density.mjs", "verify", "article", "--kubeconfig", "/nonexistent/kubeconfig"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "verify: no kubeconfig at /nonexistent/kubeconfig: run aws eks update-kubeconfig --region ap-northeast-1 --name sre-test, or pass --kubeconfig\n",
    );
  });
});
