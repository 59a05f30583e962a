/**
 * Terraform integration tests, in one file so that one scheduler bounds the
 * terraform processes (each loads the AWS provider's schema: about 1.7 s of
 * CPU with the provider's side). In a throwaway copy of the repository's layout:
 *
 * - what `terraform validate` checks, of every generated module, the
 *   plain-Terraform example and every environment's synthesized root stack:
 *   `terraform test` validates each run's configuration before planning it
 *   and reports its warnings with the run, so the runs below that plan them
 *   validate them (no process of its own, which would load the provider's
 *   schema once more);
 * - `terraform test` of a harness folder holding each module's own
 *   `tests/*.tftest.hcl` and the example's, pointed at their configuration
 *   with a `module` block (nothing else changes), and each environment's
 *   hand-written `test/terraform/<environment>.tftest.hcl` when there is one;
 *   of a folder of generated tests, one for every environment file
 *   (test/support/environment-test.ts: in one plan, its stack as synthesized
 *   (folded) and as its constructs write it (unfolded), the two compared by
 *   test/support/equivalence.ts, and the node-group module given the
 *   environment's values rendering the same user data); and of the bad-input
 *   matrix and the max-pods agreement table (in a folder of their own,
 *   test/bad-input/terraform-fixture.ts). The three folders run in three
 *   terraform processes, two at a time: the matrix, the generated
 *   environment tests (verbosely, for their plans) and the harness.
 *   (`.github/workflows/ci.yml` also runs each module's tests in the
 *   module's own folder, as a module user does.)
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, posix } from "node:path";
import { Readable } from "node:stream";
import { App } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rootStacks } from "../src/app/app.js";
import { loadEnvironments } from "../src/app/config.js";
import { MODULE_ROWS } from "./bad-input/matrix.js";
import { AGREEMENT_CASES, groupOf, rowName, writeMatrixConfiguration } from "./bad-input/terraform-fixture.js";
import { IMPORT_RUN, adoptedAddons, environmentPair, environmentRun, environmentTest, importTest, instanceData } from "./support/environment-test.js";
import { planEquivalence, stackPlans, writePair, type EquivalencePlans } from "./support/equivalence.js";
import { detachOrder, detachSettings } from "./support/detach-order.js";
import { startEc2Stub } from "./support/ec2-stub.js";
import { RELEASED, ROLLOUT_FIXTURE, addReleasedGroups, changeBlock, planRollout, replacements } from "./support/rollout.js";
import { unfoldedTerraform } from "./support/stacks.js";
import {
  CONFIGURATION_WARNINGS,
  SKIP_REASON,
  TERRAFORM,
  initForSharedProvider,
  mergeTestResults,
  noTestResults,
  readLines,
  readTestLine,
  removeWorkdir,
  requireTerraform,
  terraform,
  terraformOk,
  workdir,
  type Diagnostic,
  type TestFileResults,
} from "./support/terraform.js";

/** The shipped environments, and test-only ones (test/terraform/environments/) for cases the shipped ones do not use. */
const ENVIRONMENTS = [...loadEnvironments("environments"), ...loadEnvironments("test/terraform/environments")];
const MODULES = ["modules/node-group", "modules/vpc-cni", "modules/prefix-reservations"];
const EXAMPLE = "examples/plain-terraform";
/** A consumer's root module with its own test against the shipped mocks (m6i.large nodes, no override). */
const CONSUMER = "test/terraform/consumer";
/** The consumer's test with the README's override_data block for m6i.large, written into the harness. */
const CONSUMER_README_OVERRIDE = "consumer--readme_override";
const STACKS = ENVIRONMENTS.map((env) => `cdktf.out/stacks/${env.name}`);
const HARNESS = "harness";
/**
 * The bad-input matrix and the agreement table (test/bad-input/terraform-fixture.ts), and the generated environment
 * tests, each in a folder of their own: `terraform test` loads the configuration of every test file in its folder,
 * whichever files -filter selects (the harness's other files cost an environment-only process about 0.6 s of CPU).
 */
const MATRIX = "matrix";
const ENVIRONMENT_TESTS = "environments";
/** The root configuration of the harness, matrix and environment-test folders, whose test files name the configurations they plan. */
const TEST_ONLY_MAIN = "# Test-only configuration: everything is in tests/.\n";
/** Harness name of an environment's generated test (test/support/environment-test.ts). */
const generic = (env: { name: string }) => `environment--${env.name}`;
/** An environment's own hand-written test, if it has one. */
const ownTest = (env: { name: string }) => `test/terraform/${env.name}.tftest.hcl`;
const WITH_OWN_TEST = ENVIRONMENTS.filter((env) => existsSync(ownTest(env)));
/** Environments whose stacks import add-ons (vpc_cni_addon: adopt), and where their plans run. */
const ADOPTING = ENVIRONMENTS.filter((env) => Object.keys(adoptedAddons(env)).length > 0);
const IMPORTS = "imports";
/**
 * Every environment's stack is planned folded and unfolded (its generated test): between them the environments take
 * every path folding changes (AL2 with --max-pods and AL2023 with automatic max pods, Bottlerocket, Pod Identity
 * without termination handling, prefix reservations with text that looks like Terraform). Both copies are written
 * under this folder (`folded/<environment>`, `unfolded/<environment>`), with outputs of their data sources'
 * arguments, and the configuration that plans them and the node-group module together (`<environment>`).
 */
