/**
 * Builds what the project synthesizes: the module stacks behind `modules/`
 * and one root stack per environment.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import type { Environment } from "./config.js";
import { renderModule, type ModuleFiles } from "./generate.js";
import type { ModuleStack } from "../terraform/module-stack.js";
import { NodeGroupModule } from "./modules/node-group.js";
import { PrefixReservationsModule } from "./modules/prefix-reservations.js";
import { VpcCniModule } from "./modules/vpc-cni.js";
import { RootStack } from "./root-stack.js";

/** Every generated module, in a throwaway App (module stacks are rendered, not deployed). */
export function moduleStacks(): ModuleStack[] {
  const app = new App({ outdir: join(tmpdir(), "eks-pod-density-modules"), skipValidation: true, stackTraces: false });
  return [new NodeGroupModule(app), new VpcCniModule(app), new PrefixReservationsModule(app)];
}

/** Rendered files of every module, by module name. */
export function renderModules(stacks: ModuleStack[] = moduleStacks()): Record<string, ModuleFiles> {
  return Object.fromEntries(
    stacks.map((stack) => [
      stack.node.id,
      renderModule({
        name: stack.node.id,
        summary: stack.summary,
        details: stack.details,
        usage: stack.usage,
        testing: stack.testing,
        terraform: stack.toTerraform(),
      }),
    ]),
  );
}

/** One root stack per environment in `app`. */
export function rootStacks(app: App, environments: readonly Environment[]): RootStack[] {
  return environments.map(
    (environment) => new RootStack(app, { environment, stackDir: join(app.outdir, "stacks", environment.name) }),
  );
}

/**
 * Remove the synthesized stacks of environments that no longer exist from
 * `<outdir>/stacks`, so that nothing (a person, `cdktf deploy`) can pick up a
 * stale one. Returns their names.
 */
export function removeStaleStacks(outdir: string, stacks: readonly RootStack[]): string[] {
  const dir = join(outdir, "stacks");
  if (!existsSync(dir)) return [];
  const current = new Set(stacks.map((stack) => stack.node.id));
  const stale = readdirSync(dir).filter((name) => !current.has(name)).sort();
  for (const name of stale) rmSync(join(dir, name), { recursive: true, force: true });
  return stale;
}
