import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EnvironmentError, loadEnvironments, parseEnvironment } from "../src/config.js";
import { readTree } from "./support/files.js";
import { runMain } from "./support/main.js";

const articleText = readFileSync("environments/article.yaml", "utf8");
const parse = (text: string, file = "environments/staging.yaml") => () => parseEnvironment(file, text);

describe("shipped environments", () => {
  const environments = loadEnvironments("environments");

  it("are article and default", () => {
    expect(environments.map((env) => env.name)).toEqual(["article", "default"]);
  });

  it("article reproduces the article", () => {
    expect(environments[0]).toMatchObject({
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
    expect(environments[1]).toMatchObject({
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
    ["a wrong type", articleText.replace("use_max_pods: false", 'use_max_pods: "no"'), "environments/staging.yaml: use_max_pods: Invalid input: expected boolean, received string"],
    ["a missing cluster name", articleText.replace("cluster_name: sre-test\n", ""), "environments/staging.yaml: cluster_name: Invalid input: expected string, received undefined"],
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
