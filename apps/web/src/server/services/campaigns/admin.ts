// Campaign administration (ADMIN): create a campaign from a selection with its readers and adjudicators, list
// campaigns, a campaign's progress (per reader and per image), pause / resume / close, and add readers or
// images to a running campaign. Assignment and its balance are @cxr/db's createAssignments /
// rebalanceAssignments. Every change is audited.
import { recordAudit, type CampaignStatus, type Db, type Prisma } from "@cxr/db";
import { createAssignments, rebalanceAssignments } from "@cxr/db/assignments";
import { createReaderStudyAssignments } from "@cxr/db/reader-study-assignments";
import { DomainError, isBatchStrategy, unrankedPriority, type Role } from "@cxr/domain";
import { newCampaignSchema, type NewCampaignInput, type SelectionInput } from "~/lib/campaigns";
import { getStorage } from "~/server/storage";
import { type Actor } from "../users";
import { loadBatchSignals } from "./batch-signals";
import { readerStudyColumns, refuseReaderStudyChange } from "./reader-study-setup";
import { selectImageIds } from "./selection";

const READER_ROLES: readonly Role[] = ["RADIOLOGIST", "ANNOTATOR"];
const ADJUDICATOR_ROLES: readonly Role[] = ["RADIOLOGIST", "ADMIN"];

/** Active accounts of the given roles, in the order given; BAD_REQUEST naming the first that is not. */
async function eligibleUsers(db: Db, ids: string[], roles: readonly Role[], what: string): Promise<string[]> {
  const unique = [...new Set(ids)];
  const users = await db.user.findMany({
    where: { id: { in: unique } },
    select: { id: true, name: true, role: true, active: true },
  });
  for (const id of unique) {
    const u = users.find((x) => x.id === id);
    if (!u) throw new DomainError("BAD_REQUEST", `A chosen ${what} does not exist.`);
    if (!u.active || !roles.includes(u.role))
      throw new DomainError(
        "BAD_REQUEST",
        `${u.name} cannot be a ${what}: ${what}s are active ${roles.map((r) => r.toLowerCase()).join("s or ")}s.`,
      );
  }
  return unique;
}

/**
 * createAssignments, with what the batch strategies (DIVERSITY, CAM_ROI_DISAGREEMENT, WEIGHTED_MIX) need from
 * object storage: embeddings and Grad-CAM shares, for the campaign's images and the new ones.
 */
async function assign(db: Db, campaignId: string, imageIds: string[], userIds: string[]) {
  const campaign = await db.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { id: true, strategy: true, strategyWeights: true, labelSetId: true, modelVersionId: true },
  });
  // storage only for the batch strategies: the others rank each image from its prediction alone
  const batch = isBatchStrategy(campaign.strategy)
    ? await loadBatchSignals(db, getStorage(), campaign, imageIds)
    : undefined;
  return createAssignments(db, { campaignId, imageIds, userIds, ...(batch ? { batch } : {}) });
}

/** The people the campaign form offers: active readers and adjudicators, and the usable label sets. */
export async function campaignFormOptions(db: Db) {
  const [users, labelSets, importJobs] = await Promise.all([
    db.user.findMany({
      where: { active: true },
      select: { id: true, name: true, email: true, role: true },
      orderBy: [{ role: "asc" }, { name: "asc" }],
    }),
    db.labelSet.findMany({
      where: { archived: false },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        name: true,
        classes: { where: { retired: false }, select: { key: true, name: true }, orderBy: { index: "asc" } },
      },
    }),
    db.importJob.findMany({
      orderBy: { startedAt: "desc" },
      take: 50,
      select: { id: true, format: true, sourceRef: true, startedAt: true, imported: true },
    }),
  ]);
  return {
    readers: users.filter((u) => READER_ROLES.includes(u.role)),
    adjudicators: users.filter((u) => ADJUDICATOR_ROLES.includes(u.role)),
    labelSets,
    importJobs,
  };
}

export type CampaignFormOptions = Awaited<ReturnType<typeof campaignFormOptions>>;

