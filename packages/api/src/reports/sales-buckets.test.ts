import { describe, expect, it } from "vitest";
import { bucketBounds, bucketLabel, rollUpSales, salesBucketFor } from "./sales-buckets.ts";

const TZ = "Europe/Berlin";
const rec = (start: string, end: string, units: number, currency = "EUR") => ({
  periodStart: new Date(start),
  periodEnd: new Date(end),
  units,
  revenueMinor: units * 100,
  currency,
});

describe("bucketLabel / bucketBounds", () => {
  it("labels instants by the store's wall clock", () => {
    // 23:30 UTC on 1 Nov is 00:30 on 2 Nov in Berlin (UTC+1).
    expect(bucketLabel(new Date("2026-11-01T23:30:00Z"), "day", TZ)).toBe("2026-11-02");
    expect(bucketLabel(new Date("2026-11-01T23:30:00Z"), "hour", TZ)).toBe("2026-11-02T00:00");
  });

  it("gives store days of 23 and 25 hours around DST changes", () => {
    const spring = bucketBounds(new Date("2026-03-29T10:00:00Z"), "day", TZ);
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
    const autumn = bucketBounds(new Date("2026-10-25T10:00:00Z"), "day", TZ);
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
  });

  it("gives the local hour that contains an instant, in a half-hour zone too", () => {
    const b = bucketBounds(new Date("2026-11-02T09:40:00Z"), "hour", "Asia/Kolkata"); // 15:10 local
    expect(b.start.toISOString()).toBe("2026-11-02T09:30:00.000Z");
    expect(b.end.toISOString()).toBe("2026-11-02T10:30:00.000Z");
  });
});

describe("salesBucketFor", () => {
  it("shows daily records per day even in an hourly report", () => {
    const hourly = [rec("2026-11-02T08:00:00Z", "2026-11-02T09:00:00Z", 1)];
    const daily = [rec("2026-11-01T23:00:00Z", "2026-11-02T23:00:00Z", 1)];
    expect(salesBucketFor(hourly, "hour")).toBe("hour");
    expect(salesBucketFor([...hourly, ...daily], "hour")).toBe("day");
    expect(salesBucketFor(hourly, "day")).toBe("day");
  });
});

describe("rollUpSales", () => {
  it("sums hourly and daily records of one store day into one day", () => {
    const { buckets, leftOut } = rollUpSales(
      [
        rec("2026-11-01T23:00:00Z", "2026-11-02T23:00:00Z", 10), // 2 Nov, whole day
        rec("2026-11-03T08:00:00Z", "2026-11-03T09:00:00Z", 2), // 3 Nov 09:00
        rec("2026-11-03T15:00:00Z", "2026-11-03T16:00:00Z", 3), // 3 Nov 16:00
        rec("2026-11-03T23:10:00Z", "2026-11-03T23:40:00Z", 5), // 4 Nov 00:10 local
      ],
      "day",
      TZ,
    );
    expect(leftOut).toBe(0);
    expect(buckets.map((b) => [b.label, b.units, b.records])).toEqual([
      ["2026-11-02", 10, 1],
      ["2026-11-03", 5, 2],
      ["2026-11-04", 5, 1],
    ]);
    expect(buckets[1]!.start.toISOString()).toBe("2026-11-02T23:00:00.000Z");
    expect(buckets[1]!.end.toISOString()).toBe("2026-11-03T23:00:00.000Z");
    expect(buckets[1]!.revenueMinor).toBe(500);
  });

  it("leaves out a record longer than its bucket instead of piling it on its first day", () => {
    const { buckets, leftOut } = rollUpSales(
      [
        rec("2026-11-01T23:00:00Z", "2026-11-08T23:00:00Z", 70),
        rec("2026-11-02T10:00:00Z", "2026-11-02T11:00:00Z", 1),
      ],
      "day",
      TZ,
    );
    expect(leftOut).toBe(1);
    expect(buckets.map((b) => b.units)).toEqual([1]);
  });

  it("does not add revenue across currencies", () => {
    const { buckets } = rollUpSales(
      [
        rec("2026-11-02T10:00:00Z", "2026-11-02T11:00:00Z", 1),
        rec("2026-11-02T12:00:00Z", "2026-11-02T13:00:00Z", 1, "CHF"),
      ],
      "day",
      TZ,
    );
    expect(buckets[0]).toMatchObject({ units: 2, revenueMinor: null });
  });

  it("keeps hours apart in an hourly roll-up", () => {
    const { buckets } = rollUpSales(
      [
        rec("2026-11-02T10:00:00Z", "2026-11-02T10:30:00Z", 1),
        rec("2026-11-02T10:30:00Z", "2026-11-02T11:00:00Z", 2),
        rec("2026-11-02T12:00:00Z", "2026-11-02T13:00:00Z", 4),
      ],
      "hour",
      TZ,
    );
    expect(buckets.map((b) => [b.label, b.units])).toEqual([
      ["2026-11-02T11:00", 3],
      ["2026-11-02T13:00", 4],
    ]);
  });
});
