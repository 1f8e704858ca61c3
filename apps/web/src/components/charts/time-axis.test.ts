import { describe, expect, it } from "vitest";
import { barWidthPx, BUCKET_MS, formatTime, timeTicks, withGaps } from "./time-axis";

const DAY = BUCKET_MS.day;
const from = Date.UTC(2026, 10, 1);

describe("timeTicks", () => {
  it("puts one tick per day on a short range", () => {
    expect(timeTicks(from, from + 7 * DAY, "day")).toEqual(
      Array.from({ length: 7 }, (_, i) => from + i * DAY),
    );
  });

  it("thins out to weekly ticks on 8 weeks, never more than the limit", () => {
    const ticks = timeTicks(from, from + 56 * DAY, "day", 8);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks[1]! - ticks[0]!).toBe(7 * DAY);
    expect(ticks[0]).toBe(from);
  });

  it("gives one tick for a single day and none for an empty range", () => {
    expect(timeTicks(from, from + DAY, "day")).toEqual([from]);
    expect(timeTicks(from, from, "day")).toEqual([]);
  });

  it("steps hours by 3 over a day with 8 ticks", () => {
    const ticks = timeTicks(from, from + DAY, "hour", 8);
    expect(ticks).toHaveLength(8);
    expect(ticks[1]! - ticks[0]!).toBe(3 * BUCKET_MS.hour);
  });
});

describe("barWidthPx", () => {
  it("draws one day of a 28-day range a 28th of the plot, less the gap", () => {
    expect(barWidthPx(700, 28 * DAY, DAY)).toBe(20); // 700/28 = 25 px × 0.8
  });

  it("never draws a wall-to-wall bar for one day", () => {
    expect(barWidthPx(900, DAY, DAY)).toBe(32);
    expect(barWidthPx(900, DAY, DAY, { max: 60 })).toBe(60);
  });

  it("keeps a visible bar on a long range and survives a zero width", () => {
    expect(barWidthPx(300, 365 * DAY, DAY)).toBe(1);
    expect(barWidthPx(0, 7 * DAY, DAY)).toBe(1);
  });
});

describe("withGaps", () => {
  it("breaks the line across missing buckets only", () => {
    const pts = [0, 1, 4].map((d) => ({ t: from + d * DAY + DAY / 2, v: d as number | null }));
    const out = withGaps(pts, DAY, { v: null });
    expect(out.map((p) => p.v)).toEqual([0, 1, null, 4]);
    expect(out[2]!.t).toBe(from + 3 * DAY);
  });

  it("tolerates a 25-hour DST day between neighbours", () => {
    const pts: { t: number; v: number | null }[] = [
      { t: 0, v: 1 },
      { t: 25 * BUCKET_MS.hour, v: 2 },
    ];
    expect(withGaps(pts, DAY, { v: null })).toHaveLength(2);
  });
});

describe("formatTime", () => {
  it("labels in the store's time zone", () => {
    // 23:30 UTC on 1 Nov is 2 Nov in Berlin.
    expect(formatTime(Date.UTC(2026, 10, 1, 23, 30), "day", "Europe/Berlin")).toBe("2 Nov");
    expect(formatTime(Date.UTC(2026, 10, 1, 23, 30), "hour", "Europe/Berlin")).toBe("2 Nov, 00:30");
  });
});
