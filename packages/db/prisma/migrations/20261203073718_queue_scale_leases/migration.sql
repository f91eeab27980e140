-- Issue 12: the review queue's cost must not grow with the prediction count or with reviewing progress.
-- Written by hand below the generated part: backfills and the triggers that keep the two stored columns true.

-- DropIndex
DROP INDEX "Prediction_modelVersionId_entropy_idx";

-- AlterTable
ALTER TABLE "Image" ADD COLUMN     "queueDate" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Prediction" ADD COLUMN     "reviewed" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ReviewLease" (
    "imageId" TEXT NOT NULL,
    "readerId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewLease_pkey" PRIMARY KEY ("imageId")
);

-- CreateIndex
CREATE INDEX "ReviewLease_readerId_idx" ON "ReviewLease"("readerId");

-- CreateIndex
CREATE INDEX "Image_queueDate_idx" ON "Image"("queueDate");

-- CreateIndex: the unreviewed queue's exact order (entropy DESC NULLS LAST, confidence, id), which Prisma's
-- schema cannot state: written by hand. The old (entropy DESC) index was NULLS FIRST and could not supply it.
CREATE INDEX "Prediction_modelVersionId_reviewed_entropy_confidence_id_idx" ON "Prediction"("modelVersionId", "reviewed", "entropy" DESC NULLS LAST, "confidence", "id");

-- AddForeignKey
ALTER TABLE "ReviewLease" ADD CONSTRAINT "ReviewLease_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewLease" ADD CONSTRAINT "ReviewLease_readerId_fkey" FOREIGN KEY ("readerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Image."queueDate": the date filter's one date (acquisition, else the study's date, else the import date),
-- kept by triggers for every writer (ingest, uploads, the seed), then backfilled.
CREATE FUNCTION image_queue_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."queueDate" := COALESCE(NEW."acquiredAt", (SELECT s."studyDate" FROM "Study" s WHERE s."id" = NEW."studyId"), NEW."createdAt");
  RETURN NEW;
END $$;
CREATE TRIGGER image_queue_date BEFORE INSERT OR UPDATE OF "acquiredAt", "studyId", "createdAt" ON "Image"
  FOR EACH ROW EXECUTE FUNCTION image_queue_date();

CREATE FUNCTION study_queue_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Image" SET "queueDate" = COALESCE(NEW."studyDate", "createdAt")
    WHERE "studyId" = NEW."id" AND "acquiredAt" IS NULL;
  RETURN NEW;
END $$;
CREATE TRIGGER study_queue_date AFTER UPDATE OF "studyDate" ON "Study"
  FOR EACH ROW WHEN (OLD."studyDate" IS DISTINCT FROM NEW."studyDate") EXECUTE FUNCTION study_queue_date();

UPDATE "Image" i SET "queueDate" = COALESCE(i."acquiredAt", s."studyDate", i."createdAt")
  FROM "Study" s WHERE s."id" = i."studyId";

-- Prediction."reviewed": the image has a reader's read (any READER read, as the queue's "unreviewed" meant).
CREATE FUNCTION prediction_reviewed_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."reviewed" := EXISTS (SELECT 1 FROM "Read" r WHERE r."imageId" = NEW."imageId" AND r."source" = 'READER');
  RETURN NEW;
END $$;
CREATE TRIGGER prediction_reviewed_on_insert BEFORE INSERT ON "Prediction"
  FOR EACH ROW EXECUTE FUNCTION prediction_reviewed_on_insert();

CREATE FUNCTION read_marks_reviewed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."source" = 'READER' THEN
      UPDATE "Prediction" SET "reviewed" = true WHERE "imageId" = NEW."imageId" AND NOT "reviewed";
    END IF;
    RETURN NEW;
  END IF;
  IF OLD."source" = 'READER' THEN
    UPDATE "Prediction" SET "reviewed" = EXISTS (
      SELECT 1 FROM "Read" r WHERE r."imageId" = OLD."imageId" AND r."source" = 'READER')
    WHERE "imageId" = OLD."imageId";
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER read_marks_reviewed AFTER INSERT OR DELETE ON "Read"
  FOR EACH ROW EXECUTE FUNCTION read_marks_reviewed();

UPDATE "Prediction" p SET "reviewed" = true
  WHERE EXISTS (SELECT 1 FROM "Read" r WHERE r."imageId" = p."imageId" AND r."source" = 'READER');
