import { Fn, Lazy, TerraformStack, TerraformVariable, Testing, Token, Tokenization, DefaultTokenResolver, StringConcat } from "cdktf";
import { describe, expect, it } from "vitest";
import { moduleStacks, rootStacks } from "../../src/app/app.js";
import { loadEnvironments } from "../../src/app/config.js";
import { resolveJson } from "../../src/terraform/resolve-json.js";
import { ReadableStack } from "../../src/terraform/readable-stack.js";
import { testStack, unfoldedTerraform } from "../support/stacks.js";

const ENVIRONMENTS = [...loadEnvironments("environments"), ...loadEnvironments("test/terraform/environments")];

/** cdktf's own resolution, as its stacks resolve their elements. */
const cdktfResolve = (stack: TerraformStack, value: unknown) =>
  Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });

describe("ReadableStack.toTerraform", () => {
  it("writes what cdktf's TerraformStack.toTerraform writes, for every root stack and module stack", () => {
    // GIVEN every environment's root stack (shipped and test-only) and every module stack
    const stacks: TerraformStack[] = [...rootStacks(Testing.app(), ENVIRONMENTS), ...moduleStacks()];
    for (const stack of stacks) {
      // WHEN both write its Terraform JSON THEN the text is the same, key order included
      expect(JSON.stringify(ReadableStack.prototype.toTerraform.call(stack)), stack.node.id).toBe(JSON.stringify(unfoldedTerraform(stack)));
    }
  });

  it("resolves the stack's overrides where they hold tokens, and drops what they set to undefined", () => {
    // GIVEN a stack whose overrides hold a token, a list and an undefined
    const stack = testStack();
    const variable = new TerraformVariable(stack, "name", { type: "string" });
    stack.addOverride("locals.from_token", `${variable.stringValue}-suffix`);
    stack.addOverride("locals.list", ["a", undefined, "b"]);
    stack.addOverride("variable.name.description", undefined);
    // THEN the stack is what cdktf makes of it
    expect(JSON.stringify(ReadableStack.prototype.toTerraform.call(stack))).toBe(JSON.stringify(unfoldedTerraform(stack)));
    expect(ReadableStack.prototype.toTerraform.call(stack).locals).toEqual({ from_token: "${var.name}-suffix", list: ["a", "b"] });
  });
});

describe("resolveJson", () => {
  it("resolves as cdktf does: tokens anywhere, undefined dropped, plain values copied", () => {
    // GIVEN values with every kind of token cdktf encodes, beside plain values that look like them
    const stack = testStack();
    const variable = new TerraformVariable(stack, "names", { type: "list(string)" });
    const count = new TerraformVariable(stack, "count", { type: "number" });
    const tags = new TerraformVariable(stack, "tags", { type: "map(string)" });
    const value = {
      plain: "text with $${escaped} and %%{directive}",
      exponent: "1e5 looks like a number token",
      interpolated: `prefix-${variable.fqn}-suffix`,
      list: variable.listValue,
      listInArray: [...variable.listValue],
      number: count.numberValue,
      numberText: `${Token.asString(count.numberValue)} nodes`,
      map: tags.value,
      stringMap: Token.asStringMap(tags.value),
      lazy: Lazy.stringValue({ produce: () => "from a producer" }),
      lazyAny: Lazy.anyValue({ produce: () => ({ nested: [variable.fqn, undefined, 1] }) }),
      fn: Fn.join(",", variable.listValue),
      [`key-${count.fqn}`]: "a key with a token",
      nested: { deeper: [[{ gone: undefined, kept: null, yes: true, n: 0 }]] },
      date: new Date(0),
      gone: undefined,
    };
    // WHEN both resolve it THEN they agree
    expect(JSON.stringify(resolveJson(stack, value))).toBe(JSON.stringify(cdktfResolve(stack, value)));
    expect(resolveJson(stack, value)).toEqual(cdktfResolve(stack, value));
  });

  it("refuses what cdktf refuses, with cdktf's errors", () => {
    const stack = testStack();
    const list = new TerraformVariable(stack, "names", { type: "list(string)" }).listValue;
    for (const bad of [{ a: () => 1 }, { a: `${list[0]}x` }, { a: stack }]) {
      expect(() => cdktfResolve(stack, bad)).toThrow();
      expect(() => resolveJson(stack, bad)).toThrow();
    }
  });
});
