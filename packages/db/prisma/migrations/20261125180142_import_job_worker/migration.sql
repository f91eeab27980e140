-- AlterTable
ALTER TABLE "ImportJob" ADD COLUMN     "workerId" TEXT;
