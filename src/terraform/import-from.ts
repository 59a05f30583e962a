/**
 * Import blocks without cdktf's version probe. cdktf's `importFrom` adds, with
 * each import block, a validation that runs `terraform version` when the stack
 * is synthesized (import blocks came with Terraform 1.5.0: its CHANGELOG, NEW
 * FEATURES, "import blocks for importing infrastructure"). That is a process per
 * imported resource per synthesis (about 45 ms each here), and a synthesis that
 * fails where Terraform is not installed, for a check Terraform makes itself
 * when the stack says so: a stack whose `required_version` asks for 1.5 or
 * later (the root stacks ask for 1.9.0) is refused by any older Terraform at
 * `init`, before an import block is read.
 */
import type { TerraformResource } from "cdktf";

/**
 * `resource.importFrom(id)` without the version probe (cdktf 0.21.0's importFrom sets the resource's `_imported`,
 * which its toTerraform writes as the `import` block, and adds the probe). Only for stacks whose required_version
 * is 1.5 or later.
 */
export function importFrom(resource: TerraformResource, id: string): void {
  (resource as unknown as { _imported: { id: string; provider: undefined } })._imported = { id, provider: undefined };
}
