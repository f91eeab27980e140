-- AlterTable
ALTER TABLE "Read" ADD COLUMN     "notDiagnostic" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "secondOpinion" BOOLEAN NOT NULL DEFAULT false;
