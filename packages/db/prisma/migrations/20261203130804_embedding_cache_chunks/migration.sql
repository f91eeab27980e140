-- CreateTable
CREATE TABLE "EmbeddingChunk" (
    "sha256" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmbeddingChunk_pkey" PRIMARY KEY ("sha256")
);

-- CreateIndex
CREATE INDEX "EmbeddingChunk_namespace_idx" ON "EmbeddingChunk"("namespace");
