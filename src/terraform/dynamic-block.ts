/**
 * `dynamic` blocks written as Terraform JSON. cdktf's `iterator.dynamic()`
 * makes a block whose content is lazy tokens, resolved at synthesis in an
 * iterator context (some 0.1 ms a block, and a root stack has four); a block
 * over a collection given as expression text, its content written as
 * expressions of `each`, is plain JSON from the start. cdktf places a dynamic
 * block by its symbol (cdktf 0.21.0, TerraformDynamicBlock.isTerraformDynamicBlock
 * in processDynamicAttributes) and writes what its toTerraformDynamicBlockJson()
 * returns under `dynamic.<attribute>`, where the attribute was: the same place,
 * the same JSON.
 */
import type { IResolvable } from "cdktf";
import { expr } from "./hcl.js";

/** cdktf's mark of a dynamic block (a global symbol). */
const DYNAMIC_BLOCK = Symbol.for("cdktf/TerraformDynamicBlock");

/** The iteration variable of a dynamic block, as expressions: `${each.key}`, `${each.value}`, `${each.value.<path>}`. */
export interface Each {
  readonly key: string;
  value(path?: string): string;
}

const EACH: Each = { key: "${each.key}", value: (path) => (path === undefined ? "${each.value}" : `\${each.value.${path}}`) };

/**
 * A `dynamic` block for a block attribute of a resource: one block for each element of `collection` (expression
 * text, e.g. `local.tags`), with the content `content` writes from `each` (Terraform JSON: a block's arguments,
 * nested blocks as lists of objects).
 */
export function dynamicBlock(collection: string, content: (each: Each) => Record<string, unknown>): IResolvable {
  const json = { for_each: expr(collection), iterator: "each", content: content(EACH) };
  const block = {
    creationStack: [],
    toTerraformDynamicBlockJson: () => json,
    resolve: (): never => {
      throw new Error(`a dynamic block (for_each = ${collection}) can only be the value of a block attribute`);
    },
    toString: () => `<dynamic block over ${collection}>`,
  };
  Object.defineProperty(block, DYNAMIC_BLOCK, { value: true });
  return block;
}
