/**
 * `eks-pod-density verify <environment>` (or the settings as options):
 * compare the running cluster with what the configuration promised. Exit 0
 * when every check holds, 1 when any differs, 2 on a usage or access error.
 * The modules that read the cluster load only when the command runs, so
 * other commands start as fast as before.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { VerifyTarget } from "../verify/expected.js";
import type { Io } from "./max-pods.js";
import { loadOptional, MissingPackageError } from "./optional.js";

export const VERIFY_USAGE = `usage: eks-pod-density verify <environment> [--environments <dir>] [--kubeconfig <file>] [--context <name>] [--timeout <seconds>] [--json]
       eks-pod-density verify --cluster <name> --region <region> --subnets <id,id,...> [--node-group <name>]
                              [--instance-type <type>] [--ami-type <type>] [--max-pods <n>] [--kubelet-extra-args=<flags>]
                              [--no-prefix-delegation] [--custom-networking] [--warm-prefix-target <n>] [--warm-ip-target <n>]
                              [--minimum-ip-target <n>] [--cni-env NAME=VALUE]... [--kube-reserved NAME=QUANTITY]...
                              [--no-kube-reserved-follows-max-pods] [--max-size <n>] [--kubeconfig <file>] [--context <name>]
                              [--timeout <seconds>] [--json]

Checks the running cluster against environments/<environment>.yaml (or the node group's and add-on's settings given
as options, with the modules' defaults): the aws-node DaemonSet's variables and CNI version, every node of the group
(pods capacity, the kubelet's live maxPods and kubeReserved, allocatable memory), and the free /28 blocks of each
subnet the pods take prefixes from (the node subnets; with custom networking the ENIConfigs') against what the group
needs at max_size, saying how many more nodes fit. Reads only. Kubernetes access through the kubeconfig as kubectl
uses it (--kubeconfig, else $KUBECONFIG, else ~/.kube/config; exec plugins such as aws eks get-token work); AWS
credentials from the usual environment (AWS_PROFILE, ...). Each Kubernetes and EC2 request may take --timeout seconds
(default 10; 500ms and 2m work too), its retries included; the kubelets are read 8 at a time. Exit status: 0 when every
check holds, 1 when any differs, 2 on a usage or access error (an API that does not answer in time, or answers what no
such API answers, included).`;

/** Options that give the settings directly, instead of an environment file. */
const SETTING_OPTIONS = [
  "cluster",
  "region",
  "subnets",
  "node-group",
  "instance-type",
  "ami-type",
  "max-pods",
  "kubelet-extra-args",
  "no-prefix-delegation",
  "custom-networking",
  "warm-prefix-target",
  "warm-ip-target",
  "minimum-ip-target",
  "cni-env",
  "kube-reserved",
  "no-kube-reserved-follows-max-pods",
  "max-size",
] as const;

