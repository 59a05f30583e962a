/**
 * The npm package as an SRE team gets it. `npm pack` (whose prepack runs
 * `npm run build`: tsc into dist/) makes the tarball; a scratch cdktf app
 * outside the repository, which depends on cdktf, constructs and
 * @cdktf/provider-aws at the versions this repository tests with, installs
 * it with npm from the local npm cache (--prefer-offline: no network unless
 * the cache lacks something, and then only the registry). Those three are
 * already installed here, so the app starts with hard links to them (npm
 * keeps what satisfies the app's package.json) instead of unpacking the
 * provider's 360 MB again: about 3 s of the install's 7 on these machines.
 * Its TypeScript (test/package/consumer/main.mts) is
 * compiled against the package's declarations, run with node (no cdktf CLI)
 * and the stack it writes is planned against the mocked AWS account the
 * modules ship: a t3a.medium with prefix delegation gets 110 pods. Also: the
 * tarball holds the build and nothing of the repository's app; importing the
 * package exposes exactly the public API and loads no provider barrel; the
 * installed command runs; every package the compiled code imports is declared.
 */
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPTIONAL_PACKAGES } from "../src/cli/optional.js";
import { SKIP_REASON, requireTerraform, terraformOk } from "./support/terraform.js";

interface PackageJson {
  name: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
}

const ROOT = resolve(".");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as PackageJson;
const CONSUMER = "test/package/consumer";
/** Peers an app must install (the constructs' cdktf, constructs, provider), and the command's optional ones. */
const REQUIRED_PEERS = Object.keys(pkg.peerDependencies).filter((name) => !pkg.peerDependenciesMeta[name]?.optional);
const OPTIONAL_PEERS = Object.keys(pkg.peerDependencies).filter((name) => pkg.peerDependenciesMeta[name]?.optional);
/**
 * Most the package and what it installs beside the required peers may take in an app's node_modules: measured at
 * 7.0 MiB in 8 packages (2026-12-07), against 88.8 MiB in 81 when the command's AWS SDK and Kubernetes client came along.
 */
const INSTALLED_BUDGET_MB = 20;

/** Size in bytes of the files under `dir` (each file once, as `du` counts hard links). */
function treeBytes(dir: string, seen = new Set<number>()): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(path, seen);
    else if (entry.isFile()) {
      const { ino, size } = statSync(path);
      if (!seen.has(ino)) total += size;
      seen.add(ino);
    }
  }
  return total;
}

