// The agreement report as CSV (one table, a "section" column saying which part each row is), for spreadsheets.
import { type CampaignAgreement } from "./campaign";

export const cell = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined) return "";
  const s = typeof v === "number" ? (Number.isFinite(v) ? String(Number(v.toFixed(4))) : "") : v;
  // quote anything a spreadsheet could misread; a leading = + - @ would be taken for a formula
  const safe = /^[=+\-@]/.test(s) && typeof v === "string" ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

const header = [
  "section",
  "subject",
  "other",
  "class",
  "n",
  "kappa",
  "ci_lower",
  "ci_upper",
  "sensitivity",
  "specificity",
  "iou",
  "dice",
];

export function agreementCsv(a: CampaignAgreement): string {
  const rows: (string | number | null)[][] = [header];
  const row = (r: Partial<Record<(typeof header)[number], string | number | null>>) =>
    rows.push(header.map((h) => r[h] ?? null));
  if (a.fleiss) {
    row({
      section: "fleiss",
      subject: "all readers",
      class: "all",
      n: a.fleiss.n,
      kappa: a.fleiss.kappa,
      ci_lower: a.fleiss.ci.lower,
      ci_upper: a.fleiss.ci.upper,
    });
    for (const c of a.fleiss.perClass)
      row({ section: "fleiss", subject: "all readers", class: c.label, n: a.fleiss.n, kappa: c.kappa });
  }
  for (const p of a.pairs) {
    row({
      section: "cohen",
      subject: p.readerA,
      other: p.readerB,
      class: "all",
      n: p.n,
      kappa: p.kappa?.kappa ?? null,
      ci_lower: p.kappa?.ci.lower ?? null,
      ci_upper: p.kappa?.ci.upper ?? null,
      iou: p.roi.meanIou,
      dice: p.roi.meanDice,
    });
    for (const c of p.perClass)
      row({ section: "cohen", subject: p.readerA, other: p.readerB, class: c.label, n: p.n, kappa: c.kappa });
  }
  for (const r of a.perReader)
    for (const [section, ref] of [
      ["vs-consensus", r.vsConsensus],
      ["vs-model", r.vsModel],
    ] as const) {
      if (!ref) continue;
      row({ section, subject: r.reader, class: "all", n: ref.n, kappa: ref.kappa });
      for (const c of ref.perClass)
        row({
          section,
          subject: r.reader,
          class: c.label,
          n: ref.n,
          kappa: c.kappa,
          sensitivity: c.sensitivity,
          specificity: c.specificity,
        });
    }
  for (const d of a.disagreements)
    row({
      section: "disagreement",
      subject: d.imageId,
      other: d.reads.map((r) => `${r.reader}: ${r.label}`).join("; "),
      class: d.consensus,
      kappa: null,
      iou: d.minIou,
    });
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
