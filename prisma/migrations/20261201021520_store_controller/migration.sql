-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "controllerContact" TEXT,
ADD COLUMN     "controllerName" TEXT,
ADD COLUMN     "dpoContact" TEXT;
