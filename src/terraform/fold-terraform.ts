/**
 * Folds a synthesized Terraform JSON configuration (a root stack): every
 * expression is folded (see fold.ts), with the locals whose value is known at
 * synthesis written in where they are used; then what can no longer do
 * anything goes:
 *
 * - resources and data sources whose `count` is 0 or whose `for_each` is
 *   empty, unless something still refers to them (a reference must never
 *   break, so such an element stays);
 * - locals and data sources that only such elements, or expressions folded
 *   away, used;
 * - `dynamic` blocks over an empty collection, preconditions, postconditions
 *   and validations whose condition is `true`, and the blocks and lists they
 *   leave empty.
 *
 * Counts that fold to a number stay, as that number: a counted resource's
 * addresses (`x[0]`) are in its users' state.
 */
import { ExpressionSyntaxError, children, parseTemplate, print, templateText, type Expression, type Node, type TemplateExpression } from "./expression.js";
import { FoldMemo } from "./fold-memo.js";
import { foldTemplate, isKnown, literalExpression, literalOf, refersToAnything, shapeOf, type Conversion, type FoldScope } from "./fold.js";

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

export interface FoldedTerraform {
  readonly terraform: JsonObject;
  /** Strings that are not expressions the parser reads (e.g. heredocs): left as they were. */
  readonly unparsed: readonly string[];
}

export interface FoldOptions {
  /**
   * Reuse folds of strings made for earlier configurations where their scope reads answer alike (fold-memo.ts),
   * the default; false folds every string anew (tests compare the two).
   * @default true
   */
  readonly reuse?: boolean;
}

/** Fold a Terraform JSON configuration; `terraform` is not changed. */
export function foldTerraform(terraform: Record<string, unknown>, options: FoldOptions = {}): FoldedTerraform {
  const folder = new TerraformFolder(terraform as JsonObject, options.reuse === false ? new FoldMemo() : FOLDS);
  return { terraform: folder.fold(), unparsed: [...folder.unparsed] };
}

const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);
const entries = (value: Json | undefined): [string, Json][] => (isObject(value) ? Object.entries(value) : []);

/** What each element of a configuration refers to, by address: what its expressions read, and its `depends_on` entries. */
interface ReferenceGraph {
  readonly reads: Map<string, Set<string>>;
  readonly dependsOn: Map<string, Set<string>>;
}

/** A folded string: its JSON value and, when it is an expression, what it evaluates to. */
interface FoldedString {
  readonly json: Json;
  /** Its one interpolation, a string literal, or the template. */
  readonly value?: Expression;
}

/**
 * Parsed strings (null: not parseable), by text: each string is parsed once per process. Stacks of many
 * environments share most of their strings, so this is shared by every folder (a tree is never changed).
 */
const TREES = new Map<string, TemplateExpression | null>();

/** The addresses each string refers to, by the configuration's resource types (space-separated), shared by every folder. */
const REFERENCES = new Map<string, Map<string, readonly string[]>>();

/**
 * Strings without interpolations or directives, folded: the text and its literal, one object per text for the
 * process, so that a fold reading such a local's value finds the same object from stack to stack (fold-memo.ts).
 */
const PLAIN_TEXTS = new Map<string, FoldedString>();
const plainText = (text: string): FoldedString =>
  PLAIN_TEXTS.get(text) ?? PLAIN_TEXTS.set(text, { json: text, value: literalExpression(text) }).get(text)!;

const NO_REFERENCES: readonly string[] = [];

/** True when `text` holds an interpolation (`${`) or a directive (`%{`): otherwise it is plain text to Terraform. */
const holdsTemplate = (text: string): boolean => text.includes("${") || text.includes("%{");

/** Folds of parsed strings, shared by every folder as the trees are: reused where a string's scope reads answer alike (fold-memo.ts). */
const FOLDS = new FoldMemo<FoldedString>();

class TerraformFolder {
  readonly unparsed = new Set<string>();
  private readonly trees = TREES;
  private readonly resourceTypes: Set<string>;
  private scope: FoldScope = { locals: new Map(), localShape: (name) => this.localShape(name), localConstructor: (name) => this.localConstructor(name) };
  private readonly localShapes = new Map<string, string | undefined>();
  private readonly stringReferences: Map<string, readonly string[]>;
  private inputGraph?: ReferenceGraph;

