/**
 * The GitHub Actions workflows: actionlint finds nothing in them, and they keep
 * the shape the project relies on. ci.yml runs the README's commands on Node 22
 * and 24; deploy.yml plans every environment on pull requests and deploys it from
 * main behind its GitHub environment, with AWS credentials from GitHub's OIDC provider.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { load as parse } from "js-yaml";
import { loadEnvironments, parseEnvironment } from "../../src/app/config.js";
import { workflowMatrix } from "../../src/app/workflow-matrix.js";

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  uses?: string;
  "timeout-minutes"?: number;
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, { branches?: string[]; tags?: string[] } | null>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS = ".github/workflows";
const workflowText = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");
const workflow = (file: string) => parse(workflowText(file)) as Workflow;
const ci = workflow("ci.yml");
const deploy = workflow("deploy.yml");
const release = workflow("release.yml");

const runs = (job: Job) => job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));
const stepsUsing = (job: Job, action: string) => job.steps.filter((step) => step.uses?.startsWith(`${action}@`));
const indexOf = (job: Job, test: (step: Step) => boolean) => {
  const index = job.steps.findIndex(test);
  expect(index, "step not found").toBeGreaterThanOrEqual(0);
  return index;
};

/** The Node.js line .ci/run tests on: this machine's Node 20 (the workflows test 22 and 24). */
const CI_RUN_NODE = 20;

describe("actionlint (scripts/lint-workflows.mjs)", () => {
  const scratch = mkdtempSync(join(tmpdir(), "eks-pod-density-workflows-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const files = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));
  // One run of the linter (a WebAssembly start-up costs seconds) over the project's workflows and a broken copy.
  const broken = join(scratch, "broken.yml");
  const brokenText = workflowText("ci.yml").replace("  contents: read", "  content: read");
  writeFileSync(broken, brokenText);
  const result = spawnSync(process.execPath, [resolve("scripts/lint-workflows.mjs"), ...files.map((file) => join(WORKFLOWS, file)), broken], { encoding: "utf8" });
  const output = `${result.stdout}${result.stderr}`;

  it("finds nothing in .github/workflows", () => {
    expect(files).toEqual(expect.arrayContaining(["ci.yml", "deploy.yml", "release.yml"]));
    const findings = output.split("\n").filter((line) => /^\S+\.ya?ml:\d+:\d+: /.test(line));
    // Findings name files relative to the project: only the broken copy may have any.
    expect(findings.filter((line) => !line.split(":")[0]!.endsWith("/broken.yml")), output).toEqual([]);
  });

  it("fails on a broken workflow, naming file, line and problem", () => {
    expect(brokenText).not.toBe(workflowText("ci.yml"));
    expect(result.status, output).toBe(1);
    const line = brokenText.split("\n").findIndex((row) => row.includes("content: read")) + 1;
    expect(output).toMatch(new RegExp(`broken\\.yml:${line}:\\d+: unknown permission scope "content".*\\[permissions\\]`));
  });
});

describe("ci.yml", () => {
  const test = ci.jobs.test;

  it("tests on Node 22 and 24, each leg to the end", () => {
    expect(test.strategy?.matrix?.node).toEqual([22, 24]);
    expect(test.strategy?.["fail-fast"]).toBe(false);
    expect(stepsUsing(test, "actions/setup-node").map((step) => step.with?.["node-version"])).toEqual(["${{ matrix.node }}"]);
  });

  it("runs the README's commands and fails when npm run synth changes or adds files in modules/", () => {
    const commands = runs(test);
    const synth = commands.indexOf("npm ci && npm run synth");
    const check = commands.findIndex((run) => run.includes("git status --porcelain -- modules"));
    const tests = commands.indexOf("npm test");
    expect(synth).toBeGreaterThanOrEqual(0);
    expect(check).toBeGreaterThan(synth);
    expect(tests).toBeGreaterThan(check);
    expect(commands[check]).toMatch(/if \[ -n "\$changes" \]; then[\s\S]*exit 1/);
    expect(commands.join("\n")).not.toContain("git diff");
    // The same check as the project's own CI script.
    expect(readFileSync(".ci/run", "utf8")).toContain('if [ -n "$(git status --porcelain -- modules)" ]; then');
  });

  it("runs on pull requests, on pushes to main and when release.yml calls it, with a read-only token", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push", "workflow_call"]);
    expect(ci.on.workflow_call).toBeNull();
    expect(ci.on.push?.branches).toEqual(["main"]);
    expect(ci.permissions).toEqual({ contents: "read" });
  });
});

describe("package.json engines", () => {
  const engines = (JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } }).engines.node;
  const ranges = engines.split("||").map((range) => range.trim());

  it("names exactly the Node.js lines that are tested: .ci/run's and ci.yml's", () => {
    for (const range of ranges) expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    const majors = ranges.map((range) => Number(range.slice(1).split(".")[0]));
    const tested = [...new Set([CI_RUN_NODE, ...(ci.jobs.test.strategy?.matrix?.node as number[])])].sort((a, b) => a - b);
    expect(majors).toEqual(tested);
  });

  it("allow the Node.js running these tests", () => {
    const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
    const range = ranges.find((candidate) => Number(candidate.slice(1).split(".")[0]) === major);
    expect(range, `Node ${process.versions.node} is outside engines ${engines}`).toBeDefined();
    expect(minor).toBeGreaterThanOrEqual(Number(range!.split(".")[1]));
  });
});

