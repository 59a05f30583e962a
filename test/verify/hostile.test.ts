/**
 * `verify` against servers that answer badly or not at all: a stand-in
 * Kubernetes API (test/support/kube-api.ts) that hangs, sends an HTML page or
 * objects of the wrong kinds, and EC2 either stubbed per client
 * (aws-sdk-client-mock) or, for what only the SDK's own HTTP handling shows,
 * a local HTTP server (test/support/ec2-api.ts). Whatever comes back, verify
 * ends within its --timeout, prints no stack trace, and lets nothing it was
 * answered rewrite the terminal: exit 2 with one line, or a difference on
 * the object that holds the bad value.
 */
import { spawnSync } from "node:child_process";
import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type DescribeNetworkInterfacesCommandOutput,
} from "@aws-sdk/client-ec2";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import type { CheckRow } from "../../src/verify/checks.js";
import { MAX_PAGES } from "../../src/verify/ec2.js";
import { CONFIGZ_PARALLELISM, type VerifyReport } from "../../src/verify/verify.js";
import { startEc2Api, type Ec2Answer, type Ec2Api } from "../support/ec2-api.js";
import { startKubeApi, type KubeApi, type SimulatedCluster } from "../support/kube-api.js";
import { runManyNodes } from "../support/many-nodes.js";
import { NODE_A, NODE_C, POD_SUBNET_A, simulatedCluster, stubEc2, SUBNET_A, SUBNET_C, type ClusterOptions } from "../support/verify-cluster.js";

let kube: KubeApi | undefined;
let ec2Api: Ec2Api | undefined;
afterEach(async () => {
  await kube?.close();
  await ec2Api?.close();
  kube = undefined;
  ec2Api = undefined;
});

interface Hostile {
  readonly options?: ClusterOptions;
  /** After the environment or settings; --timeout 2 unless given. */
  readonly argv?: readonly string[];
  /** The served cluster, changed. */
  readonly cluster?: (cluster: SimulatedCluster) => SimulatedCluster;
  /** Changes to EC2's stubbed answers, after the simulated account's. */
  readonly ec2?: (stub: AwsClientStub<EC2Client>) => void;
  /** EC2 as a local HTTP server answering each action so, instead of the stub. */
  readonly ec2Api?: (action: string) => Ec2Answer;
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds the run took. */
  readonly ms: number;
  /** Milliseconds from the last request either server received to the end of the run. */
  readonly msAfterLastRequest: number;
}

const ARTICLE_SETTINGS = ["--cluster", "sre-test", "--region", "ap-northeast-1", "--subnets", `${SUBNET_A},${SUBNET_C}`, "--ami-type", "AL2_x86_64"];
const CUSTOM_NETWORKING = [...ARTICLE_SETTINGS, "--custom-networking"];

async function verify(setup: Hostile = {}, target: readonly string[] = ["article"]): Promise<Run> {
  const options = setup.options ?? {};
  let client: EC2Client;
  if (setup.ec2Api) {
    ec2Api = await startEc2Api(setup.ec2Api);
    client = ec2Api.client("ap-northeast-1");
  } else {
    client = new EC2Client({ region: "ap-northeast-1" });
    const stub = mockClient(client);
    stubEc2(stub, options);
    setup.ec2?.(stub);
  }
  const cluster = simulatedCluster(options);
  kube = await startKubeApi(setup.cluster ? setup.cluster(cluster) : cluster);
  const argv = setup.argv ?? [];
  const timeout = argv.includes("--timeout") ? [] : ["--timeout", "2"];
  let stdout = "";
  let stderr = "";
  const started = Date.now();
  const code = await runCli(["verify", ...target, ...argv, ...timeout, "--kubeconfig", kube.kubeconfig()], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    ec2: async () => client,
  });
  const ended = Date.now();
  const last = Math.max(...kube.requestTimes, ...(ec2Api?.callTimes ?? []));
  return { code, stdout, stderr, ms: ended - started, msAfterLastRequest: ended - last };
}

