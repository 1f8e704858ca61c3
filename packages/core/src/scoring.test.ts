import { describe, expect, it } from "vitest";
import { seededRandom } from "./prng.ts";
import {
  decideFlag,
  DEFAULT_MIN_SAMPLE,
  flagRuleOf,
  nextFlagState,
  resolveThreshold,
  wilsonInterval,
  ZThresholdRule,
  type FlagRule,
  type ThresholdRule,
} from "./scoring.ts";

describe("wilsonInterval", () => {
  it("returns 0…1 with rate 0 when nothing was observed", () => {
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1, rate: 0 });
  });

  it("matches closed forms and published values", () => {
    // 5 of 10 at 95 %: the textbook (0.2366, 0.7634).
    const half = wilsonInterval(5, 10);
    expect(half.rate).toBe(0.5);
    expect(half.lower).toBeCloseTo(0.2366, 4);
    expect(half.upper).toBeCloseTo(0.7634, 4);
    // 0 of n: lower 0, upper z²/(n + z²); n of n mirrors it.
    const z2 = 1.96 ** 2;
    expect(wilsonInterval(0, 10)).toEqual({ lower: 0, upper: expect.closeTo(z2 / (10 + z2), 12), rate: 0 });
    expect(wilsonInterval(10, 10)).toEqual({ lower: expect.closeTo(10 / (10 + z2), 12), upper: 1, rate: 1 });
  });

  it("is symmetric: the interval of k of n mirrors that of n − k", () => {
    for (const [k, n] of [
      [3, 17],
      [1, 2],
      [40, 41],
      [250, 1000],
    ] as const) {
      const a = wilsonInterval(k, n);
      const b = wilsonInterval(n - k, n);
      expect(a.lower).toBeCloseTo(1 - b.upper, 12);
      expect(a.upper).toBeCloseTo(1 - b.lower, 12);
    }
  });

  it("contains the rate, narrows with n, widens with z, and collapses at z = 0", () => {
    let previousWidth = 1;
    for (const n of [10, 100, 1000, 10_000]) {
      const { lower, upper, rate } = wilsonInterval(n / 5, n);
      expect(lower).toBeLessThan(rate);
      expect(upper).toBeGreaterThan(rate);
      expect(upper - lower).toBeLessThan(previousWidth);
      previousWidth = upper - lower;
    }
    const at95 = wilsonInterval(20, 100);
    const at99 = wilsonInterval(20, 100, 2.576);
    expect(at99.lower).toBeLessThan(at95.lower);
    expect(at99.upper).toBeGreaterThan(at95.upper);
    const point = wilsonInterval(20, 100, 0);
    expect(point.lower).toBeCloseTo(0.2, 12);
    expect(point.upper).toBeCloseTo(0.2, 12);
  });

  it("covers the true rate about 95 % of the time", () => {
    const next = seededRandom(77);
    const trials = 4000;
    for (const [p, n] of [
      [0.3, 60],
      [0.05, 200],
    ] as const) {
      let covered = 0;
      for (let t = 0; t < trials; t++) {
        let k = 0;
        for (let i = 0; i < n; i++) if (next() < p) k++;
        const { lower, upper } = wilsonInterval(k, n);
        if (lower <= p && p <= upper) covered++;
      }
      expect(covered / trials).toBeGreaterThan(0.92);
      expect(covered / trials).toBeLessThan(0.98);
    }
  });

  it("rejects impossible counts and bad z", () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, Number.NaN)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10, -1)).toThrow(RangeError);
  });
});

