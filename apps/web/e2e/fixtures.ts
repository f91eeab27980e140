import path from "node:path";

/** Where the e2e stack stores image objects: inside the run's data folder (see playwright.config.ts). */
export const storageDir = (dataDir: string) => path.join(dataDir, "objects");

// Test-only accounts: the stack seeds them with these passwords (see playwright.config.ts).
export const seedPasswords = {
  ADMIN: "e2e-admin-password",
  RADIOLOGIST: "e2e-radiologist-password",
  ANNOTATOR: "e2e-annotator-password",
} as const;

export const accounts = [
  {
    role: "ADMIN",
    email: "admin@cxr.local",
    password: seedPasswords.ADMIN,
    name: "Ada Admin",
    home: "/admin",
    heading: "Administration",
    nav: [
      "Worklist",
      "Review",
      "Upload",
      "Imports",
      "Models",
      "Training",
      "Audit",
      "Audit log",
      "Annotation tasks",
      "Adjudication",
      "Campaigns",
      "Administration",
    ],
  },
  {
    role: "RADIOLOGIST",
    email: "radiologist@cxr.local",
    password: seedPasswords.RADIOLOGIST,
    name: "Rosa Radiologist",
    home: "/worklist",
    heading: "Worklist",
    nav: ["Worklist", "Review", "Upload", "Imports", "Models", "Training", "Audit", "Adjudication"],
  },
  {
    role: "ANNOTATOR",
    email: "annotator@cxr.local",
    password: seedPasswords.ANNOTATOR,
    name: "Ari Annotator",
    home: "/tasks",
    heading: "Annotation tasks",
    nav: ["Annotation tasks"],
  },
] as const;

export type Account = (typeof accounts)[number];

export const account = (role: Account["role"]): Account => {
  const found = accounts.find((a) => a.role === role);
  if (!found) throw new Error(`no test account for ${role}`);
  return found;
};