describe("deploy.yml", () => {
  const { environments, diff, deploy: apply } = deploy.jobs;
  const MATRIX = "${{ fromJSON(needs.environments.outputs.matrix) }}";

  it("runs on pull requests and on pushes to main, with a read-only token by default", () => {
    expect(Object.keys(deploy.on).sort()).toEqual(["pull_request", "push"]);
    expect(deploy.on.push?.branches).toEqual(["main"]);
    expect(deploy.permissions).toEqual({ contents: "read" });
    expect(environments.permissions).toBeUndefined();
  });

  it("builds its matrix from the environment files", () => {
    const list = environments.steps.find((step) => step.id === "list");
    expect(list?.run).toContain("matrix=$(npm run --silent environments)");
    expect(list?.run).toContain('echo "matrix=$matrix" >> "$GITHUB_OUTPUT"');
    expect(environments.outputs).toEqual({ matrix: "${{ steps.list.outputs.matrix }}" });
    for (const job of [diff, apply]) {
      expect(job.needs).toBe("environments");
      expect(job.strategy?.matrix).toEqual({ environment: MATRIX });
      expect(job.strategy?.["fail-fast"]).toBe(false);
      expect(job.env?.ENVIRONMENT).toBe("${{ matrix.environment.name }}");
    }
  });

  it("plans each environment on pull requests from this repository, with the read-only role and no GitHub environment", () => {
    expect(diff.if).toBe("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository");
    expect(diff.environment).toBeUndefined();
    expect(runs(diff)).toContain('npx cdktf diff "$ENVIRONMENT"');
    expect(runs(diff).join("\n")).not.toContain("cdktf deploy");
    expect(stepsUsing(diff, "aws-actions/configure-aws-credentials")[0]?.with?.["role-to-assume"]).toBe(
      "${{ vars[format('AWS_PLAN_ROLE_ARN_{0}', matrix.environment.variable_suffix)] || vars.AWS_PLAN_ROLE_ARN }}",
    );
    expect(diff.env?.TF_CLI_ARGS_plan).toBe("-lock=false");
    expect(diff.concurrency).toEqual({
      group: "diff-${{ github.event.pull_request.number }}-${{ matrix.environment.name }}",
      "cancel-in-progress": true,
    });
  });

  it("deploys each environment only from main, behind the GitHub environment of the same name, one deploy at a time", () => {
    expect(apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(apply.environment).toEqual({ name: "${{ matrix.environment.name }}" });
    expect(runs(apply)).toContain('npx cdktf deploy "$ENVIRONMENT" --auto-approve');
    expect(runs(apply).join("\n")).not.toContain("cdktf diff");
    expect(stepsUsing(apply, "aws-actions/configure-aws-credentials")[0]?.with?.["role-to-assume"]).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    expect(apply.concurrency).toEqual({ group: "deploy-${{ matrix.environment.name }}", "cancel-in-progress": false });
  });

  it("gets AWS credentials only through OIDC, in the jobs that need them", () => {
    for (const [name, job] of Object.entries(deploy.jobs)) {
      const credentials = stepsUsing(job, "aws-actions/configure-aws-credentials");
      if (name === "environments") {
        expect(credentials).toEqual([]);
        continue;
      }
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(credentials).toHaveLength(1);
      expect(Object.keys(credentials[0]!.with ?? {}).sort()).toEqual(["aws-region", "role-session-name", "role-to-assume"]);
      expect(credentials[0]!.with?.["aws-region"]).toBe("${{ matrix.environment.region }}");
    }
    expect(workflowText("deploy.yml")).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/i);
  });

  it("installs, refuses local state before assuming a role, and runs cdktf after the credentials", () => {
    for (const job of [diff, apply]) {
      const refuse = indexOf(job, (step) => step.if === "matrix.environment.backend == 'local'");
      expect(job.steps[refuse]!.run).toContain("exit 1");
      const install = indexOf(job, (step) => step.run === "npm ci");
      const credentials = indexOf(job, (step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@") === true);
      const cdktf = indexOf(job, (step) => step.run?.startsWith("npx cdktf ") === true);
      expect(refuse).toBeLessThan(credentials);
      expect(install).toBeLessThan(cdktf);
      expect(credentials).toBeLessThan(cdktf);
    }
  });

  it("installs the Terraform that ci.yml tests with, wrapper off, at least 1.10 (S3-native state locking)", () => {
    const [tested] = stepsUsing(ci.jobs.test, "hashicorp/setup-terraform").map((step) => step.with);
    expect(tested?.terraform_wrapper).toBe(false);
    const version = String(tested?.terraform_version);
    const [major, minor] = version.split(".").map(Number) as [number, number];
    expect(major > 1 || minor >= 10, version).toBe(true);
    for (const job of [diff, apply]) {
      const [setup] = stepsUsing(job, "hashicorp/setup-terraform");
      expect(setup?.with?.terraform_version).toBe(version);
      expect(setup?.with?.terraform_wrapper).toBe(false);
    }
  });

  it("runs a Node.js line that ci.yml tests and that the cdktf CLI loads on", () => {
    const tested = ci.jobs.test.strategy?.matrix?.node as number[];
    const versions = Object.values(deploy.jobs).flatMap((job) => stepsUsing(job, "actions/setup-node").map((step) => step.with?.["node-version"]));
    expect(versions).toHaveLength(3);
    expect(new Set(versions).size).toBe(1);
    const major = Number(versions[0]);
    expect(tested).toContain(major);
    // The cdktf CLI loads node-pty at start; without its (unapproved) install script only the prebuilt binaries
    // it ships exist, one per Node.js ABI (process.versions.modules: Node 20 is 115, 22 is 127, 24 is 137).
    const abi = ({ 20: 115, 22: 127, 24: 137 } as Record<number, number>)[major];
    if (Number(process.versions.node.split(".")[0]) === major) expect(String(abi)).toBe(process.versions.modules);
    const prebuild = `node_modules/@cdktf/node-pty-prebuilt-multiarch/prebuilds/linux-x64/node.abi${abi}.node`;
    expect(existsSync(prebuild), `no ${prebuild}: the cdktf CLI cannot start on Node ${major}`).toBe(true);
    // ci.yml runs the CLI on that line.
    const cli = ci.jobs.test.steps.find((step) => step.run === "npx cdktf synth");
    expect(cli?.if).toBe(`matrix.node == ${major}`);
  });
});

describe("release.yml", () => {
  const { check, test, publish, "github-release": githubRelease } = release.jobs;
  const TAG = '"$GITHUB_REF_NAME"';

  it("runs only for a pushed version tag, one release at a time, never cancelled, with a read-only token by default", () => {
    expect(release.on).toEqual({ push: { tags: ["v*.*.*"] } });
    expect(release.permissions).toEqual({ contents: "read" });
    expect(release.concurrency).toEqual({ group: "release", "cancel-in-progress": false });
    expect(Object.keys(release.jobs)).toEqual(["check", "test", "publish", "github-release"]);
  });

  it("checks the tag against package.json, CHANGELOG.md and the repository before anything else runs", () => {
    expect(check.needs).toBeUndefined();
    expect(runs(check)).toContain(`npm run --silent release-notes -- ${TAG} --repository "$GITHUB_REPOSITORY"`);
    expect(indexOf(check, (step) => step.run === "npm ci")).toBeLessThan(indexOf(check, (step) => step.run?.includes("release-notes") === true));
  });

  it("runs ci.yml's tests at the tag, then publishes, then makes the GitHub release", () => {
    expect(test).toMatchObject({ needs: "check", uses: "./.github/workflows/ci.yml", permissions: { contents: "read" } });
    expect(publish.needs).toBe("test");
    expect(githubRelease.needs).toBe("publish");
  });

  it("publishes the npm package with provenance, the only job with an OIDC token, behind the GitHub environment npm", () => {
    // npm signs provenance with the job's OIDC token (npm docs, "Generating provenance statements": id-token: write).
    expect(publish.permissions).toEqual({ contents: "read", "id-token": "write" });
    for (const [name, job] of Object.entries(release.jobs)) {
      if (name !== "publish") expect(job.permissions?.["id-token"], name).toBeUndefined();
    }
    expect(publish.environment).toBe("npm");
    const [setup] = stepsUsing(publish, "actions/setup-node");
    expect(setup?.with?.["registry-url"]).toBe("https://registry.npmjs.org");
    // Trusted publishing needs Node 22.14 or later with npm 11.5.1 or later (npm docs): a line ci.yml tests.
    expect(Number(setup?.with?.["node-version"])).toBeGreaterThanOrEqual(22);
    expect(ci.jobs.test.strategy?.matrix?.node).toContain(setup?.with?.["node-version"]);
    const commands = runs(publish).join("\n");
    expect(commands).toMatch(/^\s*npm publish --provenance --access public --tag "\$tag"$/m);
    expect(indexOf(publish, (step) => step.run === "npm ci")).toBeLessThan(indexOf(publish, (step) => step.name === "npm publish"));
    expect(publish.steps.find((step) => step.name === "npm publish")?.env).toEqual({ NODE_AUTH_TOKEN: "${{ secrets.NPM_TOKEN }}" });
  });

  it("makes the GitHub release of the tag with the CHANGELOG.md entry as its notes, the only job that writes to the repository", () => {
    expect(githubRelease.permissions).toEqual({ contents: "write" });
    for (const [name, job] of Object.entries(release.jobs)) {
      if (name !== "github-release") expect(job.permissions?.contents ?? "read", name).toBe("read");
    }
    const script = runs(githubRelease).join("\n");
    expect(script).toContain(`npm run --silent release-notes -- ${TAG} > "$RUNNER_TEMP/notes.md"`);
    expect(script).toContain(`gh release create ${TAG} --verify-tag --title ${TAG} --notes-file "$RUNNER_TEMP/notes.md"`);
  });

  it("checks out without keeping credentials and gives every job a timeout", () => {
    for (const [name, job] of Object.entries(release.jobs)) {
      if (job.uses) continue;
      expect(job["timeout-minutes"], name).toBeGreaterThan(0);
      for (const step of stepsUsing(job, "actions/checkout")) expect(step.with?.["persist-credentials"], name).toBe(false);
    }
  });
});

describe("actions", () => {
  const uses = readdirSync(WORKFLOWS).flatMap((file) =>
    workflowText(file)
      .split("\n")
      .flatMap((line) => {
        const match = /^\s*(?:- )?uses: (\S+)(.*)$/.exec(line);
        // A workflow of this repository (./.github/workflows/...) runs from the same commit: nothing to pin.
        return match && !match[1]!.startsWith("./") ? [{ file, action: match[1]!, comment: match[2]!.trim() }] : [];
      }),
  );

  it("are pinned to full commit SHAs, with the release in a comment, the same SHA wherever an action is used", () => {
    expect(uses.length).toBeGreaterThan(0);
    const pins = new Map<string, Set<string>>();
    for (const { file, action, comment } of uses) {
      expect(action, `${file}: ${action}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(comment, `${file}: ${action}`).toMatch(/^# v\d+\.\d+\.\d+$/);
      const [name, sha] = action.split("@") as [string, string];
      pins.set(name, (pins.get(name) ?? new Set()).add(`${sha} ${comment}`));
    }
    for (const [name, shas] of pins) expect([...shas], name).toHaveLength(1);
  });
});

describe("the deploy matrix (npm run environments)", () => {
  const articleText = readFileSync("environments/article.yaml", "utf8");

  it("lists every environment file with the region and backend its jobs need", () => {
    const result = spawnSync(process.execPath, ["scripts/run.mjs", "scripts/environments.ts"], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    const matrix = JSON.parse(result.stdout) as ReturnType<typeof workflowMatrix>;
    expect(matrix).toEqual(workflowMatrix(loadEnvironments("environments")));
    const files = readdirSync("environments").filter((file) => /\.ya?ml$/.test(file));
    expect(matrix.map((entry) => entry.name)).toEqual(files.map((file) => file.replace(/\.ya?ml$/, "")).sort());
    expect(matrix[0]).toEqual({ name: "article", region: "ap-northeast-1", backend: "local", tfc_hostname: "", variable_suffix: "ARTICLE" });
  });

  it("names the HCP Terraform host of a cloud backend and the plan role variable of a hyphenated name", () => {
    const text = articleText.replace(/backend:\n  type: local\n/, "backend: { type: cloud, organization: sre, workspace: eks-pod-density-eu-test, hostname: tfe.example.com }\n");
    expect(text).not.toBe(articleText);
    const [entry] = workflowMatrix([parseEnvironment("environments/eu-test.yaml", text)]);
    expect(entry).toEqual({ name: "eu-test", region: "ap-northeast-1", backend: "cloud", tfc_hostname: "tfe.example.com", variable_suffix: "EU_TEST" });
  });

  it("fails on a bad environment file, naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "eks-pod-density-matrix-"));
    try {
      mkdirSync(join(dir, "environments"));
      writeFileSync(join(dir, "environments", "bad.yaml"), articleText.replace("region: ap-northeast-1", "region: nowhere"));
      const result = spawnSync(process.execPath, [resolve("scripts/run.mjs"), resolve("scripts/environments.ts")], {
        cwd: dir,
        encoding: "utf8",
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("environments refused:");
      expect(result.stderr).toContain("bad.yaml");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
