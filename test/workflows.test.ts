/**
 * The GitHub Actions workflows: actionlint finds nothing in them, and they keep
 * the shape the project relies on. ci.yml runs the README's commands on Node 22
 * and 24.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

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
  on: Record<string, { branches?: string[] } | null>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS = ".github/workflows";
const workflowText = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");
const workflow = (file: string) => parse(workflowText(file)) as Workflow;
const ci = workflow("ci.yml");

const runs = (job: Job) => job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));
const stepsUsing = (job: Job, action: string) => job.steps.filter((step) => step.uses?.startsWith(`${action}@`));

/** The Node.js line .ci/run tests on: this machine's Node 20 (the workflows test 22 and 24). */
const CI_RUN_NODE = 20;

describe("actionlint (scripts/lint-workflows.mjs)", () => {
  const lint = (...files: string[]) => {
    const result = spawnSync(process.execPath, [resolve("scripts/lint-workflows.mjs"), ...files], { encoding: "utf8" });
    return { code: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const scratch = mkdtempSync(join(tmpdir(), "eks-pod-density-workflows-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("finds nothing in .github/workflows", () => {
    expect(readdirSync(WORKFLOWS).sort()).toEqual(["ci.yml"]);
    const { code, output } = lint();
    expect(code, output).toBe(0);
    expect(output).toContain("actionlint: 1 workflow file(s), no findings");
  });

  it("fails on a broken workflow, naming file, line and problem", () => {
    const broken = join(scratch, "broken.yml");
    const text = workflowText("ci.yml").replace("  contents: read", "  content: read");
    expect(text).not.toBe(workflowText("ci.yml"));
    writeFileSync(broken, text);
    const { code, output } = lint(broken);
    expect(code).toBe(1);
    const line = text.split("\n").findIndex((row) => row.includes("content: read")) + 1;
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

  it("runs on pull requests and on pushes to main with a read-only token", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
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

describe("actions", () => {
  const uses = readdirSync(WORKFLOWS).flatMap((file) =>
    workflowText(file)
      .split("\n")
      .flatMap((line) => {
        const match = /^\s*(?:- )?uses: (\S+)(.*)$/.exec(line);
        return match ? [{ file, action: match[1]!, comment: match[2]!.trim() }] : [];
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
