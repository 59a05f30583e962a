/**
 * Terraform's built-in `terraform_data` resource, without the check cdktf's
 * own `DataResource` adds: that one runs `terraform version` in a child
 * process for every stack at synthesis (about 50 ms each, and synthesis
 * failing on machines without terraform). `terraform_data` needs Terraform
 * 1.4 (Terraform's terraform_data documentation); every configuration here
 * declares a `required_version` above that, which Terraform itself enforces
 * at `init`.
 */
import { TerraformResource, type ITerraformDependable, type TerraformResourceLifecycle } from "cdktf";
import type { Construct } from "constructs";

export interface TerraformDataProps {
  /** Stored in state and mirrored in `output` after apply. @default none */
  readonly input?: unknown;
  /** A change of this value replaces the resource. @default none */
  readonly triggersReplace?: unknown;
  /** @default none */
  readonly lifecycle?: TerraformResourceLifecycle;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** A `terraform_data` resource. */
export class TerraformData extends TerraformResource {
  private readonly input?: unknown;
  private readonly triggersReplace?: unknown;

  constructor(scope: Construct, id: string, props: TerraformDataProps = {}) {
    super(scope, id, {
      terraformResourceType: "terraform_data",
      terraformGeneratorMetadata: { providerName: "terraform" },
      lifecycle: props.lifecycle,
      dependsOn: props.dependsOn,
    });
    this.input = props.input;
    this.triggersReplace = props.triggersReplace;
  }

  /** The stored `input`, after apply. */
  get output() {
    return this.getAnyMapAttribute("output");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: this.input, triggers_replace: this.triggersReplace };
  }
}
