import { EXPRESSIONS } from "@shelf/core";
import { NotFoundError, type StoreContext } from "../../trpc.ts";
import { itemSurveySummary, type ItemSurveySummaryResult } from "../survey/survey.handler.ts";
import { Cell, cellsBy, cellStats, cellStatsWithComplements, type CellStats } from "../../reports/cell.ts";
import { snapToStoreDays } from "../../reports/day-range.ts";
import { MAX_HOURLY_RANGE_DAYS, resolveRange, type DateRange } from "../../reports/range.ts";
import { sumsByBucket, sumsByItem } from "../../reports/rollups.ts";
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

export interface SalesPeriod extends CellStats {
  periodStart: Date;
  periodEnd: Date;
  units: number;
  /** Minor currency units. */
  revenueMinor: number;
  currency: string;
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
  sales: SalesPeriod[];
  /**
   * Pearson correlation of units sold with the rejection rate over the sales periods with ≥ k interactions;
   * null with fewer than 3 such periods.
   */
  salesCorrelation: { r: number; periods: number } | null;
  /** Null when the survey summary could not be read. */
  survey: ItemSurveySummaryResult | null;
}

function pearson(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  if (n < 3) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/**
 * One product in one store: expression mix, rejection rate with its 95 % interval, dwell and hesitation over
 * the range; the trend per hour or day (store time); the worker's rolling score and flag history; sales per
 * imported period next to the emotion of the same days; the survey summary. Every cell with fewer than k
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
    sumsByItem(db, filter),
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
    salesWithEmotion(db, store.id, item.id, range, store.timezone),
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

  const salesPeriods: SalesPeriod[] = sales.map((s) => ({
    periodStart: s.periodStart,
    periodEnd: s.periodEnd,
    units: s.units,
    revenueMinor: s.revenueMinor,
    currency: s.currency,
    ...cellStats(s.cell, rules),
  }));
  const paired = salesPeriods.filter((s) => s.rejection);
  const r = pearson(
    paired.map((s) => s.units),
    paired.map((s) => s.rejection!.rate),
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
    salesCorrelation: r === null ? null : { r, periods: paired.length },
    survey,
  };
}

/**
 * Imported sales periods in the range, each with the rollups of the same item over the period widened to
 * whole store days (sales periods are chosen by whoever imports them: hour-long periods overlapping by an
 * hour would otherwise slice out single shoppers, as overlapping report ranges would).
 */
async function salesWithEmotion(
  db: StoreContext["db"],
  storeId: string,
  itemId: string,
  range: DateRange,
  timeZone: string,
) {
  const rows = await db.$queryRaw<
    {
      id: string;
      periodStart: Date;
      periodEnd: Date;
      units: number;
      revenueMinor: number;
      currency: string;
      expression: string | null;
      count: number | null;
      hesitation: number | null;
      dwell: number | null;
      valence: number | null;
    }[]
  >`
    SELECT s.id, s."periodStart", s."periodEnd", s.units, s."revenueMinor", s.currency, r.expression, r.count, r.hesitation,
      r.dwell, r.valence
    FROM (
      SELECT * FROM "SalesRecord"
      WHERE "storeId" = ${storeId} AND "itemId" = ${itemId}
        AND "periodStart" >= ${range.from}::timestamp AND "periodStart" < ${range.to}::timestamp
      ORDER BY "periodStart" LIMIT ${MAX_SALES_PERIODS}
    ) s
    -- Per period, an index range scan of the item's rollups (a plain join would scan them all).
    LEFT JOIN LATERAL (
      SELECT expression::text AS expression, SUM(count)::int AS count, SUM("hesitationCount")::int AS hesitation,
        SUM("dwellMsSum")::float8 AS dwell, SUM("valenceSum")::float8 AS valence
      FROM "HourlyRollup"
      WHERE "itemId" = s."itemId" AND "storeId" = s."storeId"
        -- UTC wall clocks of the store-local midnights at or before the start and at or after the end.
        AND hour >= (date_trunc('day', (s."periodStart" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC'
        AND hour < ((date_trunc('day', ((s."periodEnd" - interval '1 microsecond') AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}) + interval '1 day') AT TIME ZONE ${timeZone}) AT TIME ZONE 'UTC'
      GROUP BY expression
    ) r ON true
    ORDER BY s."periodStart"`;
  const periods = new Map<string, (typeof rows)[number] & { cell: Cell }>();
  for (const row of rows) {
    let p = periods.get(row.id);
    if (!p) periods.set(row.id, (p = { ...row, cell: new Cell() }));
    const expression = EXPRESSIONS.find((e) => e === row.expression);
    if (expression)
      p.cell.add({
        expression,
        count: row.count ?? 0,
        hesitationCount: row.hesitation ?? 0,
        dwellMsSum: row.dwell ?? 0,
        valenceSum: row.valence ?? 0,
      });
  }
  return [...periods.values()];
}
