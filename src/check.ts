import { TerraformElement } from "cdktf";
import type { Construct } from "constructs";
import { escapeTemplate, expr } from "./hcl.js";

/** One assertion of a {@link TerraformCheck}. */
export interface CheckAssertion {
  /** Expression text that holds when all is well. */
  readonly condition: string;
  /** The warning Terraform prints otherwise; `{{expression}}` parts are interpolated. */
  readonly message: string;
}

/**
 * A Terraform `check` block: its assertions are evaluated on every plan and
 * apply and print warnings when they fail, without stopping anything. For
 * settings that are accepted but surprising. (cdktf 0.21 has no construct for it.)
 */
export class TerraformCheck extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly assertions: readonly CheckAssertion[],
  ) {
    super(scope, id, "check");
  }

  override toTerraform(): Record<string, unknown> {
    return {
      check: {
        [this.friendlyUniqueId]: {
          assert: this.assertions.map((assertion) => ({
            condition: expr(assertion.condition),
            error_message: escapeTemplate(assertion.message).replace(/\{\{(.+?)\}\}/g, (_, expression: string) => expr(expression)),
          })),
        },
      },
    };
  }
}
