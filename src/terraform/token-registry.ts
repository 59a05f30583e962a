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
