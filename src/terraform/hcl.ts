/**
 * Helpers that turn construct inputs (plain values or cdktf tokens) into
 * Terraform expression text, so that rules can be written once as readable
 * HCL expressions and work the same whether an input is a literal (root
 * stack) or a module variable (generated module).
 */
import { DefaultTokenResolver, StringConcat, TerraformLocal, Token, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import { referenceExpression } from "./token-registry.js";

const resolver = new DefaultTokenResolver(new StringConcat());

/** Resolve every token inside `value` to its `${...}` form. */
function resolveTokens(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, preparing: false, resolver });
}

/**
 * If `text` is exactly one interpolation (`${...}` spanning the whole
 * string), return the expression inside it; otherwise undefined.
 */
function soleInterpolation(text: string): string | undefined {
  if (!text.startsWith("${") || !text.endsWith("}")) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = 2; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i === text.length - 1 ? text.slice(2, -1) : undefined;
      depth--;
    }
  }
  return undefined;
}

/** Escape a literal so Terraform's template engine leaves it as written. */
export function escapeTemplate(text: string): string {
  // Replacement functions: in a replacement string "$$" would itself mean one "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** An HCL quoted string literal for `text`. */
export function hclString(text: string): string {
  const json = JSON.stringify(escapeTemplate(text));
  // JSON's \b and \f escapes are not HCL escapes; HCL accepts \uNNNN for both.
  return json.replace(/\\b/g, "\\u0008").replace(/\\f/g, "\\u000c");
}

/**
 * Terraform expression text for a construct input: a literal becomes an HCL
 * literal (a `${` a user wrote stays text), a token becomes the expression it
 * stands for (e.g. `var.name`).
 */
export function hcl(scope: IConstruct, value: unknown): string {
  return render(value, (item) => (Token.isUnresolved(item) ? tokenExpression(scope, item) : undefined));
}

/** The expression a token stands for: a reference's read from cdktf's registry, any other's resolved by cdktf. */
function tokenExpression(scope: IConstruct, token: unknown): string {
  return (typeof token === "string" ? referenceExpression(token) : undefined) ?? expressionOf(resolveTokens(scope, token));
}

/**
 * An HCL literal for a plain value (no tokens): strings escaped so that a
 * `${` stays text, lists and objects as written, undefined as null.
 */
export function hclLiteral(value: unknown): string {
  return render(value, () => undefined);
}

/** Expression text for a resolved token: `${...}` strings become the expression inside. */
function expressionOf(value: unknown): string {
  return render(value, (item) => {
    if (typeof item !== "string") return undefined;
    const inner = soleInterpolation(item);
    if (inner !== undefined) return inner;
    if (item.includes("${")) {
      throw new Error(`cannot use a string that mixes text and Terraform references as an expression: ${item}`);
    }
    return undefined;
  });
}

/**
 * HCL text for a value: what `special` returns for a value (or any value
 * inside it), else null, literals, lists and objects as written.
 */
function render(value: unknown, special: (value: unknown) => string | undefined): string {
  const text = special(value);
  if (text !== undefined) return text;
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return hclString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => render(item, special)).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${hclString(k)} = ${render(v, special)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  throw new Error(`cannot express ${typeof value} as a Terraform value`);
}

/**
 * A configuration value for a resource attribute that cdktf writes as it is:
 * every literal string is escaped (`${` → `$${`, `%{` → `%%{`) so Terraform
 * keeps the text the user wrote instead of evaluating it; tokens stay tokens.
 */
export function literal<T>(value: T): T {
  if (Token.isUnresolved(value)) return value;
  if (typeof value === "string") return escapeTemplate(value) as T;
  if (Array.isArray(value)) return value.map(literal) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTemplate(k), literal(v)])) as T;
  }
  return value;
}

/** Wrap expression text for use as a Terraform JSON attribute value. */
export function expr(text: string): string {
  return "${" + text + "}";
}

/**
 * A piece of a Terraform string template: literals are escaped, tokens and
 * expression text become `${...}` interpolations.
 */
export function interpolate(scope: IConstruct, value: string | number | boolean): string {
  if (Token.isUnresolved(value)) return expr(hcl(scope, value));
  return typeof value === "string" ? escapeTemplate(value) : String(value);
}

/**
 * A piece of a Terraform string template for expression text: simple
 * literals are written in place (`"sre-test"` → `sre-test`, `false` → `false`),
 * anything else becomes a `${...}` interpolation.
 */
export function templatePart(expression: string): string {
  if (/^(true|false|-?[0-9]+(\.[0-9]+)?)$/.test(expression)) return expression;
  if (/^"[^"\\$%]*"$/.test(expression)) return expression.slice(1, -1);
  return expr(expression);
}

/** True when the value (or anything inside it) is still a Terraform reference. */
export function isUnresolved(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Token.isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(isUnresolved);
  if (typeof value === "object") return Object.values(value as object).some(isUnresolved);
  return false;
}

/** The resolved value when `value` holds no Terraform references, else undefined. */
export function known<T>(value: T | undefined): T | undefined {
  return value === undefined || isUnresolved(value) ? undefined : value;
}

/** Props with defaults filled in where a prop is missing or undefined. */
export function withDefaults<D extends object, P extends object>(defaults: D, props: P): D & P {
  const merged = { ...defaults } as Record<string, unknown>;
  // for...in over own keys: no arrays of entries made for the many props of every construct of every stack.
  for (const key in props) if (Object.hasOwn(props, key) && props[key] !== undefined) merged[key] = props[key];
  return merged as D & P;
}

/** A string token standing for expression text (unlike `Token.asString("${…}")`, which stays a plain string). */
export function stringExpression(expression: string): string {
  return Token.asString(Token.asAny(expr(expression)));
}

/** Declare a Terraform local holding `expression`; returns the reference (`local.<name>`). */
export function addLocal(scope: IConstruct, id: string, expression: string): string {
  return `local.${new TerraformLocal(scope, id, expr(expression)).friendlyUniqueId}`;
}

/**
 * Declare a Terraform local holding `value` as Terraform JSON writes it: a list or object written out, one entry a
 * line, each string a template (escape text with {@link literal}, write expressions as `${...}`). For tables and
 * text a reviewer reads entry by entry. Returns the reference (`local.<name>`).
 */
export function addLocalValue(scope: IConstruct, id: string, value: readonly unknown[] | Readonly<Record<string, unknown>>): string {
  return `local.${new TerraformLocal(scope, id, value).friendlyUniqueId}`;
}
