/**
 * Constant folding of Terraform expressions. A construct writes one
 * expression for an input whether it is a module variable (`var.x`) or a
 * literal from an environment file; in a root stack the literal lands inside
 * the same expression (`null == null ? 1 : 0`, `coalesce(null, x)`,
 * `merge(false ? {...} : {}, {}, y)`). Folding evaluates what is known at
 * synthesis and leaves what Terraform must evaluate, so the root stack reads
 * as if written by hand.
 *
 * Every rule keeps the value Terraform computes (HCL's native syntax
 * specification and Terraform's function documentation are the sources for
 * what an operator or function does). Operands that a rule drops are not
 * evaluated any more: an error they would have raised, or an unknown value
 * they would have made of the result, goes with them. Where Terraform would
 * have converted a value (a conditional unifies its branches' types, `||`
 * converts its operands to bool) a rule applies only when the conversion
 * cannot change the value.
 */
import {
  children,
  isTemplatePart,
  print,
  type BinaryOperator,
  type Expression,
  type Node,
  type ObjectItem,
  type TemplateExpression,
  type TemplatePart,
} from "./expression.js";

/** A table of values by name, as folding reads it (a ReadonlyMap is one). */
export type NameTable<V> = Pick<ReadonlyMap<string, V>, "get" | "has">;

/**
 * What folding knows besides an expression itself. Folding reads it only
 * through these members (a table's get and has, a function's calls), so what
 * a fold returns depends on the expression and what those reads returned.
 */
export interface FoldScope {
  /** Locals whose value is known at synthesis, by name (a literal, or an empty tuple or object): written where used. */
  readonly locals: NameTable<Expression>;
  /**
   * Locals whose value is a known tuple or object (every element a literal), by name: read where a use of one folds
   * to a known value (an attribute, an index, a `for`, a function of it), else left as the reference.
   */
  readonly constants?: NameTable<Expression>;
  /** The type of a local's value where its expression says (see {@link shapeOf}). */
  readonly localShape?: (name: string) => string | undefined;
  /** What a local's expression constructs, where it is an object or tuple constructor (or `for`): its value is never null. */
  readonly localConstructor?: (name: string) => "object" | "tuple" | undefined;
  /** Values of `for` iterator names while a `for` over a known collection is evaluated. */
  readonly bindings?: ReadonlyMap<string, Expression>;
  /**
   * Resources and data sources with no instances, by address (`aws_x.name`, `data.aws_x.name`): a reference
   * to one is an empty tuple (count 0) or an empty object (an empty for_each).
   */
  readonly emptyElements?: NameTable<Expression>;
}

/** How the place an expression stands in converts its value: to bool (conditions), to number (arithmetic), or not at all. */
export type Conversion = "bool" | "number" | "none";

const NO_LOCALS: FoldScope = { locals: new Map() };

/** A literal value. */
export type Literal = null | boolean | number | string;

/** The literal an expression is, if it is one. */
export function literalOf(node: Expression): { readonly value: Literal } | undefined {
  switch (node.type) {
    case "null":
      return { value: null };
    case "bool":
      return { value: node.value };
    case "number":
      return { value: node.value };
    case "unary":
      return node.op === "-" && node.operand.type === "number" ? { value: -node.operand.value } : undefined;
    case "paren":
      return literalOf(node.inner);
    case "template":
      return node.parts.every((part) => part.type === "text")
        ? { value: node.parts.map((part) => (part.type === "text" ? part.value : "")).join("") }
        : undefined;
    default:
      return undefined;
  }
}

/** A new expression for a literal. Numbers must be safe integers (Terraform's arbitrary precision is not folded). */
export function literalExpression(value: Literal): Expression {
  if (value === null) return { type: "null" };
  if (typeof value === "boolean") return { type: "bool", value };
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`cannot write ${value} as a folded literal`);
    return { type: "number", value, text: String(value) };
  }
  return { type: "template", mode: "quoted", parts: value === "" ? [] : [{ type: "text", value }] };
}

/** A literal, or a tuple or object constructor of such values (with literal keys): never an error, never unknown. */
export function isKnown(node: Expression): boolean {
  if (literalOf(node)) return true;
  if (node.type === "tuple") return node.items.every(isKnown);
  if (node.type === "object") return node.items.every((item) => literalKey(item) !== undefined && isKnown(item.value));
  return false;
}

/** The attribute name an object item's key stands for, when it is literal (`name =`, `"name" =`, `("name") =`). */
function literalKey(item: ObjectItem): string | undefined {
  const key = item.key;
  if (key.type === "variable") return key.name;
  const literal = literalOf(key);
  return typeof literal?.value === "string" ? literal.value : undefined;
}

/** Tuple, object and `for` constructors, and templates with text (a string), are never null. */
function isNeverNull(node: Expression): boolean {
  if (node.type === "tuple" || node.type === "object" || node.type === "for") return true;
  return node.type === "template" && !(node.parts.length === 1 && node.parts[0]!.type === "interpolation");
}

const isEmptyTuple = (node: Expression) => node.type === "tuple" && node.items.length === 0;
const isEmptyObject = (node: Expression) => node.type === "object" && node.items.length === 0;

/** Functions that return a collection of the same length (or fewer elements) as their one argument. */
const EMPTY_PRESERVING = new Set(["distinct", "compact", "flatten", "toset", "tolist", "tomap", "keys", "values", "sort", "reverse"]);