const OPTIONS = {
  environments: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean", default: false },
  cluster: { type: "string" },
  region: { type: "string" },
  subnets: { type: "string" },
  "node-group": { type: "string" },
  "instance-type": { type: "string" },
  "ami-type": { type: "string" },
  "max-pods": { type: "string" },
  "kubelet-extra-args": { type: "string" },
  "no-prefix-delegation": { type: "boolean" },
  "custom-networking": { type: "boolean" },
  "warm-prefix-target": { type: "string" },
  "warm-ip-target": { type: "string" },
  "minimum-ip-target": { type: "string" },
  "cni-env": { type: "string", multiple: true },
  "kube-reserved": { type: "string", multiple: true },
  "no-kube-reserved-follows-max-pods": { type: "boolean" },
  "max-size": { type: "string" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

export interface VerifyArguments {
  readonly target: VerifyTarget;
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Deadline of one API request, in milliseconds. */
  readonly timeoutMs: number;
  readonly json: boolean;
}

/** Parse the arguments into the settings to check; VerifyError (exit 2) for anything wrong. */
export async function verifyArguments(argv: readonly string[]): Promise<VerifyArguments> {
  const [{ VerifyError }, { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, parseTimeout, seconds }] = await Promise.all([
    import("../verify/errors.js"),
    import("../verify/timeout.js"),
  ]);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS, tokens: true });
  } catch (error) {
    throw new VerifyError((error as Error).message);
  }
  const { values, positionals, tokens } = parsed;
  // parseArgs keeps the last of a repeated single-value option; a second --timeout is more likely a mistake than a correction.
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option" || (OPTIONS as Record<string, { multiple?: boolean }>)[token.name]?.multiple) continue;
    if (seen.has(token.name)) throw new VerifyError(`--${token.name} is given more than once: give it once`);
    seen.add(token.name);
  }
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(values.timeout);
  if (timeoutMs === undefined) {
    throw new VerifyError(`--timeout must be seconds such as 10 or 0.5 (or 500ms, 2m), more than 0 and at most ${seconds(MAX_TIMEOUT_MS)}, not "${values.timeout}"`);
  }
  const given = SETTING_OPTIONS.filter((option) => values[option] !== undefined);
  if (positionals.length > 1) throw new VerifyError(`give one environment, not ${positionals.length} (${positionals.join(", ")})`);
  let target: VerifyTarget;
  if (positionals.length === 1) {
    if (given.length > 0) throw new VerifyError(`give an environment or the settings as options, not both (${given.map((o) => `--${o}`).join(", ")})`);
    target = await environmentTarget(positionals[0]!, values.environments ?? "environments");
  } else if (given.length > 0) {
    target = await optionsTarget(values);
  } else {
    throw new VerifyError("give an environment (verify article) or --cluster, --region and --subnets");
  }
  return { target, kubeconfig: values.kubeconfig, context: values.context, timeoutMs, json: values.json ?? false };
}

/** The settings of environments/<name>.yaml. */
async function environmentTarget(name: string, dir: string): Promise<VerifyTarget> {
  const [{ VerifyError }, { EnvironmentError, parseEnvironment }, { discoverEnvironmentFiles }, { targetFromEnvironment }] = await Promise.all([
    import("../verify/errors.js"),
    import("../app/config.js"),
    import("../app/environment-files.js"),
    import("../verify/expected.js"),
  ]);
  const { files, problems } = discoverEnvironmentFiles(dir);
  const file = files.find((candidate) => candidate.name === name);
  if (!file) {
    const known = files.map((candidate) => candidate.name);
    const why = known.length > 0 ? `it has ${known.join(", ")}` : problems.join("; ");
    throw new VerifyError(`no environment "${name}" in ${dir} (${why})`);
  }
  try {
    return targetFromEnvironment(parseEnvironment(file.path, readFileSync(file.path, "utf8")));
  } catch (error) {
    if (error instanceof EnvironmentError) throw new VerifyError(error.problems.join("; "));
    throw new VerifyError(`${file.path}: cannot be read (${(error as Error).message})`);
  }
}

