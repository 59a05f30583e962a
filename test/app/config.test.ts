import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EnvironmentError, loadEnvironments, parseEnvironment } from "../../src/app/config.js";
import { readTree } from "../support/files.js";
import { runMain } from "../support/main.js";

const articleText = readFileSync("environments/article.yaml", "utf8");
const parse = (text: string, file = "environments/staging.yaml") => () => parseEnvironment(file, text);

describe("shipped environments", () => {
  const environments = loadEnvironments("environments");
  const named = (name: string) => environments.find((env) => env.name === name);

  it("include article and default (a user's own environments may sit beside them)", () => {
    expect(environments.map((env) => env.name)).toEqual(expect.arrayContaining(["article", "default"]));
  });

  it("article reproduces the article", () => {
    expect(named("article")).toMatchObject({
      instance_type: "t3a.medium",
      ami_type: "AL2_x86_64",
      kubelet_extra_args: "--max-pods=110",
      use_max_pods: false,
      enable_prefix_delegation: true,
      warm_prefix_target: 1,
      backend: { type: "local" },
    });
  });

  it("default runs AL2023 with automatic max pods", () => {
    expect(named("default")).toMatchObject({
      ami_type: "AL2023_x86_64_STANDARD",
      kubelet_extra_args: "",
      max_pods: null,
      kubernetes_version: null,
    });
  });
});

describe("environment errors name the file and the field", () => {
  it.each([
    ["an unknown field", `${articleText}\nmax_pod: 110\n`, "environments/staging.yaml: max_pod: unknown field"],
    ["a wrong type", articleText.replace("use_max_pods: false", 'use_max_pods: "no"'), 'environments/staging.yaml: use_max_pods: must be true or false, not the text "no"'],
    ["a missing cluster name", articleText.replace("cluster_name: sre-test\n", ""), "environments/staging.yaml: cluster_name: is required (text)"],
    ["a value a module rule refuses", articleText.replace('kubelet_extra_args: "--max-pods=110"', `kubelet_extra_args: "--max-pods=110; reboot"`), "environments/staging.yaml: kubelet_extra_args: kubelet_extra_args may hold only"],
    ["a cross-field rule", `${articleText}\nmax_pods: 58\n`, "environments/staging.yaml: max_pods, kubelet_extra_args: max_pods and a --max-pods=N flag"],
    ["a bad backend", articleText.replace("type: local", "type: s3"), "environments/staging.yaml: backend.bucket:"],
    ["invalid YAML", "region: [", "environments/staging.yaml: not valid YAML"],
  ])("refuses %s", (_case, text, message) => {
    expect(parse(text)).toThrow(EnvironmentError);
    expect(parse(text)).toThrow(message);
  });

  it("refuses a file name that cannot be a stack name", () => {
    expect(parse(articleText, "environments/Prod Env.yaml")).toThrow("environments/Prod Env.yaml: the file name must be");
  });
});

describe("a file's problems are reported at once, in plain words", () => {
  it("lists schema problems and rule problems together, one line each", () => {
    // GIVEN a file with a wrong type, a misspelt field, a missing field and values a module rule refuses together
    const text = articleText
      .replace("use_max_pods: false", 'use_max_pods: "no"')
      .replace("cluster_name: sre-test\n", "")
      .concat("\nwarm_prefix_targt: 1\nmax_pods: 58\n");
    // WHEN it is parsed
    const error = (() => {
      try {
        parseEnvironment("environments/staging.yaml", text);
      } catch (caught) {
        return caught as EnvironmentError;
      }
      throw new Error("accepted");
    })();
    // THEN every problem has its own line naming the file and field, in words
    expect(error.problems).toEqual([
      "environments/staging.yaml: cluster_name: is required (text)",
      'environments/staging.yaml: use_max_pods: must be true or false, not the text "no"',
      "environments/staging.yaml: warm_prefix_targt: unknown field; did you mean warm_prefix_target?",
      expect.stringMatching(/^environments\/staging\.yaml: max_pods, kubelet_extra_args: max_pods and a --max-pods=N flag/),
    ]);
    expect(error.message).not.toMatch(/Invalid input|expected boolean|received/);
  });

  it("refuses a file that is not a set of fields", () => {
    expect(parse("- a\n- b\n")).toThrow("environments/staging.yaml: the file must hold fields (such as region: ap-northeast-1), not a list");
  });
});

