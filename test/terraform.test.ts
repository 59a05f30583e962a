/**
 * Terraform integration tests, in one file so that one scheduler bounds the
 * terraform processes: every generated module and the plain-Terraform
 * example pass `terraform validate` and their `tests/*.tftest.hcl` (mock
 * provider, offline), in a throwaway copy of the repository's layout.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SKIP_REASON, initAndValidate, removeWorkdir, requireTerraform, terraformOk, workdir } from "./support/terraform.js";

/** Configurations with their own tests, relative to the repository root. */
const CONFIGURATIONS = ["modules/node-group", "modules/vpc-cni", "examples/plain-terraform"];

if (SKIP_REASON) console.warn(`\n!!! ${SKIP_REASON}\n`);

describe.skipIf(SKIP_REASON)("terraform", () => {
  let root = "";
  beforeAll(async () => {
    requireTerraform();
    root = workdir({ modules: "modules", examples: "examples" });
    await Promise.all(CONFIGURATIONS.map((config) => initAndValidate(join(root, config))));
  }, 180_000);
  afterAll(() => removeWorkdir(root));

  for (const config of CONFIGURATIONS) {
    const testFiles = readdirSync(join(config, "tests")).filter((file) => file.endsWith(".tftest.hcl"));

    it(`${config} ships terraform tests`, () => {
      expect(testFiles.length).toBeGreaterThan(0);
    });

    for (const file of testFiles) {
      it.concurrent(`${config}: terraform test tests/${file}`, async () => {
        const result = await terraformOk(["test", `-filter=tests/${file}`], join(root, config));
        expect(result.stdout).toMatch(/Success! [1-9]\d* passed, 0 failed/);
      }, 240_000);
    }
  }
});
