/**
 * The environment files' reference: docs/environment.schema.json and the README's table of fields, both generated
 * from the loader's zod schema (src/app/environment-reference.ts) and committed by `npm run synth`. The JSON Schema is
 * checked as an editor uses it, with Ajv (draft-07): it takes every shipped and test environment file and refuses
 * what the loader refuses field by field (a misspelled field, a wrong type, a value outside a closed set).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Ajv } from "ajv";
import { load as parse } from "js-yaml";
import { describe, expect, it } from "vitest";
import { EnvironmentError, parseEnvironment } from "../../src/app/config.js";
import { ENVIRONMENT_SCHEMA_FILE, environmentFieldsTable, environmentSchemaText, withFieldsTable } from "../../src/app/environment-reference.js";

const FOLDERS = ["environments", "test/terraform/environments"];
const FILES = FOLDERS.flatMap((dir) =>
  readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => join(dir, file)),
);
const committed = JSON.parse(readFileSync(ENVIRONMENT_SCHEMA_FILE, "utf8")) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true }).compile(committed);
const article = parse(readFileSync("environments/article.yaml", "utf8")) as Record<string, unknown>;
const errorsOf = (document: unknown) => (validate(document) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));

describe("docs/environment.schema.json", () => {
  it("is what the loader's schema generates (run `npm run synth` after changing src/app/config.ts)", () => {
    expect(readFileSync(ENVIRONMENT_SCHEMA_FILE, "utf8")).toBe(environmentSchemaText());
  });

  it(`takes every shipped and test environment file (${FILES.length})`, () => {
    expect(FILES.length).toBeGreaterThanOrEqual(7);
    for (const file of FILES) expect(errorsOf(parse(readFileSync(file, "utf8"))), file).toEqual([]);
  });

  it("refuses a misspelled field, as the loader does", () => {
    const { warm_prefix_target, ...rest } = article;
    const misspelled = { ...rest, warm_prefix_targt: warm_prefix_target };
    expect(errorsOf(misspelled)).toEqual([' must NOT have additional properties {"additionalProperty":"warm_prefix_targt"}']);
    expect(() => parseEnvironment("environments/article.yaml", JSON.stringify(misspelled))).toThrow("warm_prefix_targt: unknown field; did you mean warm_prefix_target?");
    // Nested objects too.
    expect(errorsOf({ ...article, instance_refresh: { min_healthy: 100 } })).toEqual([
      '/instance_refresh must NOT have additional properties {"additionalProperty":"min_healthy"}',
    ]);
  });

  it("refuses a wrong type, a value outside a closed set and a missing required field, as the loader does", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...article, use_max_pods: "false" }, "use_max_pods"],
      [{ ...article, ami_type: "AL2023_ARM_64" }, "ami_type"],
      [{ ...article, cni_credentials: "irsa" }, "cni_credentials"],
      [{ ...article, region: "tokyo" }, "region"],
      [Object.fromEntries(Object.entries(article).filter(([field]) => field !== "cluster_name")), "cluster_name"],
    ];
    for (const [document, field] of cases) {
      expect(errorsOf(document).join("\n"), field).toContain(field);
      expect(() => parseEnvironment("environments/article.yaml", JSON.stringify(document)), field).toThrow(EnvironmentError);
    }
  });

  it("describes every field, nested ones included, for the editor's hover", () => {
    const missing: string[] = [];
    const walk = (schema: Record<string, any>, path: string) => {
      for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) walk(variant, path);
      if (schema.items) walk(schema.items, `${path}[]`);
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, any>)) {
        if (!property.description) missing.push(`${path}${name}`);
        walk(property, `${path}${name}.`);
      }
    };
    walk(committed, "");
    expect(missing).toEqual([]);
  });
});

describe("every environment file names the schema on its first line, for the YAML language server", () => {
  for (const file of FILES) {
    it(file, () => {
      const first = readFileSync(file, "utf8").split("\n")[0]!;
      const path = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
      expect(path, first).toBeDefined();
      // The path is relative to the file, as the language server resolves it.
      expect(resolve(dirname(file), path!)).toBe(resolve(ENVIRONMENT_SCHEMA_FILE));
    });
  }
});

describe("README.md's table of environment fields", () => {
  const readme = readFileSync("README.md", "utf8");

  it("is what the loader's schema generates (run `npm run synth`)", () => {
    expect(withFieldsTable(readme)).toBe(readme);
    expect(readme).toContain(environmentFieldsTable());
  });

  it("has a row for every field of the schema, with its default", () => {
    const table = environmentFieldsTable();
    for (const field of Object.keys(committed.properties as object)) expect(table, field).toMatch(new RegExp(`^\\| \`${field}\` \\|`, "m"));
    expect(table).toContain("| `warm_prefix_target` | number | `1` |");
    expect(table).toContain("| `ami_type` | one of `AL2023_x86_64_STANDARD`");
    expect(table).toContain("| `region` | string | required |");
  });
});
