/**
 * The deploy workflow's matrix (.github/workflows/deploy.yml): one entry per
 * environment file, read and checked by the same loader as `npm run synth`,
 * so a bad environment file stops the workflow before any job assumes a role.
 */
import type { Environment } from "./config.js";

export interface WorkflowEnvironment {
  /** The environment's name: its cdktf stack, its GitHub environment and its concurrency group. */
  readonly name: string;
  /** The stack's AWS region: the workflow asks STS there for the role's credentials. */
  readonly region: string;
  /** Where the stack keeps its state. A CI runner is thrown away after its job, so the workflow refuses `local`. */
  readonly backend: Environment["backend"]["type"];
  /** HCP Terraform host the workflow's token is for (the cloud backend's hostname); empty for other backends. */
  readonly tfc_hostname: string;
  /**
   * Suffix of the repository variable AWS_PLAN_ROLE_ARN_<suffix> that overrides AWS_PLAN_ROLE_ARN for this
   * environment: its name upper-cased with hyphens as underscores (variable names take letters, digits and _).
   */
  readonly variable_suffix: string;
}

export function workflowMatrix(environments: readonly Environment[]): WorkflowEnvironment[] {
  return environments.map((environment) => ({
    name: environment.name,
    region: environment.region,
    backend: environment.backend.type,
    tfc_hostname: environment.backend.type === "cloud" ? environment.backend.hostname : "",
    variable_suffix: environment.name.toUpperCase().replaceAll("-", "_"),
  }));
}
