import { startOfStoreDay } from "./day-range.ts";
import { timeZoneOffsetMs, zonedTimeToUtc } from "./time-zone.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One imported sales record (a product's units over a period chosen by whoever imported it). */
export interface SalesRecordLike {
  periodStart: Date;
  periodEnd: Date;
  units: number;
  /** Minor currency units. */
  revenueMinor: number;
  currency: string;
}

/** Sales summed over one report bucket (an hour or a day of store time). */
export interface SalesBucket {
  /** The bucket's local start, `YYYY-MM-DD` (days) or `YYYY-MM-DDTHH:00` (hours), as `sumsByBucket` labels it. */
  label: string;
  start: Date;
  end: Date;
  units: number;
  /** Minor units; null when the bucket's records are in more than one currency (their sum means nothing). */
  revenueMinor: number | null;
  currency: string;
  /** How many imported records were summed into the bucket. */
  records: number;
}

/** The store-local wall clock of an instant, as a bucket label. */
export function bucketLabel(at: Date, bucket: "hour" | "day", timeZone: string): string {
  const wall = new Date(at.getTime() + timeZoneOffsetMs(at.getTime(), timeZone)).toISOString();
  return bucket === "day" ? wall.slice(0, 10) : `${wall.slice(0, 13)}:00`;
}

/** First and end instants of the store-local hour or day that contains `at`. */
export function bucketBounds(at: Date, bucket: "hour" | "day", timeZone: string): { start: Date; end: Date } {
  if (bucket === "day") {
    const start = startOfStoreDay(at, timeZone);
    // Noon plus a day lands in the next day whatever DST does (days are 23–25 h).
    const end = startOfStoreDay(new Date(start.getTime() + DAY_MS + DAY_MS / 2), timeZone);
    return { start, end };
  }
  const label = bucketLabel(at, "hour", timeZone);
  const [y, m, d, h] = [label.slice(0, 4), label.slice(5, 7), label.slice(8, 10), label.slice(11, 13)].map(
    Number,
  );
  const start = zonedTimeToUtc({ year: y!, month: m!, day: d!, hour: h! }, timeZone);
  // Whole-hour offsets and half-hour ones alike: the local hour ends an hour after it starts.
  const first = start.getTime() > at.getTime() ? new Date(start.getTime() - HOUR_MS) : start;
  return { start: first, end: new Date(first.getTime() + HOUR_MS) };
}

/**
 * The bucket sales can be shown in for a report drawn per `wanted`: the same, unless some record is longer
 * than an hour in an hourly report — a day's sales cannot be split into hours, so the sales are shown per day.
 */
export function salesBucketFor(records: readonly SalesRecordLike[], wanted: "hour" | "day"): "hour" | "day" {
  if (wanted === "day") return "day";
  return records.some((r) => r.periodEnd.getTime() - r.periodStart.getTime() > HOUR_MS) ? "day" : "hour";
}

/**
 * Sums imported sales records per store-local bucket, so one axis never mixes days and hours. A record
 * belongs to the bucket its period starts in; a record that runs past the end of that bucket (a week's
 * sales on a daily chart) cannot be split honestly and is left out and counted.
 */
export function rollUpSales(
  records: readonly SalesRecordLike[],
  bucket: "hour" | "day",
  timeZone: string,
): { buckets: SalesBucket[]; leftOut: number } {
  const buckets = new Map<string, SalesBucket>();
  let leftOut = 0;
  for (const r of records) {
    const { start, end } = bucketBounds(r.periodStart, bucket, timeZone);
    if (r.periodEnd.getTime() > end.getTime()) {
      leftOut++;
      continue;
    }
    const label = bucketLabel(r.periodStart, bucket, timeZone);
    const b = buckets.get(label);
    if (!b) {
      buckets.set(label, {
        label,
        start,
        end,
        units: r.units,
        revenueMinor: r.revenueMinor,
        currency: r.currency,
        records: 1,
      });
      continue;
    }
    b.units += r.units;
    b.revenueMinor =
      b.revenueMinor === null || b.currency !== r.currency ? null : b.revenueMinor + r.revenueMinor;
    b.records++;
  }
  return { buckets: [...buckets.values()].sort((a, b) => a.start.getTime() - b.start.getTime()), leftOut };
}
