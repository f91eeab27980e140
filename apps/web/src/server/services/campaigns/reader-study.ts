// A reader study's results: per reader and pooled, sensitivity and specificity (the reader's label is the study
// class, against the truth) and AUC (from the 0-100 ratings), unaided vs aided, and the Obuchowski-Rockette MRMC
// comparison of the AUCs (@cxr/agreement's mrmcAnalysis). Truth is the case's imported label, else its consensus;
// a case with neither is left out and counted. The MRMC analysis takes the cases every reader has read in both
// phases; until there are enough, the page says what is missing.
import { againstReference, jackknifeAuc, mrmcAnalysis, type Interval } from "@cxr/agreement";
import { type Db } from "@cxr/db";
import { DomainError } from "@cxr/domain";
// the agreement CSV's cell: numbers rounded, formulas defused, quoting
import { cell } from "../agreement/csv";

type Phase = "UNAIDED" | "AIDED";
const PHASES: readonly Phase[] = ["UNAIDED", "AIDED"];

export interface PhaseFigures {
  reads: number;
  sensitivity: number | null;
  specificity: number | null;
  /** Wilcoxon AUC of the ratings; null without both a positive and a negative case rated */
  auc: number | null;
}

export interface ReaderFigures {
  readerId: string;
  reader: string;
  unaided: PhaseFigures;
  aided: PhaseFigures;
}