describe("ZThresholdRule", () => {
  it("accepts each level with its key and fills defaults", () => {
    expect(ZThresholdRule.parse({ level: "global", threshold: 0.3 })).toEqual({
      storeId: null,
      level: "global",
      category: null,
      itemId: null,
      threshold: 0.3,
      hysteresis: 0.05,
      minSample: null,
    });
    expect(ZThresholdRule.safeParse({ level: "category", category: "snacks", threshold: 0.2 }).success).toBe(
      true,
    );
    expect(
      ZThresholdRule.safeParse({ level: "item", itemId: "i1", threshold: 0.2, minSample: 50 }).success,
    ).toBe(true);
  });

  it("rejects keys that do not fit the level", () => {
    expect(ZThresholdRule.safeParse({ level: "item", threshold: 0.2 }).success).toBe(false);
    expect(ZThresholdRule.safeParse({ level: "category", threshold: 0.2 }).success).toBe(false);
    expect(ZThresholdRule.safeParse({ level: "global", itemId: "i1", threshold: 0.2 }).success).toBe(false);
    expect(
      ZThresholdRule.safeParse({ level: "item", itemId: "i1", category: "c", threshold: 0.2 }).success,
    ).toBe(false);
  });

  it("rejects out-of-range numbers, unknown keys, and a hysteresis that could never clear", () => {
    expect(ZThresholdRule.safeParse({ level: "global", threshold: 0 }).success).toBe(false);
    expect(ZThresholdRule.safeParse({ level: "global", threshold: 1 }).success).toBe(false);
    expect(ZThresholdRule.safeParse({ level: "global", threshold: 0.3, minSample: 0 }).success).toBe(false);
    expect(ZThresholdRule.safeParse({ level: "global", threshold: 0.3, minSample: 2.5 }).success).toBe(false);
    expect(ZThresholdRule.safeParse({ level: "global", threshold: 0.3, colour: "red" }).success).toBe(false);
    expect(ZThresholdRule.safeParse({ level: "global", threshold: 0.04 }).success).toBe(false);
    expect(ZThresholdRule.safeParse({ level: "global", threshold: 0.04, hysteresis: 0.02 }).success).toBe(
      true,
    );
  });
});

describe("resolveThreshold", () => {
  const rule = (r: Partial<ThresholdRule> & Pick<ThresholdRule, "level">): ThresholdRule =>
    ZThresholdRule.parse({ threshold: 0.3, ...r });
  const global = rule({ level: "global", id: "global" });
  const globalStore = rule({ level: "global", id: "global-s1", storeId: "s1" });
  const snacks = rule({ level: "category", id: "snacks", category: "snacks" });
  const snacksStore = rule({ level: "category", id: "snacks-s1", category: "snacks", storeId: "s1" });
  const chips = rule({ level: "item", id: "chips", itemId: "chips" });
  const otherStoreChips = rule({ level: "item", id: "chips-s2", itemId: "chips", storeId: "s2" });
  const all = [global, globalStore, snacks, snacksStore, chips, otherStoreChips];

  it("prefers item over category over global, whatever the order", () => {
    for (const rules of [all, [...all].reverse()]) {
      expect(resolveThreshold({ itemId: "chips", category: "snacks" }, rules)).toEqual({
        rule: chips,
        level: "item",
      });
      expect(resolveThreshold({ itemId: "nuts", category: "snacks" }, rules)).toEqual({
        rule: snacks,
        level: "category",
      });
      expect(resolveThreshold({ itemId: "soap", category: "hygiene" }, rules)).toEqual({
        rule: global,
        level: "global",
      });
      expect(resolveThreshold({ itemId: "soap" }, rules)?.rule.id).toBe("global");
    }
  });

  it("prefers a store's own rule within a level and ignores other stores' rules", () => {
    expect(resolveThreshold({ itemId: "nuts", category: "snacks", storeId: "s1" }, all)?.rule.id).toBe(
      "snacks-s1",
    );
    expect(resolveThreshold({ itemId: "soap", storeId: "s1" }, all)?.rule.id).toBe("global-s1");
    // An all-store item rule still beats the store's own category rule: the level comes first.
    expect(resolveThreshold({ itemId: "chips", category: "snacks", storeId: "s1" }, all)?.rule.id).toBe(
      "chips",
    );
    expect(resolveThreshold({ itemId: "chips", category: "snacks", storeId: "s2" }, all)?.rule.id).toBe(
      "chips-s2",
    );
    expect(resolveThreshold({ itemId: "soap", storeId: "s3" }, [globalStore])).toBeNull();
  });

  it("returns null when nothing applies", () => {
    expect(resolveThreshold({ itemId: "chips" }, [])).toBeNull();
    expect(resolveThreshold({ itemId: "x", category: "other" }, [snacks])).toBeNull();
  });

  it("breaks a full tie by the latest update, then the smallest id — never by listing order", () => {
    const older = { ...globalStore, id: "b-older", updatedAt: new Date("2026-01-01T00:00:00Z") };
    const newer = { ...globalStore, id: "c-newer", updatedAt: new Date("2026-02-01T00:00:00Z") };
    const sameTime = { ...globalStore, id: "a-same", updatedAt: newer.updatedAt.getTime() };
    for (const rules of [
      [older, newer],
      [newer, older],
    ])
      expect(resolveThreshold({ itemId: "x", storeId: "s1" }, rules)?.rule.id).toBe("c-newer");
    for (const rules of [
      [newer, sameTime],
      [sameTime, newer],
    ])
      expect(resolveThreshold({ itemId: "x", storeId: "s1" }, rules)?.rule.id).toBe("a-same");
    // Without update times the smallest id wins, whatever the order.
    const twin = { ...global, id: "twin" };
    expect(resolveThreshold({ itemId: "x" }, [twin, global])?.rule.id).toBe("global");
    // The tie-break never overrides specificity: a newer all-store rule loses to the store's own.
    const newerAllStores = { ...global, updatedAt: Date.parse("2027-01-01T00:00:00Z") };
    expect(resolveThreshold({ itemId: "x", storeId: "s1" }, [newerAllStores, older])?.rule.id).toBe(
      "b-older",
    );
  });
});

