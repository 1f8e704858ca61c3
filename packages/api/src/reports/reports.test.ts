import { describe, expect, it } from "vitest";
import { wilsonInterval } from "@shelf/core";
import { Cell, cellStats } from "./cell.ts";
import { resolveRange } from "./range.ts";
import { parseRangeSearch, RangeParamError } from "./range-params.ts";
import { timeZoneOffsetMs, zonedTimeToUtc } from "./time-zone.ts";

const rules = { negative: new Set(["disgust", "angry"] as const), includeHesitation: false, k: 5 };

describe("cellStats", () => {
  it("hides everything but the count below k", () => {
    const cell = new Cell().add({
      expression: "disgust",
      count: 4,
      hesitationCount: 0,
      dwellMsSum: 4000,
      valenceSum: -280,
    });
    expect(cellStats(cell, rules)).toEqual({
      n: 4,
      hidden: true,
      counts: null,
      mix: null,
      meanValence: null,
      meanDwellMs: null,
      hesitationRate: null,
      rejection: null,
    });
    expect(cellStats(new Cell(), rules)).toMatchObject({ n: 0, hidden: false, mix: null });
  });

  it("rates rejections with their Wilson interval, hesitations when asked", () => {
    const cell = new Cell()
      .add({ expression: "disgust", count: 2, hesitationCount: 0, dwellMsSum: 8000, valenceSum: -140 })
      .add({ expression: "neutral", count: 8, hesitationCount: 3, dwellMsSum: 32000, valenceSum: 0 });
    const s = cellStats(cell, rules);
    expect(s).toMatchObject({
      n: 10,
      hidden: false,
      meanDwellMs: 4000,
      hesitationRate: 0.3,
      meanValence: -14,
    });
    expect(s.rejection).toEqual({ negatives: 2, ...wilsonInterval(2, 10) });
    expect(cellStats(cell, { ...rules, includeHesitation: true }).rejection!.negatives).toBe(5);
    expect(s.mix!.neutral).toBeCloseTo(0.8);
    expect(s.counts!.neutral).toBe(8);
  });
});

describe("ranges", () => {
  it("defaults to the 30 days up to the end of this hour and refuses empty or huge ranges", () => {
    const now = Date.UTC(2026, 10, 20, 10, 30);
    const r = resolveRange({}, now);
    expect(r.to.toISOString()).toBe("2026-11-20T11:00:00.000Z");
    expect(r.from.toISOString()).toBe("2026-10-21T11:00:00.000Z");
    expect(() => resolveRange({ from: r.to, to: r.from })).toThrow(/start before/);
    expect(() => resolveRange({ from: new Date(0), to: r.to })).toThrow(/at most/);
  });

  it("reads page ranges as the store's local days", () => {
    const now = Date.UTC(2026, 10, 20, 23, 30); // already the 21st in Berlin
    expect(parseRangeSearch({}, "Europe/Berlin", now, 7)).toEqual({
      fromDay: "2026-11-15",
      toDay: "2026-11-21",
      from: new Date("2026-11-14T23:00:00.000Z"),
      to: new Date("2026-11-21T23:00:00.000Z"),
    });
    const picked = parseRangeSearch({ from: "2026-03-29", to: "2026-03-29" }, "Europe/Berlin", now);
    // The day clocks go forward is 23 hours long.
    expect(picked.to.getTime() - picked.from.getTime()).toBe(23 * 3_600_000);
    for (const bad of [
      { from: "2026-02-30" },
      { to: "nonsense" },
      { to: "9999-12-31" },
      { from: "1969-12-31" },
    ])
      expect(() => parseRangeSearch(bad, "UTC", now)).toThrow(RangeParamError);
    expect(() => parseRangeSearch({ to: "9999-12-31" }, "UTC", now)).toThrow(/^to: .*YYYY-MM-DD/);
    expect(parseRangeSearch({ to: "2999-12-31" }, "UTC", now).to).toEqual(new Date("3000-01-01T00:00:00Z"));
    expect(parseRangeSearch({ from: "2026-12-01", to: "2026-11-01" }, "UTC", now).fromDay).toBe("2026-11-01");
  });

  it("converts wall-clock times of a zone, across daylight saving", () => {
    expect(timeZoneOffsetMs(Date.UTC(2026, 0, 1), "Europe/Berlin")).toBe(3_600_000);
    expect(timeZoneOffsetMs(Date.UTC(2026, 6, 1), "Europe/Berlin")).toBe(7_200_000);
    expect(zonedTimeToUtc({ year: 2026, month: 7, day: 1, hour: 9 }, "Europe/Berlin").toISOString()).toBe(
      "2026-07-01T07:00:00.000Z",
    );
    // 02:30 does not exist on 2026-03-29 in Berlin: the time just after the gap.
    expect(
      zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/Berlin").toISOString(),
    ).toBe("2026-03-29T01:30:00.000Z");
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 20 }, "America/New_York").toISOString()).toBe(
      "2026-11-20T05:00:00.000Z",
    );
  });
});
