/**
 * The layers of src/, as its folders name them, lowest first: a file imports
 * from its own folder or from a lower layer, never from a higher one, and no
 * file imports itself back through others (no cycles). So Terraform plumbing
 * knows no EKS, the rules know no constructs, and nothing but the app reads
 * environment files. src/index.ts, the public API, sits on top. The layers
 * below the app touch no files and start no processes (constructs stay free
 * of file I/O).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

/** Folders of src/ from the lowest layer up; each may import those before it. */
const LAYERS = ["terraform", "rules", "user-data", "constructs", "app", "verify", "cli"] as const;

/** Layers whose files read and write nothing outside the process. */
const PURE = ["terraform", "rules", "user-data", "constructs"];
/** Node's modules that reach files, processes or the network. */
const IO = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](?:node:)?(?:fs|fs\/promises|child_process|net|http|https|worker_threads)["']/;

/** The layer of a file under src/ (src/index.ts is above all of them). */
function layerOf(file: string): number {
  const folder = file.split("/")[1]!;
  if (file === "src/index.ts") return LAYERS.length;
  const layer = (LAYERS as readonly string[]).indexOf(folder);
  if (layer < 0) throw new Error(`${file} is in no layer: src/ holds ${LAYERS.join(", ")} and index.ts`);
  return layer;
}

/** The files under src/ that `source` (TypeScript text of `file`) imports, statically or dynamically, types included. */
export function importsOf(file: string, source: string): string[] {
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm)].map((match) => match[1]!);
  return specifiers.map((specifier) => normalize(join(dirname(file), specifier)).replace(/\.js$/, ".ts")).filter((target) => target.startsWith("src/"));
}

const FILES = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "src/*.ts"], { encoding: "utf8" }).split("\n").filter(Boolean);
const IMPORTS = new Map(FILES.map((file) => [file, importsOf(file, readFileSync(file, "utf8"))]));

/** Import chains that lead back to where they started, each as `a → b → a`. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, path: string[]) => {
    state.set(file, "open");
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...path.slice(path.indexOf(next)), file, next].join(" → "));
      else if (!state.has(next)) visit(next, [...path, file]);
    }
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file, []);
  return found;
}

describe("the layers of src/", () => {
  it("every file sits in a layer, and every import names a file that exists", () => {
    expect(FILES.length).toBeGreaterThan(50);
    for (const file of FILES) expect(() => layerOf(file)).not.toThrow();
    for (const [file, targets] of IMPORTS) for (const target of targets) expect(FILES, `${file} imports ${target}`).toContain(target);
  });

  it("no file imports from a higher layer", () => {
    const upward = [...IMPORTS].flatMap(([file, targets]) => targets.filter((target) => layerOf(target) > layerOf(file)).map((target) => `${file} → ${target}`));
    expect(upward, `layers, lowest first: ${LAYERS.join(" < ")} < index.ts`).toEqual([]);
  });

  it("the layers below the app touch no files and start no processes", () => {
    const io = FILES.filter((file) => PURE.includes(file.split("/")[1]!) && IO.test(readFileSync(file, "utf8")));
    expect(io).toEqual([]);
  });

  it("no import cycles", () => {
    expect(cycles(IMPORTS)).toEqual([]);
  });

  it("the checks see what they check", () => {
    // Static, type-only and dynamic imports are all read.
    expect(importsOf("src/cli/x.ts", 'import type { A } from "../rules/ami.js";\nconst m = await import("../verify/ec2.js");\nimport "./side.js";')).toEqual([
      "src/rules/ami.ts",
      "src/verify/ec2.ts",
      "src/cli/side.ts",
    ]);
    // The rules import the Terraform plumbing; the reverse is refused.
    expect(layerOf("src/terraform/hcl.ts")).toBeLessThan(layerOf("src/rules/max-pods.ts"));
    expect(layerOf("src/constructs/node-group/index.ts")).toBeLessThan(layerOf("src/app/root-stack.ts"));
    expect(() => layerOf("src/max-pods.ts")).toThrow("in no layer");
    expect(IO.test('import { readFileSync } from "node:fs";')).toBe(true);
    expect(IO.test('const { spawn } = await import("child_process");')).toBe(true);
    expect(IO.test('import { join } from "node:path";')).toBe(false);
    expect(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual(["a → b → c → a"]);
  });
});
