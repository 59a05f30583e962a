/**
 * The max-pods command end to end: arguments in, report out, with the EC2
 * client stubbed (aws-sdk-client-mock) — and once through the real bin.
 */
import { spawnSync } from "node:child_process";
import { DescribeInstanceTypesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { loadOptional, MissingPackageError } from "../../src/cli/optional.js";

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    ec2: async (region) => new EC2Client({ region: region ?? "ap-northeast-1" }),
  });
  return { code, stdout, stderr };
}

/** What EC2 DescribeInstanceTypes answers for t3a.medium and p5.48xlarge (trimmed to what the command reads). */
const T3A_MEDIUM = {
  InstanceType: "t3a.medium" as const,
  Hypervisor: "nitro" as const,
  VCpuInfo: { DefaultVCpus: 2 },
  MemoryInfo: { SizeInMiB: 4096 },
  ProcessorInfo: { SupportedArchitectures: ["x86_64" as const] },
  NetworkInfo: {
    MaximumNetworkInterfaces: 3,
    Ipv4AddressesPerInterface: 6,
    DefaultNetworkCardIndex: 0,
    NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: 3 }],
  },
};
const T4G_NANO = {
  InstanceType: "t4g.nano" as const,
  Hypervisor: "nitro" as const,
  VCpuInfo: { DefaultVCpus: 2 },
  MemoryInfo: { SizeInMiB: 512 },
  ProcessorInfo: { SupportedArchitectures: ["arm64" as const] },
  NetworkInfo: {
    MaximumNetworkInterfaces: 2,
    Ipv4AddressesPerInterface: 2,
    DefaultNetworkCardIndex: 0,
    NetworkCards: [{ NetworkCardIndex: 0, MaximumNetworkInterfaces: 2 }],
  },
};
const P5_48XLARGE = {
  InstanceType: "p5.48xlarge" as const,
  Hypervisor: "nitro" as const,
  VCpuInfo: { DefaultVCpus: 192 },
  MemoryInfo: { SizeInMiB: 2097152 },
  ProcessorInfo: { SupportedArchitectures: ["x86_64" as const] },
  NetworkInfo: {
    MaximumNetworkInterfaces: 64,
    Ipv4AddressesPerInterface: 50,
    DefaultNetworkCardIndex: 0,
    NetworkCards: Array.from({ length: 32 }, (_, i) => ({ NetworkCardIndex: i, MaximumNetworkInterfaces: 2 })),
  },
};