export async function createCampaign(db: Db, actor: Actor, input: NewCampaignInput) {
  const data = newCampaignSchema.parse(input);
  const labelSet = await db.labelSet.findUnique({
    where: { id: data.labelSetId },
    select: { archived: true, _count: { select: { classes: { where: { retired: false } } } } },
  });
  if (!labelSet || labelSet.archived) throw new DomainError("NOT_FOUND", "This label set does not exist.");
  if (labelSet._count.classes < 2)
    throw new DomainError("BAD_REQUEST", "This label set has fewer than two classes readers can pick.");
  const readerIds = await eligibleUsers(db, data.readerIds, READER_ROLES, "reader");
  const adjudicatorIds = await eligibleUsers(db, data.adjudicatorIds, ADJUDICATOR_ROLES, "adjudicator");
  if (await db.campaign.findUnique({ where: { name: data.name }, select: { id: true } }))
    throw new DomainError("CONFLICT", `A campaign named "${data.name}" exists already.`);
  const imageIds = await selectImageIds(db, data.labelSetId, data.selection);
  if (imageIds.length === 0) throw new DomainError("BAD_REQUEST", "The selection matches no image.");

  const { readerIds: _r, adjudicatorIds: _a, selection, strategyWeights, readerStudy, ...fields } = data;
  const study = await readerStudyColumns(db, data.labelSetId, data.mode, readerStudy);
  // DRAFT while its queue is filled, so no reader sees a half-assigned campaign
  const campaign = await db.$transaction(async (tx) => {
    const created = await tx.campaign.create({
      data: {
        ...fields,
        ...study,
        strategyWeights: strategyWeights ?? undefined,
        selection,
        createdById: actor.id,
        status: "DRAFT",
      },
      select: { id: true, name: true },
    });
    await tx.campaignMember.createMany({
      data: [
        ...readerIds.map((userId) => ({ campaignId: created.id, userId, role: "READER" as const })),
        ...adjudicatorIds.map((userId) => ({ campaignId: created.id, userId, role: "ADJUDICATOR" as const })),
      ],
    });
    return created;
  });
  // a reader study gives every reader both phases of every case: no queue strategy to rank them by
  const { created } = study.studyDesign
    ? await createReaderStudyAssignments(db, {
        campaignId: campaign.id,
        imageIds,
        userIds: readerIds,
        design: study.studyDesign,
      })
    : await assign(db, campaign.id, imageIds, readerIds);
  await db.$transaction(async (tx) => {
    await tx.campaign.update({ where: { id: campaign.id }, data: { status: "ACTIVE" } });
    await recordAudit(tx, {
      actorId: actor.id,
      actorRole: actor.role,
      action: "campaign.created",
      entityType: "Campaign",
      entityId: campaign.id,
      after: {
        ...data,
        dueAt: data.dueAt?.toISOString() ?? null,
        images: imageIds.length,
        assignments: created,
      },
    });
  });
  return { id: campaign.id, images: imageIds.length, assignments: created };
}

type StatusCounts = Record<"PENDING" | "IN_PROGRESS" | "DONE" | "SKIPPED", number>;
const zeroCounts = (): StatusCounts => ({ PENDING: 0, IN_PROGRESS: 0, DONE: 0, SKIPPED: 0 });

/** Every campaign, newest first, with its image count and assignments by status. */
export async function listCampaigns(db: Db) {
  const [campaigns, counts] = await Promise.all([
    db.campaign.findMany({
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        name: true,
        status: true,
        task: true,
        blinded: true,
        readsPerImage: true,
        dueAt: true,
        createdAt: true,
        labelSet: { select: { name: true } },
        _count: { select: { images: true } },
      },
    }),
    db.assignment.groupBy({ by: ["campaignId", "status"], _count: { _all: true } }),
  ]);
  return campaigns.map(({ _count, labelSet, ...c }) => {
    const assignments = zeroCounts();
    for (const g of counts) if (g.campaignId === c.id) assignments[g.status] = g._count._all;
    return { ...c, labelSet: labelSet.name, images: _count.images, assignments };
  });
}

export type CampaignListItem = Awaited<ReturnType<typeof listCampaigns>>[number];

const IMAGE_PAGE = 100;

