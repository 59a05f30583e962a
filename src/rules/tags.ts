/**
 * Rules for a `tags` input, shared by every construct that tags AWS
 * resources: what AWS refuses at apply is refused before it (see
 * docs/bad-input.md).
 */
import { hclString } from "../terraform/hcl.js";
import { tfMatches, type InputRule } from "./checker.js";

/** Tags an AWS resource holds at most (EC2, Auto Scaling, IAM, EKS: 50 user tags). */
export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/**
 * Characters every tagged service accepts; IAM, whose roles carry the same
 * tags, refuses anything else at apply (IAM API Tag: [\p{L}\p{Z}\p{N}_.:/=+\-@]).
 */
export const TAG_CHARACTERS_PATTERN = "^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$";

type Tags = Record<string, string>;
const entries = (value: unknown): [string, string][] =>
  typeof value === "object" && value !== null ? Object.entries(value as Tags) : [];
/** Characters as Terraform counts them (code points, not UTF-16 units). */
const length = (text: string) => [...text].length;
const tagCharacters = new RegExp(TAG_CHARACTERS_PATTERN, "u");

export interface TagRuleOptions {
  /** The input's name, e.g. `tags`. */
  readonly input: string;
  /** Tags the construct adds itself; the input may not set them. */
  readonly reservedKeys?: readonly string[];
  /** Key prefixes the construct owns (e.g. `kubernetes.io/cluster/`). */
  readonly reservedPrefixes?: readonly string[];
  /** How many of {@link MAX_TAGS_PER_RESOURCE} the construct uses itself. */
  readonly ownTags?: number;
}

/** The rules for one tags input. */
export function tagRules(options: TagRuleOptions): InputRule[] {
  const { input } = options;
  const reservedKeys = options.reservedKeys ?? [];
  const reservedPrefixes = options.reservedPrefixes ?? [];
  const maxTags = MAX_TAGS_PER_RESOURCE - (options.ownTags ?? 0);
  const reserved = (key: string) => reservedKeys.includes(key) || reservedPrefixes.some((prefix) => key.startsWith(prefix));
  const owned = [...reservedKeys, ...reservedPrefixes.map((prefix) => `${prefix}*`)];
  const rules: InputRule[] = [
    {
      input,
      message: `${input} may hold at most ${maxTags} tags: AWS allows ${MAX_TAGS_PER_RESOURCE} per resource${options.ownTags ? `, and the module adds ${options.ownTags} of its own` : ""}.`,
      accepts: (value) => entries(value).length <= maxTags,
      condition: (ref) => `length(${ref}) <= ${maxTags}`,
    },
    {
      input,
      message: `${input}: tag keys must be 1 to ${MAX_TAG_KEY_LENGTH} characters and values at most ${MAX_TAG_VALUE_LENGTH}, without the aws: prefix AWS reserves for itself.`,
      accepts: (value) =>
        entries(value).every(
          ([key, tag]) =>
            length(key) >= 1 && length(key) <= MAX_TAG_KEY_LENGTH && length(tag) <= MAX_TAG_VALUE_LENGTH && !key.toLowerCase().startsWith("aws:"),
        ),
      condition: (ref) =>
        `alltrue([for key, value in ${ref} : length(key) >= 1 && length(key) <= ${MAX_TAG_KEY_LENGTH} && length(value) <= ${MAX_TAG_VALUE_LENGTH} && !startswith(lower(key), "aws:")])`,
    },
    {
      input,
      message: `${input}: tag keys and values may hold only letters, digits, spaces and _ . : / = + - @ (IAM, which tags the node role too, refuses other characters).`,
      accepts: (value) => entries(value).every(([key, tag]) => tagCharacters.test(key) && tagCharacters.test(tag)),
      condition: (ref) =>
        `alltrue([for key, value in ${ref} : ${tfMatches(TAG_CHARACTERS_PATTERN)("key")} && ${tfMatches(TAG_CHARACTERS_PATTERN)("value")}])`,
    },
  ];
  rules.push({
    // IAM tag keys are case-insensitive (IAM User Guide, "Tagging IAM resources": a role cannot hold two keys that
    // differ only in case); the node role carries these tags, so IAM would refuse them at apply.
    input,
    message: `${input}: tag keys must differ in more than letter case (IAM, which tags the node role too, treats Team and team as one key).`,
    accepts: (value) => new Set(entries(value).map(([key]) => key.toLowerCase())).size === entries(value).length,
    condition: (ref) => `length(distinct([for key in keys(${ref}) : lower(key)])) == length(${ref})`,
  });
  if (owned.length > 0) {
    rules.push({
      input,
      message: `${input} may not set ${owned.join(", ")}: the module sets ${owned.length > 1 ? "them" : "it"} itself, and an override would break ${owned.length > 1 ? "what they mark" : "what it marks"}.`,
      accepts: (value) => entries(value).every(([key]) => !reserved(key)),
      condition: (ref) =>
        `alltrue([for key in keys(${ref}) : ${[
          ...reservedKeys.map((key) => `key != ${hclString(key)}`),
          ...reservedPrefixes.map((prefix) => `!startswith(key, ${hclString(prefix)})`),
        ].join(" && ")}])`,
    });
  }
  return rules;
}
