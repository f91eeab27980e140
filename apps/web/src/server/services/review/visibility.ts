// The blinding rule, in one place: may this reader see the model's output for this image now? Model output is
// everything that tells what the model (or the data set's own labelling) says about the image: the prediction,
// its probabilities, confidence and entropy, its Grad-CAM heat maps, the imported label and the data set's
// lesion outlines. A reader with an open assignment of the image in a blinded campaign that is not closed reads
// it blind: they see none of it, whichever assignment (or none) they open the image through, until that
// assignment is done. A paused campaign still blinds: pausing must not open a window to peek. In a reader study
// (whose campaign is not blinded) the UNAIDED read blinds the same way once it is offered; the AIDED read does not.
import { Prisma, type Db } from "@cxr/db";
import { availableNow } from "@cxr/db/reader-study-assignments";
import { OPEN_ASSIGNMENT } from "./campaign";

/** The reader's assignments that blind them to their image's model output. */
export function blindingAssignments(readerId: string): Prisma.AssignmentWhereInput {
  return {
    userId: readerId,
    status: { in: OPEN_ASSIGNMENT },
    campaign: { status: { not: "CLOSED" } },
    OR: [{ campaign: { blinded: true } }, { phase: "UNAIDED", ...availableNow() }],
  };
}

/** Images whose model output the reader may see now (a filter for queries over images). */
export function modelOutputVisibleWhere(readerId: string): Prisma.ImageWhereInput {
  return { assignments: { none: blindingAssignments(readerId) } };
}

/** The same rule as SQL, for the queue's hand-written query: the image (its id column) does not blind the reader. */
export function modelOutputVisibleSql(imageIdColumn: Prisma.Sql, readerId: string): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (SELECT 1 FROM "Assignment" a JOIN "Campaign" c ON c."id" = a."campaignId"
    WHERE a."imageId" = ${imageIdColumn} AND a."userId" = ${readerId}
      AND a."status" = ANY(${OPEN_ASSIGNMENT}::"AssignmentStatus"[]) AND c."status" <> 'CLOSED'
      AND (c."blinded" OR (a."phase" = 'UNAIDED' AND (a."availableAt" IS NULL OR a."availableAt" <= now()))))`;
}

/** Whether the reader may see this image's model output now. */
export async function maySeeModelOutput(
  db: Pick<Db, "assignment">,
  readerId: string,
  imageId: string,
): Promise<boolean> {
  const blinding = await db.assignment.count({ where: { imageId, ...blindingAssignments(readerId) } });
  return blinding === 0;
}