/** True for an expression known to be an empty collection. */
function isKnownEmpty(node: Expression): boolean {
  if (isEmptyTuple(node) || isEmptyObject(node)) return true;
  return node.type === "call" && EMPTY_PRESERVING.has(node.name) && node.args.length === 1 && !node.expand && isKnownEmpty(node.args[0]!);
}

const STRING_FUNCTIONS = new Set([
  "format", "join", "lower", "upper", "title", "trimspace", "trim", "trimprefix", "trimsuffix", "replace", "substr", "chomp",
  "indent", "jsonencode", "yamlencode", "base64encode", "base64decode", "base64gzip", "sha1", "sha256", "sha512", "md5",
  "tostring", "cidrhost", "cidrsubnet", "cidrnetmask", "strrev", "urlencode", "templatestring", "formatdate", "timestamp",
]);
const NUMBER_FUNCTIONS = new Set(["length", "min", "max", "floor", "ceil", "abs", "pow", "log", "signum", "parseint", "tonumber", "sum"]);
const BOOL_FUNCTIONS = new Set(["contains", "can", "alltrue", "anytrue", "startswith", "endswith", "strcontains", "tobool"]);
const COLLECTION_CONVERSIONS: Record<string, string> = { tomap: "map", tolist: "list", toset: "set" };

/**
 * The type an expression has whatever its inputs, where its syntax says
 * (`bool`, `number`, `string`, `null`, `map(number)`, ...); undefined when
 * only evaluation can tell.
 */
export function shapeOf(node: Expression, scope: FoldScope = NO_LOCALS): string | undefined {
  const shape = (child: Expression) => shapeOf(child, scope);
  switch (node.type) {
    case "null":
      return "null";
    case "bool":
      return "bool";
    case "number":
      return "number";
    case "unary":
      return node.op === "!" ? "bool" : "number";
    case "binary":
      return ["+", "-", "*", "/", "%"].includes(node.op) ? "number" : "bool";
    case "paren":
      return shape(node.inner);
    case "attr":
      return node.target.type === "variable" && node.target.name === "local" ? scope.localShape?.(node.name) : undefined;
    case "template": {
      // A template of one interpolation is that expression's value, unconverted.
      const only = node.parts.length === 1 && node.parts[0]!.type === "interpolation" ? node.parts[0] : undefined;
      return only?.type === "interpolation" ? shape(only.expr) : "string";
    }
    case "conditional":
      return uniformShape([node.then, node.else], scope) ?? (shape(node.then) === "null" && shape(node.else) === "null" ? "null" : undefined);
    case "call": {
      if (STRING_FUNCTIONS.has(node.name)) return "string";
      if (NUMBER_FUNCTIONS.has(node.name)) return "number";
      if (BOOL_FUNCTIONS.has(node.name)) return "bool";
      // The first of the arguments that is not null (coalesce) or not an error (try): all of one type, that type.
      if (node.name === "coalesce" || node.name === "try") return uniformShape(node.args, scope);
      const kind = COLLECTION_CONVERSIONS[node.name];
      const arg = node.args[0];
      if (kind === undefined || node.args.length !== 1 || arg === undefined) return undefined;
      const elements = arg.type === "object" ? arg.items.map((item) => item.value) : arg.type === "tuple" ? arg.items : undefined;
      const element = elements && uniformShape(elements, scope);
      return element === undefined ? undefined : `${kind}(${element})`;
    }
    default:
      return undefined;
  }
}

/** The one shape of all non-null values (nulls take any type), undefined when they differ or are not known. */
function uniformShape(values: readonly Expression[], scope: FoldScope = NO_LOCALS): string | undefined {
  const shapes = new Set(values.map((value) => shapeOf(value, scope)).filter((shape) => shape !== "null"));
  if (shapes.size !== 1) return undefined;
  return [...shapes][0];
}

/**
 * True when `chosen` has the value Terraform gives a conditional whose
 * branches are `chosen` and `other`: a conditional converts both to one
 * type, which changes nothing where both have it already, where one is null,
 * or where an object or tuple (a constructor or a `for`) meets an empty one and
 * its elements share a type (Terraform makes a map or list of them: the same
 * elements).
 */
function sameAsUnified(chosen: Expression, other: Expression, scope: FoldScope): boolean {
  const [a, b] = [shapeOf(chosen, scope), shapeOf(other, scope)];
  if (a === "null" || b === "null") return true;
  if (a !== undefined && a === b) return true;
  const uniformOrSingle = (values: readonly Expression[]) => values.length <= 1 || uniformShape(values, scope) !== undefined;
  for (const [x, y] of [
    [chosen, other],
    [other, chosen],
  ] as const) {
    if (x.type === "object" && isEmptyObject(y) && uniformOrSingle(x.items.map((item) => item.value))) return true;
    if (x.type === "tuple" && isEmptyTuple(y) && uniformOrSingle(x.items)) return true;
    // A for whose every element has one type makes the same elements as the map or list Terraform makes of them.
    if (x.type === "for" && !x.group && (x.result === "object" ? isEmptyObject(y) : isEmptyTuple(y)) && ![undefined, "null"].includes(shapeOf(x.value, scope))) return true;
  }
  return false;
}