  constructor(
    private readonly input: JsonObject,
    private readonly folds: FoldMemo<FoldedString>,
  ) {
    this.resourceTypes = new Set(Object.keys(isObject(input.resource) ? input.resource : {}));
    const types = [...this.resourceTypes].join(" ");
    this.stringReferences = REFERENCES.get(types) ?? REFERENCES.set(types, new Map()).get(types)!;
  }

  private parse(text: string): TemplateExpression | undefined {
    if (!holdsTemplate(text)) return undefined;
    let tree = this.trees.get(text);
    if (tree === undefined) {
      try {
        tree = parseTemplate(text);
      } catch (error) {
        if (!(error instanceof ExpressionSyntaxError)) throw error;
        tree = null;
      }
      this.trees.set(text, tree);
    }
    if (tree === null) this.unparsed.add(text);
    return tree ?? undefined;
  }

  private foldString(text: string, conversion: Conversion): FoldedString {
    if (!holdsTemplate(text)) return plainText(text);
    const tree = this.parse(text);
    if (!tree) return { json: text };
    return this.folds.fold(tree, conversion, this.scope, (scope) => this.foldTree(text, tree, scope, conversion));
  }

  /** Fold the parsed string `text` in `scope`: what foldString returns. */
  private foldTree(text: string, tree: TemplateExpression, scope: FoldScope, conversion: Conversion): FoldedString {
    const folded = foldTemplate(tree, scope, conversion) as TemplateExpression;
    const value = valueOf(folded);
    const literal = value && value !== folded ? literalOf(value) : undefined;
    // A string of one interpolation is that value: a literal is written as the JSON value it is.
    if (!literal && folded === tree) return { json: text, ...(value ? { value } : {}) };
    const json = literal ? (typeof literal.value === "string" ? templateText(literal.value, "json") : literal.value) : print(folded);
    // The folded tree is what the written string parses to: references are read from it.
    if (typeof json === "string" && !this.trees.has(json)) this.trees.set(json, folded);
    return { json, ...(value ? { value } : {}) };
  }

