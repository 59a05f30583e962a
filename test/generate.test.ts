import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderModules } from "../src/app.js";
import { checkModule, generatedFilesIn, renderModule, writeModules } from "../src/generate.js";
import { readTree } from "./support/files.js";

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
