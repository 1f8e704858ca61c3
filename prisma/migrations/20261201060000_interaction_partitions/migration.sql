-- Interactions partitioned by month of "startedAt" (declarative range partitioning). "startedAt" is a UTC
-- wall clock (Prisma's TIMESTAMP(3)), so a partition holds one UTC calendar month: "Interaction_y2026m12"
-- holds [2026-12-01 00:00, 2027-01-01 00:00). Retention drops whole months (packages/db/src/retention.ts)
-- and the worker's maintenance job creates partitions ahead (packages/db/src/partitions.ts). A default
-- partition takes any row whose month has no partition yet; creating that month's partition moves them out.
--
-- Prisma's schema cannot express partitioning: schema.prisma declares the parent table only (primary key
-- ("id", "startedAt"), since a partitioned table's unique keys must hold its partition key), and
-- scripts/prisma/migrate.mjs's drift check leaves the partitions of "Interaction" out of its comparison.
--
-- Existing rows are copied month by month into standalone tables that are attached afterwards (indexes are
-- built once per month, not row by row), in this migration's one transaction.

-- 1. The old table steps aside: its key and indexes give up their names (which the new table takes).
ALTER TABLE "Interaction" RENAME TO "Interaction_unpartitioned";
ALTER TABLE "Interaction_unpartitioned" RENAME CONSTRAINT "Interaction_pkey" TO "Interaction_unpartitioned_pkey";
DROP INDEX "Interaction_storeId_startedAt_idx";
DROP INDEX "Interaction_itemId_startedAt_idx";
DROP INDEX "Interaction_zoneId_startedAt_idx";

-- 2. The partitioned table: the same columns in the same order, the key on ("id", "startedAt").
CREATE TABLE "Interaction" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "cameraId" TEXT NOT NULL,
    "zoneId" TEXT NOT NULL,
    "itemId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3) NOT NULL,
    "dwellMs" INTEGER NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "pAngry" DOUBLE PRECISION NOT NULL,
    "pDisgust" DOUBLE PRECISION NOT NULL,
    "pFear" DOUBLE PRECISION NOT NULL,
    "pHappy" DOUBLE PRECISION NOT NULL,
    "pSad" DOUBLE PRECISION NOT NULL,
    "pSurprise" DOUBLE PRECISION NOT NULL,
    "pNeutral" DOUBLE PRECISION NOT NULL,
    "dominant" "ExpressionLabel" NOT NULL,
    "valence" DOUBLE PRECISION NOT NULL,
    "hesitation" BOOLEAN NOT NULL,
    "negative" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id", "startedAt")
) PARTITION BY RANGE ("startedAt");

CREATE INDEX "Interaction_storeId_startedAt_idx" ON "Interaction"("storeId", "startedAt");
CREATE INDEX "Interaction_itemId_startedAt_idx" ON "Interaction"("itemId", "startedAt");
CREATE INDEX "Interaction_zoneId_startedAt_idx" ON "Interaction"("zoneId", "startedAt");

ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "ShelfZone"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "Interaction_default" PARTITION OF "Interaction" DEFAULT;

-- 3. One month's partition, created when missing: built as a standalone table, filled with the month's rows
-- of `source` (the default partition, or here the old table; moved out of the default partition, copied
-- from anything else), then attached. Attaching locks the parent only SHARE UPDATE EXCLUSIVE (inserts and
-- reads go on), where CREATE TABLE … PARTITION OF would lock it ACCESS EXCLUSIVE. An advisory lock
-- serialises concurrent callers (several worker processes). Returns whether it created the partition.
CREATE FUNCTION "interaction_partition_create"(month TIMESTAMP, source REGCLASS DEFAULT '"Interaction_default"')
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
  lo TIMESTAMP := date_trunc('month', month);
  hi TIMESTAMP := date_trunc('month', month) + INTERVAL '1 month';
  part TEXT := 'Interaction_y' || to_char(date_trunc('month', month), 'YYYY') || 'm' || to_char(date_trunc('month', month), 'MM');
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('Interaction partitions'));
  IF to_regclass(format('%I', part)) IS NOT NULL THEN
    RETURN FALSE;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE "Interaction" INCLUDING DEFAULTS)', part);
  -- The bound as a constraint up front: rows are checked as they arrive and ATTACH need not scan them again.
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK ("startedAt" >= %L AND "startedAt" < %L)',
    part, part || '_bound', lo, hi);
  IF source = '"Interaction_default"'::regclass THEN
    EXECUTE format('WITH moved AS (DELETE FROM "Interaction_default" WHERE "startedAt" >= %L AND "startedAt" < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
      lo, hi, part);
  ELSE
    EXECUTE format('INSERT INTO %I SELECT * FROM %s WHERE "startedAt" >= %L AND "startedAt" < %L', part, source, lo, hi);
  END IF;
  EXECUTE format('ALTER TABLE "Interaction" ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_bound');
  RETURN TRUE;
END
$$;

-- 4. A partition for every month that has rows, and for this month and the next two; then the old table goes.
SELECT "interaction_partition_create"(m, '"Interaction_unpartitioned"')
FROM (
  SELECT DISTINCT date_trunc('month', "startedAt") AS m FROM "Interaction_unpartitioned"
  UNION
  SELECT generate_series(date_trunc('month', now() AT TIME ZONE 'UTC'),
    date_trunc('month', now() AT TIME ZONE 'UTC') + INTERVAL '2 months', INTERVAL '1 month')
) months
ORDER BY m;

DROP TABLE "Interaction_unpartitioned";
