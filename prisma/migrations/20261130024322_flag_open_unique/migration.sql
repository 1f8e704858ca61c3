-- At most one open flag per item in a store: the web app (re-deciding flags after a threshold change) and the
-- worker (scoring an item) may both raise the item's flag at once. Partial, so cleared flags keep their
-- history. Written by hand: partial indexes need Prisma's "partialIndexes" preview feature, which schema.prisma
-- does not enable (see the note on model Flag); the drift check leaves this index alone.

-- Duplicates raised before this index: the newest stays open (the one every reader already shows); the older
-- ones are closed when it was raised. No row is deleted.
UPDATE "Flag" AS f
SET "clearedAt" = newest."raisedAt"
FROM (
    SELECT DISTINCT ON ("storeId", "itemId") "id", "storeId", "itemId", "raisedAt"
    FROM "Flag"
    WHERE "clearedAt" IS NULL
    ORDER BY "storeId", "itemId", "raisedAt" DESC, "id" DESC
) AS newest
WHERE f."clearedAt" IS NULL
  AND f."storeId" = newest."storeId"
  AND f."itemId" = newest."itemId"
  AND f."id" <> newest."id";

-- CreateIndex
CREATE UNIQUE INDEX "Flag_storeId_itemId_open_key" ON "Flag"("storeId", "itemId") WHERE "clearedAt" IS NULL;
