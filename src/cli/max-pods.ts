/**
 * `eks-pod-density max-pods <instance-type>`: max pods with and without
 * prefix delegation, the caps that applied (110/250 and memory), and the
 * kube-reserved memory that goes with it — from EC2's DescribeInstanceTypes,
 * or offline from --enis/--ips-per-eni/--vcpus/--hypervisor/--memory. Same
 * rules as the modules.
 */
import { parseArgs } from "node:util";
import type { EC2Client, _InstanceType } from "@aws-sdk/client-ec2";
import { instanceNetworkLimits } from "../rules/ec2-instance-limits.js";
import { kubeReservedFor, MEMORY_MIB_BASE, MEMORY_MIB_PER_POD } from "../rules/kube-reserved.js";
import {
  automaticMaxPods,
  EVICTION_HARD_MIB,
  kubeletMaxPods,
  kubeletMemoryMiB,
  POD_HEADROOM_MIB,
  type InstanceNetworkLimits,
  type MaxPodsResult,
} from "../rules/max-pods.js";
import { INSTANCE_TYPE_PATTERN } from "../constructs/node-group/rules.js";
import { matches } from "../rules/checker.js";
import { forTerminal } from "../verify/terminal.js";
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, parseTimeout, seconds } from "../verify/timeout.js";
import { loadOptional, MissingPackageError } from "./optional.js";

export const MAX_PODS_USAGE = `usage: eks-pod-density max-pods <instance-type> [--prefix-delegation] [--custom-networking] [--region <region>] [--timeout <seconds>] [--json]
       eks-pod-density max-pods <instance-type> [--prefix-delegation] [--custom-networking] --enis <n> --ips-per-eni <n> --vcpus <n>
                                --hypervisor <nitro|xen|""> --memory <MiB> [--architecture <x86_64|arm64>]

Prints the max pods of a node with and without VPC CNI prefix delegation, the caps that applied (110 up to
30 vCPUs, 250 above; and what fits in the memory the kubelet sees) and the kube-reserved memory for it.
--custom-networking counts one interface less (pods skip the primary one). The instance type's limits come
from EC2 DescribeInstanceTypes (credentials and region from the usual AWS environment: AWS_PROFILE,
AWS_REGION, ...; EC2 may take --timeout seconds, default 10), or from the options, offline (--memory in MiB, as EC2
gives it: t3a.medium 4096).`;

/** A failure the user can act on; the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Makes the EC2 client (tests pass one whose calls are stubbed). */
  readonly ec2?: (region: string | undefined) => Promise<EC2Client>;
}

export interface MaxPodsReport {
  readonly instanceType: string;
  readonly source: "ec2" | "options";
  readonly limits: InstanceNetworkLimits;
  readonly prefixDelegation: boolean;
  readonly customNetworking: boolean;
  /** Memory the kubelet sees, in MiB. */
  readonly kubeletMemoryMiB: number;
  /** The most pods an explicit max pods may ask for: kube-reserved and the eviction threshold the kubelet accepts. */
  readonly kubeletMaxPods: number;
  readonly withPrefixes: MaxPodsResult;
  readonly withoutPrefixes: MaxPodsResult;
  /** 0 when not even one pod's reservation fits in the kubelet's memory. */
  readonly maxPods: number;
  /** kube-reserved for `maxPods` pods; null when no pod fits. */
  readonly kubeReserved: Record<string, string> | null;
}

const OFFLINE = ["enis", "ips-per-eni", "vcpus", "hypervisor", "memory"] as const;
/** EC2 DescribeInstanceTypes' Hypervisor values, and "" for bare-metal types, which report none. */
const HYPERVISORS = ["nitro", "xen", ""];
const ARCHITECTURES = ["x86_64", "arm64"];

function wholeNumber(option: string, text: string): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < 1) throw new UsageError(`--${option} must be a whole number of 1 or more, not "${text}"`);
  return value;
}

/** What asks EC2, for the message when its SDK is missing. */
const EC2_LOOKUP = "eks-pod-density max-pods without --enis, --ips-per-eni, --vcpus, --hypervisor and --memory (it asks EC2)";

async function defaultEc2(region: string | undefined): Promise<EC2Client> {
  const { EC2Client } = await loadOptional("@aws-sdk/client-ec2", EC2_LOOKUP, () => import("@aws-sdk/client-ec2"));
  return new EC2Client(region ? { region } : {});
}

