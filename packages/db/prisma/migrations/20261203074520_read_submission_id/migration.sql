-- AlterTable
ALTER TABLE "Read" ADD COLUMN     "submissionId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Read_submissionId_key" ON "Read"("submissionId");