describe("decideFlag: resolve the threshold, then hysteresis on the Wilson lower bound", () => {
  const rules = [
    ZThresholdRule.parse({ id: "g", level: "global", threshold: 0.2 }),
    ZThresholdRule.parse({ id: "i", level: "item", itemId: "chips", threshold: 0.5, minSample: 100 }),
  ];
  const decide = (itemId: string, flagged: boolean, negatives: number, n: number, minSample = 30) =>
    decideFlag({ target: { itemId }, rules, flagged, stats: { negatives, n }, minSample });

  it("raises when lower(20/40) ≈ 0.352 > 0.2 with n ≥ the store's minimum sample", () => {
    const v = decide("nuts", false, 20, 40);
    expect(v).toMatchObject({ action: "raise", flagged: true, applied: { level: "global" } });
    expect(v.decision!.reason.lower).toBeCloseTo(0.3518, 3);
    expect(v.decision!.reason.minSample).toBe(30);
  });

  it("keeps inside the band [0.15, 0.2] and clears below it", () => {
    expect(decide("nuts", true, 20, 70).action).toBe("keep"); // lower ≈ 0.19
    expect(decide("nuts", true, 20, 170)).toMatchObject({ action: "clear", flagged: false }); // ≈ 0.08
    expect(decide("nuts", false, 20, 70)).toMatchObject({ action: "keep", flagged: false });
  });

  it("uses the rule's own minimum sample over the store's, and changes nothing below it", () => {
    expect(decide("chips", false, 60, 80)).toMatchObject({ action: "keep", flagged: false }); // 80 < 100
    expect(decide("chips", false, 80, 100).action).toBe("raise"); // lower(0.8) ≈ 0.71 > 0.5
    expect(decide("nuts", true, 0, 29).decision!.reason.cause).toBe("insufficient_sample");
  });

  it("keeps the state when no rule applies", () => {
    for (const flagged of [false, true])
      expect(
        decideFlag({
          target: { itemId: "x" },
          rules: [],
          flagged,
          stats: { negatives: 0, n: 500 },
          minSample: 1,
        }),
      ).toEqual({ action: "keep", flagged, applied: null, decision: null });
  });
});

