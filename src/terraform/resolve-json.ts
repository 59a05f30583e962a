/**
 * cdktf's token resolution (`Tokenization.resolve`), walking the plain parts
 * of a value itself and handing cdktf only the parts that hold a token.
 *
 * cdktf resolves a stack by walking every element's Terraform JSON, making two
 * context objects with closures for every key and value and testing every
 * string against three token patterns, and then walks the merged stack once
 * more. A root stack is some 1,500 values of which about 70 hold tokens, so
 * that walk, not the tokens, was most of a stack's synthesis time. Here a
 * value that cannot hold a token is copied as cdktf would copy it (objects and
 * arrays rebuilt, `undefined` entries dropped) and anything that may hold one
 * goes to cdktf's own resolve, so the result is cdktf's: plain objects carry
 * no context that their values' resolution would see (cdktf passes contexts
 * down unchanged through them), and tokens are resolved in cdktf's order.
 * Only the path in cdktf's error messages starts at the value handed to it.
 * A string that is exactly a reference's marker (most of a stack's tokens)
 * is read from cdktf's token registry instead (token-registry.ts).
 */
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import { referenceExpression, TOKEN_MARKER } from "./token-registry.js";

/** The resolver cdktf's stacks resolve with (cdktf/lib/_tokens.js), which keeps no state. */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * A token marker, or what cdktf looks up as an encoded number inside a string: its pattern
 * `[-|\d|.+]+(e[-|\d|.|e|E|+]+)` (cdktf/lib/tokens/private/encoding.js) matches where this does, one character
 * of its first class, an `e` and one of its second, and this finds it without backtracking.
 */
const MAY_HOLD_TOKEN = /TfToken\[|[-|\d.+]e[-|\d.eE+]/;
/** Nesting past which the walk leaves the value to cdktf, whose resolve refuses circular values with its own error. */
const MAX_DEPTH = 100;

/** `Tokenization.resolve(value)` in `scope` as a stack resolves its elements (cdktf's default resolver, not preparing). */
export function resolveJson(scope: IConstruct, value: unknown): unknown {
  const cdktf = (part: unknown) => Tokenization.resolve(part, { scope, preparing: false, resolver: RESOLVER });
  const walk = (part: unknown, depth: number): unknown => {
    if (part === undefined || part === null || typeof part === "boolean") return part;
    if (typeof part === "string") return mayHoldToken(part) ? referenceString(part) ?? cdktf(part) : part;
    if (typeof part === "number") return numberMayHoldToken(part) ? cdktf(part) : part;
    if (typeof part !== "object" || depth > MAX_DEPTH || part instanceof Date) return cdktf(part);
    if (Array.isArray(part)) {
      if (part.some(isListToken)) return cdktf(part);
      const items: unknown[] = [];
      for (const item of part) {
        const resolved = walk(item, depth + 1);
        if (resolved !== undefined) items.push(resolved);
      }
      return items;
    }
    const keys = Object.keys(part);
    if (Tokenization.isResolvable(part) || isConstruct(part) || keys.some(mayHoldToken)) return cdktf(part);
    const object: Record<string, unknown> = {};
    for (const key of keys) {
      const resolved = walk((part as Record<string, unknown>)[key], depth + 1);
      if (resolved !== undefined) object[key] = resolved;
    }
    return object;
  };
  return walk(value, 0);
}

/** What cdktf resolves a string that is exactly a reference's marker to (`${<identifier>}`), else undefined. */
function referenceString(text: string): string | undefined {
  const expression = referenceExpression(text);
  return expression === undefined ? undefined : "${" + expression + "}";
}

/** True for a string cdktf's resolve would do anything with: a token, something shaped like an encoded number, a map token's value. */
function mayHoldToken(text: string): boolean {
  return MAY_HOLD_TOKEN.test(text) || text === Token.STRING_MAP_TOKEN_VALUE || text === Token.ANY_MAP_TOKEN_VALUE;
}

/** True for a number cdktf's resolve would do anything with: an encoded token, a number map token's value. */
function numberMayHoldToken(value: number): boolean {
  return Token.isUnresolved(value) || value === Token.NUMBER_MAP_TOKEN_VALUE;
}

/**
 * True for JSON that resolution leaves as it is: no string or key that may hold a token, no encoded number, no
 * `undefined`, nothing but plain objects, arrays and primitives.
 */
export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === "boolean") return true;
  if (typeof value === "string") return !mayHoldToken(value);
  if (typeof value === "number") return !numberMayHoldToken(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype || Tokenization.isResolvable(value)) return false;
  return Object.entries(value).every(([key, item]) => !mayHoldToken(key) && isPlainJson(item));
}

/** True for a list element that makes cdktf resolve its list as a list token: an encoded string or number list. */
function isListToken(item: unknown): boolean {
  if (typeof item === "string") return item.includes(TOKEN_MARKER);
  // A one-element list is unresolved when its element is an encoded list (cdktf's `unresolved`).
  return typeof item === "number" && Token.isUnresolved([item]);
}

/** cdktf's test for a construct, which its resolve refuses (cdktf/lib/tokens/private/resolve.js). */
function isConstruct(value: object): boolean {
  const fields = value as { _children?: unknown; _metadata?: unknown };
  return fields._children !== undefined && fields._metadata !== undefined;
}
