-- CreateTable
CREATE TABLE "StoreHourlyRollup" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "expression" "ExpressionLabel" NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "hesitationCount" INTEGER NOT NULL DEFAULT 0,
    "dwellMsSum" BIGINT NOT NULL DEFAULT 0,
    "valenceSum" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "StoreHourlyRollup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StoreHourlyRollup_storeId_hour_expression_key" ON "StoreHourlyRollup"("storeId", "hour", "expression");

-- AddForeignKey
ALTER TABLE "StoreHourlyRollup" ADD CONSTRAINT "StoreHourlyRollup_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: every store's hourly rollups summed over zones and items (what rebuildStoreHourlyRollups in
-- packages/db/src/rollups.ts does for one store; rows the retention job already merged into days stay at the
-- day's first instant, as in HourlyRollup). SHARE mode waits for the writers in flight and holds new ones until
-- the migration commits, so no hourly increment is missed; workers of the previous version (which do not write
-- StoreHourlyRollup) must be stopped before this migration runs.
LOCK TABLE "HourlyRollup" IN SHARE MODE;
INSERT INTO "StoreHourlyRollup" ("id", "storeId", "hour", "expression", "count", "hesitationCount", "dwellMsSum",
  "valenceSum")
SELECT gen_random_uuid()::text, "storeId", "hour", "expression", SUM("count")::int, SUM("hesitationCount")::int,
  SUM("dwellMsSum")::bigint, SUM("valenceSum")
FROM "HourlyRollup"
GROUP BY "storeId", "hour", "expression";
