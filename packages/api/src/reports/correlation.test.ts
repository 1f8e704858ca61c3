import { describe, expect, it } from "vitest";
import { correlationOf, MIN_CORRELATION_PERIODS, pearson } from "./correlation.ts";

describe("pearson", () => {
  it("is 1 for a line, −1 for a falling one, null for a constant series", () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(pearson([1, 2, 3], [6, 4, 2])).toBeCloseTo(-1);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNull();
  });

  it("matches a value worked by hand", () => {
    // x̄ = 2.5, ȳ = 2.5; Sxy = 3, Sxx = Syy = 5 → r = 0.6
    expect(pearson([1, 2, 3, 4], [2, 1, 4, 3])).toBeCloseTo(0.6);
  });
});

describe("correlationOf", () => {
  const pairs = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i, y: 2 * i + (i % 2) }));

  it("prints no r below the minimum number of periods, but says how many there are", () => {
    expect(correlationOf(pairs(3))).toEqual({ r: null, periods: 3, needed: MIN_CORRELATION_PERIODS });
    expect(correlationOf(pairs(MIN_CORRELATION_PERIODS - 1)).r).toBeNull();
  });

  it("gives r from the minimum on", () => {
    const c = correlationOf(pairs(MIN_CORRELATION_PERIODS));
    expect(c.periods).toBe(MIN_CORRELATION_PERIODS);
    expect(c.r).toBeGreaterThan(0.99);
  });
});

describe("why three periods are not enough", () => {
  it("finds |r| > 0.9 for about 29 % of unrelated 3-point series", () => {
    let state = 12345;
    const rnd = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    let strong = 0;
    const trials = 20_000;
    for (let i = 0; i < trials; i++) {
      const r = pearson([normal(), normal(), normal()], [normal(), normal(), normal()]);
      if (r !== null && Math.abs(r) > 0.9) strong++;
    }
    expect(strong / trials).toBeCloseTo(1 - (2 / Math.PI) * Math.asin(0.9), 1);
  });
});
