-- CreateTable
CREATE TABLE "ShelfSign" (
    "code" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ShelfSign_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "SurveyRun" (
    "storeId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "running" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SurveyRun_pkey" PRIMARY KEY ("storeId","itemId")
);

-- CreateIndex
CREATE INDEX "ShelfSign_storeId_itemId_createdAt_idx" ON "ShelfSign"("storeId", "itemId", "createdAt");

-- AddForeignKey
ALTER TABLE "ShelfSign" ADD CONSTRAINT "ShelfSign_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShelfSign" ADD CONSTRAINT "ShelfSign_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyRun" ADD CONSTRAINT "SurveyRun_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyRun" ADD CONSTRAINT "SurveyRun_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "Item"("id") ON DELETE CASCADE ON UPDATE CASCADE;
