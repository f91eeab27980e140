-- CreateEnum
CREATE TYPE "CampaignTask" AS ENUM ('CLASSIFY', 'CLASSIFY_ROI', 'ROI_ONLY');

-- CreateEnum
CREATE TYPE "ConsensusRule" AS ENUM ('MAJORITY', 'UNANIMITY', 'ADJUDICATOR');

-- CreateEnum
CREATE TYPE "CampaignMode" AS ENUM ('STANDARD', 'READER_STUDY');

-- CreateEnum
CREATE TYPE "CampaignRole" AS ENUM ('READER', 'ADJUDICATOR');

-- CreateEnum
CREATE TYPE "AdjudicationStatus" AS ENUM ('PENDING', 'DECIDED');

-- CreateEnum
CREATE TYPE "AdjudicationReason" AS ENUM ('DISAGREEMENT', 'SECOND_OPINION', 'RULE');

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "consensusRule" "ConsensusRule" NOT NULL DEFAULT 'MAJORITY',
ADD COLUMN     "dueAt" TIMESTAMP(3),
ADD COLUMN     "iouThreshold" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
ADD COLUMN     "mode" "CampaignMode" NOT NULL DEFAULT 'STANDARD',
ADD COLUMN     "selection" JSONB,
ADD COLUMN     "strategyWeights" JSONB,
ADD COLUMN     "task" "CampaignTask" NOT NULL DEFAULT 'CLASSIFY_ROI',
ADD COLUMN     "washoutDays" INTEGER;

-- AlterTable
ALTER TABLE "Consensus" ADD COLUMN     "campaignId" TEXT;

-- AlterTable
ALTER TABLE "LabelClass" ADD COLUMN     "hotkey" TEXT,
ADD COLUMN     "retired" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CampaignMember" (
    "campaignId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "CampaignRole" NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignMember_pkey" PRIMARY KEY ("campaignId","userId","role")
);

-- CreateTable
CREATE TABLE "Adjudication" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "reason" "AdjudicationReason" NOT NULL,
    "status" "AdjudicationStatus" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "decidedById" TEXT,
    "consensusId" TEXT,

    CONSTRAINT "Adjudication_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CampaignMember_userId_idx" ON "CampaignMember"("userId");

-- CreateIndex
CREATE INDEX "Adjudication_campaignId_status_createdAt_idx" ON "Adjudication"("campaignId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Adjudication_campaignId_imageId_key" ON "Adjudication"("campaignId", "imageId");

-- AddForeignKey
ALTER TABLE "CampaignMember" ADD CONSTRAINT "CampaignMember_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignMember" ADD CONSTRAINT "CampaignMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adjudication" ADD CONSTRAINT "Adjudication_consensusId_fkey" FOREIGN KEY ("consensusId") REFERENCES "Consensus"("id") ON DELETE SET NULL ON UPDATE CASCADE;
