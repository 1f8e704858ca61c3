import { Prisma, type Db } from "@shelf/db";
import type { Expression } from "@shelf/core";
import type { DbOrTx } from "../audit.ts";
import { Cell, type RollupSums } from "./cell.ts";
import { startOfStoreDay } from "./day-range.ts";
import type { DateRange } from "./range.ts";

/**
 * Reads of the rollups (hour or store-local day × store × zone × item × dominant expression, and the store's
 * hourly totals), the only tables reports read: with 10M interactions a 30-day report reads ~10 k daily rows
 * (~136 k hourly), never the interactions. A range made of whole days of the store's time zone (every report
 * snaps to them) is read from DailyRollup, whose sums over whole days are HourlyRollup's; anything else from
 * HourlyRollup. Time-bucketed reads of the whole store (no zone or item filter) read StoreHourlyRollup, whose
 * sums over any range are HourlyRollup's over all zones and items (~5 k rows for 30 days).
 */

export interface RollupFilter extends DateRange {
  storeId: string;
  itemId?: string | null;
  zoneId?: string | null;
}

interface RawSums {
  expression: Expression;
  count: number;
  hesitation: number;
  dwell: number;
  valence: number;
}

/** Whether a range is whole days of the store's time zone (read from DailyRollup) rather than hours. */
function wholeStoreDays(f: DateRange, timeZone: string): boolean {
  return (
    startOfStoreDay(f.from, timeZone).getTime() === f.from.getTime() &&
    startOfStoreDay(f.to, timeZone).getTime() === f.to.getTime()
  );
}

/** The table a range reads and its time column: days when the range is whole store days. */
function source(f: RollupFilter, timeZone: string, unit: "hour" | "day" = "day"): Prisma.Sql {
  const whole = unit === "day" && wholeStoreDays(f, timeZone);
  const [table, time] = whole ? ['"DailyRollup"', "day"] : ['"HourlyRollup"', "hour"];
  return Prisma.sql`(SELECT "storeId", "zoneId", "itemId", ${Prisma.raw(time)} AS hour, expression, count,
      "hesitationCount", "dwellMsSum", "valenceSum"
    FROM ${Prisma.raw(table)}
    WHERE "storeId" = ${f.storeId} AND ${Prisma.raw(time)} >= ${f.from}::timestamp AND ${Prisma.raw(time)} < ${f.to}::timestamp
    ${f.itemId ? Prisma.sql`AND "itemId" = ${f.itemId}` : Prisma.empty}
    ${f.zoneId ? Prisma.sql`AND "zoneId" = ${f.zoneId}` : Prisma.empty})`;
}

/** One store's range in a read of many stores (the chain overview): whole days of its time zone. */
export interface StoreRange extends DateRange {
  storeId: string;
  /** The store's IANA time zone. */
  timeZone: string;
}

/**
 * Many stores' DailyRollup rows (`storeId`, `timeZone`, `itemId`, `hour` — the day —, expression, sums), each
 * store's range as `source` reads a whole-day range. The stores travel as arrays, one lateral index scan per
 * store: a short statement planned once, whatever the number of stores (a union of one branch per store, as
 * before, took PostgreSQL ~80 ms to parse and plan for 50 stores, and grew with them). Every range must be
 * whole store days (`overviewPeriods` makes them so); anything else is a programming error and throws.
 * `items`: only these products of each store (a store absent from the map: none of its rows).
 */
