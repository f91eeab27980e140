import { type Db } from "@cxr/db";

/** Counts for a reader's worklist; the review workspace will replace these with the queue itself. */
export async function worklistSummary(db: Db, userId: string) {
  const [pending, inProgress, readsDone, imagesReady] = await Promise.all([
    db.assignment.count({ where: { userId, status: "PENDING" } }),
    db.assignment.count({ where: { userId, status: "IN_PROGRESS" } }),
    db.read.count({ where: { readerId: userId } }),
    db.image.count({ where: { status: "READY" } }),
  ]);
  return { pending, inProgress, readsDone, imagesReady };
}

/** Counts for an annotator's task list. */
export async function taskSummary(db: Db, userId: string) {
  const [pending, inProgress, annotations] = await Promise.all([
    db.assignment.count({ where: { userId, status: "PENDING" } }),
    db.assignment.count({ where: { userId, status: "IN_PROGRESS" } }),
    db.annotation.count({ where: { authorId: userId, deletedAt: null } }),
  ]);
  return { pending, inProgress, annotations };
}
