/** The main job as a user runs it (`npm run synth`), in a throwaway copy of the project folder. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnvironments } from "../src/app/config.js";
import { names as listed } from "../src/app/summary.js";
import { readTree } from "./support/files.js";
import { nodeOptionsOf, runMain, SYNTH_NODE_OPTIONS } from "./support/main.js";

describe("npm run synth", () => {
  const dir = mkdtempSync(join(tmpdir(), "eks-pod-density-main-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  cpSync("environments", join(dir, "environments"), { recursive: true });
  cpSync("modules", join(dir, "modules"), { recursive: true });
  cpSync("docs", join(dir, "docs"), { recursive: true });
  cpSync("README.md", join(dir, "README.md"));
  // Whatever environments the checkout has (a user's own ones included).
  const names = loadEnvironments("environments").map((env) => env.name);
  const written = `${names.length} stack${names.length === 1 ? "" : "s"} synthesized into cdktf.out/stacks: ${listed(names)}`;

  it("says what it wrote: the stacks, and that modules/ is unchanged", () => {
    // GIVEN a checkout whose modules/ is current  WHEN the main job runs
    const result = runMain(dir);
    // THEN it names the stacks it wrote and says modules/ did not change
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${written}\nmodules/ unchanged (node-group, vpc-cni, prefix-reservations)\n`);
  });

  it("removes the stack of an environment whose file is gone, and says which files of modules/ it regenerated", () => {
    // GIVEN a stack left from a removed environment, and a stale generated README
    mkdirSync(join(dir, "cdktf.out", "stacks", "old-env"), { recursive: true });
    writeFileSync(join(dir, "cdktf.out", "stacks", "old-env", "cdk.tf.json"), "{}\n");
    writeFileSync(join(dir, "modules", "vpc-cni", "README.md"), "edited by hand\n");
    // WHEN the main job runs
    const result = runMain(dir);
    // THEN the stale stack is gone, the README is regenerated, and the summary says both
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(dir, "cdktf.out", "stacks", "old-env"))).toBe(false);
    expect(readFileSync(join(dir, "modules", "vpc-cni", "README.md"), "utf8")).toBe(readFileSync("modules/vpc-cni/README.md", "utf8"));
    expect(result.stdout).toBe(
      [
        written,
        "1 stale stack removed (no environment file): old-env",
        "modules/ updated: vpc-cni/README.md; commit the regenerated files",
        "",
      ].join("\n"),
    );
    expect(readTree(join(dir, "modules"))).toEqual(readTree("modules"));
  });

  it("needs no terraform binary (nothing runs `terraform version` per stack)", () => {
    // GIVEN a PATH that holds node and nothing else  WHEN the main job runs  THEN it synthesizes every stack
    const result = runMain(dir, { PATH: dirname(process.execPath) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(written);
  });
});

describe("the summary's lists", () => {
  it("name up to eight items, then say how many more (a hundred environments make no useful line)", () => {
    expect(listed(["a", "b"])).toBe("a, b");
    expect(listed(Array.from({ length: 10 }, (_, i) => `e${i}`))).toBe("e0, e1, e2, e3, e4, e5, e6, e7 and 2 more");
  });
});

describe("the synth command", () => {
  it("is the same for npm run synth and cdktf synth (package.json's script, cdktf.json's app)", () => {
    const synth = JSON.parse(readFileSync("package.json", "utf8")).scripts.synth as string;
    expect(JSON.parse(readFileSync("cdktf.json", "utf8")).app).toBe(synth);
    expect(nodeOptionsOf(synth)).toEqual(SYNTH_NODE_OPTIONS);
  });
});

describe("scripts/run.mjs", () => {
  it("keeps V8's code cache beside the bundle it runs, and runs the same from it", () => {
    // GIVEN an entry point run once (bundled, and its code cache written after the run)
    const run = () => spawnSync(process.execPath, ["scripts/run.mjs", "scripts/environments.ts"], { encoding: "utf8" });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    const cache = join("node_modules", ".cache", "eks-pod-density");
    const { bundle } = JSON.parse(readFileSync(join(cache, "scripts-environments.json"), "utf8")) as { bundle: string };
    // THEN the cache sits beside the bundle, and a run that compiles from it prints the same
    expect(existsSync(join(cache, `${bundle}.v8-code-cache`))).toBe(true);
    const second = run();
    expect([second.status, second.stdout, second.stderr]).toEqual([0, first.stdout, first.stderr]);
  });


  it("replaces cdktf's token stack-trace capture, and the module it replaces exists", async () => {
    // @ts-expect-error scripts/run.mjs is plain JavaScript without type declarations
    const { TOKEN_STACK_TRACE_MODULE } = (await import("../scripts/run.mjs")) as { TOKEN_STACK_TRACE_MODULE: RegExp };
    const module = join(dirname(require.resolve("cdktf")), "tokens", "private", "stack-trace.js");
    expect(module).toMatch(TOKEN_STACK_TRACE_MODULE);
    expect(readFileSync(module, "utf8")).toContain("function captureStackTrace(");
  });
});
