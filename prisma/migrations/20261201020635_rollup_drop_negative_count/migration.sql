-- AlterTable
ALTER TABLE "HourlyRollup" DROP COLUMN "negativeCount";