/** Exit 2, nothing on stdout, one line on stderr, no stack trace; the line is returned. */
function oneLine(run: Run): string {
  expect(run.stdout).toBe("");
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr.endsWith("\n")).toBe(true);
  expect(run.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(run.code).toBe(2);
  return run.stderr.slice(0, -1);
}

const checksOf = (run: Run): readonly CheckRow[] => (JSON.parse(run.stdout) as VerifyReport).checks;
const rowOf = (run: Run, check: string, on: string) => checksOf(run).find((row) => row.check === check && row.on.includes(on));

/** The served aws-node DaemonSet, changed by `change`. */
const daemonSet = (change: (ds: Record<string, any>) => void) => (cluster: SimulatedCluster): SimulatedCluster => {
  const copy = structuredClone(cluster.daemonSet) as Record<string, any>;
  change(copy);
  return { ...cluster, daemonSet: copy };
};

/** The served node objects, changed by `change`. */
const nodes = (change: (node: Record<string, any>, index: number) => void) => (cluster: SimulatedCluster): SimulatedCluster => ({
  ...cluster,
  nodes: cluster.nodes.map((node, index) => {
    const copy = structuredClone(node) as Record<string, any>;
    change(copy, index);
    return copy;
  }),
});

const HTML = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action=\"/login\">…</form></body></html>";

describe("deadlines: an API that accepts and never answers ends the run within --timeout", () => {
  it.each([
    ["before sending anything", "before headers" as const],
    ["after the headers, in the middle of the body", "after headers" as const],
  ])("GIVEN the Kubernetes API hanging %s THEN exit 2 naming the API and the timeout, within the timeout", async (_, hang) => {
    const run = await verify({ options: { answers: [{ path: /daemonsets\/aws-node$/, contentType: "application/json", hang }] }, argv: ["--timeout", "0.3"] });
    expect(oneLine(run)).toMatch(
      /^verify: the Kubernetes API at http:\/\/127\.0\.0\.1:[0-9]+ did not answer within 0\.3 s to get daemonset kube-system\/aws-node \(raise --timeout if it is only slow\)$/,
    );
    expect(run.msAfterLastRequest).toBeLessThan(300 + 1000);
  });

  it("GIVEN EC2 hanging THEN exit 2 naming the EC2 call and the timeout, within the timeout", async () => {
    const run = await verify({ ec2Api: () => "hang", argv: ["--timeout", "300ms"] });
    expect(oneLine(run)).toBe("verify: EC2 DescribeInstances did not answer within 0.3 s (raise --timeout if it is only slow)");
    expect(run.msAfterLastRequest).toBeLessThan(300 + 1000);
  });

  it("GIVEN an exec credential plugin (aws eks get-token) that does not return THEN exit 2 within the timeout", async () => {
    const client = new EC2Client({ region: "ap-northeast-1" });
    stubEc2(mockClient(client));
    kube = await startKubeApi(simulatedCluster());
    // The plugin sleeps 3 s, then exits by itself: the run must not wait for it.
    const config = kube.kubeconfig({ exec: { command: process.execPath, args: ["-e", "setTimeout(() => {}, 3000)"] } });
    let stderr = "";
    const started = Date.now();
    const code = await runCli(["verify", "article", "--timeout", "0.3", "--kubeconfig", config], { stdout: () => undefined, stderr: (text) => void (stderr += text), ec2: async () => client });
    expect(stderr).toMatch(/^verify: the Kubernetes API at \S+ did not answer within 0\.3 s to get daemonset kube-system\/aws-node \(raise --timeout if it is only slow\)\n$/);
    expect(code).toBe(2);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("GIVEN one node's kubelet hanging behind the API server's proxy THEN that node's configz row differs, the rest is read", async () => {
    const run = await verify({ options: { answers: [{ path: new RegExp(`nodes/${NODE_C.name}/proxy/configz$`), hang: "before headers" }] }, argv: ["--json", "--timeout", "0.3"] });
    expect(rowOf(run, "kubelet config (configz)", NODE_C.name)).toMatchObject({ ok: false, actual: expect.stringContaining("did not answer within 0.3 s") });
    expect(rowOf(run, "kubelet maxPods", NODE_A.name)).toMatchObject({ ok: true });
    expect(run.code).toBe(1);
  });

  it.each([
    [["--timeout", "0"], 'verify: --timeout must be seconds such as 10 or 0.5 (or 500ms, 2m), more than 0 and at most 600 s, not "0"'],
    [["--timeout", "soon"], 'not "soon"'],
    [["--timeout", "1h"], 'not "1h"'],
    [["--timeout", "1", "--timeout", "2"], "verify: --timeout is given more than once: give it once"],
    [["--json", "--json"], "verify: --json is given more than once: give it once"],
  ])("refuses %j", async (argv, message) => {
    expect(oneLine(await verify({ argv }))).toContain(message);
  });
});

describe("an answer of a shape nothing foresaw", () => {
  it("GIVEN an instance whose tags are not a list THEN one line naming what failed, no stack trace", async () => {
    const run = await verify({ ec2: (stub) => stub.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: "i-0a1b2c3d4e5f60011", Tags: "Name=x" as never }] }] }) });
    expect(oneLine(run)).toMatch(/^verify: unexpected TypeError while reading the cluster \(please report it\): /);
  });
});