/** The settings given as options, the rest from the modules' defaults. */
async function optionsTarget(values: Values): Promise<VerifyTarget> {
  const [{ VerifyError }, { NODE_GROUP_DEFAULTS }, { VPC_CNI_DEFAULTS }, { AMI_TYPE_NAMES }] = await Promise.all([
    import("../verify/errors.js"),
    import("../constructs/node-group/props.js"),
    import("../constructs/vpc-cni-addon.js"),
    import("../rules/ami.js"),
  ]);
  const required = (option: "cluster" | "region" | "subnets") => {
    const value = values[option];
    if (!value) throw new VerifyError(`--${option} is needed with the settings as options`);
    return value;
  };
  const whole = (option: keyof Values, fallback: number | null, min = 0): number | null => {
    const text = values[option];
    if (text === undefined) return fallback;
    if (typeof text !== "string" || !/^[0-9]+$/.test(text) || Number(text) < min) {
      throw new VerifyError(`--${option} must be a whole number of ${min} or more, not "${String(text)}"`);
    }
    return Number(text);
  };
  const pairs = (option: "cni-env" | "kube-reserved"): Record<string, string> | null => {
    const list = values[option];
    if (!list) return null;
    return Object.fromEntries(
      list.map((pair) => {
        const at = pair.indexOf("=");
        if (at < 1) throw new VerifyError(`--${option} takes NAME=VALUE, not "${pair}"`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    );
  };
  const amiType = values["ami-type"] ?? NODE_GROUP_DEFAULTS.amiType;
  if (!(AMI_TYPE_NAMES as readonly string[]).includes(amiType)) throw new VerifyError(`--ami-type must be one of ${AMI_TYPE_NAMES.join(", ")}, not "${amiType}"`);
  return {
    source: "the settings given",
    clusterName: required("cluster"),
    region: required("region"),
    subnetIds: required("subnets").split(",").map((id) => id.trim()).filter(Boolean),
    nodeGroupName: values["node-group"] ?? NODE_GROUP_DEFAULTS.name,
    instanceType: values["instance-type"] ?? NODE_GROUP_DEFAULTS.instanceType,
    amiType,
    maxPods: whole("max-pods", NODE_GROUP_DEFAULTS.maxPods, 1),
    kubeletExtraArgs: values["kubelet-extra-args"] ?? NODE_GROUP_DEFAULTS.kubeletExtraArgs,
    prefixDelegation: !values["no-prefix-delegation"],
    customNetworking: values["custom-networking"] ?? NODE_GROUP_DEFAULTS.customNetworking,
    warmPrefixTarget: whole("warm-prefix-target", VPC_CNI_DEFAULTS.warmPrefixTarget)!,
    warmIpTarget: whole("warm-ip-target", VPC_CNI_DEFAULTS.warmIpTarget),
    minimumIpTarget: whole("minimum-ip-target", VPC_CNI_DEFAULTS.minimumIpTarget),
    extraEnv: pairs("cni-env") ?? VPC_CNI_DEFAULTS.extraEnv,
    kubeReservedFollowsMaxPods: !values["no-kube-reserved-follows-max-pods"],
    kubeReserved: pairs("kube-reserved") ?? NODE_GROUP_DEFAULTS.kubeReserved,
    maxSize: whole("max-size", NODE_GROUP_DEFAULTS.maxSize, 1)!,
  };
}

async function defaultEc2(region: string | undefined): Promise<EC2Client> {
  const { EC2Client } = await loadOptional("@aws-sdk/client-ec2", "eks-pod-density verify", () => import("@aws-sdk/client-ec2"));
  return new EC2Client(region ? { region } : {});
}

/** Run `verify` with `argv` (after the command name); returns the exit code. */
export async function verifyCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(`${VERIFY_USAGE}\n`);
    return 0;
  }
  // The Kubernetes client and EC2's SDK are optional packages (src/cli/optional.ts): say so before anything else.
  try {
    await loadOptional("@kubernetes/client-node", "eks-pod-density verify", () => import("@kubernetes/client-node"));
    await loadOptional("@aws-sdk/client-ec2", "eks-pod-density verify", () => import("@aws-sdk/client-ec2"));
  } catch (error) {
    if (!(error instanceof MissingPackageError)) throw error;
    io.stderr(`verify: ${error.message}\n`);
    return 2;
  }
  const [{ VerifyError }, { connectKube }, { ec2Reader }, { verifyCluster }, { formatVerifyReport, verifyReportJson }, { forTerminal }] = await Promise.all([
    import("../verify/errors.js"),
    import("../verify/kube.js"),
    import("../verify/ec2.js"),
    import("../verify/verify.js"),
    import("../verify/report.js"),
    import("../verify/terminal.js"),
  ]);
  // One line on stderr; what the APIs or the user wrote in it is shown escaped (a newline or an ESC cannot rewrite the terminal).
  const fail = (message: string) => {
    io.stderr(`verify: ${forTerminal(message.trim().replace(/\s*\n\s*/g, "; "))}\n`);
    return 2;
  };
  let stage = "reading the arguments";
  try {
    const { target, kubeconfig, context, timeoutMs, json } = await verifyArguments(argv);
    stage = "reading the cluster";
    const kube = await connectKube({ kubeconfig, context, clusterName: target.clusterName, region: target.region, timeoutMs });
    const ec2 = ec2Reader(await (io.ec2 ?? defaultEc2)(target.region), { timeoutMs });
    const report = await verifyCluster(target, kube, ec2);
    io.stdout(json ? verifyReportJson(report) : formatVerifyReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof VerifyError) return fail(error.message);
    // Answers verify did not foresee must not end in a stack trace either: name what failed, on one line.
    const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
    return fail(`unexpected ${name} while ${stage} (please report it): ${message.split("\n")[0]}`);
  }
}
