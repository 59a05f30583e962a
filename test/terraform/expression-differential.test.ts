/**
 * src/terraform/expression.ts checked against HashiCorp's own HCL parser (hclsyntax, in Go, compiled to WebAssembly in
 * @cdktf/hcl2json, whose getExpressionAst returns its syntax tree): every Terraform JSON string the project writes
 * (modules, root stacks folded and before folding), the fold test corpus and a few syntax cases, parsed by both,
 * must have the same structure.
 *
 * Each tree is written as an S-expression of what both parsers tell: node kinds, operators, nesting, function
 * names, traversal names and index keys, splat kinds, for and directive variables, and the source text of each run
 * of literal text (getExpressionAst gives no decoded string values and no strip markers, so escapes are compared as
 * written and `~` not at all). Where the two only represent the same thing differently, the S-expression follows
 * hclsyntax; each such normalization is marked "NORMALIZED" where it is done: a template of one interpolation,
 * postfix chains as traversals, empty literal text, the heredoc's last newline. Nodes getExpressionAst leaves without
 * a type (object keys, parentheses, a splat's anonymous symbol) are told apart by where they stand.
 */
import { Buffer } from "node:buffer";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { ExpressionSyntaxError, parseTemplate, type Expression, type TemplatePart } from "../../src/terraform/expression.js";
import { isTemplate, projectConfigs, strings } from "../support/expressions.js";
import { FOLDED, KEPT } from "../support/fold-cases.js";

// HCL's parser is Go compiled to WebAssembly (6.5 MB, compiled when the package loads): V8's baseline compiler
// alone (Liftoff, no TurboFan tier) takes about 1.4 s less CPU for this file's thousand calls. Set before the package
// is loaded, for the module it compiles.
setFlagsFromString("--liftoff-only");
const { getExpressionAst } = await import("@cdktf/hcl2json");

/** Syntax the project's strings and the fold corpus do not all reach: each construct the parser reads, once. */
const SYNTAX: readonly string[] = [
  "${a || b && c == d ? e : f}",
  "${a < b || a <= b || a > b || a >= b || a != b}",
  // Each two neighbouring levels of binding, in both orders.
  "${a || b && c} ${a && b || c} ${a && b == c} ${a == b && c} ${a != b < c} ${a > b == c}",
  "${a <= b + c} ${a - b >= c} ${a + b * c} ${a % b - c} ${-a * b} ${a / !b} ${!a == b ? c || d : e && f}",
  "${a - b - c}",
  "${a * b / c % d + -e}",
  "${!a && !!b}",
  "${-1 - -2.5e3}",
  "${a-b - c}",
  "${(a + b) * (c)}",
  "${f(a, [b, c]...)}",
  "${provider::aws::arn_parse(var.arn).region}",
  "${a.b[0].c[\"d\"].e.1}",
  "${a[b].c[d[e]]}",
  "${a[*].b[c].d}",
  "${a.*.b.0[1]}",
  "${a[*][*]}",
  "${f(x).a[0][\"k\"]}",
  "${null} ${true} ${false} ${0} ${12.5}",
  "${[for x in xs : x]}",
  "${{ for k, v in m : k => v... if v != null }}",
  '${{ a = 1, "b" = 2, (c) = 3, d: 4 }}',
  "${{\na = 1\nb = 2\n}}",
  "${{}} ${[]} ${\"\"}",
  '${"quoted ${"nested ${x}"} \\"escaped\\" \\\\ \\n \\u00e9"}',
  "$${not} %%{ not } $$ %% $",
  "a ${x ~}  b  ${~ y} c",
  "%{ if a ~}\n  yes\n%{~ else ~}\n  no\n%{~ endif }",
  "%{ if a }yes%{ endif }",
  "%{ for k, v in m }${k}=${v},%{ endfor }",
  "%{ for x in xs ~}\n${x}\n%{~ endfor ~}",
  '${"%{ if a }in a quoted string%{ endif }"}',
  "${a # comment\n+ b // comment\n+ /* comment */ c}",
  "${x}",
  "${{ null = 1, true = 2, false = 3 }}",
  "${a ? b : c ? d : e} ${a ? b ? c : d : e}",
  "${-f(x) * -(a) - !b.c}",
  "${[a, b,]} ${{ a = 1, }} ${f(a, b,)}",
  "${f(\n  a, # one\n  b,\n)}",
  '${a["x y"][0].b}',
  "${f(x)[*].a} ${(a).*.b}",
  "${{ for x in xs : x => x }}",
  "${é.ü_1-2}",
  "%{if a}x%{endif}%{~if a~}y%{~endif~}",
  "%{ if a }%{ for x in xs }${x}%{ endfor }%{ else }none%{ endif }",
  "cost: 100% $ ${x}% $$",
  '${"$${literal} %%{literal}"}',
  "",
  "plain text with \\ and \" and \n newlines",
];

