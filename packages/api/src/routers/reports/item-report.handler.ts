import { NotFoundError, type StoreContext } from "../../trpc.ts";
import { itemSurveySummary, type ItemSurveySummaryResult } from "../survey/survey.handler.ts";
import { Cell, cellsBy, cellStats, cellStatsWithComplements, type CellStats } from "../../reports/cell.ts";
import { snapToStoreDays } from "../../reports/day-range.ts";
import { MAX_HOURLY_RANGE_DAYS, resolveRange, type DateRange } from "../../reports/range.ts";
import { correlationOf } from "../../reports/correlation.ts";
import { sumsByBucket, sumsByItem } from "../../reports/rollups.ts";
import { rollUpSales, salesBucketFor } from "../../reports/sales-buckets.ts";
import { storeRules } from "../../reports/rules.ts";
import { type ItemReportInput } from "./schemas.ts";
import { logger } from "../../logger.ts";

/** Most sales periods shown against emotion in one report. */
const MAX_SALES_PERIODS = 1000;

export interface SeriesPoint extends CellStats {
  /** First instant of the bucket. */
  start: Date;
  /** The bucket's local start, `YYYY-MM-DD` (days) or `YYYY-MM-DDTHH:00` (hours), store time. */
  label: string;
}

/** Sales summed over one bucket of the report (see `rollUpSales`), with the emotion of the same bucket. */
export interface SalesPeriod extends CellStats {
  /** The bucket's first instant and the next bucket's. */
  periodStart: Date;
  periodEnd: Date;
  units: number;
  /** Minor currency units; null when the bucket's records are in more than one currency. */
  revenueMinor: number | null;
  currency: string;
  /** Imported records summed into the bucket. */
  records: number;
}

export interface ItemReport {
  store: StoreContext["store"];
  item: { id: string; sku: string; name: string; category: string };
  k: number;
  range: DateRange;
  bucket: "hour" | "day";
  totals: CellStats;
  series: SeriesPoint[];
  /** The worker's latest rolling-window score and the item's flags. */
  score: {
    windowHours: number;
    n: number;
    negatives: number;
    rate: number;
    lower: number;
    upper: number;
    computedAt: Date;
  } | null;
  flags: {
    id: string;
    raisedAt: Date;
    clearedAt: Date | null;
    lower: number;
    threshold: number;
    thresholdLevel: string;
  }[];
  /** Sales rolled up to `salesBucket`, oldest first. */
  sales: SalesPeriod[];
  /** `bucket`, or "day" when some imported record is longer than an hour (it cannot be split into hours). */
  salesBucket: "hour" | "day";
  /** Imported records longer than one sales bucket (e.g. a week's sales), left out rather than split. */
  salesLeftOut: number;
  /**
   * Pearson correlation of units sold with the rejection rate over the sales buckets with ≥ k interactions;
   * `r` is null with fewer than `needed` such periods (see `correlationOf`).
   */
  salesCorrelation: { r: number | null; periods: number; needed: number };
  /** Null when the survey summary could not be read. */
  survey: ItemSurveySummaryResult | null;
}

/**
 * One product in one store: expression mix, rejection rate with its 95 % interval, dwell and hesitation over
 * the range; the trend per hour or day (store time); the worker's rolling score and flag history; sales per
 * bucket next to the emotion of the same bucket; the survey summary. Every cell with fewer than k
 * interactions shows its count only (and complementary cells too, see cellStatsWithComplements); the range
 * is whole store days.
 */