describe("EC2 paging: a NextToken answered twice, or paging without end, stops the run", () => {
  it("GIVEN DescribeInstances answering the same NextToken again THEN exit 2 naming it", async () => {
    const run = await verify({
      ec2: (stub) => stub.on(DescribeInstancesCommand).resolves({ Reservations: [], NextToken: "eyJ2IjoiMiJ9" }),
    });
    expect(oneLine(run)).toBe("verify: EC2 DescribeInstances answered a NextToken it had answered before (after 2 pages): verify stopped paging");
  });

  it(`GIVEN DescribeNetworkInterfaces answering a new NextToken forever THEN exit 2 after ${MAX_PAGES} pages`, async () => {
    let page = 0;
    let stub: AwsClientStub<EC2Client> | undefined;
    const run = await verify({
      ec2: (s) => {
        stub = s;
        s.on(DescribeNetworkInterfacesCommand).callsFake(async (): Promise<Partial<DescribeNetworkInterfacesCommandOutput>> => ({ NetworkInterfaces: [], NextToken: `token-${++page}` }));
      },
    });
    expect(oneLine(run)).toBe(`verify: EC2 DescribeNetworkInterfaces still had more after ${MAX_PAGES} pages of 1000: verify stopped paging`);
    expect(stub!.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(MAX_PAGES);
    expect(stub!.commandCalls(DescribeNetworkInterfacesCommand)[0]!.args[0].input.MaxResults).toBe(1000);
  });
});

describe(`bounded concurrency: kubelets are read ${CONFIGZ_PARALLELISM} at a time`, () => {
  it("GIVEN 1,000 nodes THEN every node row holds and the API server never answers more than 8 requests at once", async () => {
    const run = await runManyNodes(1000);
    expect(run).toMatchObject({ stderr: "", nodes: 1000, differingNodeRows: 0, unreadKubelets: 0 });
    expect(run.maxInFlight).toBeLessThanOrEqual(CONFIGZ_PARALLELISM);
  }, 90_000);

  it("GIVEN 1,000 nodes and a limit of 256 open files (ulimit -n 256) THEN no node is reported unreachable", () => {
    const child = spawnSync("sh", ["-c", 'ulimit -n 256 && exec "$0" scripts/run.mjs test/support/many-nodes-main.ts 1000', process.execPath], {
      encoding: "utf8",
      timeout: 110_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const run = JSON.parse(child.stdout) as { nodes: number; differingNodeRows: number; unreadKubelets: number; stderr: string };
    expect(run).toMatchObject({ stderr: "", nodes: 1000, differingNodeRows: 0, unreadKubelets: 0 });
  }, 120_000); // a child process that bundles the sources first (scripts/run.mjs), on a machine busy with Terraform
});

describe("malformed Kubernetes answers: one line and exit 2, or a difference on the object", () => {
  it.each([
    ["an HTML login page (HTTP 200) instead of the node list", [{ path: /^\/api\/v1\/nodes$/, status: 200, contentType: "text/html; charset=utf-8", body: HTML }],
      /^verify: the Kubernetes API at http:\/\/127\.0\.0\.1:[0-9]+ answered list nodes with an HTML page \(HTTP 200\), not JSON: is a proxy or a login page between verify and the API server\?$/],
    ["an HTML error page (HTTP 502) from a proxy", [{ path: /daemonsets/, status: 502, contentType: "text/html", body: HTML }],
      /^verify: the Kubernetes API could not get daemonset kube-system\/aws-node \(502\): an HTML page, not a Kubernetes answer: is a proxy between verify and the API server\?$/],
    ["an empty body (HTTP 200, JSON)", [{ path: /daemonsets/, status: 200, contentType: "application/json", body: "" }],
      /^verify: the Kubernetes API at \S+ answered get daemonset kube-system\/aws-node with something that is not JSON \(HTTP 200\): Unexpected end of JSON input$/],
    ["no content type", [{ path: /^\/api\/v1\/nodes$/, status: 200, body: "{}" }], /answered list nodes with an answer without a content type \(HTTP 200\), not JSON/],
    ["a node list with items: null", [{ path: /^\/api\/v1\/nodes$/, contentType: "application/json", body: '{"kind":"NodeList","apiVersion":"v1","items":null}' }],
      /^verify: the Kubernetes API at \S+ answered list nodes without a list of items \(items: null\)$/],
  ])("GIVEN %s THEN exit 2 saying so", async (_, answers, message) => {
    expect(oneLine(await verify({ options: { answers } }))).toMatch(message);
  });

  it("GIVEN a numeric providerID THEN that node matches no instance: the instance's row differs", async () => {
    const run = await verify({ cluster: nodes((node, i) => i === 1 && (node.spec.providerID = 12345)), argv: ["--json"] });
    expect(rowOf(run, "joined the cluster", NODE_C.instanceId)).toMatchObject({ ok: false, actual: "no node has this instance's provider ID" });
    expect(run.code).toBe(1);
  });

  it("GIVEN a DaemonSet that is a list THEN its row differs", async () => {
    const run = await verify({ options: { answers: [{ path: /daemonsets/, contentType: "application/json", body: "[1,2]" }] }, argv: ["--json"] });
    expect(rowOf(run, "VPC CNI", "aws-node")).toMatchObject({ ok: false, actual: "no containers in spec.template" });
    expect(run.code).toBe(1);
  });

  it("GIVEN a DaemonSet without spec.template THEN its row differs", async () => {
    const run = await verify({ cluster: daemonSet((ds) => delete ds.spec.template), argv: ["--json"] });
    expect(rowOf(run, "VPC CNI", "aws-node")).toMatchObject({ ok: false, expected: "an aws-node container in spec.template", actual: "no containers in spec.template" });
    expect(run.code).toBe(1);
  });

  it("GIVEN containers, env and a status of the wrong kinds THEN differences, no trace", async () => {
    const run = await verify({
      cluster: daemonSet((ds) => {
        ds.spec.template.spec.containers[0].env = [{ name: 7 }, null, { name: "ENABLE_PREFIX_DELEGATION", value: { on: true } }];
        ds.spec.template.spec.containers[0].image = 42;
        ds.status.updatedNumberScheduled = "all";
      }),
      argv: ["--json"],
    });
    expect(rowOf(run, "ENABLE_PREFIX_DELEGATION", "aws-node")).toMatchObject({ ok: false, actual: "" });
    expect(rowOf(run, "CNI version", "aws-node")).toMatchObject({ ok: false, actual: "no image (no version in the tag)" });
    expect(rowOf(run, "pods on the current spec", "aws-node")).toMatchObject({ ok: false, actual: "a status that is not numbers" });
    expect(run.code).toBe(1);
  });

  it("GIVEN quantities written as numbers, exponents and decimal units THEN they compare as the quantities they are: every check holds", async () => {
    const run = await verify({
      options: { kubelet: { maxPods: "110", kubeReserved: { cpu: 0.07, "ephemeral-storage": "1073741824", memory: "1.53616384e9" }, evictionHard: { "memory.available": 104857600 } } },
      cluster: nodes((node) => {
        node.status.capacity.pods = 110;
        node.status.capacity.memory = "3.972005888e9";
        node.status.allocatable.memory = "2330984448"; // 2276352Ki
      }),
      argv: ["--json"],
    });
    expect(checksOf(run).filter((check) => !check.ok)).toEqual([]);
    expect(run.code).toBe(0);
  });

  it("GIVEN an eviction threshold that is no quantity THEN allocatable memory differs naming it", async () => {
    const run = await verify({ options: { kubelet: { evictionHard: { "memory.available": "lots" } } }, argv: ["--json"] });
    expect(rowOf(run, "allocatable memory", NODE_A.name)).toMatchObject({ ok: false, actual: "evictionHard memory.available lots (not a quantity)" });
    expect(run.code).toBe(1);
  });

  it("GIVEN a configz that is not an object THEN that node's configz row differs", async () => {
    const run = await verify({ options: { answers: [{ path: new RegExp(`${NODE_A.name}/proxy/configz$`), contentType: "application/json", body: '{"kubeletconfig":"110"}' }] }, argv: ["--json"] });
    expect(rowOf(run, "kubelet config (configz)", NODE_A.name)).toMatchObject({ ok: false, actual: "configz has no kubeletconfig" });
    expect(run.code).toBe(1);
  });
});

describe("malformed EC2 answers: one line naming the call and the subnet, never out of memory", () => {
  const subnets = (cidr: string) => (stub: AwsClientStub<EC2Client>) =>
    stub.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: SUBNET_A, CidrBlock: cidr, AvailabilityZone: "ap-northeast-1a" }, { SubnetId: SUBNET_C, CidrBlock: "10.0.16.0/20", AvailabilityZone: "ap-northeast-1c" }] });

  it.each([
    ["0.0.0.0/0", `verify: EC2 answered the CIDR block "0.0.0.0/0" for ${SUBNET_A}: a VPC subnet is /16 to /28, so this is no subnet EC2 has`],
    ["10.0.0.0/8", `verify: EC2 answered the CIDR block "10.0.0.0/8" for ${SUBNET_A}: a VPC subnet is /16 to /28`],
    ["10.0.0.0/33", `verify: EC2 answered the CIDR block "10.0.0.0/33" for ${SUBNET_A}: not an IPv4 CIDR block`],
    ["ten.zero/20", `verify: EC2 answered the CIDR block "ten.zero/20" for ${SUBNET_A}: not an IPv4 CIDR block`],
  ])("GIVEN a subnet CIDR block %s THEN exit 2 at once", async (cidr, message) => {
    const run = await verify({ ec2: subnets(cidr) });
    expect(oneLine(run)).toContain(message);
    expect(run.ms).toBeLessThan(5000);
  });

  it("GIVEN an interface address that does not parse THEN exit 2 naming it and its subnet", async () => {
    const run = await verify({
      ec2: (stub) =>
        stub.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [{ NetworkInterfaceId: "eni-0a1b2c3d4e5f60199", SubnetId: SUBNET_A, PrivateIpAddresses: [{ PrivateIpAddress: "10.0.0.999" }] }] }),
    });
    expect(oneLine(run)).toBe(`verify: EC2 answered the interface address "10.0.0.999" for ${SUBNET_A}: not an IPv4 address`);
  });

  it.each<[string, Ec2Answer, string]>([
    ["an HTML page (HTTP 200)", { status: 200, contentType: "text/html", body: HTML }, "verify: EC2 DescribeInstances answered HTTP 200 with an HTML page, not EC2's XML: is a proxy between verify and EC2?"],
    ["an HTML page (HTTP 502)", { status: 502, contentType: "text/html", body: HTML }, "verify: EC2 DescribeInstances answered HTTP 502 with an HTML page, not EC2's XML: is a proxy between verify and EC2?"],
    ["an empty body (HTTP 200)", { status: 200, contentType: "text/xml;charset=UTF-8", body: "" }, "verify: EC2 DescribeInstances answered HTTP 200 with an empty body, not EC2's XML"],
    ["JSON (HTTP 200)", { status: 200, contentType: "application/json", body: "{}" }, "verify: EC2 DescribeInstances answered HTTP 200 with application/json that is not EC2's XML"],
  ])("GIVEN EC2 answering %s THEN exit 2 with the HTTP status", async (_, answer, message) => {
    expect(oneLine(await verify({ ec2Api: () => answer }))).toBe(message);
  });
});

