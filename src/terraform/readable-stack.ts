import {
  TerraformDataSource,
  TerraformElement,
  TerraformLocal,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import type { Node } from "constructs";

/** Construct id that disappears from addresses: a construct's main resource, or a module's main construct. */
export const MAIN_ID = "this";

/**
 * The address part of a construct id. Constructs of different kinds may share
 * a name in Terraform (`aws_iam_role.this` and `aws_launch_template.this`,
 * `var.max_pods` and `output.max_pods`) but not among construct siblings, so
 * an id may carry a label before a colon that addresses leave out:
 * `role:this`, `output:max_pods`.
 */
export function addressName(id: string): string {
  return id.slice(id.indexOf(":") + 1);
}

/**
 * A stack whose Terraform addresses are short and readable instead of cdktf's
 * hashed ids: the construct path below the stack joined with "_", leaving out
 * `this` and id labels (see {@link addressName}) (e.g. `aws_launch_template.this` in a module,
 * `aws_launch_template.node_group` when a NodeGroup called `node_group` sits
 * in a root stack). Renaming a construct renames the address, which replaces
 * the resource: keep ids stable.
 */
export class ReadableStack extends TerraformStack {
  private readonly addresses = new Map<string, string>();

  protected override allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
    const below = node.scopes.slice(node.scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    const parts = below.map(addressName).filter((name) => name !== MAIN_ID);
    const logicalId = (parts.length > 0 ? parts.join("_") : MAIN_ID).replace(/[^A-Za-z0-9_-]/g, "_");
    const address = `${kindOf(tfElement)}.${logicalId}`;
    const taken = this.addresses.get(address);
    if (taken !== undefined && taken !== node.path) {
      throw new Error(`${node.path} and ${taken} would both be ${address}; give one of them another id`);
    }
    this.addresses.set(address, node.path);
    return logicalId;
  }

  /**
   * cdktf prepares a stack by resolving every element once before the real
   * synthesis, only to find references to other stacks (which it then wires
   * with outputs and remote state). Stacks here stand alone, so that second
   * resolve of everything is skipped; the backend default stays.
   */
  public override prepareStack(): void {
    this.ensureBackendExists();
  }
}

/** The Terraform namespace an element's name lives in. */
function kindOf(element: TerraformElement | Node): string {
  if (TerraformResource.isTerraformResource(element)) return element.terraformResourceType;
  if (TerraformDataSource.isTerraformDataSource(element)) return `data.${element.terraformResourceType}`;
  if (element instanceof TerraformVariable) return "var";
  if (element instanceof TerraformLocal) return "local";
  if (TerraformOutput.isTerraformOutput(element)) return "output";
  return element.constructor.name;
}
