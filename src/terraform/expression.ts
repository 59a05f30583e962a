/**
 * Terraform's expression language (HCL native syntax) as a syntax tree: a
 * parser for the strings of Terraform JSON (templates whose `${...}` hold
 * expressions) and a printer that writes a tree back.
 *
 * The printer keeps the text of everything that did not change: a node the
 * parser made prints as the source it came from, and a node that only had
 * children replaced prints as its source with those children's text spliced
 * in. Only nodes built anew are written in a canonical style. So a rewrite
 * touches the text it rewrites and nothing else.
 *
 * Syntax as in HCL's native syntax specification (hashicorp/hcl,
 * hclsyntax/spec.md): identifiers may hold `-`; binary operators bind, from
 * loosest to tightest, `||`, `&&`, `== !=`, `< > <= >=`, `+ -`, `* / %`, all
 * left-associative; `!` and unary `-` bind tighter; a conditional is looser
 * than all of them. In a Terraform JSON string only `$${` and `%%{` are
 * escapes (JSON has decoded the rest); inside an expression a quoted string
 * also takes backslash escapes. Heredocs are not parsed (Terraform JSON
 * strings from cdktf never hold them): such a string is an
 * {@link ExpressionSyntaxError} and callers leave it as it is.
 */

/** Where a node came from: `text.slice(start, end)`. */
export interface Span {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

interface NodeBase {
  /** Set on nodes the parser made. */
  readonly span?: Span;
  /**
   * A parsed node this one copies with some children replaced (same kind, same
   * number of children in the same places): printed as that node's source with
   * the new children spliced in.
   */
  readonly base?: Expression | TemplatePart;
}

export type BinaryOperator = "||" | "&&" | "==" | "!=" | "<" | ">" | "<=" | ">=" | "+" | "-" | "*" | "/" | "%";

export type Expression =
  | (NodeBase & { readonly type: "null" })
  | (NodeBase & { readonly type: "bool"; readonly value: boolean })
  | (NodeBase & { readonly type: "number"; readonly value: number; readonly text: string })
  | TemplateExpression
  | (NodeBase & { readonly type: "variable"; readonly name: string })
  | (NodeBase & { readonly type: "attr"; readonly target: Expression; readonly name: string })
  | (NodeBase & { readonly type: "index"; readonly target: Expression; readonly key: Expression; readonly legacy?: boolean })
  | (NodeBase & { readonly type: "splat"; readonly target: Expression; readonly full: boolean })
  | (NodeBase & { readonly type: "call"; readonly name: string; readonly args: readonly Expression[]; readonly expand: boolean })
  | (NodeBase & { readonly type: "tuple"; readonly items: readonly Expression[] })
  | (NodeBase & { readonly type: "object"; readonly items: readonly ObjectItem[] })
  | ForExpression
  | (NodeBase & { readonly type: "unary"; readonly op: "!" | "-"; readonly operand: Expression })
  | (NodeBase & { readonly type: "binary"; readonly op: BinaryOperator; readonly left: Expression; readonly right: Expression })
  | (NodeBase & { readonly type: "conditional"; readonly cond: Expression; readonly then: Expression; readonly else: Expression })
  | (NodeBase & { readonly type: "paren"; readonly inner: Expression });

export interface ObjectItem {
  /** A bare name (`name =`, `null =` too) is a `variable` node: the attribute's name, not a reference. */
  readonly key: Expression;
  readonly value: Expression;
}

export type ForExpression = NodeBase & {
  readonly type: "for";
  /** `[for ...]` makes a tuple, `{for ...}` an object. */
  readonly result: "tuple" | "object";
  readonly keyVar?: string;
  readonly valueVar: string;
  readonly collection: Expression;
  /** The key expression of an object `for` (`k => v`). */
  readonly key?: Expression;
  readonly value: Expression;
  /** `...` after the value: group values by key. */
  readonly group: boolean;
  readonly cond?: Expression;
};

/**
 * A template: a quoted string inside an expression (`"..."`), or a whole
 * Terraform JSON string (`json`).
 */
export type TemplateMode = "quoted" | "json";

export type TemplateExpression = NodeBase & {
  readonly type: "template";
  readonly mode: TemplateMode;
  readonly parts: readonly TemplatePart[];
};

export type TemplatePart =
  | (NodeBase & { readonly type: "text"; readonly value: string })
  | (NodeBase & { readonly type: "interpolation"; readonly expr: Expression; readonly strip: Strip })
  | (NodeBase & {
      readonly type: "ifDirective";
      readonly cond: Expression;
      readonly then: readonly TemplatePart[];
      readonly else?: readonly TemplatePart[];
      /** Strip markers of `%{ if }`, `%{ else }` (when present) and `%{ endif }`. */
      readonly strips: readonly Strip[];
    })
  | (NodeBase & {
      readonly type: "forDirective";
      readonly keyVar?: string;
      readonly valueVar: string;
      readonly collection: Expression;
      readonly body: readonly TemplatePart[];
      /** Strip markers of `%{ for }` and `%{ endfor }`. */
      readonly strips: readonly Strip[];
    });

/** `~` after the opening or before the closing brace of an interpolation or directive. */
export interface Strip {
  readonly before: boolean;
  readonly after: boolean;
}

export type Node = Expression | TemplatePart;

/** Text that is not a Terraform expression or template this parser reads. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string, text: string, at: number) {
    super(`${message} at offset ${at} of ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`);
    this.name = "ExpressionSyntaxError";
  }
}

/** Parse a Terraform JSON string value: a template whose `${...}` hold expressions. */
export function parseTemplate(text: string): TemplateExpression {
  const parser = new Parser(text);
  const template = parser.template("json", 0);
  if (parser.pos !== text.length) parser.fail("unexpected text after the template");
  return template;
}

/** Parse one expression (what stands inside `${...}`). */
export function parseExpression(text: string): Expression {
  const parser = new Parser(text);
  const expression = parser.expression();
  parser.skipSpace();
  if (parser.pos !== text.length) parser.fail("unexpected text after the expression");
  return expression;
}

const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [
  ["||"],
  ["&&"],
  ["==", "!="],
  ["<=", ">=", "<", ">"],
  ["+", "-"],
  ["*", "/", "%"],
];

/** Binding strength of each binary operator: 1 (`||`) to 6 (`* / %`). */
const OPERATOR_LEVEL = new Map<BinaryOperator, number>(BINARY_LEVELS.flatMap((ops, i) => ops.map((op) => [op, i + 1] as const)));

/** Binding strength: conditional 0, binary operators 1-6 (as BINARY_LEVELS), unary 7, everything else 8. */
export function precedence(node: Expression): number {
  switch (node.type) {
    case "conditional":
      return 0;
    case "binary":
      return OPERATOR_LEVEL.get(node.op)!;
    case "unary":
      return 7;
    case "number":
      // A negative literal prints with its sign: it binds like a unary minus.
      return node.value < 0 || Object.is(node.value, -0) ? 7 : 8;
    default:
      return 8;
  }
}

const IDENT_START = /[\p{L}\p{Nl}_]/u;
const IDENT_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_-]/u;

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string, at = this.pos): never {
    throw new ExpressionSyntaxError(message, this.text, at);
  }

  private span(start: number): Span {
    return { text: this.text, start, end: this.pos };
  }

  private startsWith(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  /** Skip spaces, newlines and comments. */
  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.pos++;
      else if (c === "#" || this.startsWith("//")) {
        while (this.pos < text.length && text[this.pos] !== "\n") this.pos++;
      } else if (this.startsWith("/*")) {
        const end = text.indexOf("*/", this.pos + 2);
        if (end < 0) this.fail("unterminated comment");
        this.pos = end + 2;
      } else break;
    }
  }

  private expect(token: string): void {
    this.skipSpace();
    if (!this.startsWith(token)) this.fail(`expected ${token}`);
    this.pos += token.length;
  }

  /** Consume `token` (after spaces) if it is next; otherwise consume nothing (a node's text never ends in spaces). */
  private accept(token: string): boolean {
    const before = this.pos;
    this.skipSpace();
    if (this.startsWith(token)) {
      this.pos += token.length;
      return true;
    }
    this.pos = before;
    return false;
  }

  private identifier(): string {
    this.skipSpace();
    const start = this.pos;
    if (!IDENT_START.test(this.text[this.pos] ?? "")) this.fail("expected a name");
    this.pos++;
    while (this.pos < this.text.length && IDENT_PART.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** The identifier at the current position, without consuming it. */
  private peekIdentifier(): string | undefined {
    const saved = this.pos;
    this.skipSpace();
    const start = this.pos;
    let name: string | undefined;
    if (IDENT_START.test(this.text[this.pos] ?? "")) {
      let end = this.pos + 1;
      while (end < this.text.length && IDENT_PART.test(this.text[end]!)) end++;
      name = this.text.slice(start, end);
    }
    this.pos = saved;
    return name;
  }

  expression(): Expression {
    this.skipSpace();
    const start = this.pos;
    const cond = this.binary(1);
    if (!this.accept("?")) return cond;
    const then = this.expression();
    this.expect(":");
    const otherwise = this.expression();
    return { type: "conditional", cond, then, else: otherwise, span: this.span(start) };
  }

  /** Binary operators binding at least as tightly as `level` (an index into BINARY_LEVELS), left to right. */
  private binary(level: number): Expression {
    this.skipSpace();
    const start = this.pos;
    let left = this.unary();
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      const op = this.operator();
      const opLevel = op === undefined ? -1 : OPERATOR_LEVEL.get(op)!;
      if (op === undefined || opLevel < level) {
        this.pos = before;
        return left;
      }
      this.pos += op.length;
      const right = this.binary(opLevel + 1);
      left = { type: "binary", op, left, right, span: this.span(start) };
    }
  }

  /** The binary operator at the current position, if any (`=` and `=>` end an expression; `==` is an operator). */
  private operator(): BinaryOperator | undefined {
    const c = this.text[this.pos];
    const next = this.text[this.pos + 1];
    switch (c) {
      case "|":
        return next === "|" ? "||" : undefined;
      case "&":
        return next === "&" ? "&&" : undefined;
      case "=":
        return next === "=" ? "==" : undefined;
      case "!":
        return next === "=" ? "!=" : undefined;
      case "<":
      case ">":
        return next === "=" ? (`${c}=` as BinaryOperator) : c;
      case "+":
      case "-":
      case "*":
      case "/":
      case "%":
        return c;
      default:
        return undefined;
    }
  }

  private unary(): Expression {
    this.skipSpace();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === "!" || c === "-") {
      this.pos++;
      const operand = this.unary();
      return { type: "unary", op: c, operand, span: this.span(start) };
    }
    return this.postfix();
  }

  private postfix(): Expression {
    this.skipSpace();
    const start = this.pos;
    let node = this.term();
    for (;;) {
      const saved = this.pos;
      this.skipSpace();
      if (this.startsWith("[*]")) {
        this.pos += 3;
        node = { type: "splat", target: node, full: true, span: this.span(start) };
      } else if (this.startsWith(".*")) {
        this.pos += 2;
        node = { type: "splat", target: node, full: false, span: this.span(start) };
      } else if (this.startsWith("[")) {
        this.pos++;
        const key = this.expression();
        this.expect("]");
        node = { type: "index", target: node, key, span: this.span(start) };
      } else if (this.startsWith(".") && !this.startsWith("...")) {
        this.pos++;
        this.skipSpace();
        if (/[0-9]/.test(this.text[this.pos] ?? "")) {
          const keyStart = this.pos;
          while (/[0-9]/.test(this.text[this.pos] ?? "")) this.pos++;
          const digits = this.text.slice(keyStart, this.pos);
          const key: Expression = { type: "number", value: Number(digits), text: digits, span: this.span(keyStart) };
          node = { type: "index", target: node, key, legacy: true, span: this.span(start) };
        } else {
          node = { type: "attr", target: node, name: this.identifier(), span: this.span(start) };
        }
      } else {
        this.pos = saved;
        return node;
      }
    }
  }

  private term(): Expression {
    this.skipSpace();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === undefined) this.fail("expected an expression");
    if (/[0-9]/.test(c)) return this.number();
    if (c === '"') {
      this.pos++;
      const template = this.template("quoted", start);
      return template;
    }
    if (this.startsWith("<<")) this.fail("heredoc templates are not supported");
    if (c === "(") {
      this.pos++;
      const inner = this.expression();
      this.expect(")");
      return { type: "paren", inner, span: this.span(start) };
    }
    if (c === "[") return this.peekFor(1) ? this.forExpression("tuple") : this.tuple();
    if (c === "{") return this.peekFor(1) ? this.forExpression("object") : this.object();
    if (IDENT_START.test(c)) {
      let name = this.identifier();
      // Provider-defined functions: provider::<name>::<function>.
      while (this.startsWith("::")) {
        this.pos += 2;
        name += `::${this.identifier()}`;
      }
      const afterName = this.pos;
      this.skipSpace();
      if (this.startsWith("(")) return this.call(name, start);
      this.pos = afterName;
      if (name === "null") return { type: "null", span: this.span(start) };
      if (name === "true" || name === "false") return { type: "bool", value: name === "true", span: this.span(start) };
      return { type: "variable", name, span: this.span(start) };
    }
    return this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  private number(): Expression {
    const start = this.pos;
    const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos))!;
    this.pos += match[0].length;
    return { type: "number", value: Number(match[0]), text: match[0], span: this.span(start) };
  }

  /** True when the bracket `offset` characters back opens a `for` expression. */
  private peekFor(offset: number): boolean {
    const saved = this.pos;
    this.pos += offset;
    const isFor = this.peekIdentifier() === "for" && (this.identifier(), this.peekIdentifier() !== undefined);
    this.pos = saved;
    return isFor;
  }

  private call(name: string, start: number): Expression {
    this.expect("(");
    const args: Expression[] = [];
    let expand = false;
    while (!this.accept(")")) {
      args.push(this.expression());
      if (this.accept("...")) {
        expand = true;
        this.expect(")");
        break;
      }
      if (!this.accept(",")) {
        this.expect(")");
        break;
      }
    }
    return { type: "call", name, args, expand, span: this.span(start) };
  }

  private tuple(): Expression {
    const start = this.pos;
    this.pos++;
    const items: Expression[] = [];
    while (!this.accept("]")) {
      items.push(this.expression());
      if (!this.accept(",")) {
        this.expect("]");
        break;
      }
    }
    return { type: "tuple", items, span: this.span(start) };
  }

  private object(): Expression {
    const start = this.pos;
    this.pos++;
    const items: ObjectItem[] = [];
    while (!this.accept("}")) {
      let key = this.expression();
      // A bare keyword as a key is a name like any other bare name: { null = 1 } has the key "null" (hclsyntax
      // reads a key with hcl.ExprAsKeyword, which takes null, true and false as keywords).
      if ((key.type === "null" || key.type === "bool") && key.span) key = { type: "variable", name: print(key), span: key.span };
      this.skipSpace();
      if (!this.accept("=") && !this.accept(":")) this.fail("expected = or : after an object key");
      const value = this.expression();
      items.push({ key, value });
      // Items are separated by commas or newlines.
      this.accept(",");
    }
    return { type: "object", items, span: this.span(start) };
  }

  /** What follows `for` in a for expression or a `%{ for }` directive: `[key,] value in collection`. */
  private forClause(): { keyVar?: string; valueVar: string; collection: Expression } {
    const first = this.identifier();
    const second = this.accept(",") ? this.identifier() : undefined;
    if (this.identifier() !== "in") this.fail("expected in");
    const collection = this.expression();
    return second === undefined ? { valueVar: first, collection } : { keyVar: first, valueVar: second, collection };
  }

  private forExpression(result: "tuple" | "object"): Expression {
    const start = this.pos;
    this.pos++;
    this.identifier(); // for
    const { keyVar, valueVar, collection } = this.forClause();
    this.expect(":");
    let key: Expression | undefined;
    if (result === "object") {
      key = this.expression();
      this.expect("=>");
    }
    const value = this.expression();
    const group = result === "object" && this.accept("...");
    let cond: Expression | undefined;
    if (this.peekIdentifier() === "if") {
      this.identifier();
      cond = this.expression();
    }
    this.expect(result === "tuple" ? "]" : "}");
    return {
      type: "for",
      result,
      ...(keyVar === undefined ? {} : { keyVar }),
      valueVar,
      collection,
      ...(key === undefined ? {} : { key }),
      value,
      group,
      ...(cond === undefined ? {} : { cond }),
      span: this.span(start),
    };
  }

  /**
   * A template from the current position: a quoted string's content (the
   * opening quote at `start` already consumed) up to and including its closing
   * quote, or a whole JSON string up to the end of the text.
   */
  template(mode: "quoted" | "json", start: number): TemplateExpression {
    const parts = this.templateParts(mode, []);
    if (mode === "quoted") {
      if (this.text[this.pos] !== '"') this.fail("unterminated string");
      this.pos++;
    }
    return { type: "template", mode, parts, span: this.span(start) };
  }

  /**
   * Template parts up to the end of the template, or up to a directive whose
   * keyword is one of `closers` (left unconsumed).
   */
  private templateParts(mode: "quoted" | "json", closers: readonly string[]): TemplatePart[] {
    const parts: TemplatePart[] = [];
    const text = this.text;
    let textStart = this.pos;
    let value = "";
    const flushText = () => {
      if (this.pos > textStart) parts.push({ type: "text", value, span: { text, start: textStart, end: this.pos } });
      value = "";
    };
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (mode === "quoted" && c === '"') break;
      if (mode === "quoted" && c === "\\") {
        value += this.escape();
        continue;
      }
      if ((c === "$" || c === "%") && text.startsWith(`${c}${c}{`, this.pos)) {
        value += `${c}{`;
        this.pos += 3;
        continue;
      }
      if (c === "$" && text[this.pos + 1] === "{") {
        flushText();
        parts.push(this.interpolation());
        textStart = this.pos;
        continue;
      }
      if (c === "%" && text[this.pos + 1] === "{") {
        const keyword = this.directiveKeyword();
        if (closers.includes(keyword)) break;
        flushText();
        parts.push(this.directive(mode, keyword));
        textStart = this.pos;
        continue;
      }
      value += c;
      this.pos++;
    }
    flushText();
    return parts;
  }

  private escape(): string {
    const text = this.text;
    const next = text[this.pos + 1];
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
    if (next !== undefined && next in simple) {
      this.pos += 2;
      return simple[next]!;
    }
    const digits = next === "u" ? 4 : next === "U" ? 8 : 0;
    const hex = text.slice(this.pos + 2, this.pos + 2 + digits);
    if (digits === 0 || !new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) this.fail("invalid escape sequence");
    this.pos += 2 + digits;
    return String.fromCodePoint(parseInt(hex, 16));
  }

  /** `${ expr }`, with optional strip markers. */
  private interpolation(): TemplatePart {
    const start = this.pos;
    this.pos += 2;
    const before = this.text[this.pos] === "~";
    if (before) this.pos++;
    const expr = this.expression();
    this.skipSpace();
    const after = this.text[this.pos] === "~";
    if (after) this.pos++;
    if (this.text[this.pos] !== "}") this.fail("expected } to close the interpolation");
    this.pos++;
    return { type: "interpolation", expr, strip: { before, after }, span: this.span(start) };
  }

  /** The keyword of the directive at the current position (`%{ if ...`), without consuming it. */
  private directiveKeyword(): string {
    const saved = this.pos;
    this.pos += 2;
    if (this.text[this.pos] === "~") this.pos++;
    const keyword = this.identifier();
    this.pos = saved;
    return keyword;
  }

  /** True when a directive with `keyword` starts at the current position. */
  private atDirective(keyword: string): boolean {
    return this.text.startsWith("%{", this.pos) && this.directiveKeyword() === keyword;
  }

  /** Consume `%{~ keyword` and return the strip marker before it. */
  private openDirective(keyword: string): boolean {
    this.pos += 2;
    const before = this.text[this.pos] === "~";
    if (before) this.pos++;
    if (this.identifier() !== keyword) this.fail(`expected %{ ${keyword} }`);
    return before;
  }

  /** Consume `~}` and return the strip marker after the directive. */
  private closeDirective(): boolean {
    this.skipSpace();
    const after = this.text[this.pos] === "~";
    if (after) this.pos++;
    if (this.text[this.pos] !== "}") this.fail("expected } to close the directive");
    this.pos++;
    return after;
  }

  private directive(mode: "quoted" | "json", keyword: string): TemplatePart {
    const start = this.pos;
    if (keyword === "if") {
      const strips: Strip[] = [];
      const ifBefore = this.openDirective("if");
      const cond = this.expression();
      strips.push({ before: ifBefore, after: this.closeDirective() });
      const then = this.templateParts(mode, ["else", "endif"]);
      let otherwise: TemplatePart[] | undefined;
      if (this.atDirective("else")) {
        const elseBefore = this.openDirective("else");
        strips.push({ before: elseBefore, after: this.closeDirective() });
        otherwise = this.templateParts(mode, ["endif"]);
      }
      if (!this.atDirective("endif")) this.fail("expected %{ endif }");
      const endBefore = this.openDirective("endif");
      strips.push({ before: endBefore, after: this.closeDirective() });
      return { type: "ifDirective", cond, then, ...(otherwise ? { else: otherwise } : {}), strips, span: this.span(start) };
    }
    if (keyword === "for") {
      const forBefore = this.openDirective("for");
      const { keyVar, valueVar, collection } = this.forClause();
      const strips: Strip[] = [{ before: forBefore, after: this.closeDirective() }];
      const body = this.templateParts(mode, ["endfor"]);
      if (!this.atDirective("endfor")) this.fail("expected %{ endfor }");
      const endBefore = this.openDirective("endfor");
      strips.push({ before: endBefore, after: this.closeDirective() });
      return { type: "forDirective", ...(keyVar === undefined ? {} : { keyVar }), valueVar, collection, body, strips, span: this.span(start) };
    }
    return this.fail(`unexpected template directive ${keyword}`);
  }
}

