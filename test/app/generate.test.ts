import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderModules } from "../../src/app/app.js";
import { checkModule, generatedFilesIn, renderModule, writeModules, type ModuleFiles } from "../../src/app/generate.js";
import { readTree } from "../support/files.js";

const rendered = renderModules();
/** The host name as a whole word; a short one ("vm") is a word in too many texts to mean anything. */
const HOST = hostname().length >= 4 ? new RegExp(`\\b${hostname().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`) : undefined;
const temporaryDirs: string[] = [];
afterEach(() => temporaryDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the committed modules/ in a throwaway folder. */
function modulesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "eks-pod-density-gen-"));
  temporaryDirs.push(dir);
  cpSync("modules", join(dir, "modules"), { recursive: true });
  return join(dir, "modules");
}

describe("generated modules", () => {
  it("are committed exactly as the code generates them (run `npm run synth` after changing src/)", () => {
    for (const [module, files] of Object.entries(rendered)) {
      for (const [file, content] of Object.entries(files)) {
        expect(readFileSync(join("modules", module, file), "utf8"), `modules/${module}/${file} is stale`).toBe(content);
      }
    }
    const expected = Object.entries(rendered).flatMap(([module, files]) => Object.keys(files).map((file) => `${module}/${file}`));
    expect(generatedFilesIn("modules")).toEqual(expected.sort());
  });

  it("are byte-identical when generated twice", () => {
    expect(renderModules()).toEqual(rendered);
  });

  it("hold no absolute paths, host names or timestamps", () => {
    for (const files of Object.values(rendered)) {
      for (const content of Object.values(files)) {
        expect(content).not.toContain(process.cwd());
        expect(content).not.toContain(tmpdir());
        if (HOST) expect(content).not.toMatch(HOST);
        expect(content).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      }
    }
  });

  it("nothing committed holds this checkout's path, the host name or a timestamp", () => {
    const tracked = execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" }).split("\0").filter(Boolean);
    expect(tracked.length).toBeGreaterThan(0);
    for (const file of tracked.filter((name) => name !== "package-lock.json")) {
      const content = readFileSync(file, "utf8");
      expect(content.includes(process.cwd()), file).toBe(false);
      if (HOST) expect(content, file).not.toMatch(HOST);
      expect(content, file).not.toMatch(/\b20\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d/);
    }
  });

  it("carry no cdktf metadata, provider block or backend", () => {
    for (const [module, files] of Object.entries(rendered)) {
      const main = JSON.parse(files["main.tf.json"]!);
      expect(Object.keys(main).sort(), module).toEqual(["//", "data", "locals", "resource"].filter((key) => key in main).sort());
      expect(JSON.stringify(main)).not.toContain('"metadata"');
      for (const file of Object.keys(files).filter((name) => name.endsWith(".tf.json"))) {
        const json = JSON.parse(files[file]!);
        expect(json).not.toHaveProperty("provider");
        expect(json.terraform ?? {}).not.toHaveProperty("backend");
      }
    }
  });
});

describe("writeModules", () => {
  it("writing the same content again changes nothing", () => {
    const dir = modulesCopy();
    const before = readTree(dir);
    writeModules(dir, rendered);
    expect(readTree(dir)).toEqual(before);
  });

  it("leaves the modules folder as it was when writing fails part-way", () => {
    // GIVEN a modules folder and a generation whose second module cannot be written
    const dir = modulesCopy();
    const before = readTree(dir);
    const changed = Object.fromEntries(
      Object.entries(rendered).map(([module, files]) => [module, { ...files, "README.md": "changed\n" }]),
    );
    // WHEN it is written
    const write = () => writeModules(dir, { ...changed, "bad\0name": { "main.tf.json": "{}\n" } });
    // THEN it fails and nothing in the folder changed, hand-written tests included
    expect(write).toThrow();
    expect(readTree(dir)).toEqual(before);
    expect(Object.keys(before).some((file) => file.includes("/tests/"))).toBe(true);
  });

  it("keeps hand-written files and removes generated files a module no longer produces", () => {
    const dir = modulesCopy();
    const [module, files] = Object.entries(rendered)[0]!;
    const { "outputs.tf.json": _dropped, ...rest } = files;
    writeModules(dir, { [module]: rest });
    const after = readTree(dir);
    expect(after).not.toHaveProperty(`${module}/outputs.tf.json`);
    expect(Object.keys(after).filter((file) => file.startsWith(`${module}/tests/`)).length).toBeGreaterThan(0);
  });
});