export interface MrmcFigures {
  cases: number;
  abnormal: number;
  normal: number;
  unaidedAuc: number;
  aidedAuc: number;
  difference: number;
  ci: Interval;
  p: number;
  f: number;
  ddf: number;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function phaseFigures(
  reads: { label: string; rating: number; truth: string }[],
  positive: string,
): PhaseFigures {
  if (reads.length === 0) return { reads: 0, sensitivity: null, specificity: null, auc: null };
  const agreement = againstReference(
    reads.map((r) => r.label),
    reads.map((r) => r.truth),
    [positive],
  ).perClass[0]!;
  const truth = reads.map((r) => r.truth === positive);
  const bothKinds = truth.includes(true) && truth.includes(false);
  return {
    reads: reads.length,
    sensitivity: finite(agreement.sensitivity),
    specificity: finite(agreement.specificity),
    auc: bothKinds
      ? jackknifeAuc(
          reads.map((r) => r.rating),
          truth,
        ).auc
      : null,
  };
}

export async function readerStudyResults(db: Db, campaignId: string) {
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    select: {
      name: true,
      mode: true,
      labelSetId: true,
      washoutDays: true,
      studyDesign: true,
      studyClass: { select: { key: true, name: true } },
      members: { where: { role: "READER" }, select: { user: { select: { id: true, name: true } } } },
      images: { select: { imageId: true } },
    },
  });
  if (!campaign) throw new DomainError("NOT_FOUND", "This campaign does not exist.");
  if (campaign.mode !== "READER_STUDY" || !campaign.studyClass)
    throw new DomainError("BAD_REQUEST", "This campaign is not a reader study.");
  const positive = campaign.studyClass.key;
  const imageIds = campaign.images.map((i) => i.imageId);
  const labelSetId = campaign.labelSetId;

  // truth: the imported label, else the consensus (the newest of each)
  const [imported, consensus, reads] = await Promise.all([
    db.read.findMany({
      where: { imageId: { in: imageIds }, labelSetId, source: "IMPORT" },
      orderBy: { createdAt: "asc" },
      select: { imageId: true, labelClass: { select: { key: true } } },
    }),
    db.consensus.findMany({
      where: { imageId: { in: imageIds }, labelSetId },
      orderBy: { updatedAt: "asc" },
      select: { imageId: true, labelClass: { select: { key: true } } },
    }),
    db.read.findMany({
      where: { campaignId, source: "READER", assignment: { phase: { in: [...PHASES] } } },
      select: {
        imageId: true,
        readerId: true,
        studyRating: true,
        labelClass: { select: { key: true } },
        assignment: { select: { phase: true } },
      },
    }),
  ]);
  const truthOf = new Map<string, { key: string; source: "imported" | "consensus" }>();
  for (const c of consensus) truthOf.set(c.imageId, { key: c.labelClass.key, source: "consensus" });
  for (const r of imported) truthOf.set(r.imageId, { key: r.labelClass.key, source: "imported" });
  const truthSources = { imported: 0, consensus: 0 };
  for (const id of imageIds) {
    const t = truthOf.get(id);
    if (t) truthSources[t.source]++;
  }
  const withoutTruth = imageIds.filter((id) => !truthOf.has(id)).length;

  /** readerId -> phase -> imageId -> the read */
  const byReader = new Map<string, Map<Phase, Map<string, { label: string; rating: number }>>>();
  for (const r of reads) {
    const phase = r.assignment?.phase;
    if (!r.readerId || r.studyRating === null || (phase !== "UNAIDED" && phase !== "AIDED")) continue;
    const phases = byReader.get(r.readerId) ?? new Map(PHASES.map((p) => [p, new Map()]));
    phases.get(phase)!.set(r.imageId, { label: r.labelClass.key, rating: r.studyRating });
    byReader.set(r.readerId, phases);
  }
  const readers = campaign.members.map((m) => m.user).sort((a, b) => a.name.localeCompare(b.name));
  const truthReads = (readerIds: string[], phase: Phase) =>
    readerIds.flatMap((id) =>
      [...(byReader.get(id)?.get(phase) ?? new Map<string, { label: string; rating: number }>())].flatMap(
        ([imageId, read]) => {
          const t = truthOf.get(imageId);
          return t ? [{ ...read, truth: t.key }] : [];
        },
      ),
    );
  const perReader: ReaderFigures[] = readers.map((u) => ({
    readerId: u.id,
    reader: u.name,
    unaided: phaseFigures(truthReads([u.id], "UNAIDED"), positive),
    aided: phaseFigures(truthReads([u.id], "AIDED"), positive),
  }));
  const all = readers.map((u) => u.id);
  const meanAuc = (phase: "unaided" | "aided") => {
    const aucs = perReader.map((r) => r[phase].auc);
    return aucs.every((a) => a !== null) && aucs.length > 0
      ? aucs.reduce((s, a) => s + a!, 0) / aucs.length
      : null;
  };
  const pooled = {
    unaided: { ...phaseFigures(truthReads(all, "UNAIDED"), positive), auc: meanAuc("unaided") },
    aided: { ...phaseFigures(truthReads(all, "AIDED"), positive), auc: meanAuc("aided") },
  };

  // the MRMC analysis: cases with truth that every reader has rated in both phases
  const complete = imageIds.filter(
    (id) => truthOf.has(id) && all.every((r) => PHASES.every((p) => byReader.get(r)?.get(p)?.has(id))),
  );
  const truth = complete.map((id) => truthOf.get(id)!.key === positive);
  const abnormal = truth.filter(Boolean).length;
  const normal = truth.length - abnormal;
  const missing: string[] = [];
  if (all.length < 2) missing.push(`at least 2 readers (the study has ${all.length})`);
  if (abnormal < 2)
    missing.push(
      `at least 2 ${campaign.studyClass.name} cases read in both phases by every reader (${abnormal} so far)`,
    );
  if (normal < 2)
    missing.push(
      `at least 2 cases without ${campaign.studyClass.name} read in both phases by every reader (${normal} so far)`,
    );
  let mrmc: MrmcFigures | null = null;
  if (missing.length === 0) {
    const ratings = PHASES.map((p) =>
      all.map((r) => complete.map((id) => byReader.get(r)!.get(p)!.get(id)!.rating)),
    );
    const m = mrmcAnalysis({ truth, ratings: [ratings[0]!, ratings[1]!], threshold: 50 });
    mrmc = {
      cases: complete.length,
      abnormal,
      normal,
      unaidedAuc: m.unaided.meanAuc,
      aidedAuc: m.aided.meanAuc,
      difference: m.difference,
      ci: m.ci,
      p: m.p,
      f: m.f,
      ddf: m.ddf,
    };
  }
  return {
    campaignName: campaign.name,
    studyClass: campaign.studyClass,
    design: campaign.studyDesign,
    washoutDays: campaign.washoutDays,
    cases: imageIds.length,
    truthSources,
    withoutTruth,
    perReader,
    pooled,
    mrmc,
    /** why there is no MRMC result yet (empty when there is one) */
    missing,
  };
}

export type ReaderStudyResults = Awaited<ReturnType<typeof readerStudyResults>>;

/** The per-reader table (and the pooled row) as CSV. */
export function readerStudyCsv(r: ReaderStudyResults): string {
  const header = ["reader", "phase", "reads", "sensitivity", "specificity", "auc"];
  const rows: (string | number | null)[][] = [header];
  for (const x of [...r.perReader, { reader: "pooled", ...r.pooled }])
    for (const phase of ["unaided", "aided"] as const) {
      const f = x[phase];
      rows.push([x.reader, phase, f.reads, f.sensitivity, f.specificity, f.auc]);
    }
  return rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