  /**
   * Fold a local's JSON value: what is written, and its value where it is known (a string's as for any string; a
   * JSON array or object's where every element is known and its keys are plain text).
   */
  private foldLocal(value: Json): FoldedString {
    if (typeof value === "string") return this.foldString(value, "none");
    if (Array.isArray(value)) {
      const items = value.map((item) => this.foldLocal(item));
      const json = items.map((item) => item.json);
      const known = items.every((item) => item.value && isKnown(item.value));
      return known ? { json, value: { type: "tuple", items: items.map((item) => item.value!) } } : { json };
    }
    if (isObject(value)) {
      const fields = Object.entries(value).map(([key, item]) => [key, this.foldLocal(item)] as const);
      const json = Object.fromEntries(fields.map(([key, item]) => [key, item.json]));
      const known = fields.every(([key, item]) => !/[$%]\{/.test(key) && item.value && isKnown(item.value));
      return known ? { json, value: { type: "object", items: fields.map(([key, item]) => ({ key: literalExpression(key), value: item.value! })) } } : { json };
    }
    return { json: value, ...plainValue(value) };
  }

  private foldJson(value: Json, conversion: Conversion = "none"): Json {
    if (typeof value === "string") return this.foldString(value, conversion).json;
    if (Array.isArray(value)) return value.map((item) => this.foldJson(item));
    if (isObject(value)) {
      const folded: JsonObject = {};
      for (const key of Object.keys(value)) folded[key] = this.foldJson(value[key]!);
      return folded;
    }
    return value;
  }

  /**
   * Fold everything; where that leaves resources or data sources without instances, fold again knowing
   * references to them are empty, until no more are found.
   */
  fold(): JsonObject {
    let empty = new Map<string, Expression>();
    for (;;) {
      this.scope = { ...this.scope, emptyElements: empty };
      const output = this.foldAll();
      const found = new Map<string, Expression>();
      for (const [address, body] of this.elements(output)) {
        if (!this.hasNoInstances(body)) continue;
        // A counted element is a tuple of its instances, one with for_each an object of them.
        const none: Expression = isObject(body) && body.count !== undefined ? { type: "tuple", items: [] } : { type: "object", items: [] };
        found.set(address.replace(/^resource\./, ""), none);
      }
      // Folding again helps only where something other than another empty element refers to one.
      const unseen = [...found.keys()].filter((address) => !empty.has(address));
      const references = this.references(output);
      if (unseen.length === 0 || !this.refersToAnyOf(references, found)) {
        this.removeUnused(output, references);
        return output;
      }
      empty = found;
    }
  }

  /** True when an element not in `elements` (by address without `resource.`) refers to one in it, other than by depends_on. */
  private refersToAnyOf(references: ReferenceGraph, elements: ReadonlyMap<string, Expression>): boolean {
    const inSet = (address: string) => elements.has(address.replace(/^resource\./, ""));
    for (const [from, targets] of references.reads) {
      if (!inSet(from) && [...targets].some(inSet)) return true;
    }
    return false;
  }

  private foldAll(): JsonObject {
    const locals = this.foldLocals();
    const output: JsonObject = {};
    for (const [key, value] of Object.entries(this.input)) {
      switch (key) {
        case "locals":
          output.locals = locals;
          break;
        case "resource":
        case "data":
          output[key] = Object.fromEntries(
            entries(value).map(([type, byName]) => [type, Object.fromEntries(entries(byName).map(([name, body]) => [name, this.foldElement(body)]))]),
          );
          break;
        case "output":
          output.output = Object.fromEntries(entries(value).map(([name, body]) => [name, this.foldOutput(body)]));
          break;
        case "variable":
          output.variable = Object.fromEntries(entries(value).map(([name, body]) => [name, this.foldVariable(body)]));
          break;
        case "provider":
        case "module":
          output[key] = this.foldJson(value);
          break;
        default:
          output[key] = value;
      }
    }
    return output;
  }

  /**
   * Fold the locals until no more become known: a local known at synthesis
   * is written in where it is used (and so may make others known).
   */
  private foldLocals(): JsonObject {
    const known = new Map<string, Expression>();
    const constants = new Map<string, Expression>();
    this.scope = { ...this.scope, locals: known, constants };
    const folded = new Map<string, FoldedString>();
    const locals = entries(this.input.locals);
    // Which locals each local uses: one is folded again only when a local it uses has become known.
    const users = new Map<string, string[]>();
    const inputReads = this.inputReferences.reads;
    for (const [name] of locals) {
      for (const used of inputReads.get(`local.${name}`)!) if (used.startsWith("local.")) (users.get(used) ?? users.set(used, []).get(used)!).push(name);
    }
    const values = new Map(locals);
    for (let pending = new Set(values.keys()); pending.size > 0; ) {
      const next = new Set<string>();
      for (const name of pending) {
        if (known.has(name) || constants.has(name)) continue;
        const result = this.foldLocal(values.get(name)!);
        folded.set(name, result);
        const value = result.value;
        if (value && (isWrittenIn(value) || isKnown(value))) {
          (isWrittenIn(value) ? known : constants).set(name, value);
          for (const user of users.get(`local.${name}`) ?? []) next.add(user);
        }
      }
      pending = next;
    }
    return Object.fromEntries(locals.map(([name]) => [name, folded.get(name)!.json]));
  }

  /** What a local's expression constructs, where it is an object or tuple constructor or `for` (JSON objects and arrays too). */
  private localConstructor(name: string): "object" | "tuple" | undefined {
    const raw = isObject(this.input.locals) ? this.input.locals[name] : undefined;
    if (Array.isArray(raw)) return "tuple";
    if (isObject(raw)) return "object";
    const tree = typeof raw === "string" ? this.parse(raw) : undefined;
    const value = tree && valueOf(tree);
    if (value?.type === "object" || (value?.type === "for" && value.result === "object")) return "object";
    if (value?.type === "tuple" || (value?.type === "for" && value.result === "tuple")) return "tuple";
    return undefined;
  }

  /** The type of a local's value, where its expression says (undefined while it is being worked out: a cycle says nothing). */
  private localShape(name: string): string | undefined {
    if (this.localShapes.has(name)) return this.localShapes.get(name);
    this.localShapes.set(name, undefined);
    const raw = isObject(this.input.locals) ? this.input.locals[name] : undefined;
    let value: Expression | undefined;
    if (typeof raw === "string") {
      const tree = this.parse(raw);
      value = tree ? valueOf(tree) : holdsTemplate(raw) ? undefined : literalExpression(raw);
    } else if (raw !== undefined) value = plainValue(raw).value;
    const shape = value && shapeOf(value, this.scope);
    this.localShapes.set(name, shape);
    return shape;
  }

  private foldElement(body: Json): Json {
    if (!isObject(body)) return body;
    const output: JsonObject = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === "//" || key === "depends_on" || key === "provider") output[key] = value;
      else if (key === "count") output.count = this.foldJson(value, "number");
      else if (key === "lifecycle") assignNonEmpty(output, key, this.foldLifecycle(value));
      else if (key === "dynamic") assignNonEmpty(output, key, this.foldDynamic(value));
      else output[key] = this.foldJson(value);
    }
    return output;
  }

  /** `dynamic` blocks: those over an empty collection make no block and go. */
  private foldDynamic(dynamic: Json): JsonObject {
    const output: JsonObject = {};
    for (const [name, block] of entries(dynamic)) {
      if (!isObject(block)) {
        output[name] = block;
        continue;
      }
      const forEach = block.for_each === undefined ? undefined : this.foldCollection(block.for_each);
      if (forEach?.empty) continue;
      output[name] = Object.fromEntries(
        Object.entries(block).map(([key, value]) => [
          key,
          key === "for_each" ? forEach!.json : key === "content" ? this.foldElement(value) : key === "iterator" ? value : this.foldJson(value),
        ]),
      );
    }
    return output;
  }

  private foldCollection(value: Json): { json: Json; empty: boolean } {
    if (typeof value !== "string") return { json: this.foldJson(value), empty: isEmptyJson(value) };
    const result = this.foldString(value, "none");
    const v = result.value;
    return { json: result.json, empty: v !== undefined && ((v.type === "tuple" || v.type === "object") && v.items.length === 0) };
  }

  private foldLifecycle(lifecycle: Json): JsonObject {
    const output: JsonObject = {};
    for (const [key, value] of entries(lifecycle)) {
      if (key === "precondition" || key === "postcondition") assignNonEmpty(output, key, this.foldConditions(value));
      else output[key] = value;
    }
    return output;
  }

  /**
   * Condition blocks (preconditions, postconditions, validations): those whose condition is `true` can never
   * fail, and go. Terraform refuses a condition that refers to nothing: one that folds to such an expression
   * (other than `true`) stays as it was.
   */
  private foldConditions(conditions: Json): Json[] {
    return (Array.isArray(conditions) ? conditions : [conditions]).flatMap((block): Json[] => {
      if (!isObject(block)) return [block];
      let condition = block.condition;
      if (typeof condition === "string") {
        const folded = this.foldString(condition, "bool");
        if (folded.json === true) return [];
        if (folded.value && refersToAnything(folded.value)) condition = folded.json;
      }
      return [
        Object.fromEntries(Object.entries(block).map(([key, value]) => [key, key === "condition" ? condition! : this.foldJson(value)])),
      ];
    });
  }

  private foldOutput(body: Json): Json {
    if (!isObject(body)) return body;
    const output: JsonObject = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === "value") output.value = this.foldJson(value);
      else if (key === "precondition") assignNonEmpty(output, key, this.foldConditions(value));
      else output[key] = value;
    }
    return output;
  }

  private foldVariable(body: Json): Json {
    if (!isObject(body)) return body;
    const output: JsonObject = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === "validation") assignNonEmpty(output, key, this.foldConditions(value));
      else output[key] = value;
    }
    return output;
  }

  /**
   * Remove resources and data sources with no instances and nothing referring
   * to them, then whatever only removed elements (or folded-away
   * expressions) used, until nothing more goes.
   */
  private removeUnused(output: JsonObject, after: ReferenceGraph): void {
    const referrers = (graph: ReferenceGraph) => {
      const by = new Map<string, Set<string>>();
      for (const edges of [graph.reads, graph.dependsOn]) {
        for (const [from, targets] of edges) for (const target of targets) if (target !== from) (by.get(target) ?? by.set(target, new Set()).get(target)!).add(from);
      }
      return by;
    };
    const usedBefore = referrers(this.inputReferences);
    const usedAfter = referrers(after);
    const empty = new Set([...this.elements(output)].filter(([, body]) => this.hasNoInstances(body)).map(([address]) => address));
    const removed = new Set<string>();
    const unreferenced = (address: string) => [...(usedAfter.get(address) ?? [])].every((from) => removed.has(from));
    for (let changed = true; changed; ) {
      changed = false;
      for (const address of after.reads.keys()) {
        if (removed.has(address)) continue;
        const isElement = empty.has(address);
        // Locals and data sources nothing uses any more, that something used before folding.
        const leftOver = (address.startsWith("local.") || address.startsWith("data.")) && (usedBefore.get(address)?.size ?? 0) > 0;
        if ((isElement || leftOver) && unreferenced(address)) {
          removed.add(address);
          changed = true;
        }
      }
    }
    for (const address of removed) deleteElement(output, address);
    dropEmptiedTables(output, removed);
  }

  /** Every addressable element of a configuration: `resource.<type>.<name>`, `data.<type>.<name>`. */
  private *elements(config: JsonObject): Generator<[string, Json]> {
    for (const kind of ["resource", "data"]) {
      for (const [type, byName] of entries(config[kind])) for (const [name, body] of entries(byName)) yield [`${kind}.${type}.${name}`, body];
    }
  }

  /** What the input configuration's elements refer to: worked out once, for folding locals and for removing what folding left unused. */
  private get inputReferences(): ReferenceGraph {
    this.inputGraph ??= this.references(this.input);
    return this.inputGraph;
  }

  /**
   * What each element of `config` refers to, by address (`resource.T.N`, `data.T.N`, `local.N`, `var.N`,
   * `output.N`, ...): in one walk, what its expressions read and, apart, its `depends_on` entries.
   */
  private references(config: JsonObject): ReferenceGraph {
    const graph: ReferenceGraph = { reads: new Map(), dependsOn: new Map() };
    const add = (address: string, value: Json) => {
      const reads = graph.reads.get(address) ?? new Set<string>();
      const dependsOn = graph.dependsOn.get(address) ?? new Set<string>();
      this.referencesIn(value, reads, dependsOn);
      graph.reads.set(address, reads);
      graph.dependsOn.set(address, dependsOn);
    };
    for (const [address, body] of this.elements(config)) add(address, body);
    for (const [name, value] of entries(config.locals)) add(`local.${name}`, value);
    for (const [name, value] of entries(config.output)) add(`output.${name}`, value);
    for (const [name, value] of entries(config.variable)) add(`var.${name}`, value);
    for (const [name, value] of entries(config.module)) add(`module.${name}`, value);
    add("provider", config.provider ?? null);
    return graph;
  }

  /** Add what `value` (found under `key`) reads to `reads`, and the addresses it lists under `depends_on` to `dependsOn`. */
  private referencesIn(value: Json, reads: Set<string>, dependsOn: Set<string>, key?: string): void {
    if (typeof value === "string") {
      if (key === "depends_on") {
        const address = addressOf(value.split("."), this.resourceTypes);
        if (address) dependsOn.add(address);
      } else {
        for (const address of this.referencesOf(value)) reads.add(address);
      }
    } else if (Array.isArray(value)) {
      for (const item of value) this.referencesIn(item, reads, dependsOn, key);
    } else if (isObject(value)) {
      // Keys, not entries: no array of pairs made for every object of every stack.
      for (const name of Object.keys(value)) if (name !== "//") this.referencesIn(value[name]!, reads, dependsOn, name);
    }
  }

  /**
   * The addresses a string refers to, worked out once per process for each string and set of resource types
   * (what a name chain addresses depends on those only).
   */
  private referencesOf(text: string): readonly string[] {
    // Text without interpolations or directives refers to nothing (most strings: no table lookups for them).
    if (!holdsTemplate(text)) return NO_REFERENCES;
    // Parsed first, as every string the folder reads: an unparseable one is noted in `unparsed`.
    const tree = this.parse(text);
    let addresses = this.stringReferences.get(text);
    if (addresses === undefined) {
      const found = new Set<string>();
      if (tree) collectReferences(tree, this.resourceTypes, found);
      // A string the parser does not read: every name chain in it counts as a reference, so none is ever removed from under it.
      else if (this.unparsed.has(text)) {
        for (const [chain] of text.matchAll(/[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+/g)) {
          const address = addressOf(chain.split("."), this.resourceTypes);
          if (address) found.add(address);
        }
      }
      addresses = [...found];
      this.stringReferences.set(text, addresses);
    }
    return addresses;
  }

  /** True when an element's folded count is 0 or its folded for_each is empty. */
  private hasNoInstances(body: Json): boolean {
    if (!isObject(body)) return false;
    if (body.count === 0) return true;
    return body.for_each !== undefined && this.foldCollection(body.for_each).empty;
  }
}

