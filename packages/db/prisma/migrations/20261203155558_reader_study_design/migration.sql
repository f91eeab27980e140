-- CreateEnum
CREATE TYPE "ReaderStudyDesign" AS ENUM ('SEQUENTIAL', 'CROSSOVER');

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "studyDesign" "ReaderStudyDesign";
