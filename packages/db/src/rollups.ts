import type { Prisma } from "./generated/prisma/client.ts";

/**
 * Rebuilds a store's DailyRollup rows from its HourlyRollup rows: each hourly row is added to the store-local
 * day (its store's current time zone) that contains the hour's start; a delete, then an insert, in the
 * caller's transaction. The result is what the worker's increments add up to; it is run where they cannot
 * have been (a store whose time zone changed, the seeds; the migration's backfill does it for every store).
 *
 * A worker may increment the store's rollups meanwhile: a caller that changes the time zone takes
 * `LOCK TABLE "HourlyRollup" IN SHARE MODE` first in the same transaction (writers in flight finish, new
 * ones wait and then read the new time zone).
 * @returns the DailyRollup rows written.
 */
export async function rebuildDailyRollups(db: Prisma.TransactionClient, storeId: string): Promise<number> {
  // Two statements: one statement's DELETE and INSERT would not see each other (a unique violation).
  await db.$executeRaw`DELETE FROM "DailyRollup" WHERE "storeId" = ${storeId}`;
  return db.$executeRaw`
    INSERT INTO "DailyRollup" (id, "storeId", "zoneId", "itemKey", "itemId", day, expression, count,
      "hesitationCount", "dwellMsSum", "valenceSum")
    SELECT gen_random_uuid()::text, r."storeId", r."zoneId", r."itemKey", r."itemId",
      (date_trunc('day', (r.hour AT TIME ZONE 'UTC') AT TIME ZONE s.timezone) AT TIME ZONE s.timezone) AT TIME ZONE 'UTC',
      r.expression, SUM(r.count)::int, SUM(r."hesitationCount")::int, SUM(r."dwellMsSum")::bigint, SUM(r."valenceSum")
    FROM "HourlyRollup" r JOIN "Store" s ON s.id = r."storeId"
    WHERE r."storeId" = ${storeId}
    GROUP BY 2, 3, 4, 5, 6, 7`;
}

/**
 * Rebuilds a store's StoreHourlyRollup rows from its HourlyRollup rows (summed over zones and items, hour by
 * hour; rows the retention job merged into days stay where they are): a delete, then an insert, in the
 * caller's transaction. The result is what the worker's increments, the retention merge and zone deletions
 * add up to; it is run where they cannot have been (the seeds; the migration's backfill does it for every
 * store). Writers of the store's hours should be held off meanwhile (`LOCK TABLE "HourlyRollup" IN SHARE
 * MODE` first), as for {@link rebuildDailyRollups}.
 * @returns the StoreHourlyRollup rows written.
 */
export async function rebuildStoreHourlyRollups(
  db: Prisma.TransactionClient,
  storeId: string,
): Promise<number> {
  await db.$executeRaw`DELETE FROM "StoreHourlyRollup" WHERE "storeId" = ${storeId}`;
  return db.$executeRaw`
    INSERT INTO "StoreHourlyRollup" (id, "storeId", hour, expression, count, "hesitationCount", "dwellMsSum",
      "valenceSum")
    SELECT gen_random_uuid()::text, "storeId", hour, expression, SUM(count)::int, SUM("hesitationCount")::int,
      SUM("dwellMsSum")::bigint, SUM("valenceSum")
    FROM "HourlyRollup" WHERE "storeId" = ${storeId}
    GROUP BY "storeId", hour, expression`;
}

/**
 * Takes a zone's hourly rollups out of its store's StoreHourlyRollup rows, before the zone is deleted (its
 * HourlyRollup and DailyRollup rows then go by cascade; the store's totals have no zone to cascade from).
 * Hours left with no interaction are deleted, as HourlyRollup holds none. In the caller's transaction, which
 * must lock the zone row first (`SELECT … FOR UPDATE`): the worker's inserts for the zone (which key-share
 * lock it) in flight finish before it, new ones wait and then fail on the deleted zone, so no increment is
 * taken out twice or left in.
 * @returns the StoreHourlyRollup rows changed.
 */
export async function subtractZoneFromStoreHourlyRollups(
  db: Prisma.TransactionClient,
  zone: { id: string; storeId: string },
): Promise<number> {
  const changed = await db.$executeRaw`
    UPDATE "StoreHourlyRollup" t SET count = t.count - z.count, "hesitationCount" = t."hesitationCount" - z.hesitation,
      "dwellMsSum" = t."dwellMsSum" - z.dwell, "valenceSum" = t."valenceSum" - z.valence
    FROM (
      SELECT "storeId", hour, expression, SUM(count)::int AS count, SUM("hesitationCount")::int AS hesitation,
        SUM("dwellMsSum")::bigint AS dwell, SUM("valenceSum") AS valence
      FROM "HourlyRollup" WHERE "storeId" = ${zone.storeId} AND "zoneId" = ${zone.id}
      GROUP BY "storeId", hour, expression
    ) z
    WHERE t."storeId" = z."storeId" AND t.hour = z.hour AND t.expression = z.expression`;
  await db.$executeRaw`DELETE FROM "StoreHourlyRollup" WHERE "storeId" = ${zone.storeId} AND count = 0`;
  return changed;
}

/**
 * Rebuilds every rollup derived from a store's HourlyRollup rows (DailyRollup, StoreHourlyRollup) in the
 * caller's transaction: for rows written straight into HourlyRollup (the seeds, tests), which the worker's
 * increments never saw.
 */
export async function rebuildRollupsFromHours(db: Prisma.TransactionClient, storeId: string): Promise<void> {
  await rebuildDailyRollups(db, storeId);
  await rebuildStoreHourlyRollups(db, storeId);
}