/** The instance type's limits from EC2, with errors a user can act on. */
export async function describeInstanceType(
  instanceType: string,
  region: string | undefined,
  io: Io,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<InstanceNetworkLimits> {
  const { DescribeInstanceTypesCommand } = await loadOptional("@aws-sdk/client-ec2", EC2_LOOKUP, () => import("@aws-sdk/client-ec2"));
  const client = await (io.ec2 ?? defaultEc2)(region);
  const where = region ? ` in ${region}` : "";
  let response;
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    response = await client.send(new DescribeInstanceTypesCommand({ InstanceTypes: [instanceType as _InstanceType] }), { abortSignal });
  } catch (error) {
    if (abortSignal.aborted) throw new UsageError(`EC2 DescribeInstanceTypes did not answer within ${seconds(timeoutMs)}${where} (raise --timeout, or work offline)`);
    const { name, message } = error as Error;
    if (name === "InvalidInstanceType") throw new UsageError(`instance type "${instanceType}" does not exist${where} (EC2: ${message})`);
    if (name === "CredentialsProviderError") {
      throw new UsageError(
        "no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or work offline with --enis, --ips-per-eni, --vcpus, --hypervisor and --memory",
      );
    }
    if (/region is missing/i.test(message)) throw new UsageError("no AWS region: pass --region or set AWS_REGION");
    throw new UsageError(`EC2 DescribeInstanceTypes failed${where}: ${name}: ${message}`);
  }
  const limits = instanceNetworkLimits(response.InstanceTypes?.[0]);
  if (!limits) throw new UsageError(`instance type "${instanceType}" does not exist${where} (EC2 returned no network limits for it)`);
  return limits;
}

/** Work out the report for parsed arguments. */
export async function maxPodsReport(argv: readonly string[], io: Io): Promise<{ report: MaxPodsReport; json: boolean }> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        "prefix-delegation": { type: "boolean", default: false },
        "custom-networking": { type: "boolean", default: false },
        region: { type: "string" },
        json: { type: "boolean", default: false },
        enis: { type: "string" },
        "ips-per-eni": { type: "string" },
        vcpus: { type: "string" },
        hypervisor: { type: "string" },
        memory: { type: "string" },
        architecture: { type: "string" },
        timeout: { type: "string" },
      },
      tokens: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals, tokens } = parsed;
  // parseArgs keeps the last of a repeated option; a second --memory is more likely a mistake than a correction.
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once: give it once`);
    seen.add(token.name);
  }
  if (positionals.length !== 1) throw new UsageError("give exactly one instance type, e.g. max-pods t3a.medium");
  const instanceType = positionals[0]!;
  if (!matches(INSTANCE_TYPE_PATTERN)(instanceType)) {
    throw new UsageError(`"${instanceType}" is not an EC2 instance type (such as t3a.medium)`);
  }

  const given = OFFLINE.filter((option) => values[option] !== undefined);
  let limits: InstanceNetworkLimits;
  let source: MaxPodsReport["source"];
  if (given.length === OFFLINE.length) {
    limits = {
      enis: wholeNumber("enis", values.enis!),
      ipv4PerEni: wholeNumber("ips-per-eni", values["ips-per-eni"]!),
      vcpus: wholeNumber("vcpus", values.vcpus!),
      hypervisor: values.hypervisor!,
      memoryMiB: wholeNumber("memory", values.memory!),
      architecture: values.architecture ?? "x86_64",
    };
    if (!HYPERVISORS.includes(limits.hypervisor)) {
      throw new UsageError(`--hypervisor must be nitro, xen or "" (bare metal, as EC2 reports it), not "${values.hypervisor}"`);
    }
    if (!ARCHITECTURES.includes(limits.architecture!)) {
      throw new UsageError(`--architecture must be ${ARCHITECTURES.join(" or ")}, not "${values.architecture}"`);
    }
    source = "options";
  } else if (given.length > 0) {
    const missing = OFFLINE.filter((option) => !given.includes(option)).map((option) => `--${option}`);
    throw new UsageError(
      `to work offline give all of --enis, --ips-per-eni, --vcpus, --hypervisor and --memory (missing ${missing.join(", ")}), or none to ask EC2`,
    );
  } else {
    const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(values.timeout);
    if (timeoutMs === undefined) {
      throw new UsageError(`--timeout must be seconds such as 10 or 0.5 (or 500ms, 2m), more than 0 and at most ${seconds(MAX_TIMEOUT_MS)}, not "${values.timeout}"`);
    }
    limits = await describeInstanceType(instanceType, values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION, io, timeoutMs);
    source = "ec2";
  }

  const customNetworking = values["custom-networking"]!;
  const withPrefixes = automaticMaxPods(limits, { prefixDelegation: true, customNetworking });
  const withoutPrefixes = automaticMaxPods(limits, { prefixDelegation: false, customNetworking });
  const prefixDelegation = values["prefix-delegation"]!;
  const maxPods = (prefixDelegation ? withPrefixes : withoutPrefixes).maxPods;
  return {
    json: values.json!,
    report: {
      instanceType,
      source,
      limits,
      prefixDelegation,
      customNetworking,
      kubeletMemoryMiB: kubeletMemoryMiB(limits.memoryMiB, limits.architecture),
      kubeletMaxPods: kubeletMaxPods(limits),
      withPrefixes,
      withoutPrefixes,
      maxPods,
      kubeReserved: maxPods > 0 ? kubeReservedFor(maxPods, limits.vcpus) : null,
    },
  };
}

function describe(result: MaxPodsResult): string {
  if (result.maxPods === 0) return `  0 pods  (${result.addressable} addressable, but not even one pod's reservation fits in memory)`;
  const capped =
    result.memoryCap < Math.min(result.addressable, result.cap)
      ? `memory fits ${result.memoryCap}`
      : result.addressable > result.cap
        ? `capped at ${result.cap}`
        : `under the ${result.cap} cap`;
  return `${String(result.maxPods).padStart(3)} pods  (${result.addressable} addressable, ${capped})`;
}