function storesDailyRows(
  ranges: readonly StoreRange[],
  items?: ReadonlyMap<string, readonly string[]>,
): Prisma.Sql {
  // Whole days checked once per time zone and range (a chain's stores mostly share both).
  const checked = new Set<string>();
  for (const r of ranges) {
    const key = `${r.timeZone} ${r.from.getTime()} ${r.to.getTime()}`;
    if (checked.has(key)) continue;
    if (!wholeStoreDays(r, r.timeZone))
      throw new Error(
        `store ${r.storeId}: ${r.from.toISOString()} … ${r.to.toISOString()} is not whole days of ${r.timeZone}`,
      );
    checked.add(key);
  }
  const pairs = items ? [...items].flatMap(([storeId, ids]) => ids.map((id) => [storeId, id] as const)) : [];
  return Prisma.sql`(SELECT f.store AS "storeId", f.tz AS "timeZone", r.*
    FROM unnest(${ranges.map((r) => r.storeId)}::text[], ${ranges.map((r) => r.from.toISOString())}::timestamp[],
      ${ranges.map((r) => r.to.toISOString())}::timestamp[], ${ranges.map((r) => r.timeZone)}::text[]) AS f(store, lo, hi, tz)
    CROSS JOIN LATERAL (
      SELECT "itemId", day AS hour, expression, count, "hesitationCount", "dwellMsSum", "valenceSum"
      FROM "DailyRollup"
      WHERE "storeId" = f.store AND day >= f.lo AND day < f.hi
      ${
        items
          ? Prisma.sql`AND "itemId" IN (SELECT p.item FROM unnest(${pairs.map((p) => p[0])}::text[],
              ${pairs.map((p) => p[1])}::text[]) AS p(store, item) WHERE p.store = f.store)`
          : Prisma.empty
      }
    ) r)`;
}

/**
 * A source's rows summed per time column value (and `keys`) first: the local-time conversions that follow
 * then run once per hour or day, not once per zone × item row (at 10M interactions ~50× fewer).
 */
function perTime(src: Prisma.Sql, keys: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`(SELECT ${keys} hour, expression, SUM(count) AS count, SUM("hesitationCount") AS "hesitationCount",
      SUM("dwellMsSum") AS "dwellMsSum", SUM("valenceSum") AS "valenceSum"
    FROM ${src} s GROUP BY ${keys} hour, expression)`;
}

/**
 * Rows per stored hour (or day) and expression for the time-bucketed reads: the store's hourly totals, which
 * are such rows already, when no zone or item is asked for; else `source`'s cells summed per time value.
 */
function timeSource(f: RollupFilter, timeZone: string, unit: "hour" | "day"): Prisma.Sql {
  if (f.itemId || f.zoneId) return perTime(source(f, timeZone, unit));
  return Prisma.sql`(SELECT hour, expression, count, "hesitationCount", "dwellMsSum", "valenceSum"
    FROM "StoreHourlyRollup"
    WHERE "storeId" = ${f.storeId} AND hour >= ${f.from}::timestamp AND hour < ${f.to}::timestamp)`;
}

const SUM_COLUMNS = Prisma.sql`expression::text AS expression, SUM(count)::int AS count,
  SUM("hesitationCount")::int AS hesitation, SUM("dwellMsSum")::float8 AS dwell, SUM("valenceSum")::float8 AS valence`;

function rawToSums(r: RawSums): RollupSums {
  return {
    expression: r.expression,
    count: r.count,
    hesitationCount: r.hesitation,
    dwellMsSum: r.dwell,
    valenceSum: r.valence,
  };
}

/** Sums per item (null: interactions at no planogram slot) and expression; `timeZone` the store's. */
export async function sumsByItem(
  db: DbOrTx,
  f: RollupFilter,
  timeZone: string,
): Promise<(RollupSums & { itemId: string | null })[]> {
  const rows = await db.$queryRaw<(RawSums & { itemId: string | null })[]>`
    SELECT r."itemId", ${SUM_COLUMNS} FROM ${source(f, timeZone)} r GROUP BY r."itemId", r.expression`;
  return rows.map((r) => ({ itemId: r.itemId, ...rawToSums(r) }));
}

/**
 * A read of many stores' rollups with JIT compilation off. A union of per-store branches sums their cost
 * estimates: past `jit_above_cost` (100 000) PostgreSQL compiles the statement before running it, which cost
 * 1.1–2.5 s for 50 stores' item sums in bench:web's chain (EXPLAIN ANALYZE, stale statistics) where the
 * branches themselves are index scans of a few hundred rows (~2 ms each).
 */
