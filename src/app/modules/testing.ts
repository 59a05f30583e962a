/**
 * The README section "Testing a configuration that uses this module": how a
 * root module that calls one of the modules runs `terraform test` against
 * the mocked AWS account every module ships in `mocks/aws.tfmock.hcl`.
 *
 * Terraform facts it rests on: `mock_provider`'s `source` is one folder of
 * `.tfmock.hcl` files, read as a literal path relative to the folder
 * terraform runs in (configload's LoadExternalMockData hands it straight to
 * ReadDir); blocks written inside `mock_provider` win over the folder's;
 * `terraform init` installs a git or registry source whole into
 * `.terraform/modules/<module call>` and the module is its subdirectory
 * there (initwd's module installer); an `override_data` block replaces a data
 * source's whole answer; `expect_failures` names only objects of the
 * configuration under test.
 */
import { moduleSource } from "../release.js";

/** A data source of a module that a user's test may answer differently. */
export interface OverrideTarget {
  /** Its address inside the module, e.g. `data.aws_ec2_instance_type.this`. */
  readonly address: string;
  /** What it answers (the attributes the module reads) and when the module reads it. */
  readonly what: string;
}

export interface ModuleTesting {
  /** The module's folder under modules/, e.g. `node-group`. */
  readonly module: string;
  /** The module block name the section's examples use, e.g. `node_group`. */
  readonly call: string;
  /** Sentences saying what the mocks answer for this module. */
  readonly answers: string;
  /** Data sources a user's test may override. */
  readonly overrides: readonly OverrideTarget[];
  /** Outputs that come from what the module creates (known after apply). */
  readonly afterApply: readonly string[];
  /** `run` blocks of an example test file (HCL, terraform fmt style). */
  readonly example: string;
}

/** Where each module keeps its mocks, relative to the module's folder. */
export const MOCKS_FOLDER = "mocks";

/** The section's Markdown. */
export function testingSection(t: ModuleTesting): string {
  const mocks = `${MOCKS_FOLDER}/aws.tfmock.hcl`;
  return [
    `\`${mocks}\` is a mocked AWS account for \`terraform test\`: a root module that calls this one can plan and apply`,
    "in its tests offline, without AWS credentials.",
    t.answers,
    "What the modules create gets identifiers in AWS's formats (account 123456789012, region ap-northeast-1), and a root",
    'module\'s own `data "aws_eks_cluster"` finds an active Kubernetes 1.32 cluster (endpoint, CA, service CIDR, cluster',
    "security group). It is the same file in every module of this project and covers them all, because `mock_provider`",
    "reads a single folder: calling several, point at any one.",
    "",
    'Point `mock_provider "aws"` at the folder. Terraform takes `source` as written, relative to the folder `terraform test`',
    "runs in (your root module), not to the test file:",
    "",
    `| the module block's \`source\` | \`mock_provider "aws"\` \`source\` |`,
    "|---|---|",
    `| a local path, e.g. \`"../modules/${t.module}"\` | \`"../modules/${t.module}/${MOCKS_FOLDER}"\` |`,
    `| git or a registry, e.g. \`"${moduleSource(t.module)}"\` | \`".terraform/modules/${t.call}/modules/${t.module}/${MOCKS_FOLDER}"\` |`,
    "",
    "`terraform init` downloads a git or registry source whole into `.terraform/modules/<module block name>/`; the module's",
    "own folder is its `Dir` in `.terraform/modules/modules.json` (`TF_DATA_DIR` moves `.terraform`).",
    "",
    "`mock_data` and `mock_resource` blocks written inside your `mock_provider` block win over the file's for the same type",
    `(every instance of it). To answer one data source of this module differently, add an \`override_data\` block with its`,
    `address in your configuration (here for \`module "${t.call}"\`):`,
    "",
    "| `override_data` `target` | what it answers |",
    "|---|---|",
    ...t.overrides.map((o) => `| \`module.${t.call}.${o.address}\` | ${o.what} |`),
    "",
    "An `override_data` block replaces the file's whole answer for that address: give every attribute listed, or those left",
    "out come back generated (0, empty, random text).",
    "",
    `Outputs from what the module creates (${t.afterApply.map((o) => `\`${o}\``).join(", ")}) are known with \`command = apply\``,
    "(the mock provider makes their values up, nothing is created); a plan shows them unknown, as AWS's provider would. A",
    "precondition that fails inside the module fails the run: `expect_failures` names only objects of the configuration",
    "under test.",
    "",
    `For example \`tests/${t.call}.tftest.hcl\`, beside a root module that calls this one from git as \`module "${t.call}"\`:`,
    "",
    "```hcl",
    'mock_provider "aws" {',
    `  source = ".terraform/modules/${t.call}/modules/${t.module}/${MOCKS_FOLDER}"`,
    "}",
    "",
    t.example,
    "```",
  ].join("\n");
}
