-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'RADIOLOGIST', 'ANNOTATOR');

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('MALE', 'FEMALE', 'OTHER');

-- CreateEnum
CREATE TYPE "Split" AS ENUM ('TRAIN', 'VALIDATION', 'TEST');

-- CreateEnum
CREATE TYPE "Modality" AS ENUM ('CR', 'DX', 'CT');

-- CreateEnum
CREATE TYPE "ViewPosition" AS ENUM ('PA', 'AP', 'APS', 'L', 'AXIAL', 'CORONAL');

-- CreateEnum
CREATE TYPE "ImageSource" AS ENUM ('UPLOAD', 'DICOM_FILE', 'DICOMWEB', 'DATASET_COHEN', 'DATASET_KERMANY', 'DATASET_RADIOGRAPHY_DB', 'FOLDER', 'SYNTHETIC');

-- CreateEnum
CREATE TYPE "ImageStatus" AS ENUM ('PENDING', 'READY', 'FAILED');

-- CreateEnum
CREATE TYPE "ReadSource" AS ENUM ('READER', 'IMPORT');

-- CreateEnum
CREATE TYPE "AnnotationShape" AS ENUM ('RECTANGLE', 'ELLIPSE', 'POLYGON', 'FREEHAND', 'POINT');

-- CreateEnum
CREATE TYPE "ConsensusMethod" AS ENUM ('SINGLE_READER', 'MAJORITY', 'UNANIMOUS', 'ADJUDICATED');

-- CreateEnum
CREATE TYPE "Architecture" AS ENUM ('COMPACT_CNN', 'VGG16', 'DENSENET121', 'RESNET50');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('CANDIDATE', 'CHAMPION', 'RETIRED', 'REJECTED');

-- CreateEnum
CREATE TYPE "GradCamMethod" AS ENUM ('GRADCAM', 'GUIDED_GRADCAM');

-- CreateEnum
CREATE TYPE "TrainingMode" AS ENUM ('HEAD_ONLY', 'FULL_FINE_TUNE');

-- CreateEnum
CREATE TYPE "LabelSource" AS ENUM ('CONSENSUS', 'CORRECTED', 'IMPORTED');

-- CreateEnum
CREATE TYPE "TrainingStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('DRAFT', 'ACTIVE', 'PAUSED', 'CLOSED');

-- CreateEnum
CREATE TYPE "QueueStrategy" AS ENUM ('FIFO', 'RANDOM', 'ENTROPY', 'MARGIN', 'LEAST_CONFIDENCE', 'BALD', 'COMMITTEE_DISAGREEMENT', 'CRITICAL_CONFUSION');

