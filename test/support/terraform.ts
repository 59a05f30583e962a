/**
 * Runs the terraform CLI for the tests: in throwaway copies of the
 * configurations (nothing is written into modules/), with at most two
 * terraform processes at a time (each loads the AWS provider, ~0.5 GB).
 *
 * Offline machines point TF_PROVIDER_MIRROR at a filesystem mirror (the folder
 * holding registry.terraform.io/hashicorp/aws/...); the harness writes its own
 * CLI config for it. Without TF_PROVIDER_MIRROR it looks for such a mirror in
 * Terraform's usual plugin folders and one level below /opt, and otherwise
 * lets terraform install providers from the registry as usual. A missing terraform binary fails the tests with a message saying
 * so; set SKIP_TERRAFORM_TESTS=1 to skip them on purpose (they are then
 * reported as skipped, with the reason). TERRAFORM_TIMING=<file> appends one
 * line per terraform process (start, duration, command) to that file.
 * terraform runs with GOGC=400 and GOMAXPROCS=1 (see TERRAFORM_GOGC, TERRAFORM_GOMAXPROCS) unless those are set.
 * KEEP_WORKDIR=1 leaves the throwaway copies in the temporary folder, to rerun
 * a terraform command there by hand. With a mirror, the commands that never
 * configure the provider (`test`, `validate`, `show`, `graph`) share one
 * provider process (see reattachProviders and SHARED_PROVIDER_COMMANDS;
 * TF_SHARED_PROVIDER=0 gives each its own, as terraform does by default), and
 * the folders they run in are initialized without installing it
 * (initForSharedProvider).
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const TERRAFORM = process.env.TERRAFORM_BIN ?? "terraform";
export const SKIP_REASON = process.env.SKIP_TERRAFORM_TESTS
  ? "SKIP_TERRAFORM_TESTS is set: terraform validate/test are NOT run"
  : undefined;

/** The terraform version, or throws a message saying what is missing. */
export function requireTerraform(): string {
  const result = spawnSync(TERRAFORM, ["version", "-json"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error(
      `terraform is not installed (tried "${TERRAFORM}"): the Terraform tests cannot run. Install terraform >= 1.9, set TERRAFORM_BIN, or set SKIP_TERRAFORM_TESTS=1 to skip them knowingly.`,
    );
  }
  return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
}

/** True when `root` mirrors hashicorp/aws at a version the modules accept (>= 5.100, < 7). */
function mirrorsAwsProvider(root: string): boolean {
  const versions = join(root, "registry.terraform.io", "hashicorp", "aws");
  if (!existsSync(versions)) return false;
  return readdirSync(versions).some((version) => {
    const [major = 0, minor = 0] = version.split(".").map(Number);
    return (major === 5 && minor >= 100) || major === 6;
  });
}

/** TF_PROVIDER_MIRROR, else a local mirror of hashicorp/aws found in the usual places, else none. */
export function providerMirror(): string | undefined {
  if (process.env.TF_PROVIDER_MIRROR) return process.env.TF_PROVIDER_MIRROR;
  const optional = (dir: string) => (existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []);
  const candidates = [
    join(homedir(), ".terraform.d", "plugins"),
    join(homedir(), ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
    ...optional("/opt"),
  ];
  return candidates.find(mirrorsAwsProvider);
}

let cliConfig: string | undefined;
/**
 * Go's garbage collector target for terraform (GOGC, Go runtime documentation): these plans allocate heavily, and
 * at 400 (collect when the heap has grown 4×, not 1×) the Terraform tests take about a quarter less CPU
 * (121 → 90 s for test/terraform.test.ts here) for at most about 1 GB per terraform process. A GOGC of the
 * caller's wins.
 */
export const TERRAFORM_GOGC = "400";
/**
 * Go's processor count for terraform (GOMAXPROCS, Go runtime documentation): the harness runs two terraform
 * processes at a time on these 2-core machines, so each gets one; with two, each process's collector and idle
 * processors compete with the other process (about 7 % more CPU for the same plan here). A GOMAXPROCS of the
 * caller's wins.
 */
export const TERRAFORM_GOMAXPROCS = "1";

/**
 * One AWS provider process for the terraform commands of this test process that can share one, when the provider
 * comes from a filesystem mirror (TF_SHARED_PROVIDER=0 turns it off). terraform otherwise starts the 707 MB
 * provider afresh about twice per run block (27 starts for the 11 runs of modules/vpc-cni's tests, 7.2 s of
 * system time in page faults of 19.4 s wall; reattached, 2.7 s wall). The provider is started in its debug mode
 * (`-debug`, which prints the TF_REATTACH_PROVIDERS value terraform then connects to instead of starting one;
 * Terraform's provider-debugging documentation); see SHARED_PROVIDER_COMMANDS for which commands use it. The
 * wrapper shell ends the provider when this process goes (its stdin closes).
 */
let sharedProvider: Promise<string | undefined> | undefined;
function reattachProviders(mirror: string): Promise<string | undefined> {
  if (process.env.TF_SHARED_PROVIDER === "0") return Promise.resolve(undefined);
  sharedProvider ??= new Promise((resolve) => {
    const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
    const versions = join(mirror, "registry.terraform.io", "hashicorp", "aws");
    const version = existsSync(versions) ? readdirSync(versions).sort().reverse().find((v) => existsSync(join(versions, v, platform))) : undefined;
    const binary = version && readdirSync(join(versions, version, platform)).find((file) => file.startsWith("terraform-provider-aws"));
    if (!version || !binary) return resolve(undefined);
    // TF_LOG_SDK=off: in its debug mode the provider otherwise formats the plugin SDK's trace log (about 13 MB of
    // JSON for the harness's tests, a quarter of its CPU) for a stderr nobody reads. A TF_LOG_SDK of the caller's wins.
    const child = spawn("sh", ["-c", '"$0" -debug & provider=$!; cat >/dev/null; kill "$provider"', join(versions, version, platform, binary)], {
      stdio: ["pipe", "pipe", "ignore"],
      env: { TF_LOG_SDK: "off", ...process.env },
    });
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on("line", (line) => {
      const found = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(line);
      // Later lines are read and dropped: a closed pipe would end the provider at its next write.
      if (found) resolve(found[1]);
    });
    child.on("error", () => resolve(undefined));
    child.on("close", () => resolve(undefined));
  });
  return sharedProvider;
}

/**
 * Commands that may share the provider: those that never configure it (mock_provider in `terraform test`; only the
 * schema for the others). A shared provider takes one configuration: configured a second time (a second plan of
 * the rollout fixture) it fails ("unable to add custom RootCAs HTTPClient"), so plan and apply start their own.
 */
const SHARED_PROVIDER_COMMANDS = new Set(["test", "validate", "show", "graph"]);

/** What attaches the shared provider (TF_REATTACH_PROVIDERS), when there is one; else nothing. */
async function sharedProviderEnv(): Promise<NodeJS.ProcessEnv> {
  const mirror = providerMirror();
  const reattach = mirror ? await reattachProviders(mirror) : undefined;
  return reattach ? { TF_REATTACH_PROVIDERS: reattach } : {};
}

/** terraformEnv, with the shared provider for the commands that may use it. */
async function envFor(command: string): Promise<NodeJS.ProcessEnv> {
  return { ...terraformEnv(), ...(SHARED_PROVIDER_COMMANDS.has(command) ? await sharedProviderEnv() : {}) };
}

/** Environment for terraform: quiet, no checkpoint calls, GOGC and GOMAXPROCS, the offline mirror when given. */
function terraformEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { GOGC: TERRAFORM_GOGC, GOMAXPROCS: TERRAFORM_GOMAXPROCS, ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
  const mirror = providerMirror();
  if (mirror) {
    if (!cliConfig) {
      cliConfig = join(mkdtempSync(join(tmpdir(), "eks-pod-density-tfrc-")), "terraform.rc");
      writeFileSync(
        cliConfig,
        `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`,
      );
    }
    env.TF_CLI_CONFIG_FILE = cliConfig;
  }
  return env;
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const MAX_PARALLEL = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Appends a terraform process's timing line to TERRAFORM_TIMING, when set. */
function timing(args: string[], cwd: string): (code: number) => void {
  const started = Date.now();
  return (code) => {
    if (!process.env.TERRAFORM_TIMING) return;
    const line = `${new Date(started).toISOString().slice(11, 19)} +${Date.now() - started} ms terraform ${args.join(" ")} (${cwd.split("/").slice(-2).join("/")}) exit ${code}\n`;
    appendFileSync(process.env.TERRAFORM_TIMING, line);
  };
}

/** Run terraform with `args` (a subcommand first; `-no-color` is added) in `cwd`, `extraEnv` added to its environment. */
export function terraform(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<TerraformResult> {
  const [command = "", ...rest] = args;
  return slot(
    async () =>
      new Promise(async (resolve) => {
        const env = { ...(await envFor(command)), ...extraEnv };
        const log = timing(args, cwd);
        execFile(
          TERRAFORM,
          [command, "-no-color", ...rest],
          { cwd, env, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
            log(code);
            resolve({ code, stdout, stderr });
          },
        );
      }),
  );
}

/**
 * Hands each line of `input` to `onLine`. With `cutAt`, a line is handed on only up to the first `cutAt` in it (and
 * `cut` is true): the rest of that line is skipped as it arrives, never gathered into one string.
 */
export function readLines(input: NodeJS.ReadableStream, onLine: (line: string, cut: boolean) => void, cutAt?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let parts: string[] = [];
    let cut = false;
    // The last characters kept of the line, where `cutAt` may have begun.
    let tail = "";
    const take = (text: string) => {
      if (cut || text === "") return;
      if (cutAt !== undefined) {
        const at = (tail + text).indexOf(cutAt);
        if (at >= 0) {
          // Keep what comes before it, taking back the characters of it already kept.
          let drop = tail.length - at;
          if (drop <= 0) parts.push(text.slice(0, at - tail.length));
          while (drop > 0 && parts.length > 0) {
            const last = parts.pop()!;
            if (last.length > drop) parts.push(last.slice(0, last.length - drop));
            drop -= last.length;
          }
          cut = true;
          return;
        }
        tail = (tail + text).slice(-(cutAt.length - 1));
      }
      parts.push(text);
    };
    // An error of onLine's fails the reading; the rest is still read (and dropped), so the writer never blocks.
    let failed = false;
    const hand = (line: string, wasCut: boolean) => {
      try {
        onLine(line, wasCut);
      } catch (error) {
        failed = true;
        reject(error);
      }
    };
    input.setEncoding("utf8");
    input.on("data", (chunk: string) => {
      let start = 0;
      for (let newline = chunk.indexOf("\n"); newline >= 0 && !failed; newline = chunk.indexOf("\n", start)) {
        take(chunk.slice(start, newline));
        hand(parts.join(""), cut);
        parts = [];
        cut = false;
        tail = "";
        start = newline + 1;
      }
      if (!failed) take(chunk.slice(start));
    });
    input.on("end", () => {
      if (parts.length > 0 && !failed) hand(parts.join(""), cut);
      resolve();
    });
    input.on("error", reject);
  });
}

/**
 * Run terraform like {@link terraform}, handing each line of its output to `onLine` as it comes instead of keeping
 * it, cut at `cutAt` as {@link readLines} does (`terraform test -json -verbose` writes each plan with the provider's
 * schema, tens of MB a line).
 */
export function terraformLines(
  args: string[],
  cwd: string,
  onLine: (line: string, cut: boolean) => void,
  cutAt?: string,
): Promise<Omit<TerraformResult, "stdout">> {
  const [command = "", ...rest] = args;
  return slot(
    () =>
      new Promise(async (resolve, reject) => {
        const env = await envFor(command);
        const log = timing(args, cwd);
        const child = spawn(TERRAFORM, [command, "-no-color", ...rest], { cwd, env });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        const read = readLines(child.stdout, onLine, cutAt);
        child.on("error", reject);
        child.on("close", (status) => {
          const code = status ?? 1;
          log(code);
          // Every line handed on before the result.
          void read.then(() => resolve({ code, stderr }), reject);
        });
      }),
  );
}

/** Run terraform and throw with its output when it fails. */
export async function terraformOk(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<TerraformResult> {
  const result = await terraform(args, cwd, extraEnv);
  if (result.code !== 0) {
    throw new Error(`terraform ${args.join(" ")} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/**
 * `terraform init` (no backend) of a folder whose commands all share the provider (SHARED_PROVIDER_COMMANDS): with
 * the shared provider attached, terraform installs the modules alone. Terraform's installer skips the providers
 * TF_REATTACH_PROVIDERS names (command/meta_providers.go, SetUnmanagedProviderTypes), and so do its lock checks
 * (annotateDependencyLocksWithOverrides): the harness folder's init 1.1–1.2 → 0.6–0.7 s of CPU here, a small
 * folder's about 0.2 s. Without a shared provider, a plain init.
 */
export async function initForSharedProvider(dir: string): Promise<TerraformResult> {
  return terraformOk(["init", "-backend=false", "-input=false"], dir, await sharedProviderEnv());
}

/** A throwaway working folder; `layout` maps folder names inside it to sources to copy. */
export function workdir(layout: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "eks-pod-density-tf-"));
  for (const [name, source] of Object.entries(layout)) {
    cpSync(source, join(dir, name), { recursive: true, filter: (path) => !path.includes("/.terraform") });
  }
  return dir;
}

export function removeWorkdir(dir: string): void {
  if (process.env.KEEP_WORKDIR) return;
  rmSync(dir, { recursive: true, force: true });
}

/** `terraform init` without backend, then `terraform validate`. */
export async function initAndValidate(dir: string): Promise<void> {
  await terraformOk(["init", "-backend=false", "-input=false"], dir);
  await terraformOk(["validate"], dir);
}

/** An error or warning terraform reports in `-json` output (`terraform test`, `terraform validate`). */
export interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail: string;
  readonly snippet?: { readonly context?: string | null };
}

/** What `terraform test -json` said of each test file, by file name without `tests/` and `.tftest.hcl`. */
export interface TestFileResults {
  /** Status of each test file (pass, fail, error). */
  readonly status: Record<string, string>;
  /** Error diagnostics of each test file. */
  readonly errors: Record<string, Diagnostic[]>;
  /**
   * Warnings: of each test file's runs (terraform test validates each run's configuration before planning it, as
   * `terraform validate` does, and reports its warnings with the run), and under CONFIGURATION_WARNINGS those of
   * loading the configurations (a root stack's backend, which applies only where the stack is the root).
   */
  readonly warnings: Record<string, Diagnostic[]>;
}

/** Key in TestFileResults.warnings of the warnings that name no test file (of loading the configurations). */
export const CONFIGURATION_WARNINGS = "(configuration)";

/** Results with nothing read yet. */
export const noTestResults = (): TestFileResults => ({ status: {}, errors: {}, warnings: {} });

/** The results of several `terraform test` processes as one; diagnostics under the same key (CONFIGURATION_WARNINGS) are kept together. */
export function mergeTestResults(all: readonly TestFileResults[]): TestFileResults {
  const merged = noTestResults();
  for (const results of all) {
    Object.assign(merged.status, results.status);
    for (const kind of ["errors", "warnings"] as const) {
      for (const [file, found] of Object.entries(results[kind])) (merged[kind][file] ??= []).push(...found);
    }
  }
  return merged;
}

/** Add one line of `terraform test -json` output (a test file's status, an error or a warning) to `results`. */
export function readTestLine(line: string, results: TestFileResults): void {
  if (!line.startsWith("{")) return;
  const message = JSON.parse(line) as { type?: string; "@testfile"?: string; test_file?: { status?: string }; diagnostic?: Diagnostic };
  const file = message["@testfile"]?.replace(/^tests\//, "").replace(/\.tftest\.hcl$/, "");
  if (message.type === "diagnostic" && message.diagnostic?.severity === "warning") (results.warnings[file ?? CONFIGURATION_WARNINGS] ??= []).push(message.diagnostic);
  if (!file) return;
  if (message.type === "test_file" && message.test_file?.status) results.status[file] = message.test_file.status;
  if (message.type === "diagnostic" && message.diagnostic?.severity === "error") (results.errors[file] ??= []).push(message.diagnostic);
}
