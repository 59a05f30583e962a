/**
 * cdktf keeps every token it has turned into a string or a number in one
 * registry for the process (TokenMap, cdktf/lib/tokens/private/token-map.js,
 * cdktf 0.21.0), so that it can find the token again from its marker, and
 * never lets one go. A token holds what it stands for (a reference its stack,
 * a lazy value the constructs it reads), so every stack built in a run stays
 * in memory to its end, however many there are.
 *
 * A stack that has been written needs none of its tokens again. Marking the
 * registry before a stack is built and forgetting what came after once it is
 * written leaves it as it was, and the stack's constructs to the garbage
 * collector. A marker of a forgotten token that is still resolved somewhere
 * fails loudly: cdktf refuses a marker it does not know.
 */
import { ref } from "cdktf";
import { BEGIN_STRING_TOKEN_MARKER, END_TOKEN_MARKER, regexQuote, VALID_KEY_CHARS } from "cdktf/lib/tokens/private/encoding.js";
import { TokenMap } from "cdktf/lib/tokens/private/token-map.js";

/** The registry's two tables (private fields of TokenMap), in the order tokens were added. */
interface Registry {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

/** How many tokens the registry held at a point. */
export interface TokenMark {
  readonly strings: number;
  readonly numbers: number;
}

const registry = (): Registry => TokenMap.instance() as unknown as Registry;

/** cdktf's reference token (`ref()`: an element, or one of its attributes), a class it does not export. */
const REFERENCE = ref("").constructor;
/** The fields of a reference its resolution reads. */
interface ReferenceFields {
  readonly identifier: string;
  /** Identifiers by stack, for a reference resolved in another stack than its own (set while cdktf prepares stacks). */
  readonly crossStackIdentifier: Record<string, string>;
}
/** Every cdktf token marker in a string (`${TfToken[`, `#{TfToken[`, `&{TfToken[`) holds this. */
export const TOKEN_MARKER = BEGIN_STRING_TOKEN_MARKER.slice(2);
/** A string that is exactly one string token's marker (cdktf's STRING_TOKEN_REGEX, anchored). */
const SOLE_MARKER = new RegExp(`^${regexQuote(BEGIN_STRING_TOKEN_MARKER)}([${VALID_KEY_CHARS}]+)${regexQuote(END_TOKEN_MARKER)}$`);

/**
 * The Terraform expression `text` stands for when it is exactly the marker of a reference to an element or one of
 * its attributes (`aws_iam_role.node_group.arn`), else undefined. It is what cdktf resolves that marker to without
 * braces (a reference resolves to `${<identifier>}`, and that holds nothing more to resolve), found without the
 * contexts cdktf makes for each resolution: a root stack resolves some fifty such markers. A reference that has
 * been resolved across stacks, or whose identifier holds anything to interpolate, is left to cdktf.
 */
export function referenceExpression(text: string): string | undefined {
  const key = SOLE_MARKER.exec(text)?.[1];
  const token = key === undefined ? undefined : registry().stringTokenMap.get(key);
  if (typeof token !== "object" || token === null || token.constructor !== REFERENCE) return undefined;
  const { identifier, crossStackIdentifier } = token as ReferenceFields;
  if (identifier.includes("${") || identifier.includes(TOKEN_MARKER) || Object.keys(crossStackIdentifier).length > 0) return undefined;
  return identifier;
}

/** The registry as it is now. */
export function markTokens(): TokenMark {
  const { stringTokenMap, numberTokenMap } = registry();
  return { strings: stringTokenMap.size, numbers: numberTokenMap.size };
}

/**
 * Forget the tokens registered since `mark` (a Map keeps its order, so they are the entries past the mark's
 * counts). Only for tokens whose stack is written and whose markers nothing will resolve again.
 */
export function forgetTokensSince(mark: TokenMark): void {
  const { stringTokenMap, numberTokenMap } = registry();
  forgetPast(stringTokenMap, mark.strings);
  forgetPast(numberTokenMap, mark.numbers);
}

function forgetPast<K>(table: Map<K, unknown>, count: number): void {
  let index = 0;
  for (const key of table.keys()) {
    if (index >= count) table.delete(key);
    index += 1;
  }
}