/** A campaign with its members and progress: per reader (assignments by status) and per image (first 100). */
export async function getCampaign(db: Db, id: string) {
  const campaign = await db.campaign.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      description: true,
      status: true,
      task: true,
      blinded: true,
      readsPerImage: true,
      strategy: true,
      strategyWeights: true,
      consensusRule: true,
      iouThreshold: true,
      mode: true,
      washoutDays: true,
      studyDesign: true,
      studyClass: { select: { key: true, name: true } },
      dueAt: true,
      createdAt: true,
      closedAt: true,
      selection: true,
      labelSet: { select: { id: true, name: true } },
      createdBy: { select: { name: true } },
      members: {
        select: { role: true, addedAt: true, user: { select: { id: true, name: true, role: true } } },
        orderBy: { addedAt: "asc" },
      },
      _count: { select: { images: true } },
    },
  });
  if (!campaign) throw new DomainError("NOT_FOUND", "This campaign does not exist.");
  const byReader = await db.assignment.groupBy({
    by: ["userId", "status"],
    where: { campaignId: id },
    _count: { _all: true },
  });
  const readerIds = [
    ...new Set([...campaign.members.filter((m) => m.role === "READER").map((m) => m.user.id)]),
  ];
  const readers = readerIds.map((userId) => {
    const member = campaign.members.find((m) => m.user.id === userId)!;
    const counts = zeroCounts();
    for (const g of byReader) if (g.userId === userId) counts[g.status] = g._count._all;
    const total = counts.PENDING + counts.IN_PROGRESS + counts.DONE + counts.SKIPPED;
    return { userId, name: member.user.name, role: member.user.role, ...counts, total };
  });
  const totals = zeroCounts();
  for (const g of byReader) totals[g.status] += g._count._all;

  const images = await db.campaignImage.findMany({
    where: { campaignId: id },
    orderBy: [{ priority: "desc" }, { addedAt: "asc" }, { imageId: "asc" }],
    take: IMAGE_PAGE,
    select: {
      imageId: true,
      priority: true,
      image: { select: { sourceRef: true, filename: true, modality: true, viewPosition: true } },
    },
  });
  const assignments = await db.assignment.findMany({
    where: { campaignId: id, imageId: { in: images.map((i) => i.imageId) } },
    select: { imageId: true, status: true, user: { select: { name: true } } },
  });
  // images whose every assignment is finished (done or skipped)
  const open = await db.assignment.findMany({
    where: { campaignId: id, status: { in: ["PENDING", "IN_PROGRESS"] } },
    distinct: ["imageId"],
    select: { imageId: true },
  });
  // DIVERSITY and CAM_ROI_DISAGREEMENT put images they could not score (no cached embedding, no map) last
  const unranked =
    campaign.strategy === "DIVERSITY" || campaign.strategy === "CAM_ROI_DISAGREEMENT"
      ? await db.campaignImage.count({ where: { campaignId: id, priority: unrankedPriority } })
      : null;
  return {
    ...campaign,
    unranked,
    images: campaign._count.images,
    imagesComplete: campaign._count.images - open.length,
    totals,
    readers,
    adjudicators: campaign.members.filter((m) => m.role === "ADJUDICATOR").map((m) => m.user),
    imageProgress: images.map((i) => {
      const mine = assignments.filter((a) => a.imageId === i.imageId);
      return {
        imageId: i.imageId,
        name: i.image.filename ?? i.image.sourceRef ?? i.imageId,
        modality: i.image.modality,
        viewPosition: i.image.viewPosition,
        done: mine.filter((a) => a.status === "DONE").length,
        reads: mine.length,
        readers: mine.map((a) => ({ name: a.user.name, status: a.status })),
      };
    }),
    imagesShown: images.length,
  };
}

export type CampaignDetail = Awaited<ReturnType<typeof getCampaign>>;

const transitions: Record<"pause" | "resume" | "close", { from: CampaignStatus[]; to: CampaignStatus }> = {
  pause: { from: ["ACTIVE"], to: "PAUSED" },
  resume: { from: ["PAUSED"], to: "ACTIVE" },
  close: { from: ["ACTIVE", "PAUSED"], to: "CLOSED" },
};

/** Pause (readers' queues stop offering it), resume, or close (final). PRECONDITION_FAILED from another state. */
export async function setCampaignStatus(db: Db, actor: Actor, id: string, action: keyof typeof transitions) {
  const { from, to } = transitions[action];
  return db.$transaction(async (tx) => {
    const before = await tx.campaign.findUnique({ where: { id }, select: { status: true } });
    if (!before) throw new DomainError("NOT_FOUND", "This campaign does not exist.");
    // conditional on the state read, so two admins acting at once cannot both succeed from a stale page
    const { count } = await tx.campaign.updateMany({
      where: { id, status: { in: from } },
      data: { status: to, closedAt: to === "CLOSED" ? new Date() : undefined },
    });
    if (count === 0)
      throw new DomainError(
        "PRECONDITION_FAILED",
        `A ${before.status.toLowerCase()} campaign cannot ${action}.`,
      );
    await recordAudit(tx, {
      actorId: actor.id,
      actorRole: actor.role,
      action: `campaign.${action === "pause" ? "paused" : action === "resume" ? "resumed" : "closed"}`,
      entityType: "Campaign",
      entityId: id,
      before: { status: before.status },
      after: { status: to },
    });
    return { status: to };
  });
}

