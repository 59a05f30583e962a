/**
 * Schema problems in plain words: what a field must be and what it was,
 * instead of the validator's own text. Knows zod's issue shapes, not EKS.
 */
import type { z } from "zod";

/** What an expected type reads as in a sentence. */
const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a set of fields (name: value)",
  record: "a set of fields (name: value)",
};

/** A short description of a value someone wrote. */
export function describeValue(value: unknown): string {
  if (value === null) return "empty";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a set of fields";
  return typeof value;
}

/** Edit distance, to suggest the field a misspelt one was meant to be. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known field closest to `field`, when it is close enough to be a typo. */
export function closestField(field: string, known: readonly string[]): string | undefined {
  const [best] = known
    .map((name) => ({ name, d: distance(field, name) }))
    .filter(({ d }) => d <= Math.max(2, Math.floor(field.length / 4)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  return best?.name;
}

/** The fields an object schema at `path` accepts (for suggestions), if it is one. */
export type KnownFields = (path: readonly PropertyKey[]) => readonly string[];

/**
 * One line per problem, `<field path>: <plain message>`. Unknown fields get a
 * line each, with the known field they most resemble.
 */
export function plainProblems(issues: readonly z.core.$ZodIssue[], knownFields: KnownFields): string[] {
  return issues.flatMap((issue) => {
    const at = (path: readonly PropertyKey[]) => path.map(String).join(".") || "the file";
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const suggestion = closestField(key, knownFields(issue.path));
        return `${at([...issue.path, key])}: unknown field${suggestion ? `; did you mean ${suggestion}?` : ""}`;
      });
    }
    return [`${at(issue.path)}: ${plainMessage(issue)}`];
  });
}

/** What is wrong, in words an operator reads without knowing the validator. */
function plainMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_type": {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (input === undefined) return `is required (${expected})`;
      return `must be ${expected}, not ${describeValue(input)}`;
    }
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, not ${describeValue(input)}`;
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      if (options) return `must be one of ${options.map((v) => JSON.stringify(v)).join(", ")}, not ${describeValue((input as Record<string, unknown>)?.[(issue as { discriminator?: string }).discriminator ?? ""])}`;
      return `is not any of the accepted forms`;
    }
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1 ? "must not be empty" : `must be at least ${String(issue.minimum)}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}`;
    case "invalid_format":
      // Patterns carry their own plain message (what the field must look like).
      return `${issue.message}, not ${describeValue(input)}`;
    default:
      return issue.message;
  }
}
