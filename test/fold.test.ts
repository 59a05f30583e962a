import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExpression, parseTemplate, print } from "../src/expression.js";
import { foldExpression, foldTemplate, refersToAnything, type Conversion, type FoldScope } from "../src/fold.js";
import { SKIP_REASON, TERRAFORM, requireTerraform } from "./support/terraform.js";

/** Fold expression text (where its value gets `conversion`) and print the result. */
const fold = (text: string, conversion: Conversion = "none", scope?: FoldScope) => print(foldExpression(parseExpression(text), scope, conversion));

/** [what, expression, folded] */
type Case = readonly [string, string, string];

/** Constants the root stacks' constructs leave, and what they fold to. */
const FOLDED: readonly Case[] = [
  ["a literal condition picks its branch", "null == null ? 1 : 0", "1"],
  ["comparison of two literals", '"node_role" == "pod_identity" ? 1 : 0', "0"],
  ["equality does not convert: 1 is not \"1\"", '1 == "1"', "false"],
  ["negation of a literal", "!true || local.x == 1", "local.x == 1"],
  ["true || x is true", "true || local.x == 1", "true"],
  ["x || true is true", "local.x == 1 || true", "true"],
  ["false && x is false", "false && local.ok", "false"],
  ["true && x is x where x is a bool", "true && (local.a == 1 || local.b)", "local.a == 1 || local.b"],
  ["coalesce skips literal nulls before arguments of one type", "coalesce(null, length(local.list), local.n * 2)", "coalesce(length(local.list), local.n * 2)"],
  ["coalesce of a non-empty literal first", 'coalesce("a", "b")', '"a"'],
  ["merge drops empty objects and nulls, and one object is itself", 'merge({ a = "x" }, null == null ? {} : null)', '{ a = "x" }'],
  ["merge of object constructors is one object, later keys winning", 'merge({ a = "x", b = "y" }, {}, { b = "z" })', '{ a = "x", b = "z" }'],
  ["merge keeps a reference, without the empties", "merge(local.tags, true ? { managed = \"\" } : {})", 'merge(local.tags, { managed = "" })'],
  ["concat of tuple constructors is one tuple", 'concat(["a", "b"], true ? ["c"] : [], false ? ["d"] : [])', '["a", "b", "c"]'],
  ["concat drops empty tuples beside a reference", 'concat(local.list, [], ["x"])', 'concat(local.list, ["x"])'],
  ["compact drops literal empty strings", 'compact([local.a == 1 ? "w" : "", false ? "never" : ""])', 'compact([local.a == 1 ? "w" : ""])'],
  ["parenthesized literal", "(false ? 1 : 0)", "0"],
  ["x - 0 in arithmetic", "(local.enis - (false ? 1 : 0)) * 16 + 2", "local.enis * 16 + 2"],
  ["a conditional of identical branches", "local.a == 1 ? local.x : local.x", "local.x"],
  ["tostring of literals", "tostring(1)", '"1"'],
  ["tostring of a bool", "tostring(true)", '"true"'],
  ["tonumber of digits", 'tonumber("32")', "32"],
  ["format with literal operands", 'format("%s-%s", "sre-test", "nodes")', '"sre-test-nodes"'],
  ["format with a literal and a reference becomes a template", 'format("%s-%s-", "sre-test", each.key)', '"sre-test-${each.key}-"'],
  ["format keeps %d of a reference, with the literal written in", 'format("%s has %d pods (100%%)", "t3a.medium", local.pods)', 'format("t3a.medium has %d pods (100%%)", local.pods)'],
  ["substr of a short literal", 'substr("sre-test-nodes", 0, 19)', '"sre-test-nodes"'],
  ["split and index of literals", 'try(tonumber(split(".", "1.32")[1]) <= 32, false)', "true"],
  ["a for over an empty tuple", '{ for r in [] : "${r.a} ${r.b}" => r }', "{}"],
  ["a for over a call that keeps an empty tuple empty", "{ for id in distinct([for r in [] : r.id]) : id => id }", "{}"],
  [
    "a for over a known object with a known filter",
    '{ for name, value in { A = tostring(true), B = true ? tostring(1) : null, C = null == null ? null : tostring(null) } : name => value if value != null }',
    '{ "A" = "true", "B" = "1" }',
  ],
  ["a for over a known tuple", "[for x in [1, 2] : x * 2]", "[2, 4]"],
  ["keys of an object constructor, sorted", 'keys({ b = 1, a = 2 })', '["a", "b"]'],
  ["contains of literals", 'contains(["cpu", "memory"], "memory")', "true"],
  [
    "alltrue of a for over known keys",
    'alltrue([for key in keys({ "ephemeral-storage" = "2Gi" }) : contains(["cpu", "memory", "ephemeral-storage"], key)])',
    "true",
  ],
  ["a constructor is never null", '{ a = 1 } == null ? true : false', "false"],
  ["an object key in parentheses that folds to a literal string is a quoted key", '{ (format("k/%s", "x")) = "owned" }', '{ "k/x" = "owned" }'],
  ["attribute of an object constructor", "{ a = 1, b = local.x }.a", "1"],
  ["index of a tuple constructor", '["a", local.x][0]', '"a"'],
  ["a template's literal interpolations become text", '"ami ${"AL2"} on ${true}, ${1} pods"', '"ami AL2 on true, 1 pods"'],
  ["a template of one literal interpolation is the literal, unconverted", '"${1}"', "1"],
  ["a template interpolating a template is one template", '"a${"b${local.x}c"}d"', '"ab${local.x}cd"'],
  ["a literal %{ if } picks its branch", '"a%{ if true }b%{ else }c%{ endif }d"', '"abd"'],
  ["try of a known value is the value", 'try("x", null)', '"x"'],
  ["one of an empty tuple is null", "one([])", "null"],
  ["one of a tuple of one element is that element", "one([local.x])", "local.x"],
  ["length of a tuple constructor", "length([local.x, 2])", "2"],
  ["can of a known value is true", "can(1)", "true"],
  ["parentheses come back where the new place needs them", "11 * (true ? local.a + 1 : local.b * 2) + 255", "11 * (local.a + 1) + 255"],
];

