/**
 * The generated modules are read line by line by the teams that use them: each local that holds an expression (or
 * a template) is short, and text (a script, a user data document, messages) is written one line an entry, so that
 * main.tf.json shows it line by line.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const MODULES = ["node-group", "vpc-cni", "prefix-reservations"];
/** Most characters an expression may take, as main.tf.json writes it (JSON-encoded, quotes included). */
const LIMIT = 200;

/** Every string in a local's value, each with its place (`name`, `name.key`, `name[3]`). */
function* stringsIn(value: unknown, place: string): Generator<[string, string]> {
  if (typeof value === "string") yield [place, value];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* stringsIn(item, `${place}[${i}]`);
  else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) yield* stringsIn(item, `${place}.${key}`);
}

/** An expression or template (`${`, `%{`), as opposed to text. */
const isExpression = (text: string) => /[$%]\{/.test(text);

describe("the generated modules' locals", () => {
  for (const module of MODULES) {
    it(`${module}: each expression at most ${LIMIT} characters, text one line an entry`, () => {
      const locals = (JSON.parse(readFileSync(`modules/${module}/main.tf.json`, "utf8")) as { locals?: Record<string, unknown> }).locals ?? {};
      expect(Object.keys(locals).length).toBeGreaterThan(module === "prefix-reservations" ? 1 : 5);
      const found = Object.entries(locals).flatMap(([name, value]) => [...stringsIn(value, name)]);
      const long = found.filter(([, text]) => isExpression(text) && JSON.stringify(text).length > LIMIT).map(([place, text]) => `${place}: ${JSON.stringify(text).length}`);
      expect(long, "name the parts of a long expression as locals of their own").toEqual([]);
      const multiline = found.filter(([, text]) => !isExpression(text) && text.includes("\n")).map(([place]) => place);
      expect(multiline, "write text as a list of lines").toEqual([]);
    });
  }

  it("the check tells expressions from text and finds every string", () => {
    expect([...stringsIn({ a: ["x", { b: "${y}" }] }, "l")]).toEqual([
      ["l.a[0]", "x"],
      ["l.a[1].b", "${y}"],
    ]);
    expect(isExpression("${local.a}")).toBe(true);
    expect(isExpression("%{ if x }a%{ endif }")).toBe(true);
    expect(isExpression("printf '%s\\n' \"$*\"")).toBe(false);
  });
});