describe("nextFlagState", () => {
  const rule: FlagRule = { threshold: 0.3, minSample: 30 };

  it("raises a flag only when the lower bound clears the threshold with enough interactions", () => {
    // 50 % of 100: lower ≈ 0.40 > 0.3.
    const raised = nextFlagState({ flagged: false }, { negatives: 50, n: 100 }, rule);
    expect(raised).toMatchObject({
      flagged: true,
      changed: true,
      reason: { cause: "raised", n: 100, negatives: 50 },
    });
    expect(raised.reason.lower).toBeGreaterThan(0.3);
    expect(raised.reason.clearThreshold).toBeCloseTo(0.25, 12);
    // A rate above the threshold is not enough when the bound is not: 40 % of 30 has lower ≈ 0.25.
    const unsure = nextFlagState({ flagged: false }, { negatives: 12, n: 30 }, rule);
    expect(unsure).toMatchObject({ flagged: false, changed: false, reason: { cause: "below_threshold" } });
    expect(unsure.reason.rate).toBeGreaterThan(0.3);
  });

  it("never flags on a handful of faces, however negative", () => {
    const decision = nextFlagState({ flagged: false }, { negatives: 29, n: 29 }, rule);
    expect(decision).toMatchObject({
      flagged: false,
      changed: false,
      reason: { cause: "insufficient_sample" },
    });
  });

  it("keeps a flag in the hysteresis band and clears it below", () => {
    // Lower bound between 0.25 and 0.3: stays flagged (would not have been raised).
    const band = nextFlagState({ flagged: true }, { negatives: 300, n: 1000 }, rule);
    expect(band.reason.lower).toBeGreaterThan(0.25);
    expect(band.reason.lower).toBeLessThan(0.3);
    expect(band).toMatchObject({ flagged: true, changed: false, reason: { cause: "still_flagged" } });
    expect(nextFlagState({ flagged: false }, { negatives: 300, n: 1000 }, rule).flagged).toBe(false);
    // Lower bound below 0.25: cleared.
    const cleared = nextFlagState({ flagged: true }, { negatives: 200, n: 1000 }, rule);
    expect(cleared).toMatchObject({ flagged: false, changed: true, reason: { cause: "cleared" } });
  });

  it("keeps a flag through a quiet window instead of flapping", () => {
    const quiet = nextFlagState({ flagged: true }, { negatives: 0, n: 5 }, rule);
    expect(quiet).toMatchObject({ flagged: true, changed: false, reason: { cause: "insufficient_sample" } });
    expect(nextFlagState({ flagged: true }, { negatives: 0, n: 0 }, rule).flagged).toBe(true);
  });

  it("honours an explicit clear threshold and the z level", () => {
    const noBand: FlagRule = { threshold: 0.3, clearThreshold: 0.3, minSample: 30 };
    expect(nextFlagState({ flagged: true }, { negatives: 300, n: 1000 }, noBand).flagged).toBe(false);
    // 57 of 150 (38 %): lower ≈ 0.306 at 95 %, ≈ 0.285 at 99 %.
    expect(nextFlagState({ flagged: false }, { negatives: 57, n: 150 }, rule).flagged).toBe(true);
    expect(nextFlagState({ flagged: false }, { negatives: 57, n: 150 }, rule, 2.576).flagged).toBe(false);
  });

  /** Daily windows of 300 interactions at a true negative rate `p`; returns how often the flag changed. */
  function simulate(p: number, flagRule: FlagRule, days = 200): number {
    const next = seededRandom(9);
    let state = { flagged: false };
    let changes = 0;
    for (let day = 0; day < days; day++) {
      let negatives = 0;
      for (let i = 0; i < 300; i++) if (next() < p) negatives++;
      const decision = nextFlagState(state, { negatives, n: 300 }, flagRule);
      if (decision.changed) changes++;
      state = decision;
    }
    return changes;
  }

  it("flags a clearly rejected product once and keeps it flagged; never flags a fine one", () => {
    expect(simulate(0.45, rule)).toBe(1);
    expect(simulate(0.15, rule)).toBe(0);
  });

  it("flaps far less with hysteresis for a product sitting at the threshold", () => {
    const withBand = simulate(0.33, rule);
    const withoutBand = simulate(0.33, { ...rule, clearThreshold: rule.threshold });
    expect(withoutBand).toBeGreaterThan(20);
    expect(withBand).toBeLessThan(withoutBand / 2);
  });

  it("rejects inconsistent rules", () => {
    expect(() =>
      nextFlagState(
        { flagged: false },
        { negatives: 1, n: 40 },
        { threshold: 0.3, clearThreshold: 0.4, minSample: 1 },
      ),
    ).toThrow(RangeError);
    expect(() =>
      nextFlagState({ flagged: false }, { negatives: 1, n: 40 }, { threshold: 0.3, minSample: 0 }),
    ).toThrow(RangeError);
    expect(() => nextFlagState({ flagged: false }, { negatives: 41, n: 40 }, rule)).toThrow(RangeError);
  });
});

describe("flagRuleOf", () => {
  it("turns a stored rule into a flag rule with the default sample size", () => {
    const stored = ZThresholdRule.parse({ level: "global", threshold: 0.3 });
    expect(flagRuleOf(stored)).toEqual({
      threshold: 0.3,
      clearThreshold: 0.25,
      minSample: DEFAULT_MIN_SAMPLE,
    });
    expect(flagRuleOf({ ...stored, minSample: 80, hysteresis: 0.1 }, 10)).toEqual({
      threshold: 0.3,
      clearThreshold: expect.closeTo(0.2, 12),
      minSample: 80,
    });
  });
});
