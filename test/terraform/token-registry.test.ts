import { DefaultTokenResolver, Lazy, ref, StringConcat, Token, Tokenization } from "cdktf";
import { describe, expect, it } from "vitest";
import { testStack } from "../support/stacks.js";
import { forgetTokensSince, markTokens, referenceExpression } from "../../src/terraform/token-registry.js";

describe("forgetTokensSince", () => {
  it("forgets the tokens registered after the mark, string and number ones, and keeps those before it", () => {
    // GIVEN a token registered before the mark and two after it
    const kept = Token.asString(Lazy.stringValue({ produce: () => "kept" }));
    const mark = markTokens();
    const text = Token.asString(Lazy.stringValue({ produce: () => "text" }));
    const number = Token.asNumber(Lazy.numberValue({ produce: () => 1 }));
    expect(markTokens()).toEqual({ strings: mark.strings + 1, numbers: mark.numbers + 1 });
    // WHEN the ones after the mark are forgotten
    forgetTokensSince(mark);
    // THEN the registry is as at the mark: the earlier token still resolves, a forgotten marker is refused loudly
    expect(markTokens()).toEqual(mark);
    expect(Tokenization.reverseString(kept).tokens).toHaveLength(1);
    expect(() => Tokenization.reverseString(text)).toThrow("Unrecognized Token Key");
    expect(() => Tokenization.reverseNumber(number)).toThrow();
  });
});

describe("referenceExpression", () => {
  it("reads a reference's marker as its identifier, as cdktf resolves it without braces", () => {
    // GIVEN a reference to an attribute, as an element's attribute getter makes it
    const marker = Token.asString(ref("aws_iam_role.node_group.arn"));
    // THEN its expression is the identifier, and cdktf resolves the marker to the same inside ${}
    expect(referenceExpression(marker)).toBe("aws_iam_role.node_group.arn");
    const resolver = new DefaultTokenResolver(new StringConcat());
    expect(Tokenization.resolve(marker, { scope: testStack(), preparing: false, resolver })).toBe("${aws_iam_role.node_group.arn}");
  });

  it("leaves everything else to cdktf: other tokens, text around a marker, references resolved across stacks", () => {
    const reference = ref("aws_iam_role.node_group.arn");
    const marker = Token.asString(reference);
    expect(referenceExpression(Token.asString(Lazy.stringValue({ produce: () => "x" })))).toBeUndefined();
    expect(referenceExpression(`arn: ${marker}`)).toBeUndefined();
    expect(referenceExpression("aws_iam_role.node_group.arn")).toBeUndefined();
    (reference as unknown as { crossStackIdentifier: Record<string, string> }).crossStackIdentifier.other = "data.terraform_remote_state.x";
    expect(referenceExpression(marker)).toBeUndefined();
  });
});
