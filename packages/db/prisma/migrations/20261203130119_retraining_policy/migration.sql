-- CreateTable
CREATE TABLE "RetrainingPolicy" (
    "labelSetId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "threshold" INTEGER NOT NULL,
    "mode" "TrainingMode" NOT NULL DEFAULT 'HEAD_ONLY',
    "architecture" "Architecture" NOT NULL DEFAULT 'COMPACT_CNN',
    "epochs" INTEGER NOT NULL DEFAULT 10,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastTriggeredAt" TIMESTAMP(3),
    "lastRunId" TEXT,

    CONSTRAINT "RetrainingPolicy_pkey" PRIMARY KEY ("labelSetId")
);

-- AddForeignKey
ALTER TABLE "RetrainingPolicy" ADD CONSTRAINT "RetrainingPolicy_labelSetId_fkey" FOREIGN KEY ("labelSetId") REFERENCES "LabelSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainingPolicy" ADD CONSTRAINT "RetrainingPolicy_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
