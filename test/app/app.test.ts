import { App } from "cdktf";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rootStacks, synthesizeRootStacks } from "../../src/app/app.js";
import { loadEnvironments } from "../../src/app/config.js";
import { readTree } from "../support/files.js";

const ENVIRONMENTS = [...loadEnvironments("environments"), ...loadEnvironments("test/terraform/environments")];

describe("synthesizeRootStacks", () => {
  const scratch = mkdtempSync(join(tmpdir(), "eks-pod-density-app-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const outdir = (name: string) => join(scratch, name);

  it("writes what app.synth() writes: every stack and the manifest", () => {
    // GIVEN every environment (shipped and test-only), synthesized by cdktf's app.synth() and by synthesizeRootStacks
    const cdktf = new App({ outdir: outdir("cdktf"), stackTraces: false });
    rootStacks(cdktf, ENVIRONMENTS);
    cdktf.synth();
    const ours = new App({ outdir: outdir("ours"), stackTraces: false });
    const stacks = synthesizeRootStacks(ours, ENVIRONMENTS);
    // THEN the files are the same, and no staging folder is left
    expect(stacks.map((stack) => stack.node.id)).toEqual(ENVIRONMENTS.map((env) => env.name));
    expect(readTree(outdir("ours"))).toEqual(readTree(outdir("cdktf")));
  });

  it("leaves the output folder as it was when a stack fails to build", () => {
    // GIVEN an output folder with a stack written before, and environments of which the second cannot be built
    const app = new App({ outdir: outdir("failing"), stackTraces: false });
    mkdirSync(join(app.outdir, "stacks", "old"), { recursive: true });
    writeFileSync(join(app.outdir, "stacks", "old", "cdk.tf.json"), "{}");
    const before = readTree(app.outdir);
    const [good] = ENVIRONMENTS;
    const bad = { ...good!, name: "bad", min_size: 3, max_size: 1 };
    // WHEN synthesized THEN it fails, and nothing in the folder changed (no stack, no manifest, no staging folder)
    expect(() => synthesizeRootStacks(app, [good!, bad])).toThrow(/min_size/);
    expect(readTree(app.outdir)).toEqual(before);
    expect(readdirSync(app.outdir)).toEqual(["stacks"]);
  });

  it("removes the staging folders of runs that are gone, not of runs still running", () => {
    // GIVEN the staging folder of a run that was killed, and one of a running process (this test's parent)
    const app = new App({ outdir: outdir("leftovers"), stackTraces: false });
    const gone = join(app.outdir, ".stacks.staging-999999999");
    const running = join(app.outdir, `.stacks.staging-${process.ppid}`);
    mkdirSync(join(gone, "stacks", "half"), { recursive: true });
    mkdirSync(running, { recursive: true });
    // WHEN synthesized THEN the dead run's folder is gone, the running one's stays
    synthesizeRootStacks(app, ENVIRONMENTS.slice(0, 1));
    expect(readdirSync(app.outdir).sort()).toEqual([`.stacks.staging-${process.ppid}`, "manifest.json", "stacks"]);
  });
});
