import {
  TerraformDataSource,
  TerraformElement,
  TerraformLocal,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import { deepMerge } from "cdktf/lib/util.js";
import type { IConstruct, Node } from "constructs";
import { isPlainJson, resolveJson } from "./resolve-json.js";

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
  /** The construct each address was given to. */
  private readonly addresses = new Map<string, Node>();

  protected override allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
    // The ids from below the stack down to the element, read walking up (node.scopes and node.path build arrays).
    const parts: string[] = [];
    for (let scope: Node | undefined = node; scope !== undefined && scope !== this.node; scope = scope.scope?.node) {
      const name = addressName(scope.id);
      if (name !== MAIN_ID) parts.unshift(name);
    }
    const logicalId = (parts.length > 0 ? parts.join("_") : MAIN_ID).replace(/[^A-Za-z0-9_-]/g, "_");
    const address = `${kindOf(tfElement)}.${logicalId}`;
    const taken = this.addresses.get(address);
    if (taken !== undefined && taken !== node) {
      throw new Error(`${node.path} and ${taken.path} would both be ${address}; give one of them another id`);
    }
    this.addresses.set(address, node);
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

  /**
   * The stack's Terraform JSON, as cdktf's `TerraformStack.toTerraform` builds it (the same steps in the same
   * order), with its resolution done by {@link resolveJson}: the walk through the configuration's plain values was
   * most of a stack's synthesis time. cdktf then resolves the merged configuration a second time, which finds
   * nothing more where the stack's overrides hold no token (resolution already resolved what a token resolves
   * to): then only the metadata's unset `cloud` goes, as that resolve would drop it.
   */
  public override toTerraform(): any {
    const { rawOverrides, cdktfVersion } = this as unknown as CdktfStackFields;
    const elements = terraformElements(this);
    const metadata: Record<string, unknown> = {
      version: cdktfVersion,
      stackName: this.node.id,
      backend: "local",
      cloud: undefined,
      ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
    };
    const metadatas = elements.map((element) => resolveJson(this, element.toMetadata()));
    for (const meta of metadatas) deepMerge(metadata, meta);
    // Each output's construct path, nested by path segment, leading to its Terraform name.
    const outputs: Record<string, unknown> = {};
    for (const element of elements) {
      if (!TerraformOutput.isTerraformOutput(element)) continue;
      deepMerge(outputs, element.node.path.split("/").reduceRight<unknown>((inner, part) => ({ [part]: inner }), element.friendlyUniqueId));
    }
    const terraform: Record<string, unknown> = { "//": { metadata, outputs } };
    const fragments = elements.map((element) => resolveJson(this, element.toTerraform()));
    for (const fragment of fragments) mergeResolved(terraform, fragment as Record<string, unknown>);
    deepMerge(terraform, rawOverrides);
    if (!isPlainJson(rawOverrides)) return resolveJson(this, terraform);
    if (metadata.cloud === undefined) delete metadata.cloud;
    return terraform;
  }
}

/**
 * cdktf's `deepMerge(target, source)` for a `source` that {@link resolveJson} made: plain JSON that nothing else
 * holds, so where `target` has no value under a key, the source's is put there as it is instead of copied.
 */
function mergeResolved(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (!(key in target)) target[key] = value;
    else if (isPlainObject(existing) && isPlainObject(value)) mergeResolved(existing, value);
    else deepMerge(target, { [key]: value });
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Fields cdktf's TerraformStack keeps private that its toTerraform reads: the stack's overrides (addOverride) and the cdktf version. */
interface CdktfStackFields {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: string;
}

/** The stack's Terraform elements in construct order, not descending into nested stacks (cdktf's terraformElements). */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) terraformElements(child, into);
  return into;
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