/** True for the parts of a template (text, interpolations, directives). */
export function isTemplatePart(node: Node): node is TemplatePart {
  return node.type === "text" || node.type === "interpolation" || node.type === "ifDirective" || node.type === "forDirective";
}

/** Direct children of a node, in source order. */
export function children(node: Node): readonly Node[] {
  switch (node.type) {
    case "attr":
    case "splat":
      return [node.target];
    case "index":
      return [node.target, node.key];
    case "call":
      return node.args;
    case "tuple":
      return node.items;
    case "object":
      return node.items.flatMap((item) => [item.key, item.value]);
    case "for":
      return [node.collection, ...(node.key ? [node.key] : []), node.value, ...(node.cond ? [node.cond] : [])];
    case "forDirective":
      return [node.collection, ...node.body];
    case "unary":
      return [node.operand];
    case "binary":
      return [node.left, node.right];
    case "conditional":
      return [node.cond, node.then, node.else];
    case "paren":
      return [node.inner];
    case "template":
      return node.parts;
    case "interpolation":
      return [node.expr];
    case "ifDirective":
      return [node.cond, ...node.then, ...(node.else ?? [])];
    default:
      return [];
  }
}

/**
 * The loosest expression that may stand as child `index` of `parent` without
 * parentheses (see {@link precedence}); 0 for any expression, and for
 * template parts.
 */
