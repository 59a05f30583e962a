import { App, TerraformOutput } from "cdktf";
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer.js";
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rootStacks } from "../../src/app/app.js";
import { loadEnvironments } from "../../src/app/config.js";
import { ReadableStack } from "../../src/terraform/readable-stack.js";
import { WriteIfChangedSynthesizer } from "../../src/app/stack-synthesizer.js";
import { readTree } from "../support/files.js";

const ENVIRONMENTS = [...loadEnvironments("environments"), ...loadEnvironments("test/terraform/environments")];
const scratch = mkdtempSync(join(tmpdir(), "eks-pod-density-synthesizer-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An app in a folder of its own under the scratch folder. */
const app = (name: string) => new App({ outdir: join(scratch, name), stackTraces: false });
const stackFile = (outdir: string, stack: string) => join(outdir, "stacks", stack, "cdk.tf.json");

describe("WriteIfChangedSynthesizer", () => {
  it("is what a root stack synthesizes with", () => {
    expect(rootStacks(app("default"), ENVIRONMENTS.slice(0, 1))[0]!.synthesizer).toBeInstanceOf(WriteIfChangedSynthesizer);
  });

  it("writes what cdktf's own synthesizer writes, every stack and the manifest", () => {
    // GIVEN every environment's root stack, once with cdktf's synthesizer put back and once as it is
    const cdktf = app("cdktf");
    for (const stack of rootStacks(cdktf, ENVIRONMENTS)) stack.synthesizer = new StackSynthesizer(stack);
    const ours = app("ours");
    rootStacks(ours, ENVIRONMENTS);
    // WHEN both apps synthesize
    cdktf.synth();
    ours.synth();
    // THEN the folders are the same
    expect(readTree(ours.outdir)).toEqual(readTree(cdktf.outdir));
  });

  it("leaves a stack file whose content is unchanged alone, and rewrites one that changed", () => {
    // GIVEN two stacks synthesized once, their files then dated in the past, the second one's content changed by hand
    const outdir = join(scratch, "rewrite");
    const synth = () => {
      const again = new App({ outdir, stackTraces: false });
      for (const id of ["same", "changed"]) {
        const stack = new ReadableStack(again, id);
        stack.synthesizer = new WriteIfChangedSynthesizer(stack);
        new TerraformOutput(stack, "out", { value: id });
      }
      again.synth();
    };
    synth();
    const past = new Date(Date.UTC(2026, 0, 1));
    for (const id of ["same", "changed"]) utimesSync(stackFile(outdir, id), past, past);
    const original = readFileSync(stackFile(outdir, "changed"), "utf8");
    writeFileSync(stackFile(outdir, "changed"), original.replace('"value": "changed"', '"value": "edited"'));
    utimesSync(stackFile(outdir, "changed"), past, past);
    // WHEN synthesized again
    synth();
    // THEN the unchanged file keeps its date; the changed one is written back as synthesized
    expect(statSync(stackFile(outdir, "same")).mtime).toEqual(past);
    expect(statSync(stackFile(outdir, "changed")).mtime).not.toEqual(past);
    expect(readFileSync(stackFile(outdir, "changed"), "utf8")).toBe(original);
  });
});
