/**
 * `npm run --silent environments`: prints the deploy workflow's matrix, one
 * JSON entry per environments/<name>.yaml (src/app/workflow-matrix.ts), on one line
 * for $GITHUB_OUTPUT. A bad environment file fails with the file and field named.
 */
import { EnvironmentError, loadEnvironments } from "../src/app/config.js";
import { workflowMatrix } from "../src/app/workflow-matrix.js";

try {
  process.stdout.write(`${JSON.stringify(workflowMatrix(loadEnvironments("environments")))}\n`);
} catch (error) {
  if (!(error instanceof EnvironmentError)) throw error;
  console.error(`environments refused:\n${error.message}`);
  process.exitCode = 1;
}