/** A copy of `node` with some fields replaced; it prints as its source with the replaced children spliced in. */
function copy<T extends Expression | TemplatePart>(node: T, changes: Partial<T>): T {
  const { span: _span, base, ...rest } = node;
  const origin = node.span ? node : base;
  return { ...rest, ...changes, ...(origin ? { base: origin } : {}) } as T;
}

/** A node built anew (printed canonically), keeping none of `node`'s source. */
function rebuild<T extends Expression | TemplatePart>(node: T, changes: Partial<T>): T {
  const { span: _span, base: _base, ...rest } = node;
  return { ...rest, ...changes } as T;
}

/** Fold `node`, which stands where its value gets `conversion`. */
export function foldExpression(node: Expression, scope: FoldScope = NO_LOCALS, conversion: Conversion = "none"): Expression {
  switch (node.type) {
    case "null":
    case "bool":
    case "number":
      return node;
    case "variable":
      return scope.bindings?.get(node.name) ?? node;
    case "attr":
      return foldAttr(node, scope);
    case "index":
      return foldIndex(node, scope);
    case "splat": {
      const target = foldExpression(node.target, scope);
      // A splat over an empty tuple is empty, whatever follows it.
      if (isEmptyTuple(target)) return target;
      return target === node.target ? node : copy(node, { target });
    }
    case "call":
      return foldCall(node, scope);
    case "tuple": {
      const items = foldAll(node.items, scope);
      return items === node.items ? node : copy(node, { items });
    }
    case "object":
      return foldObject(node, scope);
    case "for":
      return foldFor(node, scope);
    case "unary":
      return foldUnary(node, scope);
    case "binary":
      return foldBinary(node, scope, conversion);
    case "conditional":
      return foldConditional(node, scope, conversion);
    case "paren": {
      const inner = foldExpression(node.inner, scope, conversion);
      // Parentheses around a literal say nothing; around a folded expression, the printer writes them where its place needs them.
      if (inner !== node.inner || literalOf(inner)) return bare(inner);
      return node;
    }
    case "template":
      return foldTemplate(node, scope, conversion);
  }
}

/** An expression without the parentheses around it: an expression that takes another's place gets them from the printer, where that place needs them. */
function bare(node: Expression): Expression {
  return node.type === "paren" ? bare(node.inner) : node;
}

/** Fold each expression; the same array when none changed. */
function foldAll(nodes: readonly Expression[], scope: FoldScope, conversion: Conversion = "none"): readonly Expression[] {
  let changed = false;
  const folded = nodes.map((node) => {
    const result = foldExpression(node, scope, conversion);
    if (result !== node) changed = true;
    return result;
  });
  return changed ? folded : nodes;
}

/** The address a reference to a whole resource or data source names (`aws_x.name`, `data.aws_x.name`). */
function elementAddress(node: Extract<Expression, { type: "attr" }>): string | undefined {
  const target = node.target;
  if (target.type === "variable") return `${target.name}.${node.name}`;
  if (target.type === "attr" && target.target.type === "variable" && target.target.name === "data") return `data.${target.name}.${node.name}`;
  return undefined;
}

/** True for `x[*]` and the traversal after it (`x[*].a[0]`), which applies to each element. */
function inSplat(node: Expression): boolean {
  return node.type === "splat" || ((node.type === "attr" || node.type === "index") && inSplat(node.target));
}

/** What a `local.<name>` reference's expression constructs (see {@link FoldScope.localConstructor}). */
function constructed(node: Expression, scope: FoldScope): "object" | "tuple" | undefined {
  return node.type === "attr" && node.target.type === "variable" && node.target.name === "local" ? scope.localConstructor?.(node.name) : undefined;
}

/** The known tuple or object a `local.<name>` reference stands for (see {@link FoldScope.constants}), else `node`. */
function seen(node: Expression, scope: FoldScope): Expression {
  return node.type === "attr" && node.target.type === "variable" && node.target.name === "local" ? (scope.constants?.get(node.name) ?? node) : node;
}

function foldAttr(node: Extract<Expression, { type: "attr" }>, scope: FoldScope): Expression {
  if (node.target.type === "variable" && node.target.name === "local") return scope.locals.get(node.name) ?? node;
  const address = scope.emptyElements && elementAddress(node);
  if (address && scope.emptyElements!.has(address)) return scope.emptyElements!.get(address)!;
  const target = foldExpression(node.target, scope);
  if (inSplat(node.target) && isEmptyTuple(target)) return target;
  const object = seen(target, scope);
  if (object.type === "object" && !hasComputedKeys(object)) {
    const item = [...object.items].reverse().find((candidate) => literalKey(candidate) === node.name);
    if (item) return item.value;
  }
  return target === node.target ? node : copy(node, { target });
}

const hasComputedKeys = (node: Extract<Expression, { type: "object" }>) => node.items.some((item) => literalKey(item) === undefined);

