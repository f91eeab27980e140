// Leases of the unassigned queue: a case served to a reader is theirs for a while, so another reader's queue
// skips it and two readers are not handed the same case to collide on (as MONAI Label stamps served samples).
// One holder per image. The queue serving a case leases it; opening it takes or renews the lease; a draft
// autosave renews a lease the reader holds; submitting or skipping releases it. Campaign cases take no lease:
// each assignment is already its reader's own, and a campaign asking for several reads wants them at once.
// A lease steers queues only: a case opened by a direct link while another reader holds it is still shown
// (with who holds it) and may still be decided; the decision's base-read check keeps it from overwriting.
import { Prisma, type Db } from "@cxr/db";

/** how long a served case stays the reader's without a renewal (REVIEW_LEASE_SECONDS) */
export const DEFAULT_LEASE_SECONDS = 300;

type SqlClient = Pick<Db, "$queryRaw" | "$executeRaw">;

/** SQL condition on an image id column: no other reader holds a live lease on it. */
export function notLeasedToOthers(imageIdColumn: Prisma.Sql, readerId: string): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (SELECT 1 FROM "ReviewLease" l WHERE l."imageId" = ${imageIdColumn}
    AND l."readerId" <> ${readerId} AND l."expiresAt" > now())`;
}

/**
 * The statement that leases the images of `source` (a relation with an "imageId" column) to the reader, or renews
 * their own lease, except where another reader holds a live one; returns the images now leased to the reader.
 * Rows are taken in id order so two claims never deadlock.
 */
export function leaseInsert(source: Prisma.Sql, readerId: string, seconds: number): Prisma.Sql {
  return Prisma.sql`INSERT INTO "ReviewLease" ("imageId", "readerId", "expiresAt")
    SELECT "imageId", ${readerId}, now() + make_interval(secs => ${seconds}) FROM ${source} ORDER BY "imageId"
    ON CONFLICT ("imageId") DO UPDATE SET "readerId" = EXCLUDED."readerId", "expiresAt" = EXCLUDED."expiresAt"
      WHERE "ReviewLease"."readerId" = EXCLUDED."readerId" OR "ReviewLease"."expiresAt" <= now()
    RETURNING "imageId"`;
}

/**
 * Leases these images to the reader (or renews their own), except those another reader holds. Returns the
 * images now leased to the reader.
 */
export async function claimLeases(
  db: SqlClient,
  readerId: string,
  imageIds: readonly string[],
  seconds = DEFAULT_LEASE_SECONDS,
): Promise<Set<string>> {
  if (imageIds.length === 0) return new Set();
  const ids = [...new Set(imageIds)].sort();
  const rows = await db.$queryRaw<{ imageId: string }[]>(
    leaseInsert(Prisma.sql`unnest(${ids}::text[]) AS wanted ("imageId")`, readerId, seconds),
  );
  return new Set(rows.map((r) => r.imageId));
}

export interface LeaseView {
  /** the reader holds it (false: someone else does, shown to say who is reading the case) */
  mine: boolean;
  holderId: string;
  holderName: string | null;
  expiresAt: Date;
}

async function currentLease(db: Pick<Db, "reviewLease">, readerId: string, imageId: string) {
  const row = await db.reviewLease.findUnique({
    where: { imageId },
    select: { readerId: true, expiresAt: true, reader: { select: { name: true } } },
  });
  if (!row || row.expiresAt <= new Date()) return null;
  return {
    mine: row.readerId === readerId,
    holderId: row.readerId,
    holderName: row.reader.name,
    expiresAt: row.expiresAt,
  } satisfies LeaseView;
}

/** Opening a case: take it (free or expired) or renew it; another reader's live lease stays theirs. */
export async function openLease(
  db: SqlClient & Pick<Db, "reviewLease">,
  readerId: string,
  imageId: string,
  seconds = DEFAULT_LEASE_SECONDS,
): Promise<LeaseView | null> {
  await claimLeases(db, readerId, [imageId], seconds);
  return currentLease(db, readerId, imageId);
}

/** A draft autosave: renews the lease only if the reader holds it (it never takes one). */
export async function renewLease(
  db: SqlClient,
  readerId: string,
  imageId: string,
  seconds = DEFAULT_LEASE_SECONDS,
): Promise<boolean> {
  // the database's clock, as claimLeases uses
  const count =
    await db.$executeRaw`UPDATE "ReviewLease" SET "expiresAt" = now() + make_interval(secs => ${seconds})
    WHERE "imageId" = ${imageId} AND "readerId" = ${readerId} AND "expiresAt" > now()`;
  return count > 0;
}

/** Submitting or skipping: the reader's lease on the case ends (another reader's is left alone). */
export async function releaseLease(
  db: Pick<Db, "reviewLease">,
  readerId: string,
  imageId: string,
): Promise<{ released: boolean }> {
  const { count } = await db.reviewLease.deleteMany({ where: { imageId, readerId } });
  return { released: count > 0 };
}