/** The public API: what src/index.ts exports at run time (types aside). The README lists the same. */
const PUBLIC_API = [
  "EVICTION_HARD_MIB",
  "INSTANCE_REFRESH_DEFAULTS",
  "InputError",
  "MEMORY_MIB_BASE",
  "MEMORY_MIB_PER_POD",
  "NODE_GROUP_DEFAULTS",
  "NodeGroup",
  "POD_HEADROOM_MIB",
  "PrefixReservations",
  "VPC_CNI_DEFAULTS",
  "VpcCniAddon",
  "automaticMaxPods",
  "kubeReservedFor",
  "kubeletMemoryMiB",
];

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a program; resolves with its exit code and output (never rejects). */
function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(file: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const result = await run(file, args, cwd, env);
  if (result.code !== 0) throw new Error(`${file} ${args.join(" ")} failed in ${cwd} (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** npm as `npm test` runs it (npm_execpath), else the one on PATH. */
function npm(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const cli = process.env.npm_execpath;
  return cli ? ok(process.execPath, [cli, ...args], cwd, env) : ok("npm", args, cwd, env);
}

/** The environment for npm in the scratch app: without what the outer `npm test` says about this repository. */
function scratchEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_(package_|lifecycle_|command$|config_local_prefix$)/.test(name)),
  );
}

/** Copy the tree `from` to `to` as hard links (copies across file systems), symbolic links as they are. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
        copyFileSync(source, target);
      }
    }
  }
}

/** Every file under `dir`, relative to it, with / separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

/** Packages a compiled file imports by name (static and dynamic imports), as scope/name or name. */
function importedPackages(code: string): string[] {
  const specifiers = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"'./][^"']*)["']/g)].map((match) => match[1]!);
  return specifiers.filter((specifier) => !specifier.startsWith("node:")).map((specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/"));
}

/** The version the repository tests a peer dependency with: its devDependency, pinned. */
const testedVersion = (name: string) => pkg.devDependencies[name]!;

describe("importedPackages (the dependency check's reader)", () => {
  it("finds static, side-effect and dynamic imports by package name, not relative files or node builtins", () => {
    const code = [
      'import { Construct } from "constructs";',
      'import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon/index.js";',
      'import "side-effect";',
      'const { EC2Client } = await import("@aws-sdk/client-ec2");',
      'import { run } from "./main.js";',
      'import { parseArgs } from "node:util";',
    ].join("\n");
    expect(importedPackages(code)).toEqual(["constructs", "@cdktf/provider-aws", "side-effect", "@aws-sdk/client-ec2"]);
  });
});

describe("the npm package, packed, installed and used by a cdktf app", () => {
  let scratch: string;
  let app: string;
  let tarballFiles: string[];
  let installed: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "eks-pod-density-package-"));
    const packed = await npm(["pack", "--json", "--pack-destination", scratch], ROOT);
    const [tarball] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    tarballFiles = tarball!.files.map((file) => file.path).sort();

    // A cdktf app of its own, outside the repository: the package from the tarball, the required peers at the tested
    // versions, and not the command's optional ones (an app that only uses the constructs).
    app = join(scratch, "app");
    mkdirSync(app);
    const dependencies = Object.fromEntries([
      [pkg.name, `file:${join(scratch, tarball!.filename)}`],
      ...REQUIRED_PEERS.map((name) => [name, testedVersion(name)]),
    ]);
    writeFileSync(join(app, "package.json"), `${JSON.stringify({ name: "consumer", private: true, type: "module", dependencies }, null, 2)}\n`);
    for (const file of ["main.mts", "wrong-ami-type.mts", "tsconfig.json", "tsconfig.wrong.json"]) cpSync(join(CONSUMER, file), join(app, file));
    for (const name of REQUIRED_PEERS) linkTree(join(ROOT, "node_modules", name), join(app, "node_modules", name));
    await npm(["install", "--prefer-offline", "--no-audit", "--no-fund"], app, scratchEnv());
    installed = join(app, "node_modules", pkg.name);
  }, 240_000);

  // Removing the installed app (its node_modules is a tree of links and copies) took over vitest's default 10 s on a
  // machine at load average 11 on 2 cores; the removal is cleanup, not what is tested.
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  it("holds the compiled build with declarations, the command, the modules' mocks, README and CHANGELOG: no sources, tests, modules or app", () => {
    const outside = tarballFiles.filter((file) => !file.startsWith("dist/"));
    expect(outside).toEqual(["CHANGELOG.md", "README.md", "bin/eks-pod-density.mjs", "modules/node-group/mocks/aws.tfmock.hcl", "package.json"]);
    // The mocked AWS account for consumers' terraform tests, as the modules ship it.
    expect(readFileSync(join(installed, "modules/node-group/mocks/aws.tfmock.hcl"), "utf8")).toBe(readFileSync("modules/node-group/mocks/aws.tfmock.hcl", "utf8"));
    const built = tarballFiles.filter((file) => file.startsWith("dist/"));
    expect(built).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/cli/bin.js"]));
    for (const file of built) expect(file, "only JavaScript and declarations").toMatch(/\.(js|d\.ts)$/);
    for (const file of built.filter((name) => name.endsWith(".js"))) expect(built, file).toContain(file.replace(/\.js$/, ".d.ts"));
    // The app-only parts stay in the repository.
    for (const internal of ["app/app", "app/generate", "terraform/module-stack", "app/root-stack", "app/modules/node-group"]) {
      expect(built, internal).not.toContain(`dist/${internal}.js`);
    }
    expect(filesUnder(installed).filter((file) => file !== "package.json")).toEqual(tarballFiles.filter((file) => file !== "package.json"));
  });

  it("declares every package its code imports, and no other (the peers at the versions tested here)", () => {
    const code = filesUnder(join(installed, "dist"))
      .filter((file) => file.endsWith(".js"))
      .map((file) => readFileSync(join(installed, "dist", file), "utf8"));
    const imported = [...new Set(code.flatMap(importedPackages))].sort();
    const declared = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)].sort();
    expect(imported).toEqual(declared);
    for (const [name, range] of Object.entries(pkg.peerDependencies)) expect(range, name).toBe(`^${testedVersion(name)}`);
    // The command's packages are optional peers, and the command names the same ranges when one is missing.
    expect(OPTIONAL_PEERS).toEqual(["@aws-sdk/client-ec2", "@kubernetes/client-node"]);
    expect(Object.fromEntries(OPTIONAL_PEERS.map((name) => [name, pkg.peerDependencies[name]]))).toEqual(OPTIONAL_PACKAGES);
  });

  it("installs without the command's AWS SDK and Kubernetes client, and stays small", () => {
    for (const name of OPTIONAL_PEERS) expect(existsSync(join(app, "node_modules", name)), name).toBe(false);
    expect(existsSync(join(app, "node_modules", "@smithy"))).toBe(false);
    // What the package adds to the app beside the peers it shares with it.
    const nodeModules = join(app, "node_modules");
    const peers = new Set(REQUIRED_PEERS.map((name) => name.split("/")[0]!));
    const own = readdirSync(nodeModules)
      .filter((name) => !peers.has(name) && name !== ".package-lock.json")
      .reduce((bytes, name) => bytes + treeBytes(join(nodeModules, name)), 0);
    const total = treeBytes(nodeModules);
    console.log(`installed: node_modules ${(total / 2 ** 20).toFixed(1)} MB, of which eks-pod-density and its dependencies ${(own / 2 ** 20).toFixed(1)} MB`);
    expect(own / 2 ** 20).toBeLessThan(INSTALLED_BUDGET_MB);
  });

  it("exports exactly the public API, to import and to require(), keeps its internals private, and loads no provider barrel", async () => {
    const probe = [
      'import { createRequire } from "node:module";',
      "const started = performance.now();",
      `const api = await import(${JSON.stringify(pkg.name)});`,
      "const ms = Math.round(performance.now() - started);",
      "const loaded = Object.keys(createRequire(import.meta.url).cache);",
      "let internal;",
      `try { await import(${JSON.stringify(`${pkg.name}/dist/app/config.js`)}); internal = "loaded"; } catch (error) { internal = error.code; }`,
      "console.log(JSON.stringify({ ms, exports: Object.keys(api).sort(), loaded, internal }));",
    ].join("\n");
    writeFileSync(join(app, "probe.mjs"), probe);
    const { stdout } = await ok(process.execPath, ["probe.mjs"], app);
    const result = JSON.parse(stdout) as { ms: number; exports: string[]; loaded: string[]; internal: string };
    expect(result.exports).toEqual(PUBLIC_API);
    expect(result.internal).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
    // A CommonJS app (cdktf's TypeScript template compiles to CommonJS) require()s the same: Node loads ES modules
    // with require() by default from 20.19.0 and 22.12.0 (their release notes), the lines engines names.
    const commonJs = await ok(process.execPath, ["-e", `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(pkg.name)})).sort()))`], app);
    expect(JSON.parse(commonJs.stdout)).toEqual(PUBLIC_API);
    // CommonJS modules the import loaded, the provider's among them: one folder per resource class used, never
    // the barrel (lib/index.js, the package's main), which loads all ~2,000 (README, Performance).
    const provider = result.loaded
      .filter((file) => file.includes("/node_modules/@cdktf/provider-aws/"))
      .map((file) => file.split("/node_modules/@cdktf/provider-aws/")[1]!);
    expect(provider).toContain("lib/eks-addon/index.js");
    expect(provider).not.toContain("lib/index.js");
    for (const file of provider) expect(file).toMatch(/^lib\/[a-z0-9-]+\/index\.js$/);
    console.log(`import ${pkg.name}: ${result.ms} ms, ${provider.length} provider resource modules`);
  });

  it("installs the eks-pod-density command, which runs its compiled build", async () => {
    const offline = ["--enis", "3", "--ips-per-eni", "6", "--vcpus", "2", "--hypervisor", "nitro", "--memory", "4096"];
    const bin = join(app, "node_modules", ".bin", Object.keys(pkg.bin)[0]!);
    const { stdout } = await ok(bin, ["max-pods", "t3a.medium", "--prefix-delegation", ...offline, "--json"], app);
    const report = JSON.parse(stdout) as { maxPods: number; kubeReserved: Record<string, string> };
    expect(report.maxPods).toBe(110);
    expect(report.kubeReserved.memory).toBe("1465Mi");
    // Asking EC2, and verify, need the optional packages: the command says which and how to install them.
    const lookup = await run(bin, ["max-pods", "m5.large"], app);
    expect(lookup.code).toBe(2);
    expect(lookup.stderr).toContain('needs @aws-sdk/client-ec2, which is not installed');
    expect(lookup.stderr).toContain('npm install --save-dev "@aws-sdk/client-ec2@^3.1169.0"');
    const verify = await run(bin, ["verify", "--cluster", "sre-test", "--region", "ap-northeast-1", "--subnets", "subnet-0123456789abcdef0"], app);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain('verify: eks-pod-density verify needs @kubernetes/client-node, which is not installed');
  });

  it("refuses a wrong amiType literal at compile time, with the published declarations", async () => {
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", "tsconfig.wrong.json"], app);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/wrong-ami-type\.mts\(\d+,\d+\): error TS\d+: Type '"AL2023_ARM_64"' is not assignable to type/);
  });

  it("compiles against the package's declarations and synthesizes without the cdktf CLI", async () => {
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    await ok(process.execPath, [tsc, "-p", "tsconfig.json"], app);
    await ok(process.execPath, ["main.mjs"], app);
    const synthesized = JSON.parse(readFileSync(join(app, "cdktf.out", "stacks", "nodes", "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, unknown>>;
      output: Record<string, { value: unknown }>;
    };
    expect(Object.keys(synthesized.resource)).toEqual(expect.arrayContaining(["aws_eks_addon", "aws_launch_template", "aws_autoscaling_group"]));
    expect(synthesized.output.max_pods?.value).toMatch(/^\$\{local\.nodes_max_pods_\w+\}$/);
    // The same rule in the app's own code (automaticMaxPods, from EC2's figures for a t3a.medium).
    expect(synthesized.output.planned_max_pods?.value).toBe(110);
  });

  it.skipIf(SKIP_REASON)(
    "plans 110 pods for a t3a.medium with prefix delegation, and kube-reserved for them (terraform test, mocked AWS)",
    async () => {
      requireTerraform();
      // The modules' mocked AWS account, as the package ships it: a t3a.medium as EC2 describes it, an active cluster.
      const stack = join(app, "cdktf.out", "stacks", "nodes");
      mkdirSync(join(stack, "tests"));
      cpSync(join(CONSUMER, "nodes.tftest.hcl"), join(stack, "tests", "nodes.tftest.hcl"));
      await terraformOk(["init", "-backend=false", "-input=false"], stack);
      const { stdout } = await terraformOk(["test"], stack);
      expect(stdout).toContain("1 passed, 0 failed");
    },
    240_000,
  );
});