interface Corpus {
  /** Distinct strings, in the order first met. */
  readonly texts: readonly string[];
  /** How many come from each source (a string in two sources counts in the first). */
  readonly counts: Readonly<Record<string, number>>;
}

/** The strings to compare: the project's (every string in modules and root stacks), the fold corpus, and SYNTAX. */
function collect(): Corpus {
  const { modules, unfoldedStacks, stacks } = projectConfigs();
  const sources: Record<string, readonly string[]> = {
    modules: modules.flatMap((config) => strings(config)),
    "root stacks": stacks.flatMap((config) => strings(config)),
    "root stacks before folding": unfoldedStacks.flatMap((config) => strings(config)),
    // The fold corpus holds expressions and their folded forms: each as the one interpolation of a string.
    "fold corpus": [...FOLDED, ...KEPT].flatMap(([, text, folded]) => [`\${${text}}`, `\${${folded}}`]),
    "syntax cases": SYNTAX,
  };
  const seen = new Set<string>();
  const counts: Record<string, number> = {};
  for (const [source, texts] of Object.entries(sources)) {
    counts[source] = 0;
    for (const text of texts) {
      if (seen.has(text)) continue;
      seen.add(text);
      counts[source]++;
    }
  }
  return { texts: [...seen], counts };
}

// ---------------------------------------------------------------------------------------------------------------
// src/terraform/expression.ts's tree as an S-expression.

const quote = (text: string) => JSON.stringify(text);

/**
 * Template parts: literal text as its source text, interpolations as their expression.
 * NORMALIZED: empty text is no part. hclsyntax writes an empty literal for an empty quoted string, for the missing
 * `%{ else }` of an `%{ if }`, and what is left of the heredoc's own last newline (see hclTrees); src/terraform/expression.ts
 * writes nothing for them.
 */
function joinParts(parts: readonly (string | { text: string })[]): string[] {
  return parts.flatMap((part) => (typeof part === "string" ? [part] : part.text === "" ? [] : [quote(part.text)]));
}

const list = (head: string, items: readonly string[]) => `(${[head, ...items].join(" ")})`;
const vars = (keyVar: string | undefined, valueVar: string) => (keyVar ? `${keyVar},${valueVar}` : valueVar);

function oursParts(parts: readonly TemplatePart[]): string[] {
  return joinParts(
    parts.map((part) => {
      switch (part.type) {
        case "text":
          return { text: part.span!.text.slice(part.span!.start, part.span!.end) };
        case "interpolation":
          return ours(part.expr);
        case "ifDirective":
          return list("%if", [ours(part.cond), list("then", oursParts(part.then)), list("else", oursParts(part.else ?? []))]);
        case "forDirective":
          return list("%for", [vars(part.keyVar, part.valueVar), ours(part.collection), ...oursParts(part.body)]);
      }
    }),
  );
}

/** One step of a postfix chain (`.name`, `[key]`, `.0`, `[*]`, `.*`), innermost first. */
type PostfixOp = Extract<Expression, { type: "attr" | "index" | "splat" }>;

/**
 * The key of an index that hclsyntax makes a traversal step (a literal: number, bool, null, or a quoted string
 * without interpolations), written as getExpressionAst writes the step: a number in decimal, a string in quotes
 * (not escaped), anything else as nothing.
 */
function literalIndex(key: Expression): string | undefined {
  if (key.type === "number") return String(key.value);
  if (key.type === "bool" || key.type === "null") return "";
  if (key.type === "template" && key.parts.every((part) => part.type === "text")) return `"${key.parts.map((part) => (part.type === "text" ? part.value : "")).join("")}"`;
  return undefined;
}

const isLegacyIndex = (op: PostfixOp) => op.type === "index" && op.legacy === true;

/** A splat's anonymous symbol (a name cannot hold `<`). */
const ANON = "<anon>";

