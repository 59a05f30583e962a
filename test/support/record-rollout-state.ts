/**
 * `npm run record:rollout`: records test/terraform/rollout/state.json, the
 * state the rename and tag-only plans of test/terraform.test.ts start from
 * (see test/support/rollout.ts). Run it after changing the node group's resources.
 */
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROLLOUT_FIXTURE, ROLLOUT_STATE, recordRolloutState } from "./rollout.js";
import { removeWorkdir, requireTerraform, terraformOk, workdir } from "./terraform.js";

async function main(): Promise<void> {
  requireTerraform();
  const root = workdir({ modules: "modules" });
  try {
    const dir = join(root, ROLLOUT_FIXTURE);
    cpSync(ROLLOUT_FIXTURE, dir, { recursive: true, filter: (path) => !path.endsWith("state.json") });
    await terraformOk(["init", "-input=false"], dir);
    writeFileSync(ROLLOUT_STATE, await recordRolloutState(dir));
    console.log(`recorded ${ROLLOUT_STATE}`);
  } finally {
    removeWorkdir(root);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
