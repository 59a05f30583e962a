/**
 * The @cdktf/provider-aws barrel loads every one of its ~2,000 resource
 * classes: a one-resource app takes ~21 s and 1.3 GB instead of ~1 s. Only
 * deep imports (`@cdktf/provider-aws/lib/<resource>/index.js`) are allowed.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const BARREL = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']@cdktf\/provider-aws(?:\/lib)?(?:\/index(?:\.js)?)?["']/;

describe("provider imports", () => {
  it("no source file imports the @cdktf/provider-aws barrel", () => {
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "*.ts", "*.mts", "*.cts", "*.js", "*.mjs", "*.cjs"], {
      encoding: "utf8",
    })
      .split("\n")
      .filter((file) => file && file !== "test/imports.test.ts"); // this file spells the barrel out on purpose
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) => BARREL.test(readFileSync(file, "utf8")));
    expect(offenders, "import @cdktf/provider-aws/lib/<resource>/index.js instead").toEqual([]);
  });

  it("the check recognises the barrel in every form", () => {
    for (const line of [
      'import { AwsProvider } from "@cdktf/provider-aws";',
      "import * as aws from '@cdktf/provider-aws/lib';",
      'const aws = require("@cdktf/provider-aws/lib/index.js");',
      'await import("@cdktf/provider-aws")',
    ]) {
      expect(BARREL.test(line), line).toBe(true);
    }
    expect(BARREL.test('import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon/index.js";')).toBe(false);
  });
});