/**
 * NORMALIZED: a postfix chain as hclsyntax builds it. Attribute access and literal indexes (legacy `.0` too) are
 * steps of one traversal (from a root name, or relative to another expression), other indexes are index nodes, a
 * `[*]` splat takes every step after it into its each-expression (on an anonymous symbol) and `.*` only the
 * attribute and `.0` steps right after it. src/terraform/expression.ts nests one node per step instead.
 */
function oursPostfix(base: string, root: boolean, ops: readonly PostfixOp[]): string {
  let head = base;
  let steps: string[] | undefined = root ? [] : undefined;
  const current = () => (steps === undefined ? head : steps.length === 0 && head === ANON ? head : list("traversal", [head, ...steps]));
  const step = (text: string) => {
    if (steps === undefined) {
      head = current();
      steps = [];
    }
    steps.push(text);
  };
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.type === "attr") step(`.${op.name}`);
    else if (op.type === "index") {
      const literal = literalIndex(op.key);
      if (literal !== undefined) step(`[${literal}]`);
      else {
        head = list("index", [current(), ours(op.key)]);
        steps = undefined;
      }
    } else if (op.full) {
      return list("splat", ["[*]", current(), oursPostfix(ANON, true, ops.slice(i + 1))]);
    } else {
      let end = i + 1;
      while (end < ops.length && (ops[end]!.type === "attr" || isLegacyIndex(ops[end]!))) end++;
      head = list("splat", [".*", current(), oursPostfix(ANON, true, ops.slice(i + 1, end))]);
      steps = undefined;
      i = end - 1;
    }
  }
  return current();
}