function isEmptyJson(value: Json): boolean {
  return (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/** What a folded JSON-mode template evaluates to, as an expression (undefined for a template of text and interpolations). */
function valueOf(template: TemplateExpression): Expression | undefined {
  const parts = template.parts;
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.type === "interpolation" && !only.strip.before && !only.strip.after) return only.expr;
  if (parts.every((part) => part.type === "text")) return literalExpression(parts.map((part) => (part.type === "text" ? part.value : "")).join(""));
  return template;
}

/** The value of a local given as plain JSON, when it is a literal. */
function plainValue(value: Json): { value?: Expression } {
  if (value === null || typeof value === "boolean" || (typeof value === "number" && Number.isSafeInteger(value))) return { value: literalExpression(value) };
  return {};
}

/** A local whose value is written where it is used: a literal, or an empty tuple or object. */
function isWrittenIn(value: Expression): boolean {
  if (literalOf(value)) return true;
  return (value.type === "tuple" || value.type === "object") && value.items.length === 0;
}

function assignNonEmpty(target: JsonObject, key: string, value: JsonObject | Json[]): void {
  if (!isEmptyJson(value)) target[key] = value;
}

/** The address a traversal's leading names refer to, when they name an element of the configuration. */
function addressOf(names: readonly string[], resourceTypes: ReadonlySet<string>): string | undefined {
  const [root, first, second] = names;
  if (root === undefined || first === undefined) return undefined;
  if (root === "local" || root === "var" || root === "module") return `${root}.${first}`;
  if (root === "data") return second === undefined ? undefined : `data.${first}.${second}`;
  if (resourceTypes.has(root)) return `resource.${root}.${first}`;
  return undefined;
}

/** Add the addresses `node` refers to. */
function collectReferences(node: Node, resourceTypes: ReadonlySet<string>, found: Set<string>): void {
  if (node.type !== "attr" && node.type !== "index" && node.type !== "splat") {
    for (const child of children(node)) collectReferences(child, resourceTypes, found);
    return;
  }
  // A traversal, walked once from its end down to its root: the names leading from the root say what is referred to.
  const steps: Expression[] = [];
  let current: Expression = node;
  while (current.type === "attr" || current.type === "index" || current.type === "splat") {
    steps.push(current);
    current = current.target;
  }
  if (current.type === "variable") {
    const names = [current.name];
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i]!;
      if (step.type !== "attr") break;
      names.push(step.name);
    }
    const address = addressOf(names, resourceTypes);
    if (address) found.add(address);
  } else {
    collectReferences(current, resourceTypes, found);
  }
  for (const step of steps) if (step.type === "index") collectReferences(step.key, resourceTypes, found);
}

function deleteElement(config: JsonObject, address: string): void {
  const [kind, ...rest] = address.split(".");
  if (kind === "local") {
    delete (config.locals as JsonObject)[rest[0]!];
    return;
  }
  const [type, name] = rest as [string, string];
  delete ((config[kind!] as JsonObject)[type] as JsonObject)[name];
}

/**
 * Drop the tables that removing `removed` (addresses) left empty: `locals`, a resource or data type without names,
 * `resource` or `data` without types. Checked once, after every removal (not once a removal: locals are many).
 */
function dropEmptiedTables(config: JsonObject, removed: ReadonlySet<string>): void {
  const isEmpty = (table: Json | undefined) => isObject(table) && Object.keys(table).length === 0;
  // `locals`, or `resource.<type>` / `data.<type>`.
  const tables = new Set([...removed].map((address) => (address.startsWith("local.") ? "locals" : address.split(".").slice(0, 2).join("."))));
  for (const table of tables) {
    const [kind, type] = table.split(".") as [string, string | undefined];
    if (type !== undefined && isEmpty((config[kind] as JsonObject)[type])) delete (config[kind] as JsonObject)[type];
    if (isEmpty(config[kind])) delete config[kind];
  }
}
