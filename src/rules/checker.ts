/**
 * Input rules written once and enforced in three places: in TypeScript when a
 * construct receives a resolved value (synth time), as `validation` blocks on
 * the variables of generated modules and root stacks, and as `precondition`s
 * when a rule spans several inputs. Every message names the input it refuses.
 */
import { escapeTemplate, expr, hclString, isUnresolved } from "../terraform/hcl.js";

/** A rule on one input. */
export interface InputRule {
  /** The Terraform input the rule checks; the message names it. */
  readonly input: string;
  /** What is refused, naming the input. */
  readonly message: string;
  /** The rule in TypeScript, for resolved values (`undefined`/`null` mean unset). */
  readonly accepts: (value: unknown) => boolean;
  /** The same rule as a Terraform condition over the expression text `ref`. */
  readonly condition: (ref: string) => string;
  /** Sentences about the refused value, after the message (which entry, what was probably meant). */
  readonly detail?: (value: unknown) => string;
  /** The same as a Terraform string expression over `ref`, interpolated into the validation's error message. */
  readonly tfDetail?: (ref: string) => string;
}

/** A rule that relates several inputs (or an input to plan-time data). */
export interface CrossRule {
  /** The inputs involved; the message names them. */
  readonly inputs: readonly string[];
  readonly message: string;
  /**
   * The rule in TypeScript, given resolved values by input name, or
   * `undefined` when it can only be decided at plan time.
   */
  readonly accepts?: (values: Record<string, unknown>) => boolean;
  /** The rule as a Terraform condition; `refs` maps input names to expression text. */
  readonly condition: (refs: Record<string, string>) => string;
}

/** A rule's message for resolved values: `{{input}}` placeholders become the values. */
export function formatMessage(message: string, values: Record<string, unknown>): string {
  return message.replace(/\{\{([a-z_]+)\}\}/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}

/** An input refused at synth time. */
export class InputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = "InputError";
  }
}

/** The TypeScript property of a Terraform input name: `ami_type` → `amiType`. */
export const propertyName = (input: string) => input.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());

/**
 * A rule's message as a construct's caller reads it: every Terraform input of `inputs` it names (a snake_case word)
 * becomes the TypeScript property, followed the first time by the input's own name in parentheses
 * (`amiType (ami_type) must be one of …`). Words that are no input (values such as `node_role`) stay as they are.
 */
export function typeScriptMessage(message: string, inputs: Iterable<string>): string {
  const known = new Set(inputs);
  const named = new Set<string>();
  return message.replace(/(?<![\w.$<{"-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w>}"])/g, (input) => {
    if (!known.has(input)) return input;
    if (named.has(input)) return propertyName(input);
    named.add(input);
    return `${propertyName(input)} (${input})`;
  });
}

/** A rule that refuses resolved values: the inputs it names and its message. */
export interface Violation {
  readonly inputs: readonly string[];
  readonly message: string;
}

/**
 * Every rule that refuses the resolved `values` (by input name), single-input
 * rules first. Inputs missing from `values`, and values still holding
 * Terraform references, are left to Terraform.
 */
export function violations(
  values: Record<string, unknown>,
  rules: readonly InputRule[],
  crossRules: readonly CrossRule[] = [],
): Violation[] {
  const found: Violation[] = [];
  for (const rule of rules) {
    if (!(rule.input in values) || isUnresolved(values[rule.input])) continue;
    const value = values[rule.input] ?? null;
    if (!rule.accepts(value)) found.push({ inputs: [rule.input], message: rule.detail ? `${rule.message} ${rule.detail(value)}` : rule.message });
  }
  for (const rule of crossRules) {
    if (!rule.accepts || rule.inputs.some((input) => isUnresolved(values[input]))) continue;
    if (!rule.accepts(values)) found.push({ inputs: rule.inputs, message: formatMessage(rule.message, values) });
  }
  return found;
}

/**
 * Check every rule whose inputs are resolved; throw an {@link InputError}
 * naming the construct path for the first one that refuses its value, in the
 * words of the construct's props: the inputs of `values` and the `nested`
 * field names (e.g. instance_refresh's) as TypeScript properties.
 */
export function checkResolved(
  path: string,
  values: Record<string, unknown>,
  rules: readonly InputRule[],
  crossRules: readonly CrossRule[] = [],
  nested: readonly string[] = [],
): void {
  const [first] = violations(values, rules, crossRules);
  if (first) throw new InputError(path, typeScriptMessage(first.message, [...Object.keys(values), ...nested]));
}

/** The rules that apply to one input. */
export function rulesFor(rules: readonly InputRule[], input: string): InputRule[] {
  return rules.filter((rule) => rule.input === input);
}

/** Terraform `validation` blocks (cdktf shape) for one variable. */
export function validationsFor(rules: readonly InputRule[], input: string, ref = `var.${input}`) {
  return rulesFor(rules, input).map((rule) => ({
    condition: expr(rule.condition(ref)),
    errorMessage: escapeTemplate(rule.message) + (rule.tfDetail ? ` ${expr(rule.tfDetail(ref))}` : ""),
  }));
}

/**
 * Terraform preconditions (cdktf shape) for cross-input rules. A message may
 * name `{{ref}}` placeholders, rendered as the value of `refs[ref]`.
 */
export function preconditionsFor(rules: readonly CrossRule[], refs: Record<string, string>) {
  // A condition over literals only was decided at synth time (and Terraform refuses such a check).
  const refersToSomething = (condition: string) => /\b(var|local|data|aws_[a-z0-9_]+)\.[A-Za-z_]/.test(condition);
  return rules
    .filter((rule) => refersToSomething(rule.condition(refs)))
    .map((rule) => ({
    condition: expr(rule.condition(refs)),
    errorMessage: escapeTemplate(rule.message).replace(/\{\{([a-z_]+)\}\}/g, (_, name: string) => {
      const ref = refs[name];
      if (ref === undefined) throw new Error(`rule message names {{${name}}}, which has no expression`);
      return expr(ref);
    }),
  }));
}

// Building blocks shared by the rule tables. Terraform's `||` and `&&` do not
// short-circuit, so null checks use the conditional operator.

/** Terraform: accept null, else apply `test`. */
export const nullOr = (ref: string, test: string) => `${ref} == null ? true : (${test})`;

/** Whole number in [min, max]. */
export function isWholeNumberIn(value: unknown, min: number, max: number): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** Terraform: whole number in [min, max]. */
export const tfWholeNumberIn = (ref: string, min: number, max: number) =>
  `floor(${ref}) == ${ref} && ${ref} >= ${min} && ${ref} <= ${max}`;

/** A string matching `pattern` (written for both JavaScript and RE2). */
export const matches =
  (pattern: string) =>
  (value: unknown): value is string =>
    typeof value === "string" && new RegExp(pattern).test(value);

/** Terraform: the expression `ref` matches `pattern`. */
export const tfMatches = (pattern: string) => (ref: string) => `can(regex(${hclString(pattern)}, ${ref}))`;

/** Terraform: a list literal of strings. */
export const hclList = (values: readonly string[]) => `[${values.map(hclString).join(", ")}]`;