async function withoutJit<T>(db: Db, query: Prisma.PrismaPromise<T>): Promise<T> {
  const [, rows] = await db.$transaction([db.$executeRaw`SET LOCAL jit = off`, query]);
  return rows;
}

/**
 * {@link sumsByItem} of several stores in one statement (the chain overview), added up per store and item (null:
 * interactions at no planogram slot): each store's own range and table ({@link storesDailyRows}). The database
 * returns one row per store, its sums per item and expression as one JSON array: at 50 stores × 50 products
 * over a week of 10 k interactions a store, ~12.7 k (item, expression) rows parsed one by one cost this process
 * ~49 ms CPU a call, and their garbage collection more; the JSON ~23 ms (a scratch A/B of the two statements in
 * one process on `bench:web`'s 1,000-store database, 40 calls each).
 */
export async function cellsByItemOfStores(
  db: Db,
  ranges: readonly StoreRange[],
): Promise<Map<string, Map<string | null, Cell>>> {
  const out = new Map<string, Map<string | null, Cell>>(ranges.map((r) => [r.storeId, new Map()]));
  if (ranges.length === 0) return out;
  const rows = await withoutJit(
    db,
    db.$queryRaw<{ storeId: string; sums: [string | null, Expression, number, number, number, number][] }[]>`
      SELECT g."storeId", json_agg(json_build_array(g."itemId", g.expression, g.count, g.hesitation, g.dwell, g.valence)) AS sums
      FROM (
        SELECT r."storeId", r."itemId", ${SUM_COLUMNS} FROM ${storesDailyRows(ranges)} r
        GROUP BY r."storeId", r."itemId", r.expression
      ) g
      GROUP BY g."storeId"`,
  );
  for (const { storeId, sums } of rows) {
    const cells = out.get(storeId)!;
    for (const [itemId, expression, count, hesitationCount, dwellMsSum, valenceSum] of sums) {
      let cell = cells.get(itemId);
      if (!cell) cells.set(itemId, (cell = new Cell()));
      cell.add({ expression, count, hesitationCount, dwellMsSum, valenceSum });
    }
  }
  return out;
}

/** Sums per zone, item and expression; `timeZone` the store's. */
export async function sumsByZoneItem(
  db: DbOrTx,
  f: RollupFilter,
  timeZone: string,
): Promise<(RollupSums & { zoneId: string; itemId: string | null })[]> {
  const rows = await db.$queryRaw<(RawSums & { zoneId: string; itemId: string | null })[]>`
    SELECT r."zoneId", r."itemId", ${SUM_COLUMNS} FROM ${source(f, timeZone)} r
    GROUP BY r."zoneId", r."itemId", r.expression`;
  return rows.map((r) => ({ zoneId: r.zoneId, itemId: r.itemId, ...rawToSums(r) }));
}

/**
 * Sums per time bucket (an hour or a day of the store's local time, `timeZone` an IANA name) and expression.
 * `start` is the bucket's first instant; `label` its local wall-clock start (`YYYY-MM-DD` or `YYYY-MM-DDTHH:00`).
 */
export async function sumsByBucket(
  db: DbOrTx,
  f: RollupFilter,
  unit: "hour" | "day",
  timeZone: string,
): Promise<(RollupSums & { start: Date; label: string })[]> {
  const format = unit === "day" ? "YYYY-MM-DD" : 'YYYY-MM-DD"T"HH24:00';
  // hour is a UTC wall clock (timestamp without time zone): to an instant, to the store's wall clock, truncated.
  const rows = await db.$queryRaw<(RawSums & { local: string; start: Date })[]>`
    SELECT to_char(b.local, ${format}) AS local, (b.local AT TIME ZONE ${timeZone}) AS start, ${SUM_COLUMNS}
    FROM (
      SELECT date_trunc(${unit}, (hour AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}) AS local, expression, count,
        "hesitationCount", "dwellMsSum", "valenceSum"
      FROM ${timeSource(f, timeZone, unit)} r
    ) b
    GROUP BY b.local, b.expression ORDER BY b.local`;
  return rows.map((r) => ({ start: r.start, label: r.local, ...rawToSums(r) }));
}

