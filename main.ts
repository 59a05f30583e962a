/**
 * The main job (`npm run synth`, or `cdktf synth`): synthesize a root stack
 * per environment into cdktf.out/ and regenerate the plain Terraform modules
 * in modules/, and the environment files' reference (docs/environment.schema.json
 * and README.md's table of fields). Everything is built and checked before anything is written;
 * it ends with a short summary of what it wrote.
 */
import { App } from "cdktf";
import { removeStaleStacks, renderModules, synthesizeRootStacks } from "./src/app/app.js";
import { EnvironmentError, loadEnvironments } from "./src/app/config.js";
import { writeEnvironmentReference } from "./src/app/environment-reference.js";
import { writeModules } from "./src/app/generate.js";
import { InputError } from "./src/rules/checker.js";
import { synthSummary } from "./src/app/summary.js";

try {
  const environments = loadEnvironments("environments");
  const modules = renderModules();
  // No construct stack traces: they cost a tenth of the run and synthesis errors here name the construct path.
  const app = new App({ stackTraces: false });
  const stacks = synthesizeRootStacks(app, environments);
  const removed = removeStaleStacks(app.outdir, stacks);
  const written = writeModules("modules", modules);
  // The environment files' JSON Schema and the README's table of their fields, from the loader's schema.
  const reference = writeEnvironmentReference(".");
  console.log(
    synthSummary({ outdir: app.outdir, stacks, removed, modules: Object.keys(modules), changed: written.changed, reference }),
  );
} catch (error) {
  if (!(error instanceof EnvironmentError || error instanceof InputError)) throw error;
  console.error(`synthesis refused:\n${error.message}`);
  process.exitCode = 1;
}