const EQUIVALENCE = "equivalence";

/** The part of a planned resource change these tests read. */
interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: readonly string[]; readonly importing?: { readonly id: string } };
}

/**
 * The consumer's test with the override_data block modules/node-group/README.md gives for m6i.large, taken from the
 * README as a user copies it: the plan must show AWS's figures for the type, 434 pods addressable, capped at 110.
 */
function consumerTestWithReadmeOverride(): string {
  const readme = readFileSync("modules/node-group/README.md", "utf8");
  const block = /^#### m6i\.large\n\n```hcl\n([\s\S]*?)\n```$/m.exec(readme)?.[1];
  if (!block) throw new Error('modules/node-group/README.md has no override_data block under "#### m6i.large"');
  return [
    'mock_provider "aws" {',
    '  source = "../modules/node-group/mocks"',
    "}",
    "",
    'run "m6i_large_nodes_with_the_readme_override" {',
    "  command = plan",
    "",
    "  module {",
    `    source = "../${CONSUMER}"`,
    "  }",
    "",
    block.replace(/^/gm, "  "),
    "",
    "  assert {",
    "    condition     = output.max_pods == 110 && module.node_group.max_pods_addressable == 434",
    '    error_message = "m6i.large: 3 x 9 x 16 + 2 = 434 addressable, capped at 110; got ${output.max_pods} (${module.node_group.max_pods_addressable} addressable)"',
    "  }",
    "}",
    "",
  ].join("\n");
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A configuration's own test file, run from the harness folder: its relative
 * sources (fixtures, mocks; `./x` and `../x`, which terraform reads relative to
 * the folder it runs in) keep pointing where they did from the configuration's
 * folder, and runs that test the configuration itself get a `module` block
 * pointing at it.
 */
function testFileForHarness(config: string, text: string): string {
  const relocated = text.replace(/source = "(\.\.?\/[^"]*)"/g, (_, path: string) => `source = "${posix.join("..", config, path)}"`);
  return relocated
    .split(/^(?=run ")/m)
    .map((block) =>
      !block.startsWith("run ") || /^ {2}module \{/m.test(block)
        ? block
        : block.replace(/^(run "[^"]+" \{\n)/, `$1  module {\n    source = "../${config}"\n  }\n\n`),
    )
    .join("");
}

/** A configuration's test files (`x.tftest.hcl`). */
const ownTestFiles = (config: string) => readdirSync(join(config, "tests")).filter((file) => file.endsWith(".tftest.hcl"));

/** Name of a configuration's test file in the harness: `<config with dashes>--<file>`, without `.tftest.hcl`. */
const harnessName = (config: string, file: string) => `${config.replace(/\W+/g, "-")}--${file.replace(/\.tftest\.hcl$/, "")}`;

/** Harness test file names of a configuration. */
function harnessFiles(config: string): string[] {
  return ownTestFiles(config).map((file) => harnessName(config, file));
}

/** Each test file's status and errors, from `terraform test -json` output. */
function parseTestJson(stdout: string): TestFileResults {
  const results = noTestResults();
  for (const line of stdout.split("\n")) readTestLine(line, results);
  return results;
}

describe("a configuration's test file in the harness", () => {
  it("keeps its relative sources pointing where they did, and tests the configuration through a module block", () => {
    const text = ['mock_provider "aws" {', '  source = "../../modules/node-group/mocks"', "}", "", 'run "a" {', '  command = plan', "}", ""].join("\n");
    expect(testFileForHarness("examples/plain-terraform", text)).toBe(
      ['mock_provider "aws" {', '  source = "../modules/node-group/mocks"', "}", "", 'run "a" {', "  module {", '    source = "../examples/plain-terraform"', "  }", "", '  command = plan', "}", ""].join("\n"),
    );
    expect(testFileForHarness("modules/vpc-cni", 'run "b" {\n  module {\n    source = "./tests/fixtures/configurations"\n  }\n}\n')).toBe(
      'run "b" {\n  module {\n    source = "../modules/vpc-cni/tests/fixtures/configurations"\n  }\n}\n',
    );
  });
});

describe("reading terraform's output line by line (readLines)", () => {
  const read = async (chunks: string[], cutAt?: string) => {
    const lines: [string, boolean][] = [];
    await readLines(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), (line, cut) => lines.push([line, cut]), cutAt);
    return lines;
  };

  it("hands on every line, however the chunks split them", async () => {
    expect(await read(["a", "b\nc", "d\n", "\ne"])).toEqual([["ab", false], ["cd", false], ["", false], ["e", false]]);
  });

  it("cuts a line at the first marker, also one split across chunks, and skips the rest of that line only", async () => {
    const marker = ',"schemas"';
    expect(await read(['{"plan":1,"sch', 'emas":{"big":', '"x"},"schemas":2}\n{"next":', "3}\n"], marker)).toEqual([
      ['{"plan":1', true],
      ['{"next":3}', false],
    ]);
    expect(await read(['{"a":1', ',', '"', 'schemas', '":{}}\n'], marker)).toEqual([['{"a":1', true]]);
    expect(await read(['{"a":1}\n'], marker)).toEqual([['{"a":1}', false]]);
  });

  it("fails with an error of the line handler's, reading the rest", async () => {
    const input = Readable.from(["one\ntwo\n", "three\n"].map((chunk) => Buffer.from(chunk)));
    const seen: string[] = [];
    const reading = readLines(input, (line) => {
      seen.push(line);
      if (line === "two") throw new Error("bad line");
    });
    await expect(reading).rejects.toThrow("bad line");
    expect(seen).toEqual(["one", "two"]);
  });
});

describe("reading terraform test's JSON lines (readTestLine)", () => {
  const diagnostic = (severity: string, summary: string) => ({ severity, summary, detail: `${summary}.` });
  const line = (fields: Record<string, unknown>) => JSON.stringify({ "@level": "info", ...fields });

  it("keeps each file's status and errors, and warnings by file, those of no file apart", () => {
    const results = noTestResults();
    for (const text of [
      line({ type: "version", terraform: "1.11.4" }),
      line({ type: "diagnostic", diagnostic: diagnostic("warning", "Backend configuration ignored") }),
      line({ type: "diagnostic", "@testfile": "tests/a.tftest.hcl", "@testrun": "r", diagnostic: diagnostic("warning", "Argument is deprecated") }),
      line({ type: "diagnostic", "@testfile": "tests/a.tftest.hcl", "@testrun": "r", diagnostic: diagnostic("error", "Invalid value for variable") }),
      line({ type: "test_file", "@testfile": "tests/a.tftest.hcl", test_file: { path: "tests/a.tftest.hcl", status: "error" } }),
      "not JSON",
    ]) {
      readTestLine(text, results);
    }
    expect(results.status).toEqual({ a: "error" });
    expect(results.errors).toEqual({ a: [diagnostic("error", "Invalid value for variable")] });
    expect(results.warnings).toEqual({
      [CONFIGURATION_WARNINGS]: [diagnostic("warning", "Backend configuration ignored")],
      a: [diagnostic("warning", "Argument is deprecated")],
    });
  });

  it("merges the results of several processes, keeping every process's configuration warnings", () => {
    const [one, two] = [noTestResults(), noTestResults()];
    one.status.a = "pass";
    two.status.b = "error";
    two.errors.b = [diagnostic("error", "Invalid value for variable")];
    one.warnings[CONFIGURATION_WARNINGS] = [diagnostic("warning", "Backend configuration ignored")];
    two.warnings[CONFIGURATION_WARNINGS] = [diagnostic("warning", "Argument is deprecated")];
    expect(mergeTestResults([one, two])).toEqual({
      status: { a: "pass", b: "error" },
      errors: { b: [diagnostic("error", "Invalid value for variable")] },
      warnings: { [CONFIGURATION_WARNINGS]: [diagnostic("warning", "Backend configuration ignored"), diagnostic("warning", "Argument is deprecated")] },
    });
  });
});

if (SKIP_REASON) console.warn(`\n!!! ${SKIP_REASON}\n`);

describe.skipIf(SKIP_REASON)("terraform", () => {
  let root = "";
  let harness: Promise<TestFileResults>;
  let rollout: ReturnType<typeof planRollout>;
  let equivalence: Promise<EquivalencePlans>;
  let imports: Promise<Map<string, EquivalencePlans>>;
  let detach: Promise<string[]>;

  beforeAll(async () => {
    requireTerraform();
    root = workdir({ modules: "modules", examples: "examples", [CONSUMER]: CONSUMER });
    const init = (config: string) => initForSharedProvider(join(root, config));
    // Started as soon as they can; the tests below await them.
    const run = (files: string[], dir = HARNESS) =>
      terraform(["test", "-json", ...files.map((file) => `-filter=tests/${file}.tftest.hcl`)], join(root, dir)).then((result) =>
        parseTestJson(result.stdout),
      );
    // The matrix first: it needs only the modules, so it plans while the root stacks are synthesized below.
    writeMatrixConfiguration(join(root, MATRIX));
    writeFileSync(join(root, MATRIX, "main.tf"), TEST_ONLY_MAIN);
    await init(MATRIX);
    // Few processes (each loads the provider's schema: about 1.7 s of CPU with the provider's side), two at a time,
    // the long ones first: the matrix (here, while the stacks are synthesized), the harness, then the environments
    // (about 13, 16 and 10 s of CPU here); the short ones fill in after them.
    const matrix = run(["accepted", "variables", "preconditions"], MATRIX);
    matrix.catch(() => undefined);

    // The root stacks, synthesized as `npm run synth` does, and (for the comparison) as their constructs write them.
    const app = new App({ outdir: join(root, "cdktf.out") });
    const stacks = rootStacks(app, ENVIRONMENTS);
    app.synth();
    for (const stack of stacks) {
      const folded = JSON.parse(readFileSync(join(root, "cdktf.out", "stacks", stack.node.id, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
      // The harness calls the copies as modules, where Terraform refuses import blocks: their plans run in IMPORTS.
      const { import: imports, ...withoutImports } = folded;
      const { import: unfoldedImports, ...unfolded } = unfoldedTerraform(stack);
      expect(unfoldedImports, `${stack.node.id}: folding keeps the import blocks`).toEqual(imports);
      // The pair calls the copies as modules, without their provider block (the mocked provider reads none).
      expect(withoutImports.provider, `${stack.node.id}: folding keeps the provider block`).toEqual(unfolded.provider);
      writePair(root, EQUIVALENCE, stack.node.id, withoutImports, unfolded);
    }
    // The harness: test files that plan the modules, the example and the root stacks.
    const tests = join(root, HARNESS, "tests");
    mkdirSync(tests, { recursive: true });
    writeFileSync(join(root, HARNESS, "main.tf"), TEST_ONLY_MAIN);
    for (const config of [...MODULES, EXAMPLE, CONSUMER]) {
      for (const file of ownTestFiles(config)) {
        const text = testFileForHarness(config, readFileSync(join(config, "tests", file), "utf8"));
        writeFileSync(join(tests, `${harnessName(config, file)}.tftest.hcl`), text);
      }
    }
    // Every environment gets the generic test (in a folder of its own, a sibling of the harness); a hand-written one
    // adds its own asserts. Both mock AWS with the file the modules ship (../modules/node-group/mocks from either).
    mkdirSync(join(root, ENVIRONMENT_TESTS, "tests"), { recursive: true });
    writeFileSync(join(root, ENVIRONMENT_TESTS, "main.tf"), TEST_ONLY_MAIN);
    for (const env of ENVIRONMENTS) {
      const pair = join(root, EQUIVALENCE, env.name);
      mkdirSync(pair);
      writeFileSync(join(pair, "main.tf"), environmentPair(env, { folded: `../folded/${env.name}`, unfolded: `../unfolded/${env.name}` }, "../../modules/node-group"));
      writeFileSync(join(root, ENVIRONMENT_TESTS, "tests", `${generic(env)}.tftest.hcl`), environmentTest(env, `../${EQUIVALENCE}/${env.name}`));
    }
    for (const env of WITH_OWN_TEST) copyFileSync(ownTest(env), join(tests, `${env.name}.tftest.hcl`));
    writeFileSync(join(tests, `${CONSUMER_README_OVERRIDE}.tftest.hcl`), consumerTestWithReadmeOverride());

    // The rollout fixture: a copy with release 0.2.0's groups beside the current ones (test/support/rollout.ts).
    const rolloutDir = join(root, ROLLOUT_FIXTURE);
    cpSync(ROLLOUT_FIXTURE, rolloutDir, { recursive: true });
    addReleasedGroups(rolloutDir);

    // Queued longest first (the harness, then the environments once the matrix is done), the short ones after them.
    await Promise.all([init(HARNESS), init(ENVIRONMENT_TESTS)]);
    const started = [
      matrix,
      run([
        ...harnessFiles("modules/node-group"),
        ...WITH_OWN_TEST.map((env) => env.name),
        ...harnessFiles(EXAMPLE),
        ...harnessFiles(CONSUMER),
        CONSUMER_README_OVERRIDE,
        ...harnessFiles("modules/vpc-cni"),
        ...harnessFiles("modules/prefix-reservations"),
      ]),
    ];
    // The generated environment tests, verbosely: their plans are compared below.
    equivalence = planEquivalence(join(root, ENVIRONMENT_TESTS), ENVIRONMENTS.map(generic));
    equivalence.catch(() => undefined);
    // The real provider's plan of a rename, a tag-only change and the upgrade from release 0.2.0.
    const ec2 = startEc2Stub();
    rollout = Promise.all([ec2, terraformOk(["init", "-input=false"], rolloutDir)]).then(([stub]) => planRollout(rolloutDir, stub));
    rollout.catch(() => undefined);
    void rollout.finally(() => ec2.then((stub) => stub.close())).catch(() => undefined);
    harness = Promise.all(started).then(mergeTestResults);
    harness.catch(() => undefined);
    // Stacks that import add-ons, each planned as the root module of a folder of its own.
    imports = Promise.all(
      ADOPTING.map(async (env) => {
        const dir = join(root, IMPORTS, env.name);
        mkdirSync(join(dir, "tests"), { recursive: true });
        copyFileSync(join(root, "cdktf.out", "stacks", env.name, "cdk.tf.json"), join(dir, "cdk.tf.json"));
        writeFileSync(join(dir, "tests", `${IMPORT_RUN}.tftest.hcl`), importTest(env, "../../modules/node-group/mocks"));
        await initForSharedProvider(dir);
        return [env.name, await planEquivalence(dir, [IMPORT_RUN])] as const;
      }),
    ).then((results) => new Map(results));
    imports.catch(() => undefined);
    // The order of a switch to Pod Identity, with the pod-identity stack's settings (test/support/detach-order.ts).
    const podIdentityStack = JSON.parse(readFileSync(join(root, "cdktf.out", "stacks", "pod-identity", "cdk.tf.json"), "utf8")) as Record<string, any>;
    mkdirSync(join(root, "detach-order"));
    detach = detachOrder(join(root, "detach-order"), detachSettings(podIdentityStack));
    detach.catch(() => undefined);
  }, 240_000);
  afterAll(() => removeWorkdir(root));

  it("hand-written Terraform (tests, fixtures, mocks, the example) is terraform fmt clean", () => {
    // fmt loads no provider: it runs at once, outside the scheduler.
    const result = spawnSync(TERRAFORM, ["fmt", "-check", "-recursive", "-list=true", "modules", "examples", "test/terraform"], { encoding: "utf8" });
    expect(result.stdout.trim(), "run: terraform fmt -recursive modules examples test/terraform").toBe("");
    expect(result.status).toBe(0);
  });

  it.concurrent(`validate, in the test runs that plan them: ${[...MODULES, EXAMPLE, ...STACKS].join(", ")}`, async () => {
    // GIVEN the runs that plan each module and the example (their own tests, in the harness) and each root stack
    // (its generated test; an adopting stack's imports too), which terraform test validates before planning
    const processes = { harness: await harness, environments: await equivalence, ...Object.fromEntries(await imports) };
    for (const [name, results] of Object.entries(processes)) {
      // THEN every configuration is valid (an error fails its file: the tests above and below) and the only warnings
      // are a root stack's backend, which applies only where the stack is the root
      const warnings = Object.entries(results.warnings).flatMap(([file, found]) => found.map((d) => `${file}: ${d.summary}: ${d.detail}`));
      expect(warnings.filter((w) => !w.startsWith(`${CONFIGURATION_WARNINGS}: Backend configuration ignored:`)), name).toEqual([]);
    }
    // AND every configuration was planned by one of them
    for (const config of [...MODULES, EXAMPLE]) expect(harnessFiles(config).length, config).toBeGreaterThan(0);
    expect(Object.keys((await equivalence).status).sort()).toEqual(ENVIRONMENTS.map(generic).sort());
  }, 240_000);

  for (const config of [...MODULES, EXAMPLE]) {
    it.concurrent(`${config} passes its own tests (${harnessFiles(config).map((f) => f.split("--")[1]).join(", ")})`, async () => {
      const { status, errors } = await harness;
      for (const file of harnessFiles(config)) expect(status[file], `${file}: ${JSON.stringify(errors[file], null, 1)}`).toBe("pass");
    }, 240_000);
  }

  it.concurrent("a consumer's test of m6i.large nodes against the shipped mocks, without an override, fails at plan naming m6i.large and t3a.medium", async () => {
    const { status, errors } = await harness;
    const [file] = harnessFiles(CONSUMER);
    // "error": the plan itself failed (an assert that fails would be "fail").
    expect(status[file!]).toBe("error");
    const failures = errors[file!] ?? [];
    expect(failures.map((d) => d.summary)).toEqual(["Resource postcondition failed"]);
    expect(failures[0]!.detail).toMatch(/^data\.aws_ec2_instance_type describes t3a\.medium, not instance_type m6i\.large: /);
    expect(failures[0]!.detail).toContain('section "Instance types in tests"');
  }, 240_000);

  it.concurrent("the same consumer test with the README's override_data block for m6i.large plans 110 pods, 434 addressable", async () => {
    const { status, errors } = await harness;
    expect(status[CONSUMER_README_OVERRIDE], JSON.stringify(errors[CONSUMER_README_OVERRIDE], null, 1)).toBe("pass");
  }, 240_000);

  for (const env of ENVIRONMENTS) {
    it.concurrent(`environment ${env.name}: the root stack plans, and modules/node-group renders the same user data, max pods and kube-reserved`, async () => {
      // The mocked account describes a t3a.medium, and the node group refuses it for another type: the test needs the
      // type's published figures.
      expect(
        instanceData(env),
        `${env.instance_type} (environments/${env.name}.yaml) has no EC2 figures in test/support/instances.ts: add AWS's (modules/node-group/README.md, "Instance types in tests", says how to get them)`,
      ).toBeDefined();
      const { status, errors } = await equivalence;
      expect(status[generic(env)], JSON.stringify(errors[generic(env)], null, 1)).toBe("pass");
    }, 240_000);

    it.concurrent(`environment ${env.name}: the root stack plans the same resources, data source arguments and outputs folded as unfolded`, async () => {
      const { plans, errors, code } = await equivalence;
      const plan = plans.get(environmentRun(env));
      expect(plan, `the plan ran (exit ${code}): ${JSON.stringify(errors[generic(env)], null, 1)}`).toBeDefined();
      const { folded, unfolded } = stackPlans(plan!);
      // Something was planned, and folding changed nothing of it.
      expect(unfolded.resource_changes.length).toBeGreaterThan(10);
      expect(folded.resource_changes).toEqual(unfolded.resource_changes);
      expect(Object.keys(folded.outputs.after ?? {}).filter((name) => name.startsWith("equivalence_")).length).toBeGreaterThanOrEqual(4);
      expect(folded.outputs).toEqual(unfolded.outputs);
    }, 240_000);
  }

  // Mocked provider: it imports only what an override_resource describes (test/support/environment-test.ts), but the
  // plan's import and its actions are Terraform's own.
  for (const env of ADOPTING) {
    const adopted = Object.entries(adoptedAddons(env));
    it.concurrent(`environment ${env.name}: the root stack imports ${adopted.map(([, a]) => a.addon_name).join(" and ")} from the cluster and creates neither`, async () => {
      const { plans, errors, status } = (await imports).get(env.name)!;
      const plan = plans.get(IMPORT_RUN);
      expect(plan, JSON.stringify(errors, null, 1)).toBeDefined();
      expect(status[IMPORT_RUN], JSON.stringify(errors, null, 1)).toBe("pass");
      for (const [address, addon] of adopted) {
        const change = (plan!.resource_changes as PlannedChange[]).find((c) => c.address === address);
        expect(change?.change.importing, `${address} is imported`).toEqual({ id: `${env.cluster_name}:${addon.addon_name}` });
        expect(change?.change.actions, `${address} is not created`).not.toContain("create");
      }
    }, 240_000);
  }

  for (const env of ENVIRONMENTS.filter((e) => e.vpc_cni_addon === "external")) {
    it.concurrent(`environment ${env.name}: the root stack plans no vpc-cni add-on of its own (vpc_cni_addon: external)`, async () => {
      const { plans, errors } = await equivalence;
      const plan = plans.get(environmentRun(env));
      expect(plan, JSON.stringify(errors[generic(env)], null, 1)).toBeDefined();
      const changes = stackPlans(plan!).folded.resource_changes;
      expect(changes.length).toBeGreaterThan(10);
      expect(changes.filter((c) => c.type === "aws_eks_addon").map((c) => c.address)).toEqual([]);
    }, 240_000);
  }

  for (const env of WITH_OWN_TEST) {
    it.concurrent(`environment ${env.name}: the root stack plans as ${ownTest(env)} asserts`, async () => {
      const { status, errors } = await harness;
      expect(status[env.name], JSON.stringify(errors[env.name], null, 1)).toBe("pass");
    }, 240_000);
  }

  it.concurrent("switching aws-node to Pod Identity detaches the node role's AmazonEKS_CNI_Policy only after the add-on's update", async () => {
    const edges = await detach;
    // "A -> B": A waits for B. The removed attachment's destroy waits for the add-on's update, not the other way.
    expect(edges).toContain('terraform_data.node_group_policies["AmazonEKS_CNI_Policy"] (destroy) -> terraform_data.vpc_cni');
    expect(edges).not.toContain('terraform_data.vpc_cni -> terraform_data.node_group_policies["AmazonEKS_CNI_Policy"] (destroy)');
  }, 240_000);

  it.concurrent("AWS's provider replaces a renamed node group create-before-destroy: new nodes, role and access entry before the old ones go", async () => {
    const plan = await rollout;
    const replaced = replacements(plan.stdout);
    for (const address of [
      "module.renamed.aws_autoscaling_group.this",
      "module.renamed.aws_launch_template.this",
      "module.renamed.aws_iam_role.this",
      "module.renamed.aws_iam_instance_profile.this",
      "module.renamed.aws_eks_access_entry.this[0]",
      'module.renamed.aws_iam_role_policy_attachment.this["AmazonEKSWorkerNodePolicy"]',
      "module.renamed.aws_sqs_queue.termination[0]",
    ]) {
      expect(replaced[address], `${address} in:\n${plan.stdout}`).toBe("+/-");
    }
    expect(Object.entries(replaced).filter(([, order]) => order === "-/+"), "nothing is destroyed before its replacement exists").toEqual([]);
  }, 240_000);

  it.concurrent("AWS's provider changes tags alone in place: no launch template data changes, so no new version and no refresh", async () => {
    // The provider creates a launch template version only when launch template data changes (its Update's
    // updateKeys: user_data, image_id, tag_specifications, ...), not for the template's own tags; its plan marks
    // latest_version as unknown for any change, which then resolves to the same number, so the group's
    // launch_template is unchanged at apply and no instance refresh starts.
    const plan = await rollout;
    expect(Object.keys(replacements(plan.stdout)).filter((address) => address.startsWith("module.retagged.")), plan.stdout).toEqual([]);
    const launchTemplate = changeBlock(plan.stdout, "module.retagged.aws_launch_template.this");
    expect(launchTemplate, plan.stdout).toContain("will be updated in-place");
    for (const data of ["tag_specifications", "user_data", "image_id", "instance_type", "block_device_mappings", "network_interfaces", "metadata_options", "iam_instance_profile"]) {
      expect(launchTemplate, `${data} should not change`).not.toContain(data);
    }
    expect(launchTemplate).toMatch(/~ "team"\s+= "sre" -> "platform"/);
    const group = changeBlock(plan.stdout, "module.retagged.aws_autoscaling_group.this") ?? "";
    expect(group).not.toContain("instance_refresh");
    expect(group.match(/^\s+~ (\w+)/gm)?.map((line) => line.trim())).toEqual(["~ resource", "~ launch_template", "~ version"]);
    expect(group).toMatch(/\+ value\s+= "platform"/);
  }, 240_000);

  it.concurrent("upgrading from release 0.2.0, AWS's provider adds the scheduled-change rule and its target and updates the queue policy in place", async () => {
    // GIVEN the state release 0.2.0 left (four rules), WHEN the current module plans against it,
    // THEN the AWS Health rule and its target are created and the queue policy lists five rules.
    const plan = await rollout;
    const module = `module.${RELEASED.retagged}`;
    const rule = changeBlock(plan.stdout, `${module}.aws_cloudwatch_event_rule.termination["scheduled-change"]`);
    expect(rule, plan.stdout).toContain("will be created");
    expect(rule).toContain("aws.health");
    expect(changeBlock(plan.stdout, `${module}.aws_cloudwatch_event_target.termination["scheduled-change"]`), plan.stdout).toContain("will be created");
    expect(changeBlock(plan.stdout, `${module}.aws_sqs_queue_policy.termination[0]`), plan.stdout).toContain("will be updated in-place");
  }, 240_000);

  it.concurrent("upgrading from release 0.2.0, an existing group gets the readiness gate without a replacement: a hook of its own, a new launch template version, auto_rollback", async () => {
    // GIVEN the state release 0.2.0 left, WHEN the current module plans against it with the same inputs (the group
    // module.released_retagged; module.released_renamed is renamed in the same plan, see the next test)
    const plan = await rollout;
    const module = `module.${RELEASED.retagged}`;
    // THEN nothing is replaced but the terraform_data that lets the launch template take over tags when the nodes
    // roll anyway: the group keeps its name and its termination hook, so the drain keeps working
    const replaced = Object.keys(replacements(plan.stdout)).filter((address) => address.startsWith(`${module}.`));
    expect(replaced, plan.stdout).toEqual([`${module}.terraform_data.launch_template_tags`]);
    // AND the launching hook is a resource of its own, created against the existing group
    const hook = changeBlock(plan.stdout, `${module}.aws_autoscaling_lifecycle_hook.ready[0]`);
    expect(hook, plan.stdout).toContain("will be created");
    expect(hook).toMatch(/\+ default_result\s+= "ABANDON"/);
    expect(hook).toMatch(/\+ lifecycle_transition\s+= "autoscaling:EC2_INSTANCE_LAUNCHING"/);
    const group = changeBlock(plan.stdout, `${module}.aws_autoscaling_group.this`) ?? "";
    const groupName = /\n\s+name\s+= "([^"]+)"/.exec(group)?.[1];
    expect(hook).toContain(`+ autoscaling_group_name = "${groupName}"`);
    expect(changeBlock(plan.stdout, `${module}.aws_iam_role_policy.readiness_gate[0]`), plan.stdout).toContain("will be created");
    // AND the user data (the gate's script part) makes a new launch template version, which the group's
    // refresh rolls, now with auto_rollback; the group itself is updated in place and its hooks stay
    expect(changeBlock(plan.stdout, `${module}.aws_launch_template.this`), plan.stdout).toMatch(/will be updated in-place[\s\S]*~ user_data/);
    expect(group, plan.stdout).toContain("will be updated in-place");
    expect(group).toMatch(/~ auto_rollback\s+= false -> true/);
    expect(group).not.toContain("initial_lifecycle_hook");
    // AND a later creation of the group would wait for ready nodes past the hook's timeout (state only, no API call)
    expect(group).toMatch(/~ wait_for_capacity_timeout\s+= "10m" -> "900s"/);
    // AND the trigger that replaces the group when its drain hook changes is created, which triggers nothing
    expect(changeBlock(plan.stdout, `${module}.terraform_data.termination_hooks`), plan.stdout).toContain("will be created");
  }, 240_000);

  it.concurrent("upgrading from release 0.2.0 and renaming the group, the new group starts with the launching hook: its first nodes are gated too", async () => {
    // GIVEN the state release 0.2.0 left, whose group has the drain hook alone, WHEN the group is renamed
    const plan = await rollout;
    const module = `module.${RELEASED.renamed}`;
    // THEN it is replaced create-before-destroy, and the new group's initial hooks come from the configuration (the
    // group ignores changes to them only while it is not replaced): the drain hook and the readiness gate's hook
    expect(replacements(plan.stdout)[`${module}.aws_autoscaling_group.this`], plan.stdout).toBe("+/-");
    const group = changeBlock(plan.stdout, `${module}.aws_autoscaling_group.this`) ?? "";
    expect(group).toMatch(/\+ initial_lifecycle_hook \{\s+\+ default_result\s+= "ABANDON"\s+\+ heartbeat_timeout\s+= 600\s+\+ lifecycle_transition\s+= "autoscaling:EC2_INSTANCE_LAUNCHING"\s+\+ name\s+= "eks-pod-density-ready"/);
    expect(group).not.toMatch(/- initial_lifecycle_hook/);
    expect(group).toMatch(/~ wait_for_capacity_timeout\s+= "10m" -> "900s"/);
    // AND nothing of any group is destroyed before its replacement exists
    expect(Object.entries(replacements(plan.stdout)).filter(([, order]) => order === "-/+")).toEqual([]);
  }, 240_000);

  it.concurrent(`TypeScript and Terraform agree on max pods for ${AGREEMENT_CASES.length} instance cases`, async () => {
    const { status, errors } = await harness;
    expect(status.accepted, JSON.stringify(errors.accepted, null, 1)).toBe("pass");
  }, 240_000);

  it.concurrent("bad-input matrix: every accepted row plans", async () => {
    const { status, errors } = await harness;
    expect(status.accepted, JSON.stringify(errors.accepted, null, 1)).toBe("pass");
  }, 240_000);

  it.concurrent("bad-input matrix: every row refused by a variable validation fails on its own module call with its message", async () => {
    const { errors } = await harness;
    const rows = MODULE_ROWS.filter((row) => groupOf(row) === "variables");
    const failures = errors.variables ?? [];
    expect(failures.map((d) => d.summary)).toEqual(rows.map(() => "Invalid value for variable"));
    for (const row of rows) {
      const failure = failures.find((d) => d.snippet?.context === `module "${rowName(row)}"`);
      expect(failure?.detail, `${row.module}: ${row.what}`).toMatch(new RegExp(`^${escapeRegExp(row.refused!.message)}`));
    }
  }, 240_000);

  it.concurrent("bad-input matrix: the plan-time failures are exactly the rows' messages, each from the check the row names", async () => {
    const { errors } = await harness;
    const unmatched = [...(errors.preconditions ?? [])];
    // The check's owner, from the snippet's context: "resource.aws_launch_template.this.lifecycle.precondition[3]".
    const owner = (d: Diagnostic) => d.snippet?.context?.replace(/\.lifecycle\..*$/, "").replace(/^resource\./, "");
    for (const row of MODULE_ROWS.filter((r) => groupOf(r) === "preconditions")) {
      for (const message of [row.refused!.message, ...(row.refused!.also ?? [])]) {
        const index = unmatched.findIndex((d) => d.detail.startsWith(message) && owner(d) === row.refused!.at);
        expect(index, `${row.module}: ${row.what} was not refused by ${row.refused!.at} with "${message}"`).toBeGreaterThanOrEqual(0);
        unmatched.splice(index, 1);
      }
    }
    expect(unmatched.map((d) => `${owner(d)}: ${d.detail}`), "failures no row expects").toEqual([]);
  }, 240_000);
});