async function openCampaign(db: Db, id: string) {
  await refuseReaderStudyChange(db, id);
  const c = await db.campaign.findUnique({
    where: { id },
    select: { id: true, status: true, labelSetId: true, members: { where: { role: "READER" } } },
  });
  if (!c) throw new DomainError("NOT_FOUND", "This campaign does not exist.");
  if (c.status === "CLOSED") throw new DomainError("PRECONDITION_FAILED", "This campaign is closed.");
  return { ...c, readerIds: c.members.map((m) => m.userId) };
}

async function auditChange(db: Db, actor: Actor, id: string, action: string, after: Prisma.InputJsonValue) {
  await recordAudit(db, {
    actorId: actor.id,
    actorRole: actor.role,
    action,
    entityType: "Campaign",
    entityId: id,
    after,
  });
}

/**
 * Adds readers to a running campaign: images short of their reads get them first, then not-yet-opened work
 * moves from the busiest readers to the new ones until the open work is even.
 */
export async function addReaders(db: Db, actor: Actor, id: string, userIds: string[]) {
  const c = await openCampaign(db, id);
  const added = (await eligibleUsers(db, userIds, READER_ROLES, "reader")).filter(
    (u) => !c.readerIds.includes(u),
  );
  if (added.length === 0)
    throw new DomainError("BAD_REQUEST", "Everyone chosen reads this campaign already.");
  await db.campaignMember.createMany({
    data: added.map((userId) => ({ campaignId: id, userId, role: "READER" as const })),
    skipDuplicates: true,
  });
  const readers = [...c.readerIds, ...added];
  const images = await db.campaignImage.findMany({
    where: { campaignId: id },
    orderBy: [{ priority: "desc" }, { addedAt: "asc" }],
    select: { imageId: true },
  });
  // the images are in the campaign already: their priorities stay, so no batch signals are needed
  const { created } = await createAssignments(db, {
    campaignId: id,
    imageIds: images.map((i) => i.imageId),
    userIds: readers,
  });
  const { moved } = await rebalanceAssignments(db, id, readers);
  await auditChange(db, actor, id, "campaign.readers_added", { readers: added, created, moved });
  return { added: added.length, created, moved };
}

/** Makes more people adjudicators of a running campaign: its pending disagreements reach them at once. */
export async function addAdjudicators(db: Db, actor: Actor, id: string, userIds: string[]) {
  await openCampaign(db, id);
  const current = await db.campaignMember.findMany({
    where: { campaignId: id, role: "ADJUDICATOR" },
    select: { userId: true },
  });
  const have = new Set(current.map((m) => m.userId));
  const added = (await eligibleUsers(db, userIds, ADJUDICATOR_ROLES, "adjudicator")).filter(
    (u) => !have.has(u),
  );
  if (added.length === 0)
    throw new DomainError("BAD_REQUEST", "Everyone chosen adjudicates this campaign already.");
  await db.campaignMember.createMany({
    data: added.map((userId) => ({ campaignId: id, userId, role: "ADJUDICATOR" as const })),
    skipDuplicates: true,
  });
  const pending = await db.adjudication.count({ where: { campaignId: id, status: "PENDING" } });
  await auditChange(db, actor, id, "campaign.adjudicators_added", { adjudicators: added, pending });
  return { added: added.length, pending };
}

/** Adds the images of a selection to a running campaign, assigned over its readers the same balanced way. */
export async function addImages(db: Db, actor: Actor, id: string, selection: SelectionInput) {
  const c = await openCampaign(db, id);
  const imageIds = await selectImageIds(db, c.labelSetId, selection, id);
  if (imageIds.length === 0)
    throw new DomainError(
      "BAD_REQUEST",
      "The selection adds no image: it matches none outside the campaign.",
    );
  const { created } = await assign(db, id, imageIds, c.readerIds);
  await auditChange(db, actor, id, "campaign.images_added", {
    selection: selection as Prisma.InputJsonValue,
    images: imageIds.length,
    created,
  });
  return { images: imageIds.length, created };
}