function ours(node: Expression): string {
  switch (node.type) {
    case "null":
      return "null";
    case "bool":
      return String(node.value);
    case "number":
      return list("number", [String(node.value)]);
    case "template":
      return list("template", oursParts(node.parts));
    case "variable":
    case "attr":
    case "index":
    case "splat": {
      const ops: PostfixOp[] = [];
      let base: Expression = node;
      while (base.type === "attr" || base.type === "index" || base.type === "splat") {
        ops.unshift(base);
        base = base.target;
      }
      return base.type === "variable" ? oursPostfix(base.name, true, ops) : oursPostfix(ours(base), false, ops);
    }
    case "call":
      return list("call", [node.name, ...node.args.map(ours), ...(node.expand ? ["..."] : [])]);
    case "tuple":
      return list("tuple", node.items.map(ours));
    case "object":
      // A bare name as a key is the attribute's name (hclsyntax: a key expression that is a keyword).
      return list("object", node.items.map((item) => list("item", [item.key.type === "variable" ? list("name", [item.key.name]) : ours(item.key), ours(item.value)])));
    case "for":
      return list(`for-${node.result}`, [
        vars(node.keyVar, node.valueVar),
        ours(node.collection),
        node.key ? ours(node.key) : "-",
        ours(node.value),
        node.group ? "..." : "-",
        node.cond ? ours(node.cond) : "-",
      ]);
    case "unary":
      return list(node.op, [ours(node.operand)]);
    case "binary":
      return list(node.op, [ours(node.left), ours(node.right)]);
    case "conditional":
      return list("?", [ours(node.cond), ours(node.then), ours(node.else)]);
    case "paren":
      return list("paren", [ours(node.inner)]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// hclsyntax's tree (as getExpressionAst writes it) as an S-expression.

interface HclNode {
  type: string;
  children: HclNode[];
  range: { start: { byte: number }; end: { byte: number } };
  meta?: Record<string, unknown> & { value?: string; traversal?: { type: string; segment?: string }[] };
}

const OPERATORS: Record<string, string> = {
  logicalOr: "||",
  logicalAnd: "&&",
  logicalNot: "!",
  equal: "==",
  notEqual: "!=",
  greaterThan: ">",
  greaterThanOrEqual: ">=",
  lessThan: "<",
  lessThanOrEqual: "<=",
  add: "+",
  subtract: "-",
  multiply: "*",
  divide: "/",
  modulo: "%",
  negate: "-",
};

class HclTree {
  /** The source getExpressionAst parsed: its ranges count bytes. */
  private readonly source: Buffer;
  constructor(source: string) {
    this.source = Buffer.from(source, "utf8");
  }

  private text(node: HclNode): string {
    return this.source.subarray(node.range.start.byte, node.range.end.byte).toString("utf8");
  }

  /** A template's parts (a template, a template wrapping one interpolation, or a directive's branch). */
  parts(node: HclNode): (string | { text: string })[] {
    // NORMALIZED: a template of exactly one interpolation is a TemplateWrapExpr in hclsyntax.
    if (node.type === "templateWrap") return [this.expression(node.children[0]!)];
    if (node.type !== "template") throw new Error(`expected a template, got ${node.type}`);
    return node.children.map((part) => {
      // Literal text is the only string literal hclsyntax makes (a quoted string is a template).
      if (part.type === "literalValue" && part.meta?.type === "string") return { text: String(part.meta.value ?? "") };
      // An %{ if } directive is a conditional over two templates; one written as ${ a ? b : c } starts otherwise.
      if (part.type === "conditional" && String(part.meta?.value ?? "").startsWith("%{")) {
        const [cond, then, otherwise] = part.children;
        return list("%if", [this.expression(cond!), list("then", joinParts(this.parts(then!))), list("else", joinParts(this.parts(otherwise!)))]);
      }
      // A %{ for } directive is a template join over a for expression whose value is the body.
      if (part.type === "templateJoin") {
        const loop = part.children[0]!;
        const [collection, body] = loop.children;
        return list("%for", [vars(String(loop.meta?.keyVar ?? ""), String(loop.meta?.valVar)), this.expression(collection!), ...joinParts(this.parts(body!))]);
      }
      return this.expression(part);
    });
  }

  /** A traversal's steps as src/terraform/expression.ts's side writes them. */
  private steps(node: HclNode): string[] {
    return (node.meta?.traversal ?? []).map((step) => (step.type === "nameTraversal" ? `.${step.segment}` : `[${step.segment ?? ""}]`));
  }

  expression(node: HclNode): string {
    const meta = node.meta ?? {};
    const children = node.children;
    switch (node.type) {
      case "template":
      case "templateWrap":
        return list("template", joinParts(this.parts(node)));
      case "literalValue":
        if (meta.type === "number") return list("number", [String(Number(meta.value))]);
        if (meta.type === "bool") return String(meta.value);
        if (meta.type === "dynamic" && meta.value === "null") return "null";
        throw new Error(`unexpected literal ${JSON.stringify(meta)}`);
      case "scopeTraversal": {
        // The first step is the root name.
        const [root, ...rest] = this.steps(node);
        return list("traversal", [root!.slice(1), ...rest]);
      }
      case "relativeTraversal":
        return list("traversal", [this.expression(children[0]!), ...this.steps(node)]);
      case "index":
        return list("index", [this.expression(children[0]!), this.expression(children[1]!)]);
      case "splat":
        return list("splat", [String(meta.anonSymbolExpression).startsWith("[") ? "[*]" : ".*", this.expression(children[0]!), this.expression(children[1]!)]);
      case "function":
        return list("call", [String(meta.name), ...children.map((child) => this.expression(child)), ...(meta.expandedFinalArgument ? ["..."] : [])]);
      case "tuple":
        return list("tuple", children.map((child) => this.expression(child)));
      case "object": {
        const items: string[] = [];
        for (let i = 0; i < children.length; i += 2) {
          // An object key is an ObjectConsKeyExpr (a node without a type here): a bare name has no children.
          const key = children[i]!;
          const name = key.children.length === 0 ? list("name", [this.text(key)]) : this.expression(key.children[0]!);
          items.push(list("item", [name, this.expression(children[i + 1]!)]));
        }
        return list("object", items);
      }
      case "for": {
        // Children: the collection, the key (object for with a key expression), the value, the condition.
        const rest = [...children];
        const collection = rest.shift()!;
        const key = meta.keyExpression !== undefined ? rest.shift() : undefined;
        const value = rest.shift()!;
        const cond = meta.conditionalExpression !== undefined ? rest.shift() : undefined;
        return list(`for-${meta.openRangeValue === "[" ? "tuple" : "object"}`, [
          vars(String(meta.keyVar ?? ""), String(meta.valVar)),
          this.expression(collection),
          key ? this.expression(key) : "-",
          this.expression(value),
          meta.groupedValue ? "..." : "-",
          cond ? this.expression(cond) : "-",
        ]);
      }
      case "unaryOp":
      case "binaryOp":
        return list(OPERATORS[String(meta.operator)] ?? `?${String(meta.operator)}`, children.map((child) => this.expression(child)));
      case "conditional":
        return list("?", children.map((child) => this.expression(child)));
      case "":
        // Types getExpressionAst does not name: the anonymous symbol of a splat (no children) and parentheses.
        return children.length === 0 ? ANON : list("paren", [this.expression(children[0]!)]);
      default:
        throw new Error(`unexpected node type ${node.type}`);
    }
  }
}

/**
 * A Terraform JSON string as HCL native syntax with the same meaning: a heredoc. Terraform reads a JSON string as a
 * template (hcl json/spec.md): its text takes the `$${` and `%%{` escapes and no backslash escapes, as a heredoc's
 * does, while a quoted string would read backslashes in its text (and a JSON-escaped `\"` inside `${...}` is no
 * HCL at all). The heredoc adds the newline before its closing marker: see {@link hclTrees}.
 */
function heredoc(text: string): string {
  let marker = "EOT";
  while (text.includes(marker)) marker += "_";
  return `<<${marker}\n${text}\n${marker}\n`;
}

/** hclsyntax's tree of each string, or its error: one getExpressionAst call for all of them (a tuple of heredocs). */
async function hclTrees(texts: readonly string[]): Promise<(string | Error)[]> {
  const parse = async (items: readonly string[]) => {
    const source = `[\n${items.map(heredoc).join(",\n")}]`;
    const root = (await getExpressionAst("differential.hcl", source)) as unknown as HclNode;
    const tree = new HclTree(source);
    return root.children.map((template) => {
      const parts = tree.parts(template);
      // NORMALIZED: the heredoc's own last newline is not the string's.
      const last = parts.at(-1);
      if (typeof last === "object" && last.text.endsWith("\n")) parts[parts.length - 1] = { text: last.text.slice(0, -1) };
      return list("template", joinParts(parts));
    });
  };
  try {
    return await parse(texts);
  } catch {
    // One string hclsyntax refuses fails the whole batch: parse each alone to say which.
    return Promise.all(texts.map((text) => parse([text]).then(([tree]) => tree!, (error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
  }
}

function oursTree(text: string): string | Error {
  try {
    return ours(parseTemplate(text));
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return error;
    throw error;
  }
}

describe("src/terraform/expression.ts against HashiCorp's HCL parser (hclsyntax, through @cdktf/hcl2json)", () => {
  // GIVEN every string the modules and root stacks (folded and before folding) hold, the fold corpus, and SYNTAX
  const corpus = collect();
  const total = corpus.texts.length;

  it(`agrees with it on the structure of all ${total} distinct strings`, async () => {
    expect(total).toBeGreaterThan(700);
    // WHEN each is parsed by both (timed: src/terraform/expression.ts is the one synthesis uses, for being the faster)
    let started = performance.now();
    const mine = corpus.texts.map(oursTree);
    const oursMs = performance.now() - started;
    started = performance.now();
    await getExpressionAst("start.hcl", "0");
    const startMs = performance.now() - started;
    started = performance.now();
    const theirs = await hclTrees(corpus.texts);
    const hclMs = performance.now() - started;
    // THEN both read every one, and read it alike
    const show = (tree: string | Error) => (tree instanceof Error ? `error: ${tree.message}` : tree);
    const disagreements = corpus.texts.flatMap((text, i) => {
      const [a, b] = [mine[i]!, theirs[i]!];
      return a instanceof Error || b instanceof Error || a !== b ? [`${quote(text)}\n  src/terraform/expression.ts: ${show(a)}\n  hclsyntax:         ${show(b)}`] : [];
    });
    expect(disagreements.length, `${disagreements.length} of ${total} strings read differently:\n\n${disagreements.slice(0, 20).join("\n\n")}`).toBe(0);
    const templates = corpus.texts.filter(isTemplate).length;
    const sources = Object.entries(corpus.counts).map(([source, count]) => `${source} ${count}`);
    console.info(
      `hclsyntax and src/terraform/expression.ts agree on ${total} distinct strings (${templates} with \${ or %{; ${sources.join(", ")}). ` +
        `Parse time: src/terraform/expression.ts ${oursMs.toFixed(0)} ms, getExpressionAst ${hclMs.toFixed(0)} ms (one call, after a first call of ${startMs.toFixed(0)} ms)`,
    );
  });
});
