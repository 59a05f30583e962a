/** The Terraform JSON strings the project writes, for the parser's tests (test/expression*.test.ts). */
import { renderModules, rootStacks } from "../../src/app/app.js";
import { loadEnvironments } from "../../src/app/config.js";
import { testApp, unfoldedTerraform } from "./stacks.js";

/** Every string in a JSON value, keys left out (Terraform reads keys as names, not templates). */
export function strings(value: unknown, found: string[] = []): string[] {
  if (typeof value === "string") found.push(value);
  else if (Array.isArray(value)) value.forEach((item) => strings(item, found));
  else if (value && typeof value === "object") Object.values(value).forEach((item) => strings(item, found));
  return found;
}

/** What the project writes: each module's `*.tf.json`, and each root stack before and after RootStack folds it. */
export interface ProjectConfigs {
  readonly modules: readonly unknown[];
  readonly unfoldedStacks: readonly unknown[];
  readonly stacks: readonly unknown[];
}

let built: ProjectConfigs | undefined;

/** Built once per worker (test files share loaded modules: vitest.config.ts), read only. */
export function projectConfigs(): ProjectConfigs {
  return (built ??= build());
}

function build(): ProjectConfigs {
  const modules = Object.values(renderModules()).flatMap((files) =>
    Object.entries(files)
      .filter(([name]) => name.endsWith(".tf.json"))
      .map(([, text]) => JSON.parse(text) as unknown),
  );
  const roots = rootStacks(testApp(), loadEnvironments("environments"));
  return { modules, unfoldedStacks: roots.map(unfoldedTerraform), stacks: roots.map((stack) => stack.toTerraform() as unknown) };
}

/** True for a string with an interpolation or a directive (or their escapes): a template, not plain text. */
export const isTemplate = (text: string) => text.includes("${") || text.includes("%{");