function foldIndex(node: Extract<Expression, { type: "index" }>, scope: FoldScope): Expression {
  const target = foldExpression(node.target, scope);
  if (inSplat(node.target) && isEmptyTuple(target)) return target;
  const key = foldExpression(node.key, scope);
  const index = literalOf(key)?.value;
  const collection = seen(target, scope);
  if (collection.type === "tuple" && typeof index === "number" && Number.isInteger(index) && index >= 0 && index < collection.items.length) {
    return collection.items[index]!;
  }
  if (collection.type === "object" && typeof index === "string" && !hasComputedKeys(collection)) {
    const item = [...collection.items].reverse().find((candidate) => literalKey(candidate) === index);
    if (item) return item.value;
  }
  // split(separator, text)[i], both literal: a string.
  if (target.type === "call" && target.name === "split" && !target.expand && target.args.length === 2 && typeof index === "number") {
    const [separator, text] = target.args.map((arg) => literalOf(arg)?.value);
    if (typeof separator === "string" && separator !== "" && typeof text === "string" && Number.isInteger(index) && index >= 0) {
      const pieces = text.split(separator);
      if (index < pieces.length) return literalExpression(pieces[index]!);
    }
  }
  return target === node.target && key === node.key ? node : copy(node, { target, key });
}

function foldObject(node: Extract<Expression, { type: "object" }>, scope: FoldScope): Expression {
  let changed = false;
  const items = node.items.map((item) => {
    // A bare name as a key is the attribute's name, not a reference: only keys in parentheses or quotes are expressions.
    let key = item.key;
    if (key.type === "paren") {
      const inner = foldExpression(key.inner, scope);
      // A quoted key is taken as written anyway: ("name") = is "name" =.
      if (inner.type === "template" && typeof literalOf(inner)?.value === "string") key = inner;
      else if (inner !== key.inner) key = copy(key, { inner });
    } else if (key.type === "template") {
      key = foldTemplate(key, scope);
    }
    const value = foldExpression(item.value, scope);
    if (key === item.key && value === item.value) return item;
    changed = true;
    return { key, value };
  });
  return changed ? copy(node, { items }) : node;
}

function foldFor(node: Extract<Expression, { type: "for" }>, scope: FoldScope): Expression {
  const collection = foldExpression(node.collection, scope);
  if (isKnownEmpty(collection)) return node.result === "tuple" ? { type: "tuple", items: [] } : { type: "object", items: [] };
  const evaluated = evaluateFor(node, seen(collection, scope), scope);
  if (evaluated) return evaluated;
  // Inside, the iterator names stand for themselves.
  const bindings = new Map(scope.bindings);
  for (const name of [node.keyVar, node.valueVar]) if (name !== undefined) bindings.delete(name);
  const inner: FoldScope = { ...scope, bindings };
  const key = node.key && foldExpression(node.key, inner);
  const value = foldExpression(node.value, inner);
  const cond = node.cond && foldExpression(node.cond, inner, "bool");
  if (collection === node.collection && key === node.key && value === node.value && cond === node.cond) return node;
  return copy(node, { collection, value, ...(key ? { key } : {}), ...(cond ? { cond } : {}) });
}

/**
 * A `for` over a known tuple or object whose every element, key and
 * condition folds to a known value: the tuple or object it makes.
 */
function evaluateFor(node: Extract<Expression, { type: "for" }>, collection: Expression, scope: FoldScope): Expression | undefined {
  if (node.group) return undefined;
  let elements: [Expression, Expression][];
  if (collection.type === "tuple") elements = collection.items.map((item, i) => [literalExpression(i), item]);
  else if (collection.type === "object" && !hasComputedKeys(collection)) {
    // An object iterates in the order of its keys: its literal keys, each once (a later one wins).
    const byKey = new Map(collection.items.map((item) => [literalKey(item)!, item.value]));
    elements = [...byKey.keys()].sort().map((key) => [literalExpression(key), byKey.get(key)!]);
  } else return undefined;
  const items: Expression[] = [];
  const fields: ObjectItem[] = [];
  const keys = new Set<string>();
  for (const [key, value] of elements) {
    const bindings = new Map(scope.bindings);
    if (node.keyVar !== undefined) bindings.set(node.keyVar, key);
    bindings.set(node.valueVar, value);
    const inner: FoldScope = { ...scope, bindings };
    if (node.cond) {
      const keep = literalOf(foldExpression(node.cond, inner, "bool"))?.value;
      if (typeof keep !== "boolean") return undefined;
      if (!keep) continue;
    }
    const result = foldExpression(node.value, inner);
    if (!isKnown(result)) return undefined;
    if (node.result === "tuple") {
      items.push(result);
      continue;
    }
    const name = literalOf(foldExpression(node.key!, inner))?.value;
    if (typeof name !== "string" || keys.has(name)) return undefined;
    keys.add(name);
    fields.push({ key: literalExpression(name), value: result });
  }
  return node.result === "tuple" ? { type: "tuple", items } : { type: "object", items: fields };
}

function foldUnary(node: Extract<Expression, { type: "unary" }>, scope: FoldScope): Expression {
  const operand = foldExpression(node.operand, scope, node.op === "!" ? "bool" : "number");
  const literal = literalOf(operand);
  if (node.op === "!" && typeof literal?.value === "boolean") return literalExpression(!literal.value);
  if (node.op === "-" && operand !== node.operand && typeof literal?.value === "number" && Number.isSafeInteger(literal.value)) {
    return literalExpression(-literal.value);
  }
  return operand === node.operand ? node : copy(node, { operand });
}

