import { App } from "cdktf";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rootStacks, synthesizeRootStacks } from "../../src/app/app.js";
import { loadEnvironments } from "../../src/app/config.js";
import { markTokens } from "../../src/terraform/token-registry.js";
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
    expect(stacks).toEqual(ENVIRONMENTS.map((env) => env.name));
    expect(readTree(outdir("ours"))).toEqual(readTree(outdir("cdktf")));
  });

  it("lets each stack go once it is written: the app holds none of them, and cdktf's token registry is as it was", () => {
    // GIVEN the token registry before
    const before = markTokens();
    // WHEN every environment is synthesized
    const app = new App({ outdir: outdir("released"), stackTraces: false });
    const stacks = synthesizeRootStacks(app, ENVIRONMENTS);
    // THEN every stack was written, and none is left in the app or the registry
    expect(readdirSync(join(app.outdir, "stacks")).sort()).toEqual([...stacks].sort());
    expect(app.node.children).toEqual([]);
    expect(markTokens()).toEqual(before);
  });

  it("leaves the output folder as it was when a stack fails to build", () => {
    // GIVEN an output folder written by an earlier synthesis of two environments, the first stack then changed by
    // hand, and environments of which the last cannot be built: the first three are written before it fails (the
    // first changed, the second as it was, the third new)
    const app = new App({ outdir: outdir("failing"), stackTraces: false });
    const [first, second, third] = ENVIRONMENTS;
    synthesizeRootStacks(new App({ outdir: app.outdir, stackTraces: false }), [first!, second!]);
    writeFileSync(join(app.outdir, "stacks", first!.name, "cdk.tf.json"), "{}");
    const before = readTree(app.outdir);
    const bad = { ...first!, name: "bad", min_size: 3, max_size: 1 };
    // WHEN synthesized THEN it fails, and the folder is as it was: the changed stack back, the new one's folder gone,
    // the manifest untouched
    expect(() => synthesizeRootStacks(app, [first!, second!, third!, bad])).toThrow(/min_size/);
    expect(readTree(app.outdir)).toEqual(before);
    expect(readdirSync(join(app.outdir, "stacks")).sort()).toEqual([first!.name, second!.name].sort());
  });
});