/** Sums per hour of the day (0–23, the store's local time) and expression. */
export async function sumsByHourOfDay(
  db: DbOrTx,
  f: RollupFilter,
  timeZone: string,
): Promise<(RollupSums & { hourOfDay: number })[]> {
  const rows = await db.$queryRaw<(RawSums & { hod: number })[]>`
    SELECT b.hod, ${SUM_COLUMNS}
    FROM (
      SELECT extract(hour FROM (hour AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::int AS hod, expression, count,
        "hesitationCount", "dwellMsSum", "valenceSum"
      FROM ${timeSource(f, timeZone, "hour")} r
    ) b
    GROUP BY b.hod, b.expression ORDER BY b.hod`;
  return rows.map((r) => ({ hourOfDay: r.hod, ...rawToSums(r) }));
}

/**
 * Sums per item, day of the store's local time and expression (the overview's sparklines); `label` is the
 * day `YYYY-MM-DD`. Rows at no planogram slot (itemId null) are left out.
 */
export async function sumsByItemDay(
  db: DbOrTx,
  f: RollupFilter,
  timeZone: string,
): Promise<(RollupSums & { itemId: string; label: string })[]> {
  const rows = await db.$queryRaw<(RawSums & { itemId: string; local: string })[]>`
    SELECT b."itemId", to_char(b.local, 'YYYY-MM-DD') AS local, ${SUM_COLUMNS}
    FROM ${itemDayRows(f, timeZone)} b
    GROUP BY b."itemId", b.local, b.expression ORDER BY b.local`;
  return rows.map((r) => ({ itemId: r.itemId, label: r.local, ...rawToSums(r) }));
}

/** One store's rows of {@link sumsByItemDay} before its grouping: per item, local day and expression. */
function itemDayRows(f: RollupFilter, timeZone: string): Prisma.Sql {
  return Prisma.sql`(
      SELECT "itemId", date_trunc('day', (hour AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}) AS local, expression,
        count, "hesitationCount", "dwellMsSum", "valenceSum"
      FROM ${perTime(source(f, timeZone), Prisma.sql`"itemId",`)} r WHERE "itemId" IS NOT NULL
    )`;
}

/**
 * {@link sumsByItemDay} of several stores' chosen items in one statement (the chain overview's sparklines):
 * each store's rows as `sumsByItemDay` reads them (its range, table and time zone; {@link storesDailyRows}).
 */
export async function sumsByItemDayOfStores(
  db: Db,
  ranges: readonly (StoreRange & { itemIds: readonly string[] })[],
): Promise<(RollupSums & { storeId: string; itemId: string; label: string })[]> {
  const wanted = ranges.filter((f) => f.itemIds.length > 0);
  if (wanted.length === 0) return [];
  const items = new Map(wanted.map((f) => [f.storeId, f.itemIds]));
  const rows = await withoutJit(
    db,
    db.$queryRaw<(RawSums & { storeId: string; itemId: string; local: string })[]>`
      SELECT b."storeId", b."itemId", to_char(b.local, 'YYYY-MM-DD') AS local, ${SUM_COLUMNS}
      FROM (
        SELECT "storeId", "itemId", date_trunc('day', (hour AT TIME ZONE 'UTC') AT TIME ZONE "timeZone") AS local,
          expression, count, "hesitationCount", "dwellMsSum", "valenceSum"
        FROM ${storesDailyRows(wanted, items)} r
      ) b
      GROUP BY b."storeId", b."itemId", b.local, b.expression ORDER BY b.local`,
  );
  return rows.map((r) => ({ storeId: r.storeId, itemId: r.itemId, label: r.local, ...rawToSums(r) }));
}
