import { TerraformOutput, TerraformVariable, type TerraformOutputConfig, type TerraformVariableValidationConfig } from "cdktf";
import type { Construct } from "constructs";
import { ReadableStack } from "./readable-stack.js";

/** Terraform versions every generated module declares. */
export const MODULE_REQUIRED_VERSION = ">= 1.9.0";
/** The AWS provider range: admits 5.100.0, the version the constructs are generated against. */
export const AWS_PROVIDER_VERSION = ">= 5.100.0, < 7.0.0";

export interface ModuleVariableSpec {
  /** Terraform type constraint, e.g. `string`, `list(string)`. */
  readonly type: string;
  /** What the input means; shown by `terraform` and in the module README. */
  readonly description: string;
  /** Default; omit for a required input. Use `null` for an optional input without value. */
  readonly default?: unknown;
}

export interface ModuleOutputSpec {
  readonly value: TerraformOutputConfig["value"];
  readonly description: string;
  readonly sensitive?: boolean;
}

export interface ModuleStackProps {
  /** One line saying what the module does (README title line). */
  readonly summary: string;
  /** Markdown paragraphs for the README, after the summary. */
  readonly details: string;
  /** A Terraform snippet calling the module, shown in the README. */
  readonly usage: string;
  /** Markdown for the README: how a configuration that calls the module tests itself (the module's shipped mocks). */
  readonly testing: string;
  /** The validation blocks of each variable, by its name (none when omitted or empty). */
  readonly validations?: (input: string) => TerraformVariableValidationConfig[];
}

/**
 * A stack that synthesizes a reusable plain-Terraform module: variables in,
 * outputs out, no provider block and no backend. `modules/<id>` is generated
 * from it by {@link generateModules}.
 */
export class ModuleStack extends ReadableStack {
  readonly summary: string;
  readonly details: string;
  readonly usage: string;
  readonly testing: string;
  private readonly validations: (input: string) => TerraformVariableValidationConfig[];

  constructor(scope: Construct, id: string, props: ModuleStackProps) {
    super(scope, id);
    this.summary = props.summary;
    this.details = props.details;
    this.usage = props.usage;
    this.testing = props.testing;
    this.validations = props.validations ?? (() => []);
    this.addOverride("terraform", {
      required_version: MODULE_REQUIRED_VERSION,
      required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } },
    });
  }

  /** Declare an input, with the validation blocks the stack has for `name`. */
  variable(name: string, spec: ModuleVariableSpec): TerraformVariable {
    const optional = "default" in spec;
    const variable = new TerraformVariable(this, name, {
      type: spec.type,
      description: spec.description,
      ...(optional && spec.default !== null ? { default: spec.default } : {}),
      // Only inputs that default to null take null; elsewhere null falls back to the default (or is refused).
      nullable: optional && spec.default === null,
      validation: this.validations(name),
    });
    // cdktf cannot write `default = null` through the config; the override can.
    if (optional && spec.default === null) variable.addOverride("default", null);
    return variable;
  }

  /** Declare an output. */
  output(name: string, spec: ModuleOutputSpec): TerraformOutput {
    return new TerraformOutput(this, `output:${name}`, spec);
  }
}
