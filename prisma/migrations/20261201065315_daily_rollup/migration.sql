-- CreateTable
CREATE TABLE "DailyRollup" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "itemKey" TEXT NOT NULL,
    "itemId" TEXT,
    "day" TIMESTAMP(3) NOT NULL,
    "expression" "ExpressionLabel" NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "hesitationCount" INTEGER NOT NULL DEFAULT 0,
    "dwellMsSum" BIGINT NOT NULL DEFAULT 0,
    "valenceSum" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "DailyRollup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DailyRollup_storeId_day_idx" ON "DailyRollup"("storeId", "day");

-- CreateIndex
CREATE INDEX "DailyRollup_itemId_day_idx" ON "DailyRollup"("itemId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "DailyRollup_storeId_zoneId_itemKey_day_expression_key" ON "DailyRollup"("storeId", "zoneId", "itemKey", "day", "expression");

-- AddForeignKey
ALTER TABLE "DailyRollup" ADD CONSTRAINT "DailyRollup_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyRollup" ADD CONSTRAINT "DailyRollup_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "ShelfZone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyRollup" ADD CONSTRAINT "DailyRollup_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: every store's hourly rollups summed per store-local day (what rebuildDailyRollups in
-- packages/db/src/rollups.ts does for one store). SHARE mode waits for the writers in flight and holds new
-- ones until the migration commits, so no hourly increment is missed; workers of the previous version (which
-- do not write DailyRollup) must be stopped before this migration runs.
LOCK TABLE "HourlyRollup" IN SHARE MODE;
INSERT INTO "DailyRollup" ("id", "storeId", "zoneId", "itemKey", "itemId", "day", "expression", "count",
  "hesitationCount", "dwellMsSum", "valenceSum")
SELECT gen_random_uuid()::text, r."storeId", r."zoneId", r."itemKey", r."itemId",
  (date_trunc('day', (r."hour" AT TIME ZONE 'UTC') AT TIME ZONE s."timezone") AT TIME ZONE s."timezone") AT TIME ZONE 'UTC',
  r."expression", SUM(r."count")::int, SUM(r."hesitationCount")::int, SUM(r."dwellMsSum")::bigint, SUM(r."valenceSum")
FROM "HourlyRollup" r JOIN "Store" s ON s."id" = r."storeId"
GROUP BY 2, 3, 4, 5, 6, 7;
