import { describe, expect, it } from "vitest";
import {
  assertCurrentConsent,
  CONSENT_TEXT,
  ConsentVersionError,
  renderConsent,
  ZConsentDecision,
} from "./consent.ts";

describe("consent", () => {
  it("says that nothing identifies the shopper and that nothing is saved without a yes", () => {
    const text = CONSENT_TEXT.body.join(" ");
    expect(text).toMatch(/Nothing identifies you/);
    expect(text).toMatch(/Nothing is saved unless you agree/);
    expect(text).toMatch(/declined/);
    expect(CONSENT_TEXT.version).toMatch(/^consent-/);
  });

  it("fills the item and the question count, literally", () => {
    const r = renderConsent(CONSENT_TEXT, { item: "Crisps {questions} $&", questions: 3 });
    expect(r.title).toBe("Can we ask you about Crisps {questions} $&?");
    expect(r.body.join(" ")).toContain("3 short questions");
    expect(renderConsent(CONSENT_TEXT, { item: "x", questions: 1 }).body.join(" ")).toContain(
      "one short question",
    );
  });

  it("accepts only the current version", () => {
    expect(assertCurrentConsent(CONSENT_TEXT.version)).toBe(CONSENT_TEXT.version);
    expect(() => assertCurrentConsent("consent-old")).toThrow(ConsentVersionError);
    expect(() => assertCurrentConsent(undefined)).toThrow(ConsentVersionError);
    expect(() => assertCurrentConsent("x".repeat(1000))).toThrow(ConsentVersionError);
  });

  it("parses the decision strictly", () => {
    expect(ZConsentDecision.parse("yes")).toBe("yes");
    expect(ZConsentDecision.safeParse("YES").success).toBe(false);
  });
});
