import { Prisma } from "@shelf/db";
import type { Expression } from "@shelf/core";
import type { DbOrTx } from "../../packages/api/src/audit.ts";
import type { RollupSums } from "../../packages/api/src/reports/cell.ts";
import type { DateRange } from "../../packages/api/src/reports/range.ts";

/**
 * The report reads as they were before DailyRollup (packages/api/src/reports/rollups.ts as of commit 2758fd3,
 * unchanged but for its import paths): every one from HourlyRollup. The daily- and store-hourly-rollup tests
 * check that the reads of today return exactly what these return on the same data (rollup-equality.ts).
 */

export interface RollupFilter extends DateRange {
  storeId: string;
  itemId?: string | null;
  zoneId?: string | null;
}

function where(f: RollupFilter): Prisma.HourlyRollupWhereInput {
  return {
    storeId: f.storeId,
    hour: { gte: f.from, lt: f.to },
    ...(f.itemId ? { itemId: f.itemId } : {}),
    ...(f.zoneId ? { zoneId: f.zoneId } : {}),
  };
}

const SUMS = { count: true, hesitationCount: true, dwellMsSum: true, valenceSum: true } as const;

function sums(
  expression: Expression,
  s: {
    count: number | null;
    hesitationCount: number | null;
    dwellMsSum: bigint | null;
    valenceSum: number | null;
  },
): RollupSums {
  return {
    expression,
    count: s.count ?? 0,
    hesitationCount: s.hesitationCount ?? 0,
    dwellMsSum: Number(s.dwellMsSum ?? 0),
    valenceSum: s.valenceSum ?? 0,
  };
}

/** Sums per item (null: interactions at no planogram slot) and expression. */
export async function sumsByItem(
  db: DbOrTx,
  f: RollupFilter,
): Promise<(RollupSums & { itemId: string | null })[]> {
  const groups = await db.hourlyRollup.groupBy({ by: ["itemId", "expression"], where: where(f), _sum: SUMS });
  return groups.map((g) => ({ itemId: g.itemId, ...sums(g.expression, g._sum) }));
}

/** Sums per zone, item and expression. */
export async function sumsByZoneItem(
  db: DbOrTx,
  f: RollupFilter,
): Promise<(RollupSums & { zoneId: string; itemId: string | null })[]> {
  const groups = await db.hourlyRollup.groupBy({
    by: ["zoneId", "itemId", "expression"],
    where: where(f),
    _sum: SUMS,
  });
  return groups.map((g) => ({ zoneId: g.zoneId, itemId: g.itemId, ...sums(g.expression, g._sum) }));
}

interface RawSums {
  expression: Expression;
  count: number;
  hesitation: number;
  dwell: number;
  valence: number;
}

function filterSql(f: RollupFilter): Prisma.Sql {
  return Prisma.sql`"storeId" = ${f.storeId} AND hour >= ${f.from}::timestamp AND hour < ${f.to}::timestamp
    ${f.itemId ? Prisma.sql`AND "itemId" = ${f.itemId}` : Prisma.empty}
    ${f.zoneId ? Prisma.sql`AND "zoneId" = ${f.zoneId}` : Prisma.empty}`;
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
      FROM "HourlyRollup" WHERE ${filterSql(f)}
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
      FROM "HourlyRollup" WHERE ${filterSql(f)}
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
    FROM (
      SELECT "itemId", date_trunc('day', (hour AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}) AS local, expression,
        count, "hesitationCount", "dwellMsSum", "valenceSum"
      FROM "HourlyRollup" WHERE ${filterSql(f)} AND "itemId" IS NOT NULL
    ) b
    GROUP BY b."itemId", b.local, b.expression ORDER BY b.local`;
  return rows.map((r) => ({ itemId: r.itemId, label: r.local, ...rawToSums(r) }));
}
