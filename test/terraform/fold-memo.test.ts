import { describe, expect, it } from "vitest";
import { parseExpression, parseTemplate, print, type Expression } from "../../src/terraform/expression.js";
import { foldTemplate, type FoldScope } from "../../src/terraform/fold.js";
import { FoldMemo } from "../../src/terraform/fold-memo.js";

const TEMPLATE = parseTemplate('${local.family == "AL2" ? local.pods : 110}');

/** A scope whose local `family` holds `family` (a literal), with `pods` known to be a number. */
const scopeWith = (family: string): FoldScope => ({
  locals: new Map([["family", parseExpression(`"${family}"`)]]),
  localShape: (name) => (name === "pods" ? "number" : undefined),
});

describe("FoldMemo", () => {
  it("reuses a fold where the scope answers its reads alike, and folds anew where it does not", () => {
    const memo = new FoldMemo<Expression>();
    let folds = 0;
    const fold = (scope: FoldScope) =>
      memo.fold(TEMPLATE, "none", scope, (recording) => {
        folds += 1;
        return foldTemplate(TEMPLATE, recording);
      });
    // GIVEN a fold in one scope
    const first = fold(scopeWith("AL2"));
    expect(print(first)).toBe("${local.pods}");
    // WHEN the same expression is folded in another scope with an equal (not the same) value for what it read
    // THEN the kept fold is returned
    expect(fold(scopeWith("AL2"))).toBe(first);
    expect(folds).toBe(1);
    // WHEN a read answers otherwise THEN it folds anew, and keeps both
    expect(print(fold(scopeWith("BOTTLEROCKET")))).toBe("${110}");
    expect(fold(scopeWith("AL2"))).toBe(first);
    expect(folds).toBe(2);
    // AND a different key (the conversion) never shares a fold
    memo.fold(TEMPLATE, "bool", scopeWith("AL2"), (recording) => {
      folds += 1;
      return foldTemplate(TEMPLATE, recording, "bool");
    });
    expect(folds).toBe(3);
  });

  it("keeps the most recent variants only", () => {
    const memo = new FoldMemo<Expression>();
    let folds = 0;
    const fold = (family: string) =>
      memo.fold(TEMPLATE, "none", scopeWith(family), (recording) => {
        folds += 1;
        return foldTemplate(TEMPLATE, recording);
      });
    for (let i = 0; i <= FoldMemo.VARIANTS; i++) fold(`family-${i}`);
    expect(folds).toBe(FoldMemo.VARIANTS + 1);
    // The newest are kept, the oldest went.
    fold(`family-${FoldMemo.VARIANTS}`);
    expect(folds).toBe(FoldMemo.VARIANTS + 1);
    fold("family-0");
    expect(folds).toBe(FoldMemo.VARIANTS + 2);
  });
});
