"use client";
// A campaign's agreement: Fleiss' kappa over all readers and pairwise Cohen's kappa (95% CIs; which method
// each uses is stated), each reader against the consensus and the model, ROI overlap, the images with the most
// disagreement (each opens in the viewer), and the whole report as CSV.
import { Alert, Button, Card, DataTable, EmptyState, type Column } from "@cxr/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { downloadCsv } from "~/lib/download";
import { useTRPC } from "~/trpc/react";
// type-only: the service module is server code and must not reach the browser bundle
import type { CampaignAgreement } from "~/server/services/agreement/campaign";

const num = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);
const ci = (c: { lower: number; upper: number }) => `${num(c.lower)} to ${num(c.upper)}`;

type Pair = CampaignAgreement["pairs"][number];
type ReaderRow = CampaignAgreement["perReader"][number];
type Disagreement = CampaignAgreement["disagreements"][number];
type Reference = NonNullable<ReaderRow["vsConsensus"]>;

const pairColumns: Column<Pair>[] = [
  { key: "pair", header: "Readers", cell: (p) => `${p.readerA} / ${p.readerB}` },
  { key: "n", header: "Images", cell: (p) => p.n },
  { key: "kappa", header: "Cohen's κ", cell: (p) => num(p.kappa?.kappa) },
  { key: "ci", header: "95% CI", cell: (p) => (p.kappa ? ci(p.kappa.ci) : "—") },
  {
    key: "perClass",
    header: "κ per class",
    cell: (p) => p.perClass.map((c) => `${c.label} ${num(c.kappa)}`).join(", "),
  },
  { key: "iou", header: "ROI IoU", cell: (p) => num(p.roi.meanIou) },
  { key: "dice", header: "ROI Dice", cell: (p) => num(p.roi.meanDice) },
  { key: "roiPairs", header: "Images with ROIs", cell: (p) => p.roi.pairs },
];

function referenceCell(r: Reference | null) {
  if (!r) return "—";
  return (
    <>
      κ {num(r.kappa)} · accuracy {num(r.accuracy)} (n {r.n})
      <br />
      <small>
        {r.perClass
          .map((c) => `${c.label}: sens ${num(c.sensitivity)} spec ${num(c.specificity)}`)
          .join("; ")}
      </small>
    </>
  );
}

const readerColumns: Column<ReaderRow>[] = [
  { key: "reader", header: "Reader", cell: (r) => r.reader },
  { key: "reads", header: "Reads", cell: (r) => r.reads },
  { key: "consensus", header: "Against the consensus", cell: (r) => referenceCell(r.vsConsensus) },
  { key: "model", header: "Against the model", cell: (r) => referenceCell(r.vsModel) },
];

const disagreementColumns: Column<Disagreement>[] = [
  {
    key: "image",
    header: "Image",
    cell: (d) => (
      <Link href={`/review?case=${encodeURIComponent(d.imageId)}`} data-testid="disagreement-link">
        Open in the viewer
      </Link>
    ),
  },
  { key: "reads", header: "Reads", cell: (d) => d.reads.map((r) => `${r.reader}: ${r.label}`).join("; ") },
  { key: "share", header: "Label agreement", cell: (d) => num(d.labelAgreement) },
  { key: "iou", header: "Smallest ROI IoU", cell: (d) => num(d.minIou) },
  {
    key: "state",
    header: "Consensus",
    cell: (d) => d.consensus ?? (d.pendingAdjudication ? "waiting for adjudication" : "—"),
  },
];

export function AgreementSection({ campaignId }: { campaignId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const report = useQuery(trpc.campaigns.agreement.queryOptions({ campaignId }));

  const download = () =>
    downloadCsv(() =>
      qc.fetchQuery({ ...trpc.campaigns.agreementCsv.queryOptions({ campaignId }), staleTime: 0 }),
    );

  if (report.isError)
    return <Alert tone="error">The agreement figures could not be computed: {report.error.message}</Alert>;
  if (!report.data) return <p role="status">Computing agreement…</p>;
  const a = report.data;
  if (a.imagesRead === 0)
    return <EmptyState title="No reads yet" description="Agreement appears once readers have read images." />;
  return (
    <Card
      title="Agreement"
      data-testid="agreement"
      actions={
        <Button size="sm" variant="secondary" onClick={() => void download()}>
          Download CSV
        </Button>
      }
    >
      <p data-testid="fleiss">
        {a.fleiss ? (
          <>
            Fleiss&apos; κ over {a.fleiss.raters} readers and {a.fleiss.n} images:{" "}
            <strong>{num(a.fleiss.kappa)}</strong> (95% CI {ci(a.fleiss.ci)}); per class:{" "}
            {a.fleiss.perClass.map((c) => `${c.label} ${num(c.kappa)}`).join(", ")}.
          </>
        ) : (
          "Fleiss' κ needs images with every read in."
        )}
      </p>
      <p>
        <small>
          Intervals: Cohen&apos;s κ {a.ciMethod.cohen}; Fleiss&apos; κ {a.ciMethod.fleiss}.
        </small>
      </p>
      <DataTable
        caption="Pairs of readers"
        columns={pairColumns}
        rows={a.pairs}
        rowKey={(p) => `${p.readerA}/${p.readerB}`}
      />
      <DataTable caption="Each reader" columns={readerColumns} rows={a.perReader} rowKey={(r) => r.reader} />
      <DataTable
        caption="The images with the most disagreement"
        columns={disagreementColumns}
        rows={a.disagreements}
        rowKey={(d) => d.imageId}
        empty="The readers agree on every image."
      />
    </Card>
  );
}

/**
 * The agreement section of a standard campaign. A reader study has none: each reader reads every case twice
 * (unaided and aided), so pooled kappas would mix the two phases; its own section compares them.
 */
export function AgreementSlot({ campaignId }: { campaignId: string }) {
  const trpc = useTRPC();
  const campaign = useQuery(trpc.campaigns.get.queryOptions({ id: campaignId }));
  if (!campaign.data || campaign.data.mode === "READER_STUDY") return null;
  return (
    <section id="agreement" className="cxr-card" style={{ marginTop: "1.5rem", padding: "1rem 1.25rem" }}>
      <AgreementSection campaignId={campaignId} />
    </section>
  );
}
