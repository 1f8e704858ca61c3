import { describe, expect, it } from "vitest";
import { Cell, cellStatsWithComplements } from "./cell.ts";
import { snapToStoreDays, startOfStoreDay } from "./day-range.ts";

const rules = { negative: new Set(["disgust", "angry"] as const), includeHesitation: false, k: 5 };
const cell = (happy: number, disgust = 0) => {
  const c = new Cell();
  if (happy) c.add({ expression: "happy", count: happy, hesitationCount: 0, dwellMsSum: 0, valenceSum: 0 });
  if (disgust)
    c.add({ expression: "disgust", count: disgust, hesitationCount: 0, dwellMsSum: 0, valenceSum: 0 });
  return c;
};

describe("complementary suppression", () => {
  it("hides the smallest shown cell when one hidden cell could be read off the total", () => {
    const stats = cellStatsWithComplements([cell(10), cell(0, 1), cell(6)], rules);
    expect(stats.map((s) => s.hidden)).toEqual([false, true, true]);
    expect(stats.map((s) => s.n)).toEqual([10, 1, 6]);
  });

  it("counts interactions in the total that no listed cell holds", () => {
    const stats = cellStatsWithComplements([cell(10), cell(7)], rules, 19);
    expect(stats.map((s) => s.hidden)).toEqual([false, true]);
  });

  it("leaves cells alone when nothing or at least k interactions are hidden, or the total is hidden", () => {
    expect(cellStatsWithComplements([cell(10), cell(6)], rules).map((s) => s.hidden)).toEqual([false, false]);
    expect(cellStatsWithComplements([cell(10), cell(3), cell(2)], rules).map((s) => s.hidden)).toEqual([
      false,
      true,
      true,
    ]);
    expect(cellStatsWithComplements([cell(2), cell(1)], rules).map((s) => s.hidden)).toEqual([true, true]);
  });
});

describe("store days", () => {
  it("widens a range to whole days of the store's time zone", () => {
    const r = snapToStoreDays(
      { from: new Date("2026-03-10T13:00:00Z"), to: new Date("2026-03-10T14:00:00Z") },
      "Europe/Berlin",
    );
    expect(r).toEqual({ from: new Date("2026-03-09T23:00:00Z"), to: new Date("2026-03-10T23:00:00Z") });
    // Already whole days: unchanged. Across the spring DST change: a 23-hour day.
    const whole = { from: new Date("2026-03-28T23:00:00Z"), to: new Date("2026-03-29T22:00:00Z") };
    expect(snapToStoreDays(whole, "Europe/Berlin")).toEqual(whole);
    expect(startOfStoreDay(new Date("2026-03-29T21:59:00Z"), "Europe/Berlin")).toEqual(whole.from);
  });
});
