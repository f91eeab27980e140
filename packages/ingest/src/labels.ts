// Findings of the public data sets mapped onto a label set's classes (seeded "cxr-4class", "covid-binary").
import type { Db } from "@cxr/db";

export interface LabelSetClasses {
  id: string;
  name: string;
  /** class key -> class id */
  classes: Map<string, string>;
}

export class UnknownLabelSetError extends Error {
  constructor(name: string, known: string[]) {
    super(
      `label set "${name}" does not exist${known.length ? ` (known: ${known.join(", ")})` : "; run the database seed first"}`,
    );
    this.name = "UnknownLabelSetError";
  }
}

export async function loadLabelSet(db: Db, name: string): Promise<LabelSetClasses> {
  const set = await db.labelSet.findUnique({ where: { name }, include: { classes: true } });
  if (!set) {
    const known = await db.labelSet.findMany({ select: { name: true }, orderBy: { name: "asc" } });
    throw new UnknownLabelSetError(
      name,
      known.map((s) => s.name),
    );
  }
  return { id: set.id, name: set.name, classes: new Map(set.classes.map((c) => [c.key, c.id])) };
}

/** Pneumonia causes named in covid-chest-xray's `finding` column, old flat form and new hierarchical form. */
const PNEUMONIA_WORDS = [
  "pneumonia",
  "sars",
  "mers",
  "ards",
  "streptococcus",
  "pneumocystis",
  "legionella",
  "klebsiella",
  "chlamydophila",
  "e.coli",
  "mycoplasma",
  "influenza",
  "varicella",
  "staphylococcus",
  "nocardia",
  "herpes",
  "aspergillosis",
  "lipoid",
  "aspiration",
  "bacterial",
  "viral",
  "fungal",
];

/**
 * A finding as a class key: "covid-19", "pneumonia", "normal", "lung-opacity", or undefined when it names
 * nothing the platform classifies ("Tuberculosis", "todo", "Unknown").
 */
export function findingToClassKey(finding: string | undefined): string | undefined {
  const f = (finding ?? "").trim().toLowerCase();
  if (!f) return undefined;
  if (f.includes("covid")) return "covid-19";
  if (f === "no finding" || f === "normal") return "normal";
  if (f.replace(/[_ ]/g, "-") === "lung-opacity") return "lung-opacity";
  if (PNEUMONIA_WORDS.some((word) => f.includes(word))) return "pneumonia";
  return undefined;
}
