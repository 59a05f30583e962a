/**
 * Builds what the project synthesizes: the module stacks behind `modules/`
 * and one root stack per environment.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type StackManifest } from "cdktf";
import type { Environment } from "./config.js";
import { renderModule, type ModuleFiles } from "./generate.js";
import type { ModuleStack } from "../terraform/module-stack.js";
import { NodeGroupModule } from "./modules/node-group.js";
import { PrefixReservationsModule } from "./modules/prefix-reservations.js";
import { VpcCniModule } from "./modules/vpc-cni.js";
import { RootStack } from "./root-stack.js";
import type { StackFileSession } from "./stack-synthesizer.js";
import { forgetTokensSince, markTokens } from "../terraform/token-registry.js";

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
  return environments.map((environment) => rootStack(app, environment));
}

/** The root stack of `environment` in `app`, synthesized into `<outdir>/stacks/<environment name>`. */
function rootStack(app: App, environment: Environment): RootStack {
  return new RootStack(app, { environment, stackDir: join(app.outdir, "stacks", environment.name) });
}

/**
 * One root stack per environment in `app`, synthesized into `<outdir>/stacks` all or nothing: what `app.synth()`
 * writes (the stack synthesizer renders and writes each stack, `manifest.json` lists them), but each stack is
 * synthesized as soon as it is built, and then let go. Should a stack fail to build or synthesize, the stack files
 * written before it are put back as they were (their previous content, or removed with their folder if they had
 * none) and the manifest is not written: `<outdir>` is left as it was. Returns the stacks' names.
 *
 * Why one at a time: building every stack first left every construct tree to age into V8's old generation before
 * synthesis wrote its caches into it, so each young-generation collection had all of them to scan: at 100
 * environments about a fifth of the run went to those collections, a third as much with each stack synthesized
 * while its tree is young. (A staging folder moved into place at the end cost another tenth: new files and
 * folders are much dearer than rewritten ones.) Why let go: a written stack is needed no more, and holding every
 * stack (in the app, and through cdktf's token registry) made memory grow with each environment; let go, each
 * stack's objects mostly die before the next young-generation collection.
 */
export function synthesizeRootStacks(app: App, environments: readonly Environment[]): string[] {
  const previous = new PreviousStackFiles(app.outdir);
  const session: StackFileSession = {
    outdir: app.outdir,
    skipValidation: app.skipValidation,
    manifest: app.manifest,
    beforeStackFileWrite: (path, content) => previous.keepFile(path, content),
  };
  try {
    const stacks = environments.map((environment) => {
      const tokens = markTokens();
      const stack = rootStack(app, environment);
      previous.keepFolder(app.manifest.forStack(stack));
      stack.prepareStack();
      stack.synthesizer.synthesize(session);
      // Written: its construct tree and its tokens go (the manifest keeps what it needs of the stack).
      app.node.tryRemoveChild(stack.node.id);
      forgetTokensSince(tokens);
      return stack.node.id;
    });
    const problems = app.skipValidation ? [] : app.node.validate();
    if (problems.length > 0) throw new Error(`the app failed its validations:\n  ${problems.join("\n  ")}`);
    app.manifest.writeToFile();
    return stacks;
  } catch (error) {
    previous.restore();
    throw error;
  }
}

/**
 * What a synthesis changed in the output folder, to put it back should it fail: the stack folders it may create, and
 * the stack files it writes with what they held (the root stacks' synthesizer tells of each file before writing it,
 * and writes only those whose content changes, so a run holds copies of changed files only).
 */
class PreviousStackFiles {
  private readonly folders: { path: string; existed: boolean }[] = [];
  private readonly files: { path: string; content: Buffer | undefined }[] = [];

  constructor(private readonly outdir: string) {}

  /** Note a stack's folder, to remove it should the synthesis create it and fail. */
  keepFolder(stack: StackManifest): void {
    const path = join(this.outdir, stack.workingDirectory);
    this.folders.push({ path, existed: existsSync(path) });
  }

  /** Note a file about to be written, with what it held (undefined: nothing there). */
  keepFile(path: string, content: Buffer | undefined): void {
    this.files.push({ path, content });
  }

  /** Put every noted file back as it was, and remove the stack folders that were not there. */
  restore(): void {
    for (const { path, content } of this.files) {
      if (content === undefined) rmSync(path, { force: true });
      else writeFileSync(path, content);
    }
    for (const { path, existed } of this.folders) if (!existed) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Remove the synthesized stacks of environments that no longer exist from
 * `<outdir>/stacks` (`stacks`: the names of those just synthesized), so that
 * nothing (a person, `cdktf deploy`) can pick up a stale one. Returns their names.
 */
export function removeStaleStacks(outdir: string, stacks: readonly string[]): string[] {
  const dir = join(outdir, "stacks");
  if (!existsSync(dir)) return [];
  const current = new Set(stacks);
  const stale = readdirSync(dir).filter((name) => !current.has(name)).sort();
  for (const name of stale) rmSync(join(dir, name), { recursive: true, force: true });
  return stale;
}
