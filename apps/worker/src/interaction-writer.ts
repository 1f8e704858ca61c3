import { randomUUID } from "node:crypto";
import type { Db } from "@shelf/db";
import type { Expression, TrackContext } from "@shelf/core";

/** What the worker writes for one finalised visit (see aggregateInteraction in @shelf/core). */
export interface InteractionRecord {
  id: string;
  context: TrackContext;
  startedAt: number; // ms since epoch
  endedAt: number; // ms since epoch
  dwellMs: number;
  sampleCount: number;
  meanProbs: readonly number[]; // EXPRESSIONS order
  dominant: Expression;
  valence: number; // −100…100
  hesitation: boolean;
  negative: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * Writes an interaction and its rollups (hourly, daily, the store's hourly total) in one transaction, exactly
 * once: the interaction id is deterministic, the insert does nothing on conflict, and the rollups are
 * incremented only when the insert took place. A retried or duplicated job therefore never double-counts. The conflict key is the partitioned
 * table's primary key (id, startedAt): the id is a hash of the visit's key, startedAt included, so a
 * duplicate always carries the same startedAt.
 * @returns true when the row is new, false when it was already there.
 */
export async function writeInteraction(db: Db, r: InteractionRecord): Promise<boolean> {
  const [pAngry, pDisgust, pFear, pHappy, pSad, pSurprise, pNeutral] = r.meanProbs;
  const c = r.context;
  const hour = new Date(Math.floor(r.startedAt / HOUR_MS) * HOUR_MS);
  return db.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "Interaction" ("id", "storeId", "cameraId", "zoneId", "itemId", "startedAt", "endedAt", "dwellMs",
        "sampleCount", "pAngry", "pDisgust", "pFear", "pHappy", "pSad", "pSurprise", "pNeutral", "dominant",
        "valence", "hesitation", "negative")
      VALUES (${r.id}, ${c.storeId}, ${c.cameraId}, ${c.zoneId}, ${c.itemId}, ${new Date(r.startedAt)},
        ${new Date(r.endedAt)}, ${Math.round(r.dwellMs)}, ${r.sampleCount}, ${pAngry}, ${pDisgust}, ${pFear}, ${pHappy},
        ${pSad}, ${pSurprise}, ${pNeutral}, ${r.dominant}::"ExpressionLabel", ${r.valence}, ${r.hesitation}, ${r.negative})
      ON CONFLICT ("id", "startedAt") DO NOTHING`;
    if (inserted === 0) return false;
    await tx.$executeRaw`
      INSERT INTO "HourlyRollup" ("id", "storeId", "zoneId", "itemKey", "itemId", "hour", "expression", "count",
        "hesitationCount", "dwellMsSum", "valenceSum")
      VALUES (${randomUUID()}, ${c.storeId}, ${c.zoneId}, ${c.itemId ?? ""}, ${c.itemId}, ${hour},
        ${r.dominant}::"ExpressionLabel", 1, ${r.hesitation ? 1 : 0}, ${Math.round(r.dwellMs)}, ${r.valence})
      ON CONFLICT ("storeId", "zoneId", "itemKey", "hour", "expression") DO UPDATE SET
        "count" = "HourlyRollup"."count" + 1,
        "hesitationCount" = "HourlyRollup"."hesitationCount" + EXCLUDED."hesitationCount",
        "dwellMsSum" = "HourlyRollup"."dwellMsSum" + EXCLUDED."dwellMsSum",
        "valenceSum" = "HourlyRollup"."valenceSum" + EXCLUDED."valenceSum"`;
    // The same increment on the store-local day of the hour's start (the store's time zone read here, so a
    // time zone change, which rebuilds the days under a table lock, is never half applied).
    await tx.$executeRaw`
      INSERT INTO "DailyRollup" ("id", "storeId", "zoneId", "itemKey", "itemId", "day", "expression", "count",
        "hesitationCount", "dwellMsSum", "valenceSum")
      SELECT ${randomUUID()}, s."id", ${c.zoneId}, ${c.itemId ?? ""}, ${c.itemId},
        (date_trunc('day', (${hour}::timestamp AT TIME ZONE 'UTC') AT TIME ZONE s."timezone") AT TIME ZONE s."timezone") AT TIME ZONE 'UTC',
        ${r.dominant}::"ExpressionLabel", 1, ${r.hesitation ? 1 : 0}, ${Math.round(r.dwellMs)}, ${r.valence}
      FROM "Store" s WHERE s."id" = ${c.storeId}
      ON CONFLICT ("storeId", "zoneId", "itemKey", "day", "expression") DO UPDATE SET
        "count" = "DailyRollup"."count" + 1,
        "hesitationCount" = "DailyRollup"."hesitationCount" + EXCLUDED."hesitationCount",
        "dwellMsSum" = "DailyRollup"."dwellMsSum" + EXCLUDED."dwellMsSum",
        "valenceSum" = "DailyRollup"."valenceSum" + EXCLUDED."valenceSum"`;
    // And on the store's total for the hour. Last: its row is shared by every zone and item of the store, so
    // its lock is held for the shortest time (to the commit that follows).
    await tx.$executeRaw`
      INSERT INTO "StoreHourlyRollup" ("id", "storeId", "hour", "expression", "count", "hesitationCount",
        "dwellMsSum", "valenceSum")
      VALUES (${randomUUID()}, ${c.storeId}, ${hour}, ${r.dominant}::"ExpressionLabel", 1, ${r.hesitation ? 1 : 0},
        ${Math.round(r.dwellMs)}, ${r.valence})
      ON CONFLICT ("storeId", "hour", "expression") DO UPDATE SET
        "count" = "StoreHourlyRollup"."count" + 1,
        "hesitationCount" = "StoreHourlyRollup"."hesitationCount" + EXCLUDED."hesitationCount",
        "dwellMsSum" = "StoreHourlyRollup"."dwellMsSum" + EXCLUDED."dwellMsSum",
        "valenceSum" = "StoreHourlyRollup"."valenceSum" + EXCLUDED."valenceSum"`;
    return true;
  });
}
