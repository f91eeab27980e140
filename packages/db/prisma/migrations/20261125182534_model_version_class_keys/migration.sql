-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "classKeys" TEXT[] DEFAULT ARRAY[]::TEXT[];
