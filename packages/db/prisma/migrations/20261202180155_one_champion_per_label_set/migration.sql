-- One champion per label set, kept by the database whatever code writes the row. Written by hand: Prisma
-- can express it only with the `partialIndexes` preview feature, which would also make `labelSetId` a
-- findUnique key of ModelVersion in the client (wrong: only champions are unique). Without the feature the
-- schema engine leaves partial indexes alone, so `npm run db:drift` still passes.
CREATE UNIQUE INDEX "ModelVersion_one_champion_per_labelSet" ON "ModelVersion"("labelSetId") WHERE (status = 'CHAMPION');
