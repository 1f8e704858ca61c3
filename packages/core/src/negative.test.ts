import { describe, expect, it } from "vitest";
import { EXPRESSIONS, type Expression } from "./expressions.ts";
import {
  countNegatives,
  DEFAULT_NEGATIVE_RULE,
  isNegativeInteraction,
  parseNegativeSet,
  type ExpressionGroup,
  type NegativeRule,
} from "./negative.ts";
import { DEFAULT_STORE_RULES, storeRulesOf, type StoreSettingsRow } from "./store-rules.ts";

const rule = (negative: Expression[], includeHesitation = false): NegativeRule => ({
  negative: new Set(negative),
  includeHesitation,
});

describe("isNegativeInteraction: dominant ∈ negative set  ∨  (includeHesitation ∧ hesitation)", () => {
  it("defaults to disgust and anger, hesitation not counted", () => {
    expect(isNegativeInteraction({ dominant: "disgust", hesitation: false })).toBe(true);
    expect(isNegativeInteraction({ dominant: "angry", hesitation: false })).toBe(true);
    expect(isNegativeInteraction({ dominant: "sad", hesitation: false })).toBe(false);
    expect(isNegativeInteraction({ dominant: "neutral", hesitation: true })).toBe(false);
  });

  it("follows the store's set, and counts a hesitation only when the store says so", () => {
    expect(isNegativeInteraction({ dominant: "disgust", hesitation: false }, rule(["sad"]))).toBe(false);
    expect(isNegativeInteraction({ dominant: "sad", hesitation: false }, rule(["sad"]))).toBe(true);
    expect(isNegativeInteraction({ dominant: "neutral", hesitation: true }, rule(["angry"], true))).toBe(
      true,
    );
    // Hesitation is "no smile": a happy dominant is never a hesitation in practice, but the rule is the rule.
    expect(isNegativeInteraction({ dominant: "happy", hesitation: false }, rule([], true))).toBe(false);
  });
});

describe("countNegatives over rollup groups", () => {
  const groups: ExpressionGroup[] = [
    { expression: "angry", count: 10, hesitationCount: 2 },
    { expression: "disgust", count: 6, hesitationCount: 0 },
    { expression: "neutral", count: 24, hesitationCount: 4 },
    { expression: "happy", count: 5, hesitationCount: 0 },
  ];

  it("is Σ count(negative expressions) + [includeHesitation] Σ hesitations(other expressions)", () => {
    expect(countNegatives(groups, DEFAULT_NEGATIVE_RULE)).toBe(10 + 6);
    expect(countNegatives(groups, rule(["disgust"]))).toBe(6);
    // Angry's two hesitations are already counted among its 10: only the others' hesitations are added.
    expect(countNegatives(groups, rule(["angry", "disgust"], true))).toBe(10 + 6 + 4);
    expect(countNegatives(groups, rule([], true))).toBe(2 + 4);
    expect(countNegatives([], DEFAULT_NEGATIVE_RULE)).toBe(0);
  });

  it("equals counting isNegativeInteraction interaction by interaction, for every rule", () => {
    // Expand the groups into interactions: `hesitationCount` of each group hesitated.
    const interactions = groups.flatMap((g) =>
      Array.from({ length: g.count }, (_, i) => ({
        dominant: g.expression,
        hesitation: i < g.hesitationCount,
      })),
    );
    for (let mask = 0; mask < 1 << EXPRESSIONS.length; mask += 7)
      for (const includeHesitation of [false, true]) {
        const r = rule(
          EXPRESSIONS.filter((_, i) => mask & (1 << i)),
          includeHesitation,
        );
        expect(countNegatives(groups, r)).toBe(
          interactions.filter((x) => isNegativeInteraction(x, r)).length,
        );
      }
  });
});

describe("the negative set from stored settings", () => {
  it("keeps known expression names, in EXPRESSIONS order, and ignores unknown ones", () => {
    expect([...parseNegativeSet(["sad", "contempt", "angry", "angry"])]).toEqual(["angry", "sad"]);
    expect(parseNegativeSet([]).size).toBe(0);
  });
});

describe("storeRulesOf", () => {
  const row: StoreSettingsRow = {
    negativeExpressions: ["disgust", "fear"],
    includeHesitation: true,
    scoreWindowHours: 72,
    minSample: 12,
    kAnonymity: 0,
    retentionDays: 30,
    surveyCooldownKioskS: 60,
    surveyCooldownItemS: -5,
  };

  it("reads a settings row: seconds become ms, k is at least 1, a negative cooldown is none", () => {
    const r = storeRulesOf(row);
    expect([...r.negative]).toEqual(["disgust", "fear"]);
    expect(r).toMatchObject({
      includeHesitation: true,
      windowHours: 72,
      minSample: 12,
      k: 1,
      retentionDays: 30,
      surveyCooldowns: { kioskMs: 60_000, itemMs: 0 },
    });
  });

  it("gives the schema defaults to a store without a row", () => {
    expect(storeRulesOf(null)).toBe(DEFAULT_STORE_RULES);
    expect([...DEFAULT_STORE_RULES.negative].sort()).toEqual(["angry", "disgust"]);
    expect(DEFAULT_STORE_RULES).toMatchObject({
      includeHesitation: false,
      k: 5,
      minSample: 30,
      windowHours: 168,
      retentionDays: 90,
      surveyCooldowns: { kioskMs: 120_000, itemMs: 600_000 },
    });
  });
});
