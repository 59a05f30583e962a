/**
 * Terraform integration tests, in one file so that one scheduler bounds the
 * terraform processes. In a throwaway copy of the repository's layout:
 * every generated module and the plain-Terraform example pass
 * `terraform validate` and their `tests/*.tftest.hcl`; every environment's
 * synthesized root stack passes `terraform validate` and
 * `test/terraform/<environment>.tftest.hcl` (mock provider, offline).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rootStacks } from "../src/app.js";
import { loadEnvironments } from "../src/config.js";
import { SKIP_REASON, initAndValidate, removeWorkdir, requireTerraform, terraformOk, workdir } from "./support/terraform.js";

const ENVIRONMENTS = loadEnvironments("environments");

/** Configurations with tests, relative to the workdir; root stacks take theirs from test/terraform/. */
const CONFIGURATIONS: Record<string, string> = {
  "modules/node-group": "modules/node-group/tests",
  "modules/vpc-cni": "modules/vpc-cni/tests",
  "examples/plain-terraform": "examples/plain-terraform/tests",
  ...Object.fromEntries(ENVIRONMENTS.map((env) => [`cdktf.out/stacks/${env.name}`, `test/terraform/${env.name}.tftest.hcl`])),
};

function testFilesOf(source: string): string[] {
  return source.endsWith(".tftest.hcl") ? [source] : readdirSync(source).filter((f) => f.endsWith(".tftest.hcl")).map((f) => join(source, f));
}

if (SKIP_REASON) console.warn(`\n!!! ${SKIP_REASON}\n`);

describe.skipIf(SKIP_REASON)("terraform", () => {
  let root = "";
  beforeAll(async () => {
    requireTerraform();
    root = workdir({ modules: "modules", examples: "examples" });
    // The root stacks, synthesized as `npm run synth` does, with their tests beside them.
    const app = new App({ outdir: join(root, "cdktf.out") });
    rootStacks(app, ENVIRONMENTS);
    app.synth();
    for (const env of ENVIRONMENTS) {
      const tests = join(root, "cdktf.out", "stacks", env.name, "tests");
      mkdirSync(tests, { recursive: true });
      copyFileSync(`test/terraform/${env.name}.tftest.hcl`, join(tests, `${env.name}.tftest.hcl`));
    }
    await Promise.all(Object.keys(CONFIGURATIONS).map((config) => initAndValidate(join(root, config))));
  }, 240_000);
  afterAll(() => removeWorkdir(root));

  it("every environment has root stack tests", () => {
    for (const env of ENVIRONMENTS) expect(existsSync(`test/terraform/${env.name}.tftest.hcl`), env.name).toBe(true);
  });

  // One `terraform test` per configuration: each process pays the provider's start-up once.
  for (const [config, source] of Object.entries(CONFIGURATIONS)) {
    const testFiles = testFilesOf(source);

    it.concurrent(`${config}: terraform validate, terraform test (${testFiles.map((file) => file.split("/").at(-1)).join(", ")})`, async () => {
      expect(testFiles.length, `${config} has no terraform tests`).toBeGreaterThan(0);
      const result = await terraformOk(["test"], join(root, config));
      expect(result.stdout).toMatch(/Success! [1-9]\d* passed, 0 failed/);
    }, 240_000);
  }
});