/** Expressions folding must leave as they are: what a rule would change there is not known, or would change the value. */
const KEPT: readonly Case[] = [
  ["a reference", "local.x", "local.x"],
  ["false || x, x of unknown type outside a bool place (|| converts it to bool)", "false || local.x", "false || local.x"],
  ["x - 0, x of unknown type outside a number place", "local.x - 0", "local.x - 0"],
  ["a literal condition whose branches unify to another type", 'true ? local.x : 5', "true ? local.x : 5"],
  ["a literal condition whose object branch would become a map of mixed values", 'true ? { a = 1, b = "x" } : {}', 'true ? { a = 1, b = "x" } : {}'],
  ["coalesce of one reference (it fails on null or \"\")", "coalesce(null, local.x)", "coalesce(local.x)"],
  ["coalesce's null before arguments of unknown types (without it, they would be converted to one type)", "coalesce(null, local.a, local.b)", "coalesce(null, local.a, local.b)"],
  ["merge of a map with an empty object only (the empty one makes it an object)", "merge(local.m, {})", "merge(local.m, {})"],
  ["format with a verb folding does not read", 'format("%05d", 3)', 'format("%05d", 3)'],
  ["format with too few operands (Terraform's error)", 'format("%s-%s", "a")', 'format("%s-%s", "a")'],
  ["substr of non-ASCII text (it counts characters)", 'substr("héllo", 0, 2)', 'substr("héllo", 0, 2)'],
  ["a lone interpolation the merge would leave (it would no longer be converted to a string)", '"${""}${local.n}"', '"${""}${local.n}"'],
  ["an object key that is a bare name", "{ local = 1 }", "{ local = 1 }"],
  ["1 / 3, which is not a whole number", "1 / 3", "1 / 3"],
];

describe("foldExpression", () => {
  it.each(FOLDED)("folds %s", (_what, text, folded) => {
    // GIVEN an expression with a part known at synthesis WHEN folded THEN what Terraform must evaluate is left
    expect(fold(text)).toBe(folded);
  });

  it.each(KEPT)("leaves %s", (_what, text, kept) => {
    expect(fold(text)).toBe(kept);
  });

  it("replaces x || false by x where the place converts to bool anyway (a condition)", () => {
    expect(fold("false || local.x", "bool")).toBe("local.x");
    expect(fold("local.x - 0", "number")).toBe("local.x");
  });

  it("knows references to resources with no instances: an empty tuple (count) or object (for_each)", () => {
    // GIVEN a queue with count 0 and rules with an empty for_each
    const scope: FoldScope = {
      locals: new Map(),
      emptyElements: new Map([
        ["aws_sqs_queue.q", parseExpression("[]")],
        ["data.aws_subnet.s", parseExpression("{}")],
      ]),
    };
    // WHEN references to them are folded THEN splats over them are empty, and so is what follows a splat
    expect(fold("one(aws_sqs_queue.q[*].url)", "none", scope)).toBe("null");
    expect(fold("length(aws_sqs_queue.q)", "none", scope)).toBe("0");
    expect(fold("{ for k, s in data.aws_subnet.s : k => s.cidr_block }", "none", scope)).toBe("{}");
    // A splat over an object is a tuple of that object, not empty: left alone.
    expect(fold("data.aws_subnet.s[*]", "none", scope)).toBe("{}[*]");
  });

  it("writes in the locals it is told are known, and uses the types of others", () => {
    // GIVEN a local known to be "AL2" and one known to be a number
    const scope: FoldScope = { locals: new Map([["family", parseExpression('"AL2"')]]), localShape: (name) => (name === "pods" ? "number" : undefined) };
    // WHEN folded THEN the comparison is decided and the branches of one type collapse
    expect(fold('local.family == "BOTTLEROCKET" ? 1 : 0', "none", scope)).toBe("0");
    expect(fold("true ? local.pods : local.enis * 2", "none", scope)).toBe("local.pods");
  });

  it("keeps the text of everything it did not change", () => {
    // GIVEN odd but valid spacing around a folded part WHEN folded THEN only the folded part is rewritten
    expect(fold('f( local.a ,"x" )  +  (true ? 1 : 0)')).toBe('f( local.a ,"x" )  +  1');
  });
});

