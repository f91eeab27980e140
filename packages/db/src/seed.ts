// Demo data for a fresh installation: one user per role and the label sets of the source report.
// Idempotent: running it again changes nothing but the passwords it is given.
import type { Db } from "./client";
import type { Role } from "./generated/prisma/client";
import { hashPassword, verifyPassword } from "./password";

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

export async function seed(db: Db, users: SeedUser[]): Promise<void> {
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
}