const ARITHMETIC = new Set<BinaryOperator>(["+", "-", "*", "/", "%"]);
const ORDERING = new Set<BinaryOperator>(["<", ">", "<=", ">="]);

/** The value of `left op right` for two literals, when folding can tell it. */
function evaluateBinary(op: BinaryOperator, left: Literal, right: Literal): { value: Literal } | undefined {
  // Terraform's numbers are arbitrary-precision: compare and compute only whole numbers JavaScript holds exactly.
  const inexact = (value: Literal) => typeof value === "number" && !Number.isSafeInteger(value);
  if (inexact(left) || inexact(right)) return undefined;
  // Equality compares type and value, without conversion: 1 == "1" is false.
  if (op === "==") return { value: left === right };
  if (op === "!=") return { value: left !== right };
  if (op === "&&" || op === "||") {
    if (typeof left !== "boolean" || typeof right !== "boolean") return undefined;
    return { value: op === "&&" ? left && right : left || right };
  }
  if (typeof left !== "number" || typeof right !== "number") return undefined;
  switch (op) {
    case "<":
      return { value: left < right };
    case ">":
      return { value: left > right };
    case "<=":
      return { value: left <= right };
    case ">=":
      return { value: left >= right };
  }
  let result: number | undefined;
  if (op === "+") result = left + right;
  else if (op === "-") result = left - right;
  else if (op === "*") result = left * right;
  else if (op === "/") result = right !== 0 && left % right === 0 ? left / right : undefined;
  else if (op === "%") result = left >= 0 && right > 0 ? left % right : undefined;
  return result !== undefined && Number.isSafeInteger(result) ? { value: result } : undefined;
}

function foldBinary(node: Extract<Expression, { type: "binary" }>, scope: FoldScope, conversion: Conversion): Expression {
  const op = node.op;
  const operandConversion: Conversion = op === "&&" || op === "||" ? "bool" : ARITHMETIC.has(op) || ORDERING.has(op) ? "number" : "none";
  const left = foldExpression(node.left, scope, operandConversion);
  const right = foldExpression(node.right, scope, operandConversion);
  const l = literalOf(left);
  const r = literalOf(right);
  if (l && r) {
    const result = evaluateBinary(op, l.value, r.value);
    if (result) return literalExpression(result.value);
  }
  // A constructor is never null.
  if ((op === "==" || op === "!=") && ((l?.value === null && isNeverNull(right)) || (r?.value === null && isNeverNull(left)))) {
    return literalExpression(op === "!=");
  }
  // An operand replaces the operation only where it has the operation's type, or its place converts it alike.
  const stands = (operand: Expression, type: "bool" | "number") => conversion === type || shapeOf(operand, scope) === type;
  if (op === "||" || op === "&&") {
    const absorbing = op === "||";
    // true || x is true, false && x is false, whatever x is (or x || true, x && false).
    if (l?.value === absorbing || r?.value === absorbing) return literalExpression(absorbing);
    if (l?.value === !absorbing && stands(right, "bool")) return bare(right);
    if (r?.value === !absorbing && stands(left, "bool")) return bare(left);
  }
  // x + 0, 0 + x, x - 0, x * 1, 1 * x, x / 1.
  const identity = op === "*" || op === "/" ? 1 : 0;
  if (ARITHMETIC.has(op) && op !== "%") {
    if (r?.value === identity && stands(left, "number")) return bare(left);
    if ((op === "+" || op === "*") && l?.value === identity && stands(right, "number")) return bare(right);
  }
  return left === node.left && right === node.right ? node : copy(node, { left, right });
}

function foldConditional(node: Extract<Expression, { type: "conditional" }>, scope: FoldScope, conversion: Conversion): Expression {
  const cond = foldExpression(node.cond, scope, "bool");
  const then = foldExpression(node.then, scope, conversion);
  const otherwise = foldExpression(node.else, scope, conversion);
  const decided = literalOf(cond)?.value;
  if (typeof decided === "boolean") {
    const [chosen, other] = decided ? [then, otherwise] : [otherwise, then];
    if (sameAsUnified(chosen, other, scope)) return bare(chosen);
  } else if (print(then) === print(otherwise)) {
    // c ? a : a is a: both branches have one type, and the condition's only part is to choose.
    return bare(then);
  }
  if (cond === node.cond && then === node.then && otherwise === node.else) return node;
  return copy(node, { cond, then, else: otherwise });
}

/** Fold a call's arguments, then the call where its function and arguments allow. */
function foldCall(node: Extract<Expression, { type: "call" }>, scope: FoldScope): Expression {
  const args = foldAll(node.args, scope);
  const folded = args === node.args ? node : copy(node, { args });
  if (node.expand || !Object.hasOwn(FUNCTIONS, node.name)) return folded;
  // Known tuples and objects held by locals are read where the call then is a literal (a merge of one with more
  // keeps the reference, which says more than the copied entries would).
  const through = args.map((arg) => seen(arg, scope));
  if (through.some((arg, i) => arg !== args[i])) {
    const value = FUNCTIONS[node.name]!(rebuild(node, { args: through }), through, scope);
    if (value && literalOf(value)) return value;
  }
  return FUNCTIONS[node.name]!(folded, args, scope) ?? folded;
}

type Call = Extract<Expression, { type: "call" }>;

