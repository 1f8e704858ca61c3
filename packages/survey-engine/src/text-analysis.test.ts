import { describe, expect, it } from "vitest";
import { createTextAnalyzer } from "./text-analysis.ts";

const analyzer = createTextAnalyzer();

describe("text analysis (wink-nlp)", () => {
  it("scores sentiment with the library: negative, positive, empty", () => {
    expect(analyzer.analyze("Way too salty and the bag was half empty. Awful.").sentiment).toBeLessThan(0);
    expect(analyzer.analyze("I love the flavour, great crunch!").sentiment).toBeGreaterThan(0);
    expect(analyzer.analyze("   ")).toEqual({ sentiment: 0, keywords: [] });
    const s = analyzer.analyze("bad bad bad terrible horrible").sentiment;
    expect(s).toBeGreaterThanOrEqual(-1);
  });

  it("extracts lemmatised content words, without stop words, punctuation or generic words", () => {
    const { keywords } = analyzer.analyze("The crisps were way too salty and the bags were half empty!");
    expect(keywords).toContain("crisp");
    expect(keywords).toContain("salty");
    expect(keywords).toContain("bag");
    for (const k of ["the", "be", "too", "!", "way"]) expect(keywords).not.toContain(k);
  });

  it("treats markup as text (keywords are words only) and caps keywords and length", () => {
    const { keywords } = analyzer.analyze("<script>alert('x')</script> packaging is terrible");
    for (const k of keywords) expect(k).toMatch(/^\p{L}[\p{L}'-]*$/u);
    expect(keywords).toContain("packaging");
    const many = createTextAnalyzer({ maxKeywords: 2 }).analyze("salt price packaging flavour colour");
    expect(many.keywords).toHaveLength(2);
    const long = createTextAnalyzer({ maxChars: 10 }).analyze(`${"a ".repeat(5)}packaging`);
    expect(long.keywords).toEqual([]);
  });

  it("is deterministic", () => {
    const t = "Too expensive for such a small bag";
    expect(analyzer.analyze(t)).toEqual(analyzer.analyze(t));
  });
});
