-- AlterEnum
ALTER TYPE "AnnotationShape" ADD VALUE 'BRUSH';

-- AlterTable
ALTER TABLE "Annotation" ADD COLUMN     "strokeWidth" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "ReviewDraft" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReviewDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReviewDraft_imageId_idx" ON "ReviewDraft"("imageId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewDraft_userId_imageId_key" ON "ReviewDraft"("userId", "imageId");

-- AddForeignKey
ALTER TABLE "ReviewDraft" ADD CONSTRAINT "ReviewDraft_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewDraft" ADD CONSTRAINT "ReviewDraft_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;