/** Functions folding knows: each returns the folded call, or undefined to keep the call as it is. */
const FUNCTIONS: Record<string, (call: Call, args: readonly Expression[], scope: FoldScope) => Expression | undefined> = {
  tostring: (_call, [arg]) => {
    const value = arg && literalOf(arg)?.value;
    if (value === undefined) return undefined;
    if (value === null || typeof value === "string") return arg;
    return typeof value === "number" && !Number.isSafeInteger(value) ? undefined : literalExpression(String(value));
  },
  tonumber: (_call, [arg]) => {
    const value = arg && literalOf(arg)?.value;
    if (value === null || typeof value === "number") return arg;
    return typeof value === "string" && /^-?(0|[1-9][0-9]*)$/.test(value) && Number.isSafeInteger(Number(value))
      ? literalExpression(Number(value))
      : undefined;
  },
  // coalesce skips null arguments. A literal null makes the arguments' common type "any", so their values go
  // unconverted: without it they are converted to one type, which changes nothing only where they have one type
  // already (or there is one). A first argument that is a non-empty literal of that type is the result.
  coalesce: (call, args, scope) => {
    const rest = args.filter((arg) => arg.type !== "null");
    const shapes = new Set(rest.map((arg) => shapeOf(arg, scope)));
    const oneType = rest.length === 1 || (shapes.size === 1 && !shapes.has(undefined));
    if (rest.length === 0 || (!oneType && rest.length !== args.length)) return undefined;
    const first = literalOf(rest[0]!)?.value;
    if (first !== undefined && first !== null && first !== "" && oneType) return rest[0];
    return rest.length === args.length ? undefined : rebuild(call, { args: rest });
  },
  merge: (call, args, scope) => {
    const isObject = (arg: Expression) => arg.type === "object" || (arg.type === "for" && arg.result === "object") || constructed(arg, scope) === "object";
    // Empty objects and nulls add nothing, where another argument makes the result an object anyway.
    const rest = args.some((arg) => isObject(arg) && !isEmptyObject(arg)) ? args.filter((arg) => !isEmptyObject(arg) && arg.type !== "null") : args;
    if (rest.length === 0) return args.length > 0 && args.every(isEmptyObject) ? { type: "object", items: [] } : undefined;
    // Object constructors with literal keys merge into one: later keys win.
    if (rest.length > 1 && rest.every((arg) => arg.type === "object" && !hasComputedKeys(arg))) {
      const items = rest.flatMap((arg) => (arg.type === "object" ? arg.items : []));
      const last = new Map(items.map((item, i) => [literalKey(item), i]));
      return { type: "object", items: items.filter((item, i) => last.get(literalKey(item)) === i) };
    }
    if (rest.length === 1 && isObject(rest[0]!)) return rest[0];
    return rest.length === args.length ? undefined : rebuild(call, { args: rest });
  },
  concat: (call, args, scope) => {
    const isTuple = (arg: Expression) => arg.type === "tuple" || (arg.type === "for" && arg.result === "tuple") || constructed(arg, scope) === "tuple";
    const rest = args.some((arg) => isTuple(arg) && !isEmptyTuple(arg)) ? args.filter((arg) => !isEmptyTuple(arg)) : args;
    if (rest.length > 0 && rest.every((arg) => arg.type === "tuple")) {
      return rest.length === 1 ? rest[0] : { type: "tuple", items: rest.flatMap((arg) => (arg.type === "tuple" ? arg.items : [])) };
    }
    if (rest.length === 1 && isTuple(rest[0]!)) return rest[0];
    return rest.length === args.length ? undefined : rebuild(call, { args: rest });
  },
  // compact drops empty strings and nulls.
  compact: (call, [list]) => {
    if (list?.type !== "tuple") return undefined;
    const items = list.items.filter((item) => {
      const value = literalOf(item);
      return !(value && (value.value === "" || value.value === null));
    });
    return items.length === list.items.length ? undefined : rebuild(call, { args: [{ type: "tuple", items }] });
  },
  format: (call, args) => formatWithLiterals(call, args),
  // join of a literal separator and one tuple of string literals: the text.
  join: (_call, args) => {
    const [separator, list] = args;
    if (args.length !== 2 || list?.type !== "tuple") return undefined;
    const text = literalOf(separator!)?.value;
    const items = list.items.map((item) => literalOf(item)?.value);
    if (typeof text !== "string" || !items.every((item): item is string => typeof item === "string")) return undefined;
    return literalExpression(items.join(text));
  },
  substr: (_call, args) => {
    const [text, offset, length] = args.map((arg) => literalOf(arg)?.value);
    // substr counts Unicode characters: fold plain ASCII only.
    if (typeof text !== "string" || !/^[\x20-\x7e]*$/.test(text)) return undefined;
    if (typeof offset !== "number" || typeof length !== "number" || !Number.isInteger(offset) || !Number.isInteger(length)) return undefined;
    if (offset < 0 || offset > text.length || length < -1) return undefined;
    return literalExpression(length === -1 ? text.slice(offset) : text.slice(offset, offset + length));
  },
  // keys of an object constructor with literal keys: its names, sorted, as a tuple of strings.
  keys: (_call, [object]) => {
    if (object?.type !== "object" || hasComputedKeys(object)) return undefined;
    const names = [...new Set(object.items.map((item) => literalKey(item)!))].sort();
    return { type: "tuple", items: names.map(literalExpression) };
  },
  contains: (_call, [list, value]) => {
    const wanted = value && literalOf(value);
    if (list?.type !== "tuple" || !wanted || wanted.value === null) return undefined;
    const items = list.items.map((item) => literalOf(item)?.value);
    // Only where the list's elements and the value share a type: contains compares after converting them.
    if (!items.every((item) => item !== undefined && item !== null && typeof item === typeof wanted.value)) return undefined;
    return literalExpression(items.includes(wanted.value));
  },
  alltrue: (_call, [list]) => boolList(list, (values) => values.every(Boolean)),
  anytrue: (_call, [list]) => boolList(list, (values) => values.some(Boolean)),
  // one of an empty tuple is null; of a tuple of one element, that element.
  one: (_call, [list]) => (list?.type === "tuple" && list.items.length <= 1 ? (list.items[0] ?? literalExpression(null)) : undefined),
  length: (_call, [collection]) => {
    if (collection?.type === "tuple") return literalExpression(collection.items.length);
    if (collection?.type === "object" && !hasComputedKeys(collection)) return literalExpression(new Set(collection.items.map(literalKey)).size);
    return undefined;
  },
  // try returns its first argument that evaluates without error: a known value does.
  try: (_call, [first]) => (first && isKnown(first) ? first : undefined),
  can: (_call, [first]) => (first && isKnown(first) ? literalExpression(true) : undefined),
};