describe("YAML merge keys (<<: *anchor) work as in YAML 1.1", () => {
  const withoutTags = articleText.replace(/^tags:\n(?: {2}.*\n)*/m, "");

  it("merges an anchored map, the fields written beside << winning", () => {
    const text = `${articleText}\nprefix_reservations:\n  - &pods { subnet_id: subnet-0a1b2c3d4e5f60001, cidr_block: 10.0.8.0/22, description: pods }\n  - <<: *pods\n    cidr_block: 10.0.12.0/22\n`;
    expect(parse(text)().prefix_reservations).toEqual([
      { subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.8.0/22", description: "pods" },
      { subnet_id: "subnet-0a1b2c3d4e5f60001", cidr_block: "10.0.12.0/22", description: "pods" },
    ]);
  });

  it("merges a list of anchored maps into tags", () => {
    const text = `${withoutTags}\ntags:\n  <<: [{ team: sre }, { cost-center: "42" }]\n  team: platform\n`;
    expect(parse(text)().tags).toEqual({ team: "platform", "cost-center": "42" });
  });

  it("refuses a merge of something that is not a map as YAML the loader cannot read", () => {
    expect(parse(`${withoutTags}\ntags:\n  <<: [1]\n`)).toThrow(
      "environments/staging.yaml: not valid YAML: cannot merge mappings; the provided source object is unacceptable (",
    );
  });
});

describe("YAML is read as YAML 1.2 (core schema), one document per file", () => {
  it("keeps YAML 1.1 booleans and dates as text, which the schema then names", () => {
    expect(parse(articleText.replace("use_max_pods: false", "use_max_pods: no"))).toThrow('use_max_pods: must be true or false, not the text "no"');
    expect(parse(`${articleText}
cluster_name_suffix: 2024-01-01
`)).toThrow("cluster_name_suffix: unknown field");
  });

  it("reads an empty file (or one of comments only) as no fields: the required ones are named", () => {
    for (const text of ["", "# nothing yet\n"]) expect(parse(text), JSON.stringify(text)).toThrow("environments/staging.yaml: region: is required");
  });

  it("refuses a second document and tags outside the schema", () => {
    expect(parse(`${articleText}\n---\nregion: us-east-1\n`)).toThrow("environments/staging.yaml: not valid YAML: the file holds 2 documents (--- separated); an environment is one");
    expect(parse(articleText.replace("cluster_name: sre-test", "cluster_name: !!binary c3JlLXRlc3Q="))).toThrow(
      "environments/staging.yaml: not valid YAML: unknown scalar tag !<tag:yaml.org,2002:binary>",
    );
  });
});

describe("environment discovery errors name the path", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  /** A project folder whose environments/ holds article.yaml and what `arrange` adds. */
  function projectWith(arrange: (environments: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), "eks-pod-density-discovery-"));
    dirs.push(dir);
    mkdirSync(join(dir, "environments"));
    writeFileSync(join(dir, "environments", "article.yaml"), articleText);
    arrange(join(dir, "environments"));
    return dir;
  }
  const problemsIn = (dir: string) => {
    try {
      loadEnvironments(join(dir, "environments"));
    } catch (error) {
      if (!(error instanceof EnvironmentError)) throw error;
      return error.problems.map((line) => line.replaceAll(`${dir}/`, ""));
    }
    return [];
  };

  it.each([
    ["x.yml next to x.yaml", (env: string) => (writeFileSync(join(env, "x.yaml"), articleText), writeFileSync(join(env, "x.yml"), articleText)), 'environments/x.yaml, environments/x.yml: both define environment "x"; keep one of them'],
    ["a folder named x.yaml", (env: string) => mkdirSync(join(env, "x.yaml")), "environments/x.yaml: is a folder, not an environment file"],
    ["a dangling symbolic link", (env: string) => symlinkSync("gone.yaml", join(env, "x.yaml")), "environments/x.yaml: is a symbolic link to gone.yaml, which does not exist"],
    ["X.YAML", (env: string) => writeFileSync(join(env, "X.YAML"), articleText), "environments/X.YAML: the file name must be <environment>.yaml, the environment's name 1 to 31 lowercase letters, digits and hyphens, starting with a letter or a digit"],
    ["x.YAML", (env: string) => writeFileSync(join(env, "x.YAML"), articleText), "environments/x.YAML: write the extension in lowercase (x.yaml)"],
    ["a missing environments folder", (env: string) => rmSync(env, { recursive: true }), "environments: no such folder; create it with one <name>.yaml file per environment"],
    ["an empty environments folder", (env: string) => rmSync(join(env, "article.yaml")), "environments: no environment files; add one <name>.yaml per environment"],
  ])("%s: one line naming the path", (_case, arrange, problem) => {
    // GIVEN a project with that in environments/  WHEN the environments are loaded  THEN exactly that one problem
    expect(problemsIn(projectWith(arrange))).toEqual([problem]);
  });

  it("accepts a symbolic link to an environment file, and ignores files that are not YAML", () => {
    const dir = projectWith((env) => {
      symlinkSync("article.yaml", join(env, "staging.yaml"));
      writeFileSync(join(env, "README.md"), "notes\n");
    });
    expect(loadEnvironments(join(dir, "environments")).map((env) => env.name)).toEqual(["article", "staging"]);
  });

  it("the main job prints the problems without a stack trace", () => {
    const dir = projectWith((env) => mkdirSync(join(env, "x.yaml")));
    cpSync("modules", join(dir, "modules"), { recursive: true });
    const result = runMain(dir);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("synthesis refused:\nenvironments/x.yaml: is a folder, not an environment file");
  });
});

describe("npm run synth with a bad environment", () => {
  const dir = mkdtempSync(join(tmpdir(), "eks-pod-density-synth-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fails naming the environment and field, and writes nothing", () => {
    // GIVEN a project folder whose staging environment has an unknown field
    cpSync("environments", join(dir, "environments"), { recursive: true });
    cpSync("modules", join(dir, "modules"), { recursive: true });
    writeFileSync(join(dir, "environments", "staging.yaml"), `${articleText}\nmaxpods: 110\n`);
    const modulesBefore = readTree(join(dir, "modules"));
    // WHEN the main job runs there
    const result = runMain(dir);
    // THEN it fails with the file and field, and neither cdktf.out nor modules/ is touched
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("environments/staging.yaml: maxpods: unknown field");
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
    expect(readTree(join(dir, "modules"))).toEqual(modulesBefore);
  });
});