describe("max-pods with the limits given on the command line (offline)", () => {
  it("prints 110 for t3a.medium with prefixes (uncapped 242), 17 without", async () => {
    const { code, stdout } = await run("max-pods", "t3a.medium", "--prefix-delegation", "--enis", "3", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "4096");
    expect(code).toBe(0);
    expect(stdout).toContain("with prefix delegation:    110 pods  (242 addressable, capped at 110)");
    expect(stdout).toContain("without prefix delegation:  17 pods  (17 addressable, under the 110 cap)");
    expect(stdout).toContain("max pods with prefix delegation on: 110");
    expect(stdout).toContain("kube-reserved for 110 pods: memory 1465Mi (11 × 110 + 255 MiB), cpu 70m");
    expect(ec2.calls()).toHaveLength(0);
  });

  it("answers 17 and 442Mi without --prefix-delegation", async () => {
    const { stdout } = await run("max-pods", "t3a.medium", "--enis", "3", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "4096");
    expect(stdout).toContain("max pods with prefix delegation off: 17");
    expect(stdout).toContain("kube-reserved for 17 pods: memory 442Mi");
  });

  it("prints JSON with --json", async () => {
    const { stdout } = await run("max-pods", "m4.large", "--json", "--prefix-delegation", "--enis", "2", "--ips-per-eni", "10", "--vcpus", "2", "--hypervisor", "xen", "--memory", "8192");
    expect(JSON.parse(stdout)).toMatchObject({
      instanceType: "m4.large",
      source: "options",
      maxPods: 20,
      withPrefixes: { maxPods: 20, addressable: 20, cap: 110, memoryCap: 650, prefixDelegation: false },
    });
  });

  it("caps t3.nano by memory: 4 pods with prefixes, not the 34 it addresses (--memory in MiB, as EC2 gives it)", async () => {
    const { code, stdout } = await run("max-pods", "t3.nano", "--prefix-delegation", "--enis", "2", "--ips-per-eni", "2", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "512");
    expect(code).toBe(0);
    expect(stdout).toContain("memory the kubelet sees: 473 MiB");
    expect(stdout).toContain("with prefix delegation:      4 pods  (34 addressable, memory fits 4)");
    expect(stdout).toContain("max pods with prefix delegation on: 4");
    expect(stdout).toContain("kube-reserved for 4 pods: memory 299Mi");
  });

  it.each([
    ["t3a.medium", ["--enis", "3", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "4096"], false, 12],
    ["t3a.medium", ["--enis", "3", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "4096"], true, 110],
    ["m5.large", ["--enis", "3", "--ips-per-eni", "10", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "8192"], false, 20],
  ])("counts one interface less with --custom-networking: %s, prefixes %s → %i", async (type, limits, prefixes, maxPods) => {
    const { code, stdout } = await run("max-pods", type, ...limits, "--custom-networking", ...(prefixes ? ["--prefix-delegation"] : []));
    expect(code).toBe(0);
    expect(stdout).toContain("custom networking (pods skip the primary ENI)");
    expect(stdout).toContain(`max pods with prefix delegation ${prefixes ? "on" : "off"}: ${maxPods}`);
  });

  it.each([
    [["max-pods", "t3a.medium", "--enis", "3"], "to work offline give all of --enis, --ips-per-eni, --vcpus, --hypervisor and --memory (missing --ips-per-eni, --vcpus, --hypervisor, --memory)"],
    [["max-pods", "t3a.medium", "--enis", "3", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "nitro"], "(missing --memory)"],
    [["max-pods", "t3a.medium", "--enis", "three", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "4096"], '--enis must be a whole number of 1 or more, not "three"'],
    [["max-pods", "t4g.nano", "--enis", "2", "--ips-per-eni", "2", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "512", "--architecture", "aarch64"], '--architecture must be x86_64 or arm64, not "aarch64"'],
    [["max-pods", "t3a.medium", "--enis", "3", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "kvm", "--memory", "4096"], '--hypervisor must be nitro, xen or "" (bare metal, as EC2 reports it), not "kvm"'],
    [["max-pods", "t3a.medium", "--enis", "3", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "4096", "--memory", "8192"], "--memory is given more than once: give it once"],
    [["max-pods", "t3a.medium", "--prefix-delegation", "--prefix-delegation"], "--prefix-delegation is given more than once"],
    [["max-pods", "T3A MEDIUM"], '"T3A MEDIUM" is not an EC2 instance type'],
    [["max-pods"], "give exactly one instance type"],
    [["max-pods", "t3a.medium", "--pods"], "Unknown option '--pods'"],
  ])("refuses %j", async (argv, message) => {
    const { code, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe("max-pods asking EC2 (stubbed)", () => {
  it("looks the instance type up with DescribeInstanceTypes", async () => {
    ec2.on(DescribeInstanceTypesCommand, { InstanceTypes: ["t3a.medium"] }).resolves({ InstanceTypes: [T3A_MEDIUM] });
    const { code, stdout } = await run("max-pods", "t3a.medium", "--prefix-delegation", "--region", "ap-northeast-1");
    expect(code).toBe(0);
    expect(stdout).toContain("t3a.medium: 3 ENIs × 6 IPv4 addresses, 2 vCPUs, nitro, 4096 MiB (from EC2)");
    expect(stdout).toContain("max pods with prefix delegation on: 110");
    expect(ec2.commandCalls(DescribeInstanceTypesCommand)).toHaveLength(1);
  });

  it("counts the default network card only", async () => {
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [P5_48XLARGE] });
    const { stdout } = await run("max-pods", "p5.48xlarge");
    expect(stdout).toContain("p5.48xlarge: 2 ENIs × 50 IPv4 addresses, 192 vCPUs");
    expect(stdout).toContain("max pods with prefix delegation off: 100");
  });

  it("says a t4g.nano is too small for a node (Graviton: 64 MiB less)", async () => {
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [T4G_NANO] });
    const { code, stdout } = await run("max-pods", "t4g.nano", "--prefix-delegation");
    expect(code).toBe(0);
    expect(stdout).toContain("memory the kubelet sees: 414 MiB");
    expect(stdout).toContain(
      "max pods with prefix delegation on: none automatic: t4g.nano is too small for an EKS node; an explicit max_pods of at most 5 is what its kubelet accepts",
    );
    expect(stdout).not.toContain("kube-reserved for");
  });

  it("reports no pods and no kube-reserved in JSON when none fits", async () => {
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [T4G_NANO] });
    const { code, stdout } = await run("max-pods", "t4g.nano", "--prefix-delegation", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      maxPods: 0,
      kubeletMaxPods: 5,
      kubeReserved: null,
      withPrefixes: { maxPods: 0, addressable: 34 },
      withoutPrefixes: { maxPods: 0, addressable: 4 },
    });
  });

  it("says clearly when the instance type does not exist", async () => {
    ec2.on(DescribeInstanceTypesCommand).rejects(
      Object.assign(new Error("The following supplied instance types do not exist: [t3a.huge]"), { name: "InvalidInstanceType" }),
    );
    const { code, stderr } = await run("max-pods", "t3a.huge", "--region", "ap-northeast-1");
    expect(code).toBe(2);
    expect(stderr).toBe('max-pods: instance type "t3a.huge" does not exist in ap-northeast-1 (EC2: The following supplied instance types do not exist: [t3a.huge])\n');
  });

  it("says clearly when there are no credentials, and how to work offline", async () => {
    ec2.on(DescribeInstanceTypesCommand).rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
    const { code, stderr } = await run("max-pods", "t3a.medium");
    expect(code).toBe(2);
    expect(stderr).toContain("max-pods: no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
    expect(stderr).toContain("work offline with --enis, --ips-per-eni, --vcpus, --hypervisor and --memory");
  });
});

