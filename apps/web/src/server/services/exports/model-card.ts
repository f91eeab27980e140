// A model version's card (Markdown and HTML): the version, its data and patient-level split, the locked-test
// figures with 95% CIs, the gate against the champion, its known failure modes (the largest confusion cells
// on the test split, from the audit services, with example cases) and its intended use. The card is built once
// as blocks, then written out in either format, so both say exactly the same thing; every value is escaped.
import { type Db } from "@cxr/db";
import { DomainError, idSchema } from "@cxr/domain";
import { z } from "zod";
import { auditQueueHref } from "~/lib/audit/selection";
import { confusion } from "../audit/analysis";
import { selectionImageIds } from "../audit/selection";
import { figure, parseMetrics, type Figure } from "../models/view";

export const modelCardInputSchema = z.object({ modelVersionId: idSchema });
export const modelCardFormats = ["md", "html"] as const;
export type ModelCardFormat = (typeof modelCardFormats)[number];

/** how many confusion cells the card lists, and example cases per cell */
const FAILURE_CELLS = 6;
const EXAMPLES = 3;

export const NOT_A_DIAGNOSIS =
  "This model is decision support, not a diagnosis: every output must be reviewed by a qualified reader, " +
  "who makes and owns the clinical decision.";

type Inline = string | { text: string; href: string };
export type Block =
  | { kind: "h"; level: 1 | 2; text: string }
  | { kind: "p"; parts: Inline[] }
  | { kind: "table"; head: string[]; rows: string[][] }
  | { kind: "list"; items: Inline[][] };

const fmt = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined ? "—" : x.toFixed(digits);
const withCi = (f: Figure) =>
  f.value === null
    ? "—"
    : `${fmt(f.value)}${f.lower !== null && f.upper !== null ? ` (${fmt(f.lower, 2)}–${fmt(f.upper, 2)})` : ""}`;
const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The card's blocks. `baseUrl` prefixes the case links (the app's origin; empty: relative links). With a
 * viewer, cases they are blinded to are left out of the examples, as on the audit page.
 */
export async function modelCardBlocks(
  db: Db,
  raw: z.input<typeof modelCardInputSchema>,
  opts: { viewerId: string | null; baseUrl?: string; now?: Date },
): Promise<Block[]> {
  const { modelVersionId } = modelCardInputSchema.parse(raw);
  const model = await db.modelVersion.findUnique({
    where: { id: modelVersionId },
    include: {
      labelSet: { select: { name: true } },
      parent: { select: { version: true } },
      promotedBy: { select: { name: true } },
      trainingRun: { select: { mode: true, labelSources: true, startedBy: { select: { name: true } } } },
    },
  });
  if (!model) throw new DomainError("NOT_FOUND", "There is no such model version.");
  const base = opts.baseUrl ?? "";
  const metrics = parseMetrics(model.metrics);
  const title = `${model.labelSet.name} v${model.version}`;
  const blocks: Block[] = [
    { kind: "h", level: 1, text: `Model card: ${title} (${model.name})` },
    { kind: "p", parts: [`Generated ${when(opts.now ?? new Date())}. ${NOT_A_DIAGNOSIS}`] },
    { kind: "h", level: 2, text: "Version" },
    {
      kind: "table",
      head: ["field", "value"],
      rows: [
        ["Label set", model.labelSet.name],
        ["Classes (output order)", model.classKeys.join(", ") || "—"],
        ["Architecture", model.architecture.toLowerCase()],
        ["Training mode", model.trainingRun?.mode.toLowerCase().replace(/_/g, " ") ?? "—"],
        ["Version", `v${model.version}`],
        ["Status", model.status.toLowerCase()],
        ["Checksum", model.checksum],
        ["Parent", model.parent ? `v${model.parent.version}` : "none (trained from scratch or imported)"],
        ["Created", `${when(model.createdAt)} by ${model.trainingRun?.startedBy?.name ?? "the service"}`],
        [
          "Promoted",
          model.promotedAt
            ? `${when(model.promotedAt)} by ${model.promotedBy?.name ?? "the gate"}`
            : "not promoted",
        ],
        ["Label sources", model.trainingRun?.labelSources.join(", ").toLowerCase() || "—"],
      ],
    },
    ...(await dataBlocks(db, metrics?.data)),
    ...testBlocks(metrics),
    ...(await gateBlocks(db, metrics)),
    ...(await failureBlocks(db, model.id, base, opts.viewerId)),
    { kind: "h", level: 2, text: "Intended use" },
    {
      kind: "p",
      parts: [
        `Triage and second reading of frontal chest X-rays into the classes of the ${model.labelSet.name} label set, ` +
          "by trained readers in this platform's review workflow, on images like those it was trained on. " +
          "Not for use on other modalities, paediatric images, or outside the review workflow.",
      ],
    },
    { kind: "p", parts: [NOT_A_DIAGNOSIS] },
  ];
  return blocks;
}

