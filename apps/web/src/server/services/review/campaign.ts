// Campaign cases in the review workspace: whose assignment a case is (only its reader may open or decide
// it), which model it shows (blinding is visibility.ts's rule), and the assignment's progress: IN_PROGRESS when opened, DONE with the read.
import { type AssignmentStatus, type CampaignTask, type Db, type Prisma, type ReadingPhase } from "@cxr/db";
import { campaignModel } from "@cxr/db/assignments";
import { availableNow } from "@cxr/db/reader-study-assignments";
import { DomainError } from "@cxr/domain";

export const OPEN_ASSIGNMENT: AssignmentStatus[] = ["PENDING", "IN_PROGRESS"];

type ModelReader = Pick<Db, "modelVersion">;

function assertOwnAssignment(assigneeId: string, readerId: string): void {
  if (assigneeId !== readerId)
    throw new DomainError(
      "FORBIDDEN",
      "This case is assigned to another reader: only they may open or decide it.",
    );
}

/**
 * The model a campaign's cases show and are ordered by: the campaign's own, else the model the reader chose
 * when it belongs to the campaign's label set, else the label set's newest champion (or newest model).
 */
export async function campaignModelFor(
  db: ModelReader,
  campaign: { modelVersionId: string | null; labelSetId: string },
  requested?: string | null,
): Promise<string | null> {
  if (campaign.modelVersionId) return campaign.modelVersionId;
  if (requested) {
    const model = await db.modelVersion.findUnique({
      where: { id: requested },
      select: { labelSetId: true },
    });
    if (model?.labelSetId === campaign.labelSetId) return requested;
  }
  return campaignModel(db, campaign.labelSetId);
}

export interface CampaignCase {
  assignmentId: string;
  status: AssignmentStatus;
  startedAt: Date | null;
  campaignId: string;
  campaignName: string;
  campaignActive: boolean;
  /** the campaign is blinded (what the reader sees follows visibility.ts's rule) */
  blinded: boolean;
  /** what the reader gives: a label (CLASSIFY), a label and ROIs, or labelled ROIs (ROI_ONLY) */
  task: CampaignTask;
  labelSetId: string;
  /** the model whose prediction the case shows (never sent when blinded) */
  modelVersionId: string | null;
  /** SINGLE outside reader studies; a reader study's UNAIDED or AIDED read */
  phase: ReadingPhase;
  /** reader studies: the class whose presence the reader rates 0-100 */
  studyClass: { id: string; key: string; name: string } | null;
}

const assignmentSelect = {
  id: true,
  imageId: true,
  userId: true,
  status: true,
  startedAt: true,
  phase: true,
  availableAt: true,
  campaign: {
    select: {
      id: true,
      name: true,
      status: true,
      blinded: true,
      task: true,
      labelSetId: true,
      modelVersionId: true,
      studyClass: { select: { id: true, key: true, name: true } },
    },
  },
} satisfies Prisma.AssignmentSelect;

type Client = Pick<Db, "assignment" | "modelVersion">;

/**
 * The campaign context of a case for its reader: the assignment named (which must be theirs and for this
 * image), or else the reader's own open assignment of this image in an active campaign, or null.
 */
export async function resolveAssignment(
  db: Client,
  imageId: string,
  readerId: string,
  assignmentId?: string | null,
  requestedModel?: string | null,
): Promise<CampaignCase | null> {
  const row = assignmentId
    ? await db.assignment.findUnique({ where: { id: assignmentId }, select: assignmentSelect })
    : await db.assignment.findFirst({
        where: {
          imageId,
          userId: readerId,
          status: { in: OPEN_ASSIGNMENT },
          ...availableNow(),
          campaign: { status: "ACTIVE" },
        },
        orderBy: [{ priority: "desc" }, { assignedAt: "asc" }, { id: "asc" }],
        select: assignmentSelect,
      });
  if (!row) {
    if (assignmentId) throw new DomainError("NOT_FOUND", "This assignment does not exist.");
    return null;
  }
  assertOwnAssignment(row.userId, readerId);
  if (row.imageId !== imageId) throw new DomainError("BAD_REQUEST", "This assignment is for another image.");
  if (row.availableAt && row.availableAt > new Date() && OPEN_ASSIGNMENT.includes(row.status))
    throw new DomainError(
      "PRECONDITION_FAILED",
      "This reader-study read is not open yet: it opens after your first read of the case and the washout.",
    );
  const c = row.campaign;
  return {
    assignmentId: row.id,
    status: row.status,
    startedAt: row.startedAt,
    campaignId: c.id,
    campaignName: c.name,
    campaignActive: c.status === "ACTIVE",
    blinded: c.blinded,
    task: c.task,
    labelSetId: c.labelSetId,
    modelVersionId: await campaignModelFor(db, c, requestedModel),
    phase: row.phase,
    studyClass: c.studyClass,
  };
}

/** The reader opened the case: a PENDING assignment becomes IN_PROGRESS, with the time it was started. */
export async function startAssignment(
  db: Db,
  readerId: string,
  assignmentId: string,
): Promise<{ status: AssignmentStatus; startedAt: Date | null }> {
  const row = await db.assignment.findUnique({
    where: { id: assignmentId },
    select: { userId: true, status: true, startedAt: true },
  });
  if (!row) throw new DomainError("NOT_FOUND", "This assignment does not exist.");
  assertOwnAssignment(row.userId, readerId);
  if (row.status !== "PENDING") return { status: row.status, startedAt: row.startedAt };
  const startedAt = new Date();
  // only from PENDING, so a decision submitted meanwhile (DONE) is never turned back
  await db.assignment.updateMany({
    where: { id: assignmentId, status: "PENDING" },
    data: { status: "IN_PROGRESS", startedAt },
  });
  const now = await db.assignment.findUniqueOrThrow({
    where: { id: assignmentId },
    select: { status: true, startedAt: true },
  });
  return now;
}