/**
 * format() with a literal specification of only the verbs %s, %d and %%:
 * literal operands are written into the text. What is left is a string
 * literal, a quoted template where only %s verbs remain (a template
 * interpolation writes a value as %s does), or format() with fewer
 * operands. Undefined where no operand is literal, or anything else.
 */
function formatWithLiterals(call: Call, args: readonly Expression[]): Expression | undefined {
  const [specNode, ...operands] = args;
  const spec = specNode && literalOf(specNode)?.value;
  if (typeof spec !== "string") return undefined;
  const pieces = spec.split(/(%.)/s);
  const verbs = pieces.filter((_, i) => i % 2 === 1);
  if (verbs.some((verb) => verb !== "%s" && verb !== "%d" && verb !== "%%") || /%$/.test(pieces[pieces.length - 1]!)) return undefined;
  if (verbs.filter((verb) => verb !== "%%").length !== operands.length) return undefined;
  // The text between operands, and the operands that stay expressions (with their verbs).
  const texts: string[] = [""];
  const kept: { verb: string; operand: Expression }[] = [];
  let next = 0;
  pieces.forEach((piece, i) => {
    if (i % 2 === 0 || piece === "%%") {
      texts[texts.length - 1] += i % 2 === 0 ? piece : "%";
      return;
    }
    const operand = operands[next++]!;
    const value = literalOf(operand)?.value;
    const written =
      (piece === "%s" && (typeof value === "string" || typeof value === "boolean")) || (typeof value === "number" && Number.isSafeInteger(value))
        ? String(value)
        : undefined;
    if (written !== undefined) texts[texts.length - 1] += written;
    else {
      kept.push({ verb: piece, operand });
      texts.push("");
    }
  });
  if (kept.length === operands.length) return undefined;
  if (kept.length === 0) return literalExpression(texts[0]!);
  const loneOperand = kept.length === 1 && texts[0] === "" && texts[1] === "";
  if (kept.every((item) => item.verb === "%s") && !loneOperand) {
    const parts: TemplatePart[] = [];
    texts.forEach((text, i) => {
      if (text !== "") parts.push({ type: "text", value: text });
      const item = kept[i];
      if (item) parts.push({ type: "interpolation", expr: item.operand, strip: { before: false, after: false } });
    });
    return { type: "template", mode: "quoted", parts };
  }
  const newSpec = texts.map((text, i) => text.replace(/%/g, "%%") + (kept[i]?.verb ?? "")).join("");
  return rebuild(call, { args: [literalExpression(newSpec), ...kept.map((item) => item.operand)] });
}

/** alltrue and anytrue of a tuple of bool literals. */
function boolList(list: Expression | undefined, decide: (values: boolean[]) => boolean): Expression | undefined {
  if (list?.type !== "tuple") return undefined;
  const values = list.items.map((item) => literalOf(item)?.value);
  return values.every((value) => typeof value === "boolean") ? literalExpression(decide(values as boolean[])) : undefined;
}

/**
 * True when an expression refers to anything (a variable, local, resource,
 * data source, `each`, `count`, ...) besides the names its own `for`
 * expressions bind: Terraform refuses a condition that refers to nothing.
 */
export function refersToAnything(node: Node, bound: ReadonlySet<string> = new Set()): boolean {
  if (node.type === "variable") return !bound.has(node.name);
  // A bare name as an object key is the attribute's name.
  if (node.type === "object") return node.items.some((item) => (item.key.type !== "variable" && refersToAnything(item.key, bound)) || refersToAnything(item.value, bound));
  if (node.type === "for" || node.type === "forDirective") {
    if (refersToAnything(node.collection, bound)) return true;
    const inner = new Set([...bound, node.valueVar, ...(node.keyVar === undefined ? [] : [node.keyVar])]);
    return children(node)
      .filter((child) => child !== node.collection)
      .some((child) => refersToAnything(child, inner));
  }
  return children(node).some((child) => refersToAnything(child, bound));
}