describe("nothing answered reaches the terminal raw", () => {
  // What the red team sent: a value that, printed raw, moves up a line and erases the DIFFERS row above.
  const ERASER = "1\n\u001b[1A\u001b[2Kok      WARM_PREFIX_TARGET  daemonset kube-system/aws-node  1  1";

  it("GIVEN a WARM_PREFIX_TARGET with a newline and cursor controls THEN the table shows it escaped on its DIFFERS row", async () => {
    const run = await verify({ options: { env: { WARM_PREFIX_TARGET: ERASER } } });
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    const line = run.stdout.split("\n").find((text) => text.includes("WARM_PREFIX_TARGET"))!;
    expect(line).toMatch(/^DIFFERS {2}WARM_PREFIX_TARGET +daemonset kube-system\/aws-node +1 +1\\n\\x1b\[1A\\x1b\[2Kok {6}WARM_PREFIX_TARGET/);
    expect(run.stdout.split("\n").filter((text) => text.includes("WARM_PREFIX_TARGET"))).toHaveLength(2); // the row and the summary's line
    expect(run.code).toBe(1);
  });

  it("GIVEN the same with --json THEN the value is exact", async () => {
    const run = await verify({ options: { env: { WARM_PREFIX_TARGET: ERASER } }, argv: ["--json"] });
    expect(rowOf(run, "WARM_PREFIX_TARGET", "aws-node")).toMatchObject({ ok: false, actual: ERASER });
  });

  it("GIVEN node names and an image tag with ESC, BEL, CR and a right-to-left override THEN each is escaped", async () => {
    const run = await verify({
      options: { image: "602401143452.dkr.ecr.ap-northeast-1.amazonaws.com/amazon-k8s-cni:v1.19.2\u001b]0;owned\u0007" },
      cluster: nodes((node, i) => {
        if (i === 0) node.status.capacity.pods = "17\r\u202eok";
        if (i === 1) node.metadata.name = "ip-10-0-17-45\u001b[31m\u0007";
      }),
    });
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(run.stdout).toContain("amazon-k8s-cni:v1.19.2\\x1b]0;owned\\x07");
    expect(run.stdout).toContain("17\\r\\u202eok");
    expect(run.stdout).toMatch(/^DIFFERS {2}kubelet config \(configz\) +node ip-10-0-17-45\\x1b\[31m\\x07 /m);
  });

  it("GIVEN an API error message with terminal controls THEN stderr shows it on one line (line breaks as ;), escaped", async () => {
    const run = await verify({ options: { forbidden: [{ path: /^\/api\/v1\/nodes$/, verb: "list\u001b[2J\u0007\r\nreally\rnot", resource: "nodes" }] } });
    expect(oneLine(run)).toBe('verify: the Kubernetes API refused to list nodes (403 Forbidden): nodes is forbidden: User "reader" cannot list\\x1b[2J\\x07; really\\rnot resource "nodes"');
  });
});

describe("messages that say what is wrong", () => {
  it("GIVEN an ENIConfig naming a subnet EC2 does not have THEN a difference on that ENIConfig, not a refusal of subnet_ids", async () => {
    const run = await verify(
      {
        options: { customNetworking: {} },
        cluster: (cluster) => ({ ...cluster, eniConfigs: cluster.eniConfigs!.map((config: any) => (config.metadata.name === "ap-northeast-1c" ? { ...config, spec: { ...config.spec, subnet: "subnet-0deadbeef0000000" } } : config)) }),
        argv: ["--json"],
      },
      CUSTOM_NETWORKING,
    );
    expect(rowOf(run, "ENIConfig subnet", "ENIConfig ap-northeast-1c")).toMatchObject({
      ok: false,
      expected: "a subnet of the VPC (spec.subnet)",
      actual: "subnet-0deadbeef0000000: no such subnet in ap-northeast-1",
    });
    expect(rowOf(run, "free /28 blocks", POD_SUBNET_A)).toMatchObject({ ok: true });
    expect(run.code).toBe(1);
  });

  it("GIVEN an ENIConfig whose subnet is not a subnet id THEN a difference on that ENIConfig", async () => {
    const run = await verify(
      {
        options: { customNetworking: {} },
        cluster: (cluster) => ({ ...cluster, eniConfigs: cluster.eniConfigs!.map((config: any) => ({ ...config, spec: { ...config.spec, subnet: "sg-0123456789abcdef0" } })) }),
        argv: ["--json"],
      },
      CUSTOM_NETWORKING,
    );
    expect(rowOf(run, "ENIConfig subnet", "ENIConfig ap-northeast-1a")).toMatchObject({ ok: false, actual: "sg-0123456789abcdef0: not a subnet id" });
    expect(run.code).toBe(1);
  });

  it("GIVEN the variables come from a ConfigMap (envFrom) THEN the row says they may be set from a reference", async () => {
    const run = await verify({
      options: { env: { ENABLE_PREFIX_DELEGATION: null } },
      cluster: daemonSet((ds) => (ds.spec.template.spec.containers[0].envFrom = [{ configMapRef: { name: "aws-node-env" } }])),
      argv: ["--json"],
    });
    expect(rowOf(run, "ENABLE_PREFIX_DELEGATION", "aws-node")).toMatchObject({ ok: false, expected: "true", actual: "set from a reference (envFrom), or unset" });
  });
});

describe("max-pods asks EC2 with the same deadline", () => {
  it("GIVEN EC2 hanging THEN exit 2 within --timeout, naming DescribeInstanceTypes", async () => {
    ec2Api = await startEc2Api(() => "hang");
    const client = ec2Api.client("ap-northeast-1");
    let stderr = "";
    const code = await runCli(["max-pods", "t3a.medium", "--region", "ap-northeast-1", "--timeout", "0.3"], {
      stdout: () => undefined,
      stderr: (text) => void (stderr += text),
      ec2: async () => client,
    });
    expect(stderr).toBe("max-pods: EC2 DescribeInstanceTypes did not answer within 0.3 s in ap-northeast-1 (raise --timeout, or work offline)\n");
    expect(code).toBe(2);
    expect(Date.now() - ec2Api.callTimes.at(-1)!).toBeLessThan(300 + 1000);
  });
});