export function formatReport(report: MaxPodsReport): string {
  const { limits } = report;
  const hypervisor = limits.hypervisor || "bare metal";
  const prefixNote = report.withPrefixes.prefixDelegation ? "" : `  (${hypervisor}: prefix delegation needs Nitro)`;
  const networking = report.customNetworking ? ", custom networking (pods skip the primary ENI)" : "";
  return [
    `${report.instanceType}: ${limits.enis} ENIs × ${limits.ipv4PerEni} IPv4 addresses, ${limits.vcpus} vCPUs, ${hypervisor}, ${limits.memoryMiB} MiB (${report.source === "ec2" ? "from EC2" : "as given"})${networking}`,
    `  memory the kubelet sees: ${report.kubeletMemoryMiB} MiB; it must hold kube-reserved, the ${EVICTION_HARD_MIB} MiB eviction threshold and ${POD_HEADROOM_MIB} MiB for the node's own pods`,
    `  with prefix delegation:    ${describe(report.withPrefixes)}${prefixNote}`,
    `  without prefix delegation: ${describe(report.withoutPrefixes)}`,
    `max pods with prefix delegation ${report.prefixDelegation ? "on" : "off"}: ${report.maxPods === 0 ? report.kubeletMaxPods >= 1 ? `none automatic: ${report.instanceType} is too small for an EKS node; an explicit max_pods of at most ${report.kubeletMaxPods} is what its kubelet accepts` : `none: ${report.instanceType} is too small for an EKS node` : report.maxPods}`,
    ...(report.kubeReserved
      ? [
          `kube-reserved for ${report.maxPods} pods: memory ${report.kubeReserved.memory} (${MEMORY_MIB_PER_POD} × ${report.maxPods} + ${MEMORY_MIB_BASE} MiB), cpu ${report.kubeReserved.cpu}, ephemeral-storage ${report.kubeReserved["ephemeral-storage"]}`,
        ]
      : []),
    "",
  ].join("\n");
}

/** Run `max-pods` with `argv` (after the command name); returns the exit code. */
export async function maxPodsCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(`${MAX_PODS_USAGE}\n`);
    return 0;
  }
  try {
    const { report, json } = await maxPodsReport(argv, io);
    io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof MissingPackageError)) throw error;
    io.stderr(`max-pods: ${forTerminal(error.message)}\n`);
    return 2;
  }
}