/** A template part's value as template text, when it is a literal interpolation. */
function interpolatedText(part: TemplatePart): string | undefined {
  if (part.type !== "interpolation" || part.strip.before || part.strip.after) return undefined;
  const value = literalOf(part.expr)?.value;
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

const hasStrip = (part: TemplatePart): boolean =>
  part.type === "interpolation"
    ? part.strip.before || part.strip.after
    : part.type === "ifDirective" || part.type === "forDirective"
      ? part.strips.some((strip) => strip.before || strip.after) || children(part).some((child) => isTemplatePart(child) && hasStrip(child))
      : false;

/**
 * Fold a template: its interpolations and directives, then literal
 * interpolations into its text. A quoted template of one interpolation is
 * that interpolation's value unconverted, so one that folds to a literal
 * becomes the literal.
 */
export function foldTemplate(node: TemplateExpression, scope: FoldScope = NO_LOCALS, conversion: Conversion = "none"): Expression {
  let changed = false;
  const wrapsOne = node.parts.length === 1 && node.parts[0]!.type === "interpolation";
  const folded = node.parts.flatMap((part): TemplatePart[] => {
    // The value of a template of one interpolation is that interpolation's, where the template stands.
    const result = foldPart(part, scope, wrapsOne ? conversion : "none");
    if (result.length !== 1 || result[0] !== part) changed = true;
    return result;
  });
  // Strip markers trim the text next to them: with any, text stays text and interpolations stay interpolations.
  if (folded.some(hasStrip)) return changed ? rebuild(node, { parts: folded }) : node;
  const inlined = folded.flatMap(inlineTemplate);
  const parts = inlined.length === folded.length && inlined.every((part, i) => part === folded[i]) ? folded : inlined;
  // Nothing folded, nothing to merge: the template as it was.
  const merges = parts !== folded || parts.some((part) => interpolatedText(part) !== undefined);
  if (!changed && !merges) return node;
  if (parts.length === 1 && parts[0]!.type === "interpolation") {
    const only = parts[0];
    if (!wrapsOne) return rebuild(node, { parts: folded });
    if (node.mode === "quoted" && literalOf(only.expr)) return only.expr;
    return only === node.parts[0] ? node : parts === folded ? copy(node, { parts }) : rebuild(node, { parts });
  }
  // Literal interpolations become text, adjacent texts one text.
  const merged: TemplatePart[] = [];
  for (const part of parts) {
    const text = part.type === "text" ? part.value : interpolatedText(part);
    const previous = merged[merged.length - 1];
    if (text === undefined) merged.push(part);
    else if (previous?.type === "text") merged[merged.length - 1] = { type: "text", value: previous.value + text };
    else merged.push(part.type === "text" ? part : { type: "text", value: text });
  }
  const kept = merged.filter((part) => !(part.type === "text" && part.value === ""));
  // Text around one interpolation converts its value to a string; alone, it would not be converted.
  if (kept.length === 1 && kept[0]!.type === "interpolation" && !wrapsOne) return rebuild(node, { parts: folded });
  return rebuild(node, { parts: kept });
}

/**
 * An interpolation of a quoted template (`${"a${x}"}`) is that template's
 * parts: its value is the string they make (or, for one interpolation, its
 * value, which the outer template converts as it would have).
 */
function inlineTemplate(part: TemplatePart): TemplatePart[] {
  if (part.type !== "interpolation" || part.strip.before || part.strip.after) return [part];
  const inner = part.expr;
  if (inner.type !== "template" || !inner.parts.every((p) => p.type === "text" || (p.type === "interpolation" && !hasStrip(p)))) return [part];
  if (inner.parts.length === 0) return [{ type: "text", value: "" }];
  // Text is written anew for the outer template's kind of string.
  return inner.parts.map((p) => (p.type === "text" ? { type: "text", value: p.value } : p));
}

function foldPart(part: TemplatePart, scope: FoldScope, conversion: Conversion): TemplatePart[] {
  switch (part.type) {
    case "text":
      return [part];
    case "interpolation": {
      const expr = foldExpression(part.expr, scope, conversion);
      return [expr === part.expr ? part : copy(part, { expr })];
    }
    case "ifDirective": {
      const cond = foldExpression(part.cond, scope, "bool");
      const then = part.then.flatMap((child) => foldPart(child, scope, "none"));
      const otherwise = part.else?.flatMap((child) => foldPart(child, scope, "none"));
      const decided = literalOf(cond)?.value;
      if (typeof decided === "boolean" && !hasStrip(part)) return decided ? then : (otherwise ?? []);
      if (cond === part.cond && sameParts(then, part.then) && sameParts(otherwise, part.else)) return [part];
      return [rebuild(part, { cond, then, ...(otherwise ? { else: otherwise } : {}) })];
    }
    case "forDirective": {
      const collection = foldExpression(part.collection, scope);
      const body = part.body.flatMap((child) => foldPart(child, scope, "none"));
      if (collection === part.collection && sameParts(body, part.body)) return [part];
      return [rebuild(part, { collection, body })];
    }
  }
}

const sameParts = (a: readonly TemplatePart[] | undefined, b: readonly TemplatePart[] | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((part, i) => part === b[i]));
