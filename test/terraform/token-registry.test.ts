import { Lazy, Token, Tokenization } from "cdktf";
import { describe, expect, it } from "vitest";
import { forgetTokensSince, markTokens } from "../../src/terraform/token-registry.js";

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