function slotPrecedence(parent: Node, index: number): number {
  switch (parent.type) {
    case "attr":
    case "splat":
    case "index":
      return index === 0 ? 9 : 0;
    case "unary":
      return 7;
    case "binary": {
      const level = precedence(parent);
      return index === 0 ? level : level + 1;
    }
    case "conditional":
      return index === 0 ? 1 : 0;
    default:
      return 0;
  }
}

/**
 * Expression text for a node (templates in JSON mode print without quotes).
 * `mode` is the kind of template a text part stands in (parts know it from
 * their template; callers printing an expression leave it out).
 */
export function print(node: Node, mode: TemplateMode = "json"): string {
  if (node.span && !node.base) return node.span.text.slice(node.span.start, node.span.end);
  const inner = node.type === "template" ? node.mode : mode;
  if (node.base?.span && children(node).length === children(node.base).length) return splice(node, node.base, inner);
  return canonical(node, inner);
}

/** `child` in slot `index` of `parent`, parenthesized where the slot needs it. */
function printChild(parent: Node, index: number, child: Node, mode: TemplateMode): string {
  const text = print(child, mode);
  if (isTemplatePart(child)) return text;
  const needed = slotPrecedence(parent, index);
  // A postfix operator after a literal keyword would read as a variable of that name (`null.x`).
  const keyword = needed === 9 && (child.type === "null" || child.type === "bool" || child.type === "number");
  return precedence(child) < Math.min(needed, 8) || keyword ? `(${text})` : text;
}