async function dataBlocks(
  db: Db,
  data: Record<string, Record<string, { images: number; patients: number }>> | undefined,
) {
  const rows = Object.entries(data ?? {}).flatMap(([cls, bySource]) =>
    Object.entries(bySource).map(([source, n]) => [
      cls,
      source.toLowerCase(),
      String(n.images),
      String(n.patients),
    ]),
  );
  const split = await db.$queryRaw<{ split: string | null; patients: bigint; images: bigint }[]>`
    SELECT pt."split"::text AS split, count(DISTINCT pt."id") AS patients, count(i."id") AS images
    FROM "Patient" pt LEFT JOIN "Study" s ON s."patientId" = pt."id" LEFT JOIN "Image" i ON i."studyId" = s."id"
    GROUP BY 1 ORDER BY 1`;
  return [
    { kind: "h", level: 2, text: "Data and split" },
    rows.length > 0
      ? { kind: "table", head: ["class", "label source", "images", "patients"], rows }
      : { kind: "p", parts: ["The training data was not recorded for this version."] },
    {
      kind: "p",
      parts: [
        "The split is by patient: all images of a patient are in one split, so no test patient was seen in " +
          "training. The locked test split is never read by training. The archive's split now:",
      ],
    },
    {
      kind: "table",
      head: ["split", "patients", "images"],
      rows: split.map((r) => [r.split?.toLowerCase() ?? "unassigned", String(r.patients), String(r.images)]),
    },
  ] satisfies Block[];
}

function testBlocks(metrics: ReturnType<typeof parseMetrics>): Block[] {
  const test = metrics?.test;
  if (!test)
    return [
      { kind: "h", level: 2, text: "Locked test split" },
      { kind: "p", parts: ["This version has no figures on the locked test split."] },
    ];
  const perClass = test.classes.map((c) => {
    const m = test.perClass[c];
    const cell = (key: string, value: number | null | undefined) =>
      withCi(figure(metrics, value, `${c}.${key}`));
    return [
      c,
      cell("precision", m?.precision),
      cell("sensitivity", m?.recall),
      cell("specificity", m?.specificity),
      cell("f1", m?.f1),
      cell("auc", m?.auc),
    ];
  });
  return [
    { kind: "h", level: 2, text: "Locked test split" },
    {
      kind: "p",
      parts: [`${test.count} images; values with 95% bootstrap intervals where measured.`],
    },
    {
      kind: "table",
      head: ["figure", "value (95% CI)"],
      rows: [
        ["Accuracy", withCi(figure(metrics, test.accuracy, "accuracy"))],
        ["Macro F1", withCi(figure(metrics, test.macroF1, "macro_f1"))],
        ["Macro AUC (one-vs-rest)", withCi(figure(metrics, test.aucOvrMacro, "auc_ovr_macro"))],
        ["Cohen's kappa", withCi(figure(metrics, test.kappa, "kappa"))],
        ["Expected calibration error", fmt(test.ece)],
      ],
    },
    {
      kind: "table",
      head: ["class", "precision", "sensitivity", "specificity", "F1", "AUC"],
      rows: perClass,
    },
  ];
}

async function gateBlocks(db: Db, metrics: ReturnType<typeof parseMetrics>): Promise<Block[]> {
  const head: Block = { kind: "h", level: 2, text: "Promotion gate against the champion" };
  const gate = metrics?.gate;
  if (!gate) return [head, { kind: "p", parts: ["The promotion gate was not applied to this version."] }];
  const championId = metrics.champion?.id;
  const champion = championId
    ? await db.modelVersion.findUnique({ where: { id: championId }, select: { version: true } })
    : null;
  const against = champion ? `champion v${champion.version}` : "no champion";
  return [
    head,
    {
      kind: "p",
      parts: [`Verdict: ${gate.passed ? "passed" : "failed"}, against ${against} on the same test split.`],
    },
    {
      kind: "table",
      head: ["check", "this version", against, "passed"],
      rows: gate.checks.map((c) => [c.name, fmt(c.candidate), fmt(c.champion), c.passed ? "yes" : "no"]),
    },
  ];
}

