/**
 * Pure helpers for charts on a real time axis: bars sit at their bucket's place on a numeric axis (ms), one
 * bucket wide, so one day of data is one narrow bar and missing days are gaps — not one wall-to-wall bar.
 */

export type Bucket = "hour" | "day";

/** Nominal bucket lengths, ms (store days are 23–25 h around DST; close enough for widths and ticks). */
export const BUCKET_MS: Record<Bucket, number> = { hour: 3_600_000, day: 86_400_000 };

/** Tick steps tried in order, in buckets: the first that keeps the ticks within the limit wins. */
const STEPS: Record<Bucket, number[]> = {
  hour: [1, 2, 3, 6, 12, 24, 48, 72, 168],
  day: [1, 2, 7, 14, 28, 56, 91, 182, 364],
};

/**
 * Tick positions (ms) for a time axis from `fromMs` to `toMs`: bucket starts (e.g. store midnights, when
 * `fromMs` is one) every n buckets, n the smallest nice step that gives at most `maxTicks` ticks.
 * @param maxTicks default 8
 */
export function timeTicks(fromMs: number, toMs: number, bucket: Bucket, maxTicks = 8): number[] {
  if (!(toMs > fromMs) || maxTicks < 1) return [];
  const buckets = Math.ceil((toMs - fromMs) / BUCKET_MS[bucket]);
  const steps = STEPS[bucket];
  const step =
    steps.find((s) => Math.floor((buckets - 1) / s) + 1 <= maxTicks) ?? Math.ceil(buckets / maxTicks);
  const ticks: number[] = [];
  for (let i = 0; i < buckets; i += step) ticks.push(fromMs + i * BUCKET_MS[bucket]);
  return ticks;
}

/**
 * Pixel width of one bucket's bar: its share of the plot (`bucketMs / domainMs` of `plotWidthPx`), times
 * `fill` to leave a gap between neighbours, held within [min, max] px so that a long range keeps visible
 * bars and a short one does not draw a slab.
 * @param fill default 0.8
 * @param min default 1
 * @param max default 32
 */
export function barWidthPx(
  plotWidthPx: number,
  domainMs: number,
  bucketMs: number,
  { fill = 0.8, min = 1, max = 32 }: { fill?: number; min?: number; max?: number } = {},
): number {
  if (!(plotWidthPx > 0) || !(domainMs > 0) || !(bucketMs > 0)) return min;
  const w = (plotWidthPx * bucketMs * fill) / domainMs;
  return Math.max(min, Math.min(max, Math.floor(w)));
}

/**
 * Points at their bucket's middle (`t`, ms), with a point of nulls wherever consecutive points are more
 * than 1.5 buckets apart, so a line (`connectNulls={false}`) breaks across missing buckets instead of
 * drawing a trend through days without data.
 */
export function withGaps<T extends { t: number }>(
  points: readonly T[],
  bucketMs: number,
  nulls: Omit<T, "t">,
): (T | ({ t: number } & Omit<T, "t">))[] {
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const out: (T | ({ t: number } & Omit<T, "t">))[] = [];
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    if (prev && p.t - prev.t > 1.5 * bucketMs) out.push({ ...nulls, t: (prev.t + p.t) / 2 });
    out.push(p);
  });
  return out;
}

/** A tick or tooltip label in the store's time zone: "3 Nov" for days, "3 Nov 14:00" for hours. */
export function formatTime(ms: number, bucket: Bucket, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    ...(bucket === "hour" ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" as const } : {}),
  }).format(new Date(ms));
}