-- CreateEnum
CREATE TYPE "AssignmentStatus" AS ENUM ('PENDING', 'IN_PROGRESS', 'DONE', 'SKIPPED');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT,
    "oidcSubject" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastLoginAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Patient" (
    "id" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "source" "ImageSource" NOT NULL,
    "pseudonym" TEXT,
    "sex" "Sex",
    "birthYear" INTEGER,
    "split" "Split",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Study" (
    "id" TEXT NOT NULL,
    "patientId" TEXT NOT NULL,
    "studyInstanceUid" TEXT,
    "accessionNumber" TEXT,
    "studyDate" TIMESTAMP(3),
    "description" TEXT,
    "institution" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Study_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Image" (
    "id" TEXT NOT NULL,
    "studyId" TEXT NOT NULL,
    "source" "ImageSource" NOT NULL,
    "sourceRef" TEXT,
    "sopInstanceUid" TEXT,
    "seriesInstanceUid" TEXT,
    "frameNumber" INTEGER NOT NULL DEFAULT 0,
    "modality" "Modality" NOT NULL,
    "viewPosition" "ViewPosition",
    "bodyPart" TEXT,
    "status" "ImageStatus" NOT NULL DEFAULT 'PENDING',
    "error" TEXT,
    "originalSha256" TEXT NOT NULL,
    "masterSha256" TEXT,
    "previewSha256" TEXT,
    "mimeType" TEXT NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "width" INTEGER,
    "height" INTEGER,
    "bitsStored" INTEGER,
    "photometric" TEXT,
    "windowCenter" DOUBLE PRECISION,
    "windowWidth" DOUBLE PRECISION,
    "offsetDays" INTEGER,
    "ageYears" DOUBLE PRECISION,
    "finding" TEXT,
    "survival" BOOLEAN,
    "intubated" BOOLEAN,
    "intubationPresent" BOOLEAN,
    "wentIcu" BOOLEAN,
    "inIcu" BOOLEAN,
    "neededSupplementalO2" BOOLEAN,
    "extubated" BOOLEAN,
    "temperatureC" DOUBLE PRECISION,
    "po2Saturation" DOUBLE PRECISION,
    "leukocyteCount" DOUBLE PRECISION,
    "neutrophilCount" DOUBLE PRECISION,
    "lymphocyteCount" DOUBLE PRECISION,
    "acquiredAt" TIMESTAMP(3),
    "acquiredAtText" TEXT,
    "hospital" TEXT,
    "location" TEXT,
    "folder" TEXT,
    "filename" TEXT,
    "doi" TEXT,
    "url" TEXT,
    "license" TEXT,
    "clinicalNotes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelSet" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LabelSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LabelClass" (
    "id" TEXT NOT NULL,
    "labelSetId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "color" TEXT NOT NULL DEFAULT '#888888',
    "critical" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "LabelClass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Read" (
    "id" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "labelSetId" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "source" "ReadSource" NOT NULL DEFAULT 'READER',
    "readerId" TEXT,
    "campaignId" TEXT,
    "assignmentId" TEXT,
    "predictionId" TEXT,
    "confidence" INTEGER,
    "notes" TEXT,
    "durationMs" INTEGER,
    "supersedesId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Read_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Annotation" (
    "id" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "readId" TEXT,
    "authorId" TEXT NOT NULL,
    "classId" TEXT,
    "shape" "AnnotationShape" NOT NULL,
    "points" JSONB NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Annotation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Consensus" (
    "id" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "labelSetId" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "method" "ConsensusMethod" NOT NULL,
    "agreement" DOUBLE PRECISION,
    "readCount" INTEGER NOT NULL DEFAULT 0,
    "decidedById" TEXT,
    "rationale" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Consensus_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL,
    "labelSetId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "architecture" "Architecture" NOT NULL,
    "inputSize" INTEGER NOT NULL,
    "targetLayer" TEXT NOT NULL,
    "status" "ModelStatus" NOT NULL DEFAULT 'CANDIDATE',
    "storageUri" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "metrics" JSONB,
    "history" JSONB,
    "trainingRunId" TEXT,
    "parentId" TEXT,
    "promotedAt" TIMESTAMP(3),
    "promotedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "probabilities" DOUBLE PRECISION[],
    "predictedClassId" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "entropy" DOUBLE PRECISION,
    "margin" DOUBLE PRECISION,
    "leastConfidence" DOUBLE PRECISION,
    "bald" DOUBLE PRECISION,
    "durationMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GradCamMap" (
    "id" TEXT NOT NULL,
    "predictionId" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "targetLayer" TEXT NOT NULL,
    "method" "GradCamMethod" NOT NULL DEFAULT 'GRADCAM',
    "mapSha256" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GradCamMap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingRun" (
    "id" TEXT NOT NULL,
    "labelSetId" TEXT NOT NULL,
    "architecture" "Architecture" NOT NULL,
    "mode" "TrainingMode" NOT NULL DEFAULT 'HEAD_ONLY',
    "labelSources" "LabelSource"[],
    "status" "TrainingStatus" NOT NULL DEFAULT 'QUEUED',
    "params" JSONB NOT NULL,
    "epochs" INTEGER NOT NULL,
    "currentEpoch" INTEGER NOT NULL DEFAULT 0,
    "progress" JSONB,
    "error" TEXT,
    "workerId" TEXT,
    "startedById" TEXT,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TrainingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "labelSetId" TEXT NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'DRAFT',
    "strategy" "QueueStrategy" NOT NULL DEFAULT 'FIFO',
    "readsPerImage" INTEGER NOT NULL DEFAULT 1,
    "blinded" BOOLEAN NOT NULL DEFAULT false,
    "modelVersionId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignImage" (
    "campaignId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "priority" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignImage_pkey" PRIMARY KEY ("campaignId","imageId")
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" "AssignmentStatus" NOT NULL DEFAULT 'PENDING',
    "priority" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "assignedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3),

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorRole" "Role",
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_oidcSubject_key" ON "User"("oidcSubject");

-- CreateIndex
CREATE INDEX "Patient_split_idx" ON "Patient"("split");

-- CreateIndex
CREATE UNIQUE INDEX "Patient_source_externalId_key" ON "Patient"("source", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Study_studyInstanceUid_key" ON "Study"("studyInstanceUid");

-- CreateIndex
CREATE INDEX "Study_patientId_idx" ON "Study"("patientId");

-- CreateIndex
CREATE INDEX "Study_studyDate_idx" ON "Study"("studyDate");

-- CreateIndex
CREATE INDEX "Image_studyId_idx" ON "Image"("studyId");

-- CreateIndex
CREATE INDEX "Image_originalSha256_idx" ON "Image"("originalSha256");

-- CreateIndex
CREATE INDEX "Image_status_createdAt_idx" ON "Image"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Image_modality_viewPosition_idx" ON "Image"("modality", "viewPosition");

-- CreateIndex
CREATE UNIQUE INDEX "Image_sopInstanceUid_frameNumber_key" ON "Image"("sopInstanceUid", "frameNumber");

-- CreateIndex
CREATE UNIQUE INDEX "LabelSet_name_key" ON "LabelSet"("name");

-- CreateIndex
CREATE UNIQUE INDEX "LabelClass_labelSetId_key_key" ON "LabelClass"("labelSetId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "LabelClass_labelSetId_index_key" ON "LabelClass"("labelSetId", "index");

-- CreateIndex
CREATE UNIQUE INDEX "Read_assignmentId_key" ON "Read"("assignmentId");

-- CreateIndex
CREATE UNIQUE INDEX "Read_supersedesId_key" ON "Read"("supersedesId");

-- CreateIndex
CREATE INDEX "Read_imageId_labelSetId_idx" ON "Read"("imageId", "labelSetId");

-- CreateIndex
CREATE INDEX "Read_readerId_createdAt_idx" ON "Read"("readerId", "createdAt");

-- CreateIndex
CREATE INDEX "Read_campaignId_createdAt_idx" ON "Read"("campaignId", "createdAt");

-- CreateIndex
CREATE INDEX "Annotation_imageId_idx" ON "Annotation"("imageId");

-- CreateIndex
CREATE INDEX "Annotation_authorId_createdAt_idx" ON "Annotation"("authorId", "createdAt");

-- CreateIndex
CREATE INDEX "Consensus_labelSetId_classId_idx" ON "Consensus"("labelSetId", "classId");

-- CreateIndex
CREATE UNIQUE INDEX "Consensus_imageId_labelSetId_key" ON "Consensus"("imageId", "labelSetId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_trainingRunId_key" ON "ModelVersion"("trainingRunId");

-- CreateIndex
CREATE INDEX "ModelVersion_labelSetId_status_idx" ON "ModelVersion"("labelSetId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_labelSetId_version_key" ON "ModelVersion"("labelSetId", "version");

-- CreateIndex
CREATE INDEX "Prediction_modelVersionId_predictedClassId_idx" ON "Prediction"("modelVersionId", "predictedClassId");

-- CreateIndex
CREATE INDEX "Prediction_modelVersionId_entropy_idx" ON "Prediction"("modelVersionId", "entropy" DESC);

-- CreateIndex
CREATE INDEX "Prediction_modelVersionId_margin_idx" ON "Prediction"("modelVersionId", "margin");

-- CreateIndex
CREATE UNIQUE INDEX "Prediction_imageId_modelVersionId_key" ON "Prediction"("imageId", "modelVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "GradCamMap_predictionId_classId_targetLayer_method_key" ON "GradCamMap"("predictionId", "classId", "targetLayer", "method");

-- CreateIndex
CREATE INDEX "TrainingRun_status_queuedAt_idx" ON "TrainingRun"("status", "queuedAt");

-- CreateIndex
CREATE INDEX "TrainingRun_labelSetId_queuedAt_idx" ON "TrainingRun"("labelSetId", "queuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_name_key" ON "Campaign"("name");

-- CreateIndex
CREATE INDEX "Campaign_status_idx" ON "Campaign"("status");

-- CreateIndex
CREATE INDEX "CampaignImage_campaignId_priority_idx" ON "CampaignImage"("campaignId", "priority" DESC);

-- CreateIndex
CREATE INDEX "Assignment_userId_status_priority_idx" ON "Assignment"("userId", "status", "priority" DESC);

-- CreateIndex
CREATE INDEX "Assignment_campaignId_status_idx" ON "Assignment"("campaignId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_campaignId_imageId_userId_key" ON "Assignment"("campaignId", "imageId", "userId");

-- CreateIndex
CREATE INDEX "AuditEvent_entityType_entityId_at_idx" ON "AuditEvent"("entityType", "entityId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LabelClass" ADD CONSTRAINT "LabelClass_labelSetId_fkey" FOREIGN KEY ("labelSetId") REFERENCES "LabelSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_labelSetId_fkey" FOREIGN KEY ("labelSetId") REFERENCES "LabelSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_classId_fkey" FOREIGN KEY ("classId") REFERENCES "LabelClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_readerId_fkey" FOREIGN KEY ("readerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_predictionId_fkey" FOREIGN KEY ("predictionId") REFERENCES "Prediction"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Read" ADD CONSTRAINT "Read_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "Read"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_readId_fkey" FOREIGN KEY ("readId") REFERENCES "Read"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Annotation" ADD CONSTRAINT "Annotation_classId_fkey" FOREIGN KEY ("classId") REFERENCES "LabelClass"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consensus" ADD CONSTRAINT "Consensus_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consensus" ADD CONSTRAINT "Consensus_labelSetId_fkey" FOREIGN KEY ("labelSetId") REFERENCES "LabelSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consensus" ADD CONSTRAINT "Consensus_classId_fkey" FOREIGN KEY ("classId") REFERENCES "LabelClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consensus" ADD CONSTRAINT "Consensus_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_labelSetId_fkey" FOREIGN KEY ("labelSetId") REFERENCES "LabelSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_trainingRunId_fkey" FOREIGN KEY ("trainingRunId") REFERENCES "TrainingRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_promotedById_fkey" FOREIGN KEY ("promotedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_predictedClassId_fkey" FOREIGN KEY ("predictedClassId") REFERENCES "LabelClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GradCamMap" ADD CONSTRAINT "GradCamMap_predictionId_fkey" FOREIGN KEY ("predictionId") REFERENCES "Prediction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GradCamMap" ADD CONSTRAINT "GradCamMap_classId_fkey" FOREIGN KEY ("classId") REFERENCES "LabelClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_labelSetId_fkey" FOREIGN KEY ("labelSetId") REFERENCES "LabelSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_startedById_fkey" FOREIGN KEY ("startedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_labelSetId_fkey" FOREIGN KEY ("labelSetId") REFERENCES "LabelSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignImage" ADD CONSTRAINT "CampaignImage_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignImage" ADD CONSTRAINT "CampaignImage_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