async function failureBlocks(db: Db, modelVersionId: string, base: string, viewerId: string | null) {
  const m = await confusion(db, { modelVersionId, scope: "test" }, viewerId);
  const head: Block = { kind: "h", level: 2, text: "Known failure modes" };
  const wrong = `From this version's stored predictions on the locked test split: ${m.total - m.correct} of ${m.total} labelled cases wrong.`;
  if (m.errors.length === 0) return [head, { kind: "p", parts: [wrong] }] satisfies Block[];
  const intro = `${wrong} The largest confusions, pneumonia ↔ COVID-19 first:`;
  const items: Inline[][] = [];
  for (const cell of m.errors.slice(0, FAILURE_CELLS)) {
    const sel = { kind: "cell" as const, modelVersionId, scope: "test" as const, ...cell };
    const { imageIds } = await selectionImageIds(db, sel, viewerId, EXAMPLES);
    const caseHref = (id: string) =>
      `${base}/review?${new URLSearchParams({ case: id, model: modelVersionId }).toString()}`;
    items.push([
      `true ${cell.truthKey} predicted as ${cell.predictedKey}: ${cell.count} case${cell.count === 1 ? "" : "s"} (${pct(cell.rowRate)} of ${cell.truthKey}) — `,
      { text: "all cases", href: `${base}${auditQueueHref(sel)}` },
      ...imageIds.flatMap((id, i) => [
        i === 0 ? "; examples: " : ", ",
        { text: `case ${i + 1}`, href: caseHref(id) },
      ]),
    ]);
  }
  return [head, { kind: "p", parts: [intro] }, { kind: "list", items }] satisfies Block[];
}

// ---- writing it out ----

const mdText = (s: string) => s.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
const mdHref = (s: string) => s.replace(/[ ()<>]/g, (c) => encodeURIComponent(c));
const mdInline = (parts: Inline[]) =>
  parts.map((p) => (typeof p === "string" ? mdText(p) : `[${mdText(p.text)}](${mdHref(p.href)})`)).join("");

export function modelCardMarkdown(blocks: readonly Block[]): string {
  const out = blocks.map((b) => {
    if (b.kind === "h") return `${"#".repeat(b.level)} ${mdText(b.text)}`;
    if (b.kind === "p") return mdInline(b.parts);
    if (b.kind === "list") return b.items.map((i) => `- ${mdInline(i)}`).join("\n");
    const row = (cells: readonly string[]) => `| ${cells.map(mdText).join(" | ")} |`;
    return [row(b.head), `|${b.head.map(() => " --- |").join("")}`, ...b.rows.map(row)].join("\n");
  });
  return `${out.join("\n\n")}\n`;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const htmlInline = (parts: Inline[]) =>
  parts
    .map((p) =>
      typeof p === "string" ? escapeHtml(p) : `<a href="${escapeHtml(p.href)}">${escapeHtml(p.text)}</a>`,
    )
    .join("");

export function modelCardHtml(blocks: readonly Block[]): string {
  const title = blocks.find((b) => b.kind === "h")?.text ?? "Model card";
  const body = blocks.map((b) => {
    if (b.kind === "h") return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    if (b.kind === "p") return `<p>${htmlInline(b.parts)}</p>`;
    if (b.kind === "list") return `<ul>${b.items.map((i) => `<li>${htmlInline(i)}</li>`).join("")}</ul>`;
    const cells = (tag: string, cs: readonly string[]) =>
      cs.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join("");
    return `<table><thead><tr>${cells("th", b.head)}</tr></thead><tbody>${b.rows
      .map((r) => `<tr>${cells("td", r)}</tr>`)
      .join("")}</tbody></table>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}</style>
</head><body>
${body.join("\n")}
</body></html>
`;
}

/** The card in one format, as the download and the CLI write it. */
export async function modelCard(
  db: Db,
  raw: z.input<typeof modelCardInputSchema>,
  format: ModelCardFormat,
  opts: { viewerId: string | null; baseUrl?: string; now?: Date },
): Promise<string> {
  const blocks = await modelCardBlocks(db, raw, opts);
  return format === "md" ? modelCardMarkdown(blocks) : modelCardHtml(blocks);
}
