/**
 * Reusing folds across stacks. Folding an expression (fold.ts) is a function
 * of the expression and of what it reads of its scope: locals' values and
 * shapes, empty elements. The root stacks of many environments hold the same
 * strings (one parse each: fold-terraform.ts) whose folds read the same
 * values, so a fold is kept with the reads it made, in order, and what they
 * returned; a later fold of the same expression whose scope returns equal
 * values for those reads is the same fold. As folding is deterministic, the
 * same answers to the same reads mean the same path through it and the same
 * result; a read that answers otherwise means folding anew (and keeping that
 * fold too). Kept results are shared, never changed (folding builds new
 * trees and never changes one).
 */
import type { FoldScope, NameTable } from "./fold.js";

/** One read of a scope: a table's get or has, or a call of one of its functions, with its name and what it returned. */
interface ScopeRead {
  readonly member: "locals" | "constants" | "emptyElements" | "localShape" | "localConstructor";
  readonly method: "get" | "has" | "call";
  readonly name: string;
  readonly value: unknown;
}

interface Kept<T> {
  /** The caller's key (e.g. the conversion). */
  readonly key: string;
  /** Which optional scope members were there ({@link presence}). */
  readonly members: number;
  readonly reads: readonly ScopeRead[];
  readonly result: T;
}

/** Folds kept per expression: the most recent {@link FoldMemo.VARIANTS} distinct ones (environments that differ fold differently). */
export class FoldMemo<T> {
  static readonly VARIANTS = 8;
  private readonly kept = new Map<object, Kept<T>[]>();

  /**
   * `fold(scope)` for `node`, or a kept result of it for the same `key` whose reads give equal values in `scope`.
   * `fold` must read the scope it is given, and only it (it gets one that records the reads).
   */
  fold(node: object, key: string, scope: FoldScope, fold: (scope: FoldScope) => T): T {
    // `for` iterator bindings exist only inside a fold: a top-level fold has none.
    if (scope.bindings !== undefined) return fold(scope);
    const members = presence(scope);
    const variants = this.kept.get(node) ?? [];
    for (const variant of variants) {
      if (variant.key === key && variant.members === members && variant.reads.every((read) => sameValue(reread(scope, read), read.value))) {
        return variant.result;
      }
    }
    const reads: ScopeRead[] = [];
    const result = fold(recording(scope, reads));
    variants.unshift({ key, members, reads, result });
    if (variants.length > FoldMemo.VARIANTS) variants.pop();
    this.kept.set(node, variants);
    return result;
  }
}

/** Which optional members a scope has (folding tests some for presence), one bit each. */
function presence(scope: FoldScope): number {
  return (
    (scope.constants === undefined ? 0 : 1) |
    (scope.emptyElements === undefined ? 0 : 2) |
    (scope.localShape === undefined ? 0 : 4) |
    (scope.localConstructor === undefined ? 0 : 8)
  );
}

/** A scope that answers as `scope` does and writes each read, with its answer, to `reads`. */
function recording(scope: FoldScope, reads: ScopeRead[]): FoldScope {
  const table = <V>(member: ScopeRead["member"], source: NameTable<V>): NameTable<V> => ({
    get: (name) => {
      const value = source.get(name);
      reads.push({ member, method: "get", name, value });
      return value;
    },
    has: (name) => {
      const value = source.has(name);
      reads.push({ member, method: "has", name, value });
      return value;
    },
  });
  const call = <V>(member: ScopeRead["member"], source: (name: string) => V) => (name: string) => {
    const value = source(name);
    reads.push({ member, method: "call", name, value });
    return value;
  };
  return {
    locals: table("locals", scope.locals),
    ...(scope.constants ? { constants: table("constants", scope.constants) } : {}),
    ...(scope.emptyElements ? { emptyElements: table("emptyElements", scope.emptyElements) } : {}),
    ...(scope.localShape ? { localShape: call("localShape", scope.localShape) } : {}),
    ...(scope.localConstructor ? { localConstructor: call("localConstructor", scope.localConstructor) } : {}),
  };
}

/** What `read` returns in `scope` now. */
function reread(scope: FoldScope, read: ScopeRead): unknown {
  if (read.member === "localShape") return scope.localShape?.(read.name);
  if (read.member === "localConstructor") return scope.localConstructor?.(read.name);
  const table = scope[read.member];
  return read.method === "has" ? table?.has(read.name) : table?.get(read.name);
}

/** Equal values: the same primitive, or objects and arrays with equal fields (an expression's source text included). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // for...in over plain data (expressions are plain objects and arrays): no key arrays made for each comparison.
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(y, key) || !sameValue(x[key], y[key])) return false;
    count += 1;
  }
  for (const _key in y) count -= 1;
  return count === 0;
}
