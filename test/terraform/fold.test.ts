import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseExpression, parseTemplate, print } from "../../src/terraform/expression.js";
import { foldExpression, foldTemplate, refersToAnything, type Conversion, type FoldScope } from "../../src/terraform/fold.js";
import { FOLDED, KEPT } from "../support/fold-cases.js";
import { SKIP_REASON, TERRAFORM, requireTerraform } from "../support/terraform.js";

/** Fold expression text (where its value gets `conversion`) and print the result. */
const fold = (text: string, conversion: Conversion = "none", scope?: FoldScope) => print(foldExpression(parseExpression(text), scope, conversion));

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