describe("writeModules reports and recovers", () => {
  it("says which generated files changed, and touches nothing when none did", () => {
    const dir = modulesCopy();
    expect(writeModules(dir, rendered).changed).toEqual([]);
    const [module, files] = Object.entries(rendered)[0]!;
    expect(writeModules(dir, { [module]: { ...files, "README.md": "changed\n" } }).changed).toEqual([`${module}/README.md`]);
  });

  it("puts the old tree back when an earlier run died between its two renames, and removes leftovers", () => {
    // GIVEN a run killed after setting modules/ aside (a process that no longer exists) and a leftover staging folder
    const dir = modulesCopy();
    const before = readTree(dir);
    const parent = join(dir, "..");
    const deadPid = 99_999_999; // above Linux's pid_max (2^22): no such process
    cpSync(dir, join(parent, `.modules.previous-${deadPid}`), { recursive: true });
    rmSync(dir, { recursive: true });
    mkdirSync(join(parent, `.modules.staging-${deadPid}`));
    // WHEN the next run writes the same modules
    const written = writeModules(dir, rendered);
    // THEN modules/ is whole again, nothing changed, and no leftover remains
    expect(written.changed).toEqual([]);
    expect(readTree(dir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(["modules"]);
  });
});

describe("writeModules killed at any instant", () => {
  const RUNNER = resolve("scripts/run.mjs");
  const CHILD = resolve("test/support/kill-during-write.ts");

  /** A small project: two modules with generated files and hand-written ones (a test, a symbolic link to it). */
  function project(): { root: string; modulesDir: string; modulesJson: string } {
    const root = mkdtempSync(join(tmpdir(), "eks-pod-density-kill-"));
    temporaryDirs.push(root);
    const modulesDir = join(root, "project", "modules");
    for (const [module, files] of Object.entries(OLD)) {
      mkdirSync(join(modulesDir, module, "tests"), { recursive: true });
      for (const [file, content] of Object.entries(files)) writeFileSync(join(modulesDir, module, file), content);
      writeFileSync(join(modulesDir, module, "tests", "own.tftest.hcl"), `# hand-written test of ${module}\n`);
      symlinkSync("own.tftest.hcl", join(modulesDir, module, "tests", "linked.tftest.hcl"));
    }
    const modulesJson = join(root, "modules.json");
    writeFileSync(modulesJson, JSON.stringify(NEW));
    return { root, modulesDir, modulesJson };
  }
  const OLD: Record<string, ModuleFiles> = {
    a: { "main.tf.json": "old a\n", "README.md": "old a readme\n" },
    b: { "main.tf.json": "old b\n", "outputs.tf.json": "old b outputs, no longer produced\n" },
  };
  const NEW: Record<string, ModuleFiles> = {
    a: { "main.tf.json": "new a\n", "README.md": "new a readme\n", "variables.tf.json": "new a variables\n" },
    b: { "main.tf.json": "new b\n" },
  };
  const handWritten = (module: string) => ({
    [`${module}/tests/own.tftest.hcl`]: `# hand-written test of ${module}\n`,
    [`${module}/tests/linked.tftest.hcl`]: `# hand-written test of ${module}\n`,
  });
  const treeOf = (modules: Record<string, ModuleFiles>) =>
    Object.fromEntries(
      Object.entries(modules)
        .flatMap(([module, files]) => [...Object.entries(files).map(([file, content]) => [`${module}/${file}`, content]), ...Object.entries(handWritten(module))])
        .sort(),
    );
  const sorted = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).sort());
  const run = (modulesDir: string, modulesJson: string, killAt: number) =>
    spawnSync(process.execPath, [RUNNER, CHILD, modulesDir, modulesJson, String(killAt)], { encoding: "utf8" });

  it("leaves modules/ all old or all new at every step, and the next run ends all new with no leftovers", () => {
    // GIVEN the number of file system changes a whole write makes
    const counting = project();
    const whole = run(counting.modulesDir, counting.modulesJson, 0);
    expect(whole.status, whole.stderr).toBe(0);
    expect(sorted(readTree(counting.modulesDir))).toEqual(treeOf(NEW));
    const steps = Number(whole.stdout);
    expect(steps).toBeGreaterThan(5);

    const seen = new Set<string>();
    for (let step = 1; step <= steps; step++) {
      // WHEN a write is killed just before its step-th change
      const { root, modulesDir, modulesJson } = project();
      const killed = run(modulesDir, modulesJson, step);
      expect(killed.signal, `step ${step}: ${killed.stderr}`).toBe("SIGKILL");
      // THEN modules/ holds the old tree or the new one; only between the two renames is it set aside whole
      const parent = join(root, "project");
      if (existsSync(modulesDir)) {
        const tree = sorted(readTree(modulesDir));
        const state = JSON.stringify(tree) === JSON.stringify(treeOf(OLD)) ? "old" : JSON.stringify(tree) === JSON.stringify(treeOf(NEW)) ? "new" : "mixed";
        expect(state, `step ${step} of ${steps}: ${JSON.stringify(tree, null, 1)}`).not.toBe("mixed");
        seen.add(state);
      } else {
        const [aside] = readdirSync(parent).filter((name) => name.startsWith(".modules.previous-"));
        expect(aside, `step ${step}: modules/ is gone and nothing holds the old tree`).toBeDefined();
        expect(sorted(readTree(join(parent, aside!)))).toEqual(treeOf(OLD));
        seen.add("set aside");
      }
      // AND the next run (here in this process: the same code) puts things right: all new, nothing left beside modules/
      writeModules(modulesDir, NEW);
      expect(sorted(readTree(modulesDir)), `after step ${step}`).toEqual(treeOf(NEW));
      expect(readdirSync(parent), `after step ${step}`).toEqual(["modules"]);
    }
    expect([...seen].sort()).toEqual(["new", "old", "set aside"]);
  }, 120_000);
});