describe("foldTemplate", () => {
  it("folds a JSON string's interpolations and merges their literals into its text", () => {
    const folded = foldTemplate(parseTemplate('ami ${"AL2_x86_64"} on ${"t3a.medium"}: ${local.n} pods'));
    expect(print(folded)).toBe("ami AL2_x86_64 on t3a.medium: ${local.n} pods");
  });

  it("escapes what becomes text: a literal ${ stays text", () => {
    expect(print(foldTemplate(parseTemplate('${"$${x}"} and ${local.y}')))).toBe("$${x} and ${local.y}");
  });

  it("leaves strip markers and the text they trim alone", () => {
    const text = '${"a"} ${~ local.x}';
    expect(print(foldTemplate(parseTemplate(text)))).toBe(text);
  });
});

describe("refersToAnything", () => {
  it("sees references, but not for-expression names or object keys", () => {
    expect(refersToAnything(parseExpression("var.x == 1"))).toBe(true);
    expect(refersToAnything(parseExpression('alltrue([for key in ["a"] : key == "a"])'))).toBe(false);
    expect(refersToAnything(parseExpression('{ cpu = "1" } == null'))).toBe(false);
    expect(refersToAnything(parseExpression("[for key in local.keys : key]"))).toBe(true);
  });
});

/**
 * Terraform itself evaluates each expression and its folded form (in
 * `terraform console`, with locals of every type for the references): their
 * values, or their failing, must be the same.
 */
describe.skipIf(SKIP_REASON)("folded expressions under Terraform", () => {
  it("evaluate to what the expressions they replace evaluate to", () => {
    requireTerraform();
    const dir = mkdtempSync(join(tmpdir(), "eks-pod-density-fold-"));
    try {
      writeFileSync(
        join(dir, "main.tf"),
        [
          "locals {",
          '  x     = "str"',
          "  a     = 1",
          "  b     = true",
          "  n     = 5",
          "  ok    = false",
          "  pods  = 110",
          "  enis  = 3",
          '  list  = ["l"]',
          '  m     = tomap({ k = "v" })',
          '  tags  = { team = "sre" }',
          "  keys  = [\"a\"]",
          "}",
          "",
        ].join("\n"),
      );
      // Every case but those that refer to each.key (only resources have it).
      const cases = [...FOLDED, ...KEPT].filter(([, text]) => !text.includes("each."));
      const pairs = cases.flatMap(([, text]) => [text, fold(text)]);
      const expression = `base64encode(jsonencode([${pairs.map((text) => `try(jsonencode(${text}), "ERROR")`).join(", ")}]))`;
      const result = spawnSync(TERRAFORM, ["console", "-no-color"], {
        cwd: dir,
        input: `${expression}\n`,
        encoding: "utf8",
        env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "" },
      });
      expect(result.status, result.stderr).toBe(0);
      const values = JSON.parse(Buffer.from(JSON.parse(result.stdout.trim()) as string, "base64").toString("utf8")) as string[];
      cases.forEach(([what, text], i) => {
        expect(values[2 * i + 1], `${what}: ${text} → ${fold(text)}`).toBe(values[2 * i]);
      });
      // The cases that fold are no failures in disguise.
      cases.filter((item) => FOLDED.includes(item)).forEach(([what, text]) => expect(values[2 * cases.findIndex(([, t]) => t === text)], what).not.toBe("ERROR"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
