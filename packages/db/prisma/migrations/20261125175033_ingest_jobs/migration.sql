-- CreateEnum
CREATE TYPE "ImportJobStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED');

-- CreateEnum
CREATE TYPE "ImportItemStatus" AS ENUM ('IMPORTED', 'DUPLICATE', 'SKIPPED', 'FAILED');

-- CreateEnum
CREATE TYPE "ImportSkipReason" AS ENUM ('FILTERED', 'MISSING_FILE', 'UNREADABLE_IMAGE', 'UNKNOWN_FINDING', 'UNSUPPORTED', 'INVALID_METADATA', 'TOO_LARGE', 'ERROR');

-- CreateTable
CREATE TABLE "StoredObject" (
    "sha256" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "mimeType" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredObject_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "ImportJob" (
    "id" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "sourceRef" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "options" JSONB,
    "status" "ImportJobStatus" NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "imported" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedById" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ImportJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportItem" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" "ImportItemStatus" NOT NULL,
    "reason" "ImportSkipReason",
    "message" TEXT,
    "imageIds" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ImportJob_fingerprint_status_idx" ON "ImportJob"("fingerprint", "status");

-- CreateIndex
CREATE INDEX "ImportJob_status_startedAt_idx" ON "ImportJob"("status", "startedAt");

-- CreateIndex
CREATE INDEX "ImportItem_jobId_status_idx" ON "ImportItem"("jobId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ImportItem_jobId_key_key" ON "ImportItem"("jobId", "key");

-- AddForeignKey
ALTER TABLE "ImportItem" ADD CONSTRAINT "ImportItem_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "ImportJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;
