-- CreateTable
CREATE TABLE "PretrainedBackbone" (
    "id" TEXT NOT NULL,
    "architecture" "Architecture" NOT NULL,
    "sourceFile" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "sourceSha256" TEXT NOT NULL,
    "storageUri" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PretrainedBackbone_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PretrainedBackbone_architecture_createdAt_idx" ON "PretrainedBackbone"("architecture", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PretrainedBackbone_architecture_checksum_key" ON "PretrainedBackbone"("architecture", "checksum");

-- AddForeignKey
ALTER TABLE "PretrainedBackbone" ADD CONSTRAINT "PretrainedBackbone_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
