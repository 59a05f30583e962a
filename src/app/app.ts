/**
 * Builds what the project synthesizes: the module stacks behind `modules/`
 * and one root stack per environment.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import type { Environment } from "./config.js";
import { isRunning, renderModule, type ModuleFiles } from "./generate.js";
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
 * One root stack per environment in `app`, synthesized into `<outdir>/stacks` all or nothing: what `app.synth()`
 * writes (cdktf's own stack synthesizer renders each stack, `manifest.json` lists them), but each stack is
 * synthesized as soon as it is built, into a staging folder beside the stacks (`<outdir>/.stacks.staging-<pid>`),
 * and only once every stack is built and synthesized are the files moved into place and the manifest written. A
 * stack that fails to build or synthesize leaves `<outdir>` as it was.
 *
 * Why one at a time: building every stack first left every construct tree to age into V8's old generation before
 * synthesis wrote its caches into it, so each young-generation collection had all of them to scan: at 100
 * environments about a fifth of the run went to those collections, a third as much with each stack synthesized
 * while its tree is young.
 */
export function synthesizeRootStacks(app: App, environments: readonly Environment[]): RootStack[] {
  removeStagingLeftovers(app.outdir);
  const staging = join(app.outdir, `${STAGING_PREFIX}${process.pid}`);
  mkdirSync(join(staging, "stacks"), { recursive: true });
  try {
    const session = { outdir: staging, skipValidation: app.skipValidation, manifest: app.manifest };
    const stacks = environments.map((environment) => {
      const stack = new RootStack(app, { environment, stackDir: join(app.outdir, "stacks", environment.name) });
      stack.prepareStack();
      stack.synthesizer.synthesize(session);
      return stack;
    });
    const problems = app.skipValidation ? [] : app.node.validate();
    if (problems.length > 0) throw new Error(`the app failed its validations:\n  ${problems.join("\n  ")}`);
    for (const stack of stacks) {
      const from = join(staging, "stacks", stack.node.id);
      const to = join(app.outdir, "stacks", stack.node.id);
      mkdirSync(to, { recursive: true });
      for (const file of readdirSync(from)) renameSync(join(from, file), join(to, file));
    }
    app.manifest.writeToFile();
    return stacks;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Staging folders of synthesis runs: `<outdir>/.stacks.staging-<pid>`. */
const STAGING_PREFIX = ".stacks.staging-";

/** Remove the staging folders that runs no longer running left in `outdir` (a killed run leaves its own). */
function removeStagingLeftovers(outdir: string): void {
  for (const name of readdirSync(outdir)) {
    const pid = name.startsWith(STAGING_PREFIX) ? Number(name.slice(STAGING_PREFIX.length)) : NaN;
    if (Number.isInteger(pid) && !isRunning(pid)) rmSync(join(outdir, name), { recursive: true, force: true });
  }
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
