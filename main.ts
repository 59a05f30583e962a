/**
 * The main job: regenerate the plain Terraform modules in modules/.
 * Run with `npm run synth` (or `cdktf synth`).
 */
import { renderModules } from "./src/app.js";
import { writeModules } from "./src/generate.js";

writeModules("modules", renderModules());
