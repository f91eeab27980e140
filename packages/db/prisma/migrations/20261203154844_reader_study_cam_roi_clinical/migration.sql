-- CreateEnum
CREATE TYPE "ReadingPhase" AS ENUM ('SINGLE', 'UNAIDED', 'AIDED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "QueueStrategy" ADD VALUE 'CAM_ROI_DISAGREEMENT';
ALTER TYPE "QueueStrategy" ADD VALUE 'DIVERSITY';
ALTER TYPE "QueueStrategy" ADD VALUE 'WEIGHTED_MIX';

-- DropIndex
DROP INDEX "Assignment_campaignId_imageId_userId_key";

-- AlterTable
ALTER TABLE "Assignment" ADD COLUMN     "availableAt" TIMESTAMP(3),
ADD COLUMN     "phase" "ReadingPhase" NOT NULL DEFAULT 'SINGLE';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "studyClassId" TEXT;

-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "clinicalExtra" JSONB,
ADD COLUMN     "rtPcrPositive" BOOLEAN;

-- AlterTable
ALTER TABLE "Read" ADD COLUMN     "studyRating" INTEGER;

-- CreateTable
CREATE TABLE "CamRoiAgreement" (
    "id" TEXT NOT NULL,
    "predictionId" TEXT NOT NULL,
    "readId" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "gradCamMapId" TEXT NOT NULL,
    "pointingStrict" BOOLEAN NOT NULL,
    "pointingTolerant" BOOLEAN NOT NULL,
    "energyInside" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CamRoiAgreement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CamRoiAgreement_predictionId_idx" ON "CamRoiAgreement"("predictionId");

-- CreateIndex
CREATE INDEX "CamRoiAgreement_readId_idx" ON "CamRoiAgreement"("readId");

-- CreateIndex
CREATE UNIQUE INDEX "CamRoiAgreement_gradCamMapId_readId_key" ON "CamRoiAgreement"("gradCamMapId", "readId");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_campaignId_imageId_userId_phase_key" ON "Assignment"("campaignId", "imageId", "userId", "phase");

-- AddForeignKey
ALTER TABLE "CamRoiAgreement" ADD CONSTRAINT "CamRoiAgreement_predictionId_fkey" FOREIGN KEY ("predictionId") REFERENCES "Prediction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CamRoiAgreement" ADD CONSTRAINT "CamRoiAgreement_readId_fkey" FOREIGN KEY ("readId") REFERENCES "Read"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CamRoiAgreement" ADD CONSTRAINT "CamRoiAgreement_classId_fkey" FOREIGN KEY ("classId") REFERENCES "LabelClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CamRoiAgreement" ADD CONSTRAINT "CamRoiAgreement_gradCamMapId_fkey" FOREIGN KEY ("gradCamMapId") REFERENCES "GradCamMap"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_studyClassId_fkey" FOREIGN KEY ("studyClassId") REFERENCES "LabelClass"("id") ON DELETE SET NULL ON UPDATE CASCADE;
