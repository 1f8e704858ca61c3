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
