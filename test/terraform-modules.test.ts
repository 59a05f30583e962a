/**
 * Every generated module passes `terraform validate` and its own
 * `tests/*.tftest.hcl` (mock provider, offline), run in a throwaway copy.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SKIP_REASON, initAndValidate, removeWorkdir, requireTerraform, terraformOk, workdir } from "./support/terraform.js";

const MODULES = ["node-group"];

if (SKIP_REASON) console.warn(`\n!!! ${SKIP_REASON}\n`);

describe.skipIf(SKIP_REASON)("generated modules under terraform", () => {
  const dirs: Record<string, string> = {};
  let root = "";

  beforeAll(async () => {
    requireTerraform();
    root = workdir(Object.fromEntries(MODULES.map((module) => [module, join("modules", module)])));
    await Promise.all(MODULES.map((module) => initAndValidate((dirs[module] = join(root, module)))));
  }, 120_000);
  afterAll(() => removeWorkdir(root));

  for (const module of MODULES) {
    const testFiles = readdirSync(join("modules", module, "tests")).filter((file) => file.endsWith(".tftest.hcl"));

    it(`${module} ships terraform tests`, () => {
      expect(testFiles.length).toBeGreaterThan(0);
    });

    for (const file of testFiles) {
      it.concurrent(`${module}: terraform test tests/${file}`, async () => {
        const result = await terraformOk(["test", `-filter=tests/${file}`], dirs[module]!);
        expect(result.stdout).toMatch(/Success! [1-9]\d* passed, 0 failed/);
      }, 180_000);
    }
  }
});
