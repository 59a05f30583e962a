import { describe, expect, it } from "vitest";
import { ExpressionSyntaxError, parseExpression, parseTemplate, print, type Expression, type Node } from "../../src/terraform/expression.js";
import { isTemplate, projectConfigs, strings } from "../support/expressions.js";

/** A tree without source positions: what prints canonically. */
function withoutSource(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutSource);
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).filter(([key]) => key !== "span" && key !== "base").map(([key, value]) => [key, withoutSource(value)]));
  }
  return node;
}

/** The Terraform expression strings the project writes: every module, and every root stack before folding. */
function projectExpressions(): string[] {
  const { modules, unfoldedStacks } = projectConfigs();
  return [...modules, ...unfoldedStacks].flatMap((config) => strings(config)).filter(isTemplate);
}

describe("parseTemplate and print", () => {
  // GIVEN every expression string the modules and root stacks hold WHEN each is parsed and printed
  const texts = projectExpressions();

  it("prints every one exactly as it was written", () => {
    expect(texts.length).toBeGreaterThan(400);
    for (const text of texts) expect(print(parseTemplate(text))).toBe(text);
  });

  it("prints every one, written anew from its tree alone, as text that parses to the same tree", () => {
    for (const text of texts) {
      const tree = withoutSource(parseTemplate(text)) as Node;
      expect(withoutSource(parseTemplate(print(tree)))).toEqual(tree);
    }
  });
});

describe("parseTemplate", () => {
  it("reads $${ and %%{ as text, and ${...} as an expression", () => {
    // GIVEN a Terraform JSON string with both escapes and an interpolation WHEN parsed
    const template = parseTemplate("$${a} %%{b} ${var.x}");
    // THEN the escapes are text and the interpolation is a reference
    expect(template.parts.map((part) => part.type)).toEqual(["text", "interpolation"]);
    expect(template.parts[0]).toMatchObject({ type: "text", value: "${a} %{b} " });
  });

  it("reads backslash escapes in quoted strings, and none in a JSON string", () => {
    const quoted = parseExpression('"a\\"b\\n\\u00e9"');
    expect(quoted).toMatchObject({ type: "template", parts: [{ type: "text", value: 'a"b\né' }] });
    expect(parseTemplate("a\\nb${1}").parts[0]).toMatchObject({ type: "text", value: "a\\nb" });
  });

  it("reads directives with their strip markers", () => {
    const template = parseTemplate("%{ if var.on ~}yes%{~ else }no%{ endif }%{ for x in var.xs }${x},%{ endfor }");
    expect(template.parts.map((part) => part.type)).toEqual(["ifDirective", "forDirective"]);
    expect(template.parts[0]).toMatchObject({ strips: [{ before: false, after: true }, { before: true, after: false }, { before: false, after: false }] });
  });

  it("reads identifiers with dashes as names, as Terraform does", () => {
    expect(parseExpression("a-b")).toMatchObject({ type: "variable", name: "a-b" });
    expect(parseExpression("a - b")).toMatchObject({ type: "binary", op: "-" });
  });

  it("reads a bare null, true or false as an object key as that name, as Terraform does", () => {
    // GIVEN keys that are keywords WHEN parsed THEN each is a bare name (Terraform: keys({ null = 1 }) is ["null"])
    const tree = parseExpression("{ null = 1, true = 2, (false) = 3 }") as Extract<Expression, { type: "object" }>;
    expect(tree.items.map((item) => item.key)).toMatchObject([
      { type: "variable", name: "null" },
      { type: "variable", name: "true" },
      { type: "paren", inner: { type: "bool", value: false } },
    ]);
    expect(print(tree)).toBe("{ null = 1, true = 2, (false) = 3 }");
  });

  it("binds operators as HCL does: && before ||, comparison before &&, a conditional last", () => {
    const tree = parseExpression("a || b && c == d ? e : f") as Extract<Expression, { type: "conditional" }>;
    expect(tree.cond).toMatchObject({ type: "binary", op: "||", right: { type: "binary", op: "&&", right: { type: "binary", op: "==" } } });
  });

  it("reads for expressions, splats, legacy indexes and provider functions", () => {
    expect(parseExpression("{ for k, v in var.m : k => v... if v != null }")).toMatchObject({ type: "for", result: "object", keyVar: "k", group: true });
    expect(parseExpression("aws_x.y[*].id")).toMatchObject({ type: "attr", target: { type: "splat", full: true } });
    expect(parseExpression("var.list.0")).toMatchObject({ type: "index", legacy: true });
    expect(parseExpression("provider::aws::arn_parse(var.arn)")).toMatchObject({ type: "call", name: "provider::aws::arn_parse" });
  });

  it("refuses what it does not read, saying where", () => {
    expect(() => parseTemplate("${<<EOT\nx\nEOT\n}")).toThrow(ExpressionSyntaxError);
    expect(() => parseTemplate("${var.x")).toThrow(/expected } to close the interpolation at offset 7/);
    expect(() => parseTemplate("%{ if true }x")).toThrow(/expected %\{ endif \}/);
  });
});

describe("print", () => {
  it("splices a replaced child into its parent's text, keeping the rest as written", () => {
    // GIVEN a parsed expression whose condition is replaced
    const tree = parseExpression('f( a,b )  ?  "x"  :  y') as Extract<Expression, { type: "conditional" }>;
    const copy = { ...tree, span: undefined, base: tree, cond: parseExpression("true") } as Expression;
    // WHEN printed THEN only the condition's text changes
    expect(print(copy)).toBe('true  ?  "x"  :  y');
  });

  it("parenthesizes a child where its place needs it, and only there", () => {
    const sum = parseExpression("a + b");
    const product = parseExpression("x * y") as Extract<Expression, { type: "binary" }>;
    expect(print({ ...product, span: undefined, base: product, left: sum } as Expression)).toBe("(a + b) * y");
    const or = parseExpression("x || y") as Extract<Expression, { type: "binary" }>;
    expect(print({ ...or, span: undefined, base: or, right: parseExpression("a && b") } as Expression)).toBe("x || a && b");
    const attr = parseExpression("x.name") as Extract<Expression, { type: "attr" }>;
    expect(print({ ...attr, span: undefined, base: attr, target: parseExpression("null") } as Expression)).toBe("(null).name");
  });

  it("writes new text in the escapes of its kind of string", () => {
    const text = 'say "${hi}"\n%{x}';
    expect(print({ type: "template", mode: "json", parts: [{ type: "text", value: text }] })).toBe('say "$${hi}"\n%%{x}');
    expect(print({ type: "template", mode: "quoted", parts: [{ type: "text", value: text }] })).toBe('"say \\"$${hi}\\"\\n%%{x}"');
  });
});
