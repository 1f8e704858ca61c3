import { describe, expect, it } from "vitest";
import { seededRandom } from "./prng.ts";

describe("seededRandom", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const sa = Array.from({ length: 20 }, a);
    const sb = Array.from({ length: 20 }, b);
    expect(sa).toEqual(sb);
  });

  it("gives different sequences for different seeds", () => {
    const a = Array.from({ length: 5 }, seededRandom(1));
    const b = Array.from({ length: 5 }, seededRandom(2));
    expect(a).not.toEqual(b);
  });

  it("stays in [0, 1) and is roughly uniform", () => {
    const next = seededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    const n = 100_000;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const r = next();
      min = Math.min(min, r);
      max = Math.max(max, r);
      buckets[Math.floor(r * 10)]!++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100);
  });
});
