-- AlterTable
ALTER TABLE "Item" ADD COLUMN     "createdByStoreId" TEXT;

-- AlterTable
ALTER TABLE "Kiosk" ADD COLUMN     "deviceTokenHash" TEXT,
ADD COLUMN     "pairedAt" TIMESTAMP(3),
ADD COLUMN     "pairingCodeHash" TEXT,
ADD COLUMN     "pairingExpiresAt" TIMESTAMP(3),
ADD COLUMN     "revokedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Item_createdByStoreId_idx" ON "Item"("createdByStoreId");

-- CreateIndex
CREATE UNIQUE INDEX "Kiosk_pairingCodeHash_key" ON "Kiosk"("pairingCodeHash");

-- CreateIndex
CREATE UNIQUE INDEX "Kiosk_deviceTokenHash_key" ON "Kiosk"("deviceTokenHash");

-- k-anonymity floor: any store admin could set k below 5 until now; lowering it is now a super admin's
-- decision, so existing low values are raised to the floor (a super admin may lower them again).
UPDATE "StoreSettings" SET "kAnonymity" = 5 WHERE "kAnonymity" < 5;