describe("the eks-pod-density bin", () => {
  it("runs max-pods offline", () => {
    const result = spawnSync(process.execPath, ["bin/eks-pod-density.mjs", "max-pods", "t3a.medium", "--prefix-delegation", "--enis", "3", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "4096"], {
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("max pods with prefix delegation on: 110");
    expect(result.stdout).toContain("242 addressable");
  });

  it("exits 2 with usage for an unknown command", () => {
    const result = spawnSync(process.execPath, ["bin/eks-pod-density.mjs", "pods"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "pods"');
  });
});

describe("the command's optional packages (src/cli/optional.ts)", () => {
  it("says which package is missing, what needs it and how to install it, when Node cannot find it", async () => {
    const notFound = Object.assign(new Error("Cannot find package '@aws-sdk/client-ec2' imported from /app/node_modules/eks-pod-density/dist/cli/max-pods.js"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const load = loadOptional("@aws-sdk/client-ec2", "eks-pod-density max-pods", () => Promise.reject(notFound));
    await expect(load).rejects.toThrow(MissingPackageError);
    await expect(loadOptional("@aws-sdk/client-ec2", "eks-pod-density max-pods", () => Promise.reject(notFound))).rejects.toThrow(
      'eks-pod-density max-pods needs @aws-sdk/client-ec2, which is not installed: npm installs eks-pod-density without it (the constructs do not use it). Install it beside eks-pod-density: npm install --save-dev "@aws-sdk/client-ec2@^3.1169.0"',
    );
  });

  it("passes any other failure on as it is, a missing package of another name included", async () => {
    const other = Object.assign(new Error("Cannot find package '@smithy/core' imported from /x.js"), { code: "ERR_MODULE_NOT_FOUND" });
    await expect(loadOptional("@aws-sdk/client-ec2", "x", () => Promise.reject(other))).rejects.toBe(other);
    const { EC2Client } = await loadOptional("@aws-sdk/client-ec2", "x", () => import("@aws-sdk/client-ec2"));
    expect(typeof EC2Client).toBe("function");
  });
});
