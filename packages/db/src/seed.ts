// Demo data for a fresh installation: one user per role and the label sets of the source report, and, once
// the demo's phantom images have predictions, a reading campaign for the demo radiologist.
// Idempotent: running it again changes nothing but the passwords it is given.
import { hashPassword, verifyPassword } from "@cxr/auth";
import { createAssignments } from "./assignments";
import type { Db } from "./client";
import type { Role } from "./generated/prisma/client";

export interface SeedUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export const demoUserTemplates: Omit<SeedUser, "password">[] = [
  { email: "admin@cxr.local", name: "Ada Admin", role: "ADMIN" },
  { email: "radiologist@cxr.local", name: "Rosa Radiologist", role: "RADIOLOGIST" },
  { email: "annotator@cxr.local", name: "Ari Annotator", role: "ANNOTATOR" },
];

export const demoLabelSets = [
  {
    name: "cxr-4class",
    description: "Normal, pneumonia, COVID-19 and lung opacity (COVID-19 Radiography Database classes)",
    classes: [
      { key: "normal", name: "Normal", color: "#4caf50", critical: false },
      { key: "pneumonia", name: "Pneumonia", color: "#ff9800", critical: true },
      { key: "covid-19", name: "COVID-19", color: "#f44336", critical: true },
      { key: "lung-opacity", name: "Lung opacity", color: "#9c27b0", critical: false },
    ],
  },
  {
    name: "covid-binary",
    description: "COVID-19 vs normal, as in the source report's experiments",
    classes: [
      { key: "normal", name: "Normal", color: "#4caf50", critical: false },
      { key: "covid-19", name: "COVID-19", color: "#f44336", critical: true },
    ],
  },
];

export interface SeedOptions {
  /** create the demo reading campaign when the demo's images exist (default true; see seedDemoCampaign) */
  demoCampaign?: boolean;
}

export async function seed(db: Db, users: SeedUser[], options: SeedOptions = {}): Promise<void> {
  for (const user of users) {
    const existing = await db.user.findUnique({ where: { email: user.email } });
    if (existing?.passwordHash && (await verifyPassword(existing.passwordHash, user.password))) continue;
    const passwordHash = await hashPassword(user.password);
    await db.user.upsert({
      where: { email: user.email },
      create: { email: user.email, name: user.name, role: user.role, passwordHash },
      update: { passwordHash },
    });
  }
  for (const set of demoLabelSets) {
    await db.labelSet.upsert({
      where: { name: set.name },
      create: {
        name: set.name,
        description: set.description,
        classes: { create: set.classes.map((c, index) => ({ ...c, index })) },
      },
      update: {},
    });
  }
  if (options.demoCampaign ?? true) await seedDemoCampaign(db);
}

export const DEMO_CAMPAIGN = "Demo reading campaign";
const DEMO_CAMPAIGN_SIZE = 25;

/**
 * A reading campaign for the demo radiologist over the demo's unreviewed phantom images (SYNTHETIC, with a
 * prediction), most uncertain first. Optional and one-off: it is skipped while no such image exists (the
 * inference service seeds the demo images in the background after the first start, so the campaign comes
 * with a later start), when the demo radiologist does not exist, or when any campaign exists already.
 * Returns the campaign's id, or null when skipped.
 */
export async function seedDemoCampaign(db: Db): Promise<string | null> {
  if ((await db.campaign.count()) > 0) return null;
  const reader = await db.user.findFirst({
    where: { email: "radiologist@cxr.local", role: "RADIOLOGIST", active: true },
    select: { id: true },
  });
  const admin = await db.user.findFirst({ where: { role: "ADMIN" }, select: { id: true } });
  if (!reader || !admin) return null;
  const predictions = await db.prediction.findMany({
    where: {
      image: { source: "SYNTHETIC", reads: { none: { source: "READER" } } },
      modelVersion: { labelSet: { name: "cxr-4class" } },
    },
    orderBy: [{ entropy: { sort: "desc", nulls: "last" } }, { id: "asc" }],
    distinct: ["imageId"],
    take: DEMO_CAMPAIGN_SIZE,
    select: { imageId: true, modelVersion: { select: { labelSetId: true } } },
  });
  const labelSetId = predictions[0]?.modelVersion.labelSetId;
  if (!labelSetId) return null;
  const campaign = await db.campaign.create({
    data: {
      name: DEMO_CAMPAIGN,
      description: "The demo's most uncertain phantom images, for the demo radiologist.",
      labelSetId,
      status: "ACTIVE",
      strategy: "ENTROPY",
      createdById: admin.id,
    },
  });
  await createAssignments(db, {
    campaignId: campaign.id,
    imageIds: predictions.map((p) => p.imageId),
    userIds: [reader.id],
  });
  return campaign.id;
}
