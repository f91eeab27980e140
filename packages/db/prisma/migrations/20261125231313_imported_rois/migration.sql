-- AlterTable
ALTER TABLE "Annotation" ALTER COLUMN "authorId" DROP NOT NULL;
