-- AlterTable
ALTER TABLE "Camera" ADD COLUMN     "sourceCredentials" TEXT;

-- CreateTable
CREATE TABLE "CameraSourcePolicy" (
    "storeId" TEXT NOT NULL,
    "allowlist" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CameraSourcePolicy_pkey" PRIMARY KEY ("storeId")
);

-- AddForeignKey
ALTER TABLE "CameraSourcePolicy" ADD CONSTRAINT "CameraSourcePolicy_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;