describe("module README", () => {
  const readme = (testing?: string) => renderModule({ name: "m", summary: "s", details: "d", usage: "u", testing, terraform: {} })["README.md"]!;

  it("has a section on testing a configuration that uses the module, after the outputs, when the module says how", () => {
    expect(readme("Point mock_provider at mocks/.")).toMatch(
      /\n## Outputs\n[\s\S]*\n## Testing a configuration that uses this module\n\nPoint mock_provider at mocks\/\.\n\n## Tests\n/,
    );
    expect(readme()).not.toContain("## Testing a configuration");
  });

  it("of every generated module says how to test a configuration that uses it, with the mocks the module ships", () => {
    for (const [module, files] of Object.entries(rendered)) {
      expect(files["README.md"], module).toContain("## Testing a configuration that uses this module");
      expect(files["README.md"], module).toContain(`"../modules/${module}/mocks"`);
    }
  });
});

describe("module checks", () => {
  it("refuse a variable without a description, before anything is written", () => {
    expect(() => checkModule("m", { variable: { x: { type: "string" } } })).toThrow('module m: variable "x" has no description');
    expect(() =>
      renderModule({ name: "m", summary: "", details: "", usage: "", terraform: { output: { y: { value: 1 } } } }),
    ).toThrow('output "y" has no description');
  });

  it("refuse provider blocks and backends", () => {
    expect(() => checkModule("m", { provider: { aws: {} } })).toThrow("must not configure providers");
    expect(() => checkModule("m", { terraform: { backend: { local: {} } } })).toThrow("must not configure a backend");
  });
});