function splice(node: Node, base: Node, mode: TemplateMode): string {
  const span = base.span!;
  const before = children(base);
  const after = children(node);
  let out = "";
  let pos = span.start;
  before.forEach((original, i) => {
    const replacement = after[i]!;
    if (replacement === original) return;
    out += span.text.slice(pos, original.span!.start) + printChild(node, i, replacement, mode);
    pos = original.span!.end;
  });
  return out + span.text.slice(pos, span.end);
}

function canonical(node: Node, mode: TemplateMode): string {
  const child = (index: number) => printChild(node, index, children(node)[index]!, mode);
  const list = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => child(from + i)).join(", ");
  const parts = (items: readonly TemplatePart[]) => items.map((part) => print(part, mode)).join("");
  switch (node.type) {
    case "null":
      return "null";
    case "bool":
      return String(node.value);
    case "number":
      return node.text;
    case "variable":
      return node.name;
    case "attr":
      return `${child(0)}.${node.name}`;
    case "index":
      return node.legacy ? `${child(0)}.${print(node.key)}` : `${child(0)}[${child(1)}]`;
    case "splat":
      return `${child(0)}${node.full ? "[*]" : ".*"}`;
    case "call":
      return `${node.name}(${list(0, node.args.length)}${node.expand ? "..." : ""})`;
    case "tuple":
      return `[${list(0, node.items.length)}]`;
    case "object":
      return node.items.length === 0 ? "{}" : `{ ${node.items.map((_, i) => `${child(2 * i)} = ${child(2 * i + 1)}`).join(", ")} }`;
    case "for": {
      const vars = node.keyVar === undefined ? node.valueVar : `${node.keyVar}, ${node.valueVar}`;
      const body = node.key ? `${print(node.key)} => ${print(node.value)}${node.group ? "..." : ""}` : print(node.value);
      const cond = node.cond ? ` if ${print(node.cond)}` : "";
      const [open, close] = node.result === "tuple" ? ["[", "]"] : ["{", "}"];
      return `${open}for ${vars} in ${print(node.collection)} : ${body}${cond}${close}`;
    }
    case "unary":
      return `${node.op}${child(0)}`;
    case "binary":
      return `${child(0)} ${node.op} ${child(1)}`;
    case "conditional":
      return `${child(0)} ? ${child(1)} : ${child(2)}`;
    case "paren":
      return `(${print(node.inner)})`;
    case "template":
      return node.mode === "quoted" ? `"${parts(node.parts)}"` : parts(node.parts);
    case "text":
      return templateText(node.value, mode);
    case "interpolation":
      return `\${${node.strip.before ? "~" : ""}${print(node.expr)}${node.strip.after ? "~" : ""}}`;
    case "ifDirective":
      return (
        directive("if", node.strips[0]!, print(node.cond)) +
        parts(node.then) +
        (node.else ? directive("else", node.strips[1]!) + parts(node.else) : "") +
        directive("endif", node.strips[node.strips.length - 1]!)
      );
    case "forDirective": {
      const vars = node.keyVar === undefined ? node.valueVar : `${node.keyVar}, ${node.valueVar}`;
      return directive("for", node.strips[0]!, `${vars} in ${print(node.collection)}`) + parts(node.body) + directive("endfor", node.strips[1]!);
    }
  }
}

function directive(keyword: string, strip: Strip, rest?: string): string {
  return `%{${strip.before ? "~" : ""} ${keyword}${rest === undefined ? "" : ` ${rest}`} ${strip.after ? "~" : ""}}`;
}

/** Template text as written in a template of `mode`: escapes for `${`, `%{` and, in quoted strings, backslash escapes. */
export function templateText(value: string, mode: TemplateMode): string {
  const escaped = value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
  if (mode === "json") return escaped;
  return escaped.replace(/[\\"\u0000-\u001f]/g, (c) => {
    const named: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
