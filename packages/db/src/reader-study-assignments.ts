// A reader study's reading queue: every reader reads every case twice, once UNAIDED and once AIDED. The first
// phase is offered at once; the second waits (availableAt = NOT_YET) until that reader submits the first phase of
// that case, which sets it to now + the campaign's washout (releaseSecondPhase). Sequential: every case unaided
// first. Crossover: half the cases aided first, the other half unaided first, balanced per reader (each reader
// gets a different half, by rotating the case order per reader).
import type { ReaderStudyDesign } from "@cxr/domain";
import type { Prisma } from "./generated/prisma/client";
import type { Db } from "./client";

/** The second phase's availableAt until its first phase is read: never reached, so never offered. */
export const NOT_YET = new Date("9999-12-31T00:00:00.000Z");

/** Assignments a reader may be offered now: not waiting for a washout or for their first phase. */
export function availableNow(now = new Date()): Prisma.AssignmentWhereInput {
  // under AND, so that a query's own OR beside it is not overwritten
  return { AND: [{ OR: [{ availableAt: null }, { availableAt: { lte: now } }] }] };
}

export interface ReaderStudyAssignmentsInput {
  campaignId: string;
  /** the cases, in the order they should be read */
  imageIds: string[];
  userIds: string[];
  design: ReaderStudyDesign;
  now?: Date;
}

/**
 * Adds the cases to the campaign (CampaignImage) and gives every reader both phases of every case. Crossover:
 * reader r reads cases (i + r) mod 2 === 0 aided first, so each reader has half (rounded) aided first and no case
 * is aided first for every reader. Idempotent (an existing case or assignment is left as it is). Returns how
 * many assignments were created.
 */
export async function createReaderStudyAssignments(
  db: Db,
  input: ReaderStudyAssignmentsInput,
): Promise<{ created: number }> {
  const userIds = [...new Set(input.userIds)];
  const imageIds = [...new Set(input.imageIds)];
  const base = (input.now ?? new Date()).getTime();
  return db.$transaction(
    async (tx) => {
      await tx.campaignImage.createMany({
        data: imageIds.map((imageId) => ({ campaignId: input.campaignId, imageId, priority: 0 })),
        skipDuplicates: true,
      });
      const data: Prisma.AssignmentCreateManyInput[] = [];
      for (const [r, userId] of userIds.entries())
        for (const [i, imageId] of imageIds.entries()) {
          const aidedFirst = input.design === "CROSSOVER" && (i + r) % 2 === 0;
          // one millisecond apart, so the queue keeps the order the cases were given in
          const assignedAt = new Date(base + i);
          const common = { campaignId: input.campaignId, imageId, userId, priority: 0, assignedAt };
          data.push(
            { ...common, phase: "UNAIDED", availableAt: aidedFirst ? NOT_YET : null },
            { ...common, phase: "AIDED", availableAt: aidedFirst ? null : NOT_YET },
          );
        }
      const { count } = await tx.assignment.createMany({ data, skipDuplicates: true });
      return { created: count };
    },
    { timeout: 60_000 },
  );
}

/**
 * The reader submitted one phase of a case: the other phase, if it still waits for it, becomes available after
 * the campaign's washout. Call inside the decision's transaction. Returns the time it becomes available (null:
 * nothing waited, e.g. this was the second phase).
 */
export async function releaseSecondPhase(
  tx: Pick<Db, "assignment" | "campaign">,
  done: { campaignId: string; imageId: string; userId: string; phase: "UNAIDED" | "AIDED" },
  now = new Date(),
): Promise<Date | null> {
  const campaign = await tx.campaign.findUniqueOrThrow({
    where: { id: done.campaignId },
    select: { washoutDays: true },
  });
  const at = new Date(now.getTime() + (campaign.washoutDays ?? 0) * 86_400_000);
  const { count } = await tx.assignment.updateMany({
    where: {
      campaignId: done.campaignId,
      imageId: done.imageId,
      userId: done.userId,
      phase: done.phase === "UNAIDED" ? "AIDED" : "UNAIDED",
      availableAt: NOT_YET,
    },
    data: { availableAt: at },
  });
  return count > 0 ? at : null;
}