export async function itemReport({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: ItemReportInput;
}): Promise<ItemReport> {
  const { db, store } = ctx;
  const range = snapToStoreDays(
    resolveRange(input, Date.now(), input.bucket === "hour" ? MAX_HOURLY_RANGE_DAYS : undefined),
    store.timezone,
  );
  const item = await db.item.findUnique({
    where: { id: input.itemId },
    select: { id: true, sku: true, name: true, category: true },
  });
  if (!item) throw new NotFoundError(`item "${input.itemId}"`);
  const filter = { storeId: store.id, itemId: item.id, ...range };
  const [rules, totalsRows, bucketRows, score, flags, sales, survey] = await Promise.all([
    storeRules(db, store.id),
    sumsByItem(db, filter, store.timezone),
    sumsByBucket(db, filter, input.bucket, store.timezone),
    db.rejectionScore.findUnique({ where: { storeId_itemId: { storeId: store.id, itemId: item.id } } }),
    db.flag.findMany({
      where: { storeId: store.id, itemId: item.id },
      orderBy: { raisedAt: "desc" },
      take: 20,
      select: {
        id: true,
        raisedAt: true,
        clearedAt: true,
        lower: true,
        threshold: true,
        thresholdLevel: true,
      },
    }),
    salesRecords(db, store.id, item.id, range),
    itemSurveySummary({ db, input: { storeSlug: store.slug, itemId: item.id } }).catch((err: unknown) => {
      logger().error({ err: err instanceof Error ? err.message : String(err) }, "survey summary failed");
      return null;
    }),
  ]);

  const totals = new Cell();
  totalsRows.forEach((r) => totals.add(r));
  const buckets = cellsBy(bucketRows, (r) => r.label);
  const starts = new Map(bucketRows.map((r) => [r.label, r.start]));
  // The buckets add up to the totals shown beside them: complementary suppression.
  const bucketStats = cellStatsWithComplements([...buckets.values()], rules, totals.n);
  const series = [...buckets.keys()].map((label, i) => ({
    label,
    start: starts.get(label)!,
    ...bucketStats[i]!,
  }));

  // Sales per bucket of the report, each beside the emotion of the same bucket (the trend's cells, so the
  // two charts agree); daily records in an hourly report put the sales on days.
  const salesBucket = salesBucketFor(sales, input.bucket);
  const rolled = rollUpSales(sales, salesBucket, store.timezone);
  const emotionByLabel = new Map<string, CellStats>(series.map((p) => [p.label, p]));
  if (salesBucket !== input.bucket && rolled.buckets.length) {
    const dayCells = cellsBy(await sumsByBucket(db, filter, "day", store.timezone), (r) => r.label);
    const dayStats = cellStatsWithComplements([...dayCells.values()], rules, totals.n);
    [...dayCells.keys()].forEach((label, i) => emotionByLabel.set(label, dayStats[i]!));
  }
  const none = cellStats(new Cell(), rules);
  const salesPeriods: SalesPeriod[] = rolled.buckets.map((b) => ({
    periodStart: b.start,
    periodEnd: b.end,
    units: b.units,
    revenueMinor: b.revenueMinor,
    currency: b.currency,
    records: b.records,
    ...(emotionByLabel.get(b.label) ?? none),
  }));
  const salesCorrelation = correlationOf(
    salesPeriods.filter((s) => s.rejection).map((s) => ({ x: s.units, y: s.rejection!.rate })),
  );
  const scoreVisible = score && score.n >= rules.k;
  return {
    store,
    item,
    k: rules.k,
    range,
    bucket: input.bucket,
    totals: cellStats(totals, rules),
    series,
    score: scoreVisible
      ? {
          windowHours: Math.round((score.windowEnd.getTime() - score.windowStart.getTime()) / 3_600_000),
          n: score.n,
          negatives: score.negatives,
          rate: score.rate,
          lower: score.lower,
          upper: score.upper,
          computedAt: score.computedAt,
        }
      : null,
    flags,
    sales: salesPeriods,
    salesBucket,
    salesLeftOut: rolled.leftOut,
    salesCorrelation,
    survey,
  };
}

/** Imported sales records of the item whose period starts in the range (at most MAX_SALES_PERIODS). */
function salesRecords(db: StoreContext["db"], storeId: string, itemId: string, range: DateRange) {
  return db.salesRecord.findMany({
    where: { storeId, itemId, periodStart: { gte: range.from, lt: range.to } },
    orderBy: { periodStart: "asc" },
    take: MAX_SALES_PERIODS,
    select: { periodStart: true, periodEnd: true, units: true, revenueMinor: true, currency: true },
  });
}
