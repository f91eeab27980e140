"use client";
// A reader study's results on its campaign page: per reader and pooled sensitivity, specificity and AUC, unaided
// vs aided (table, CSV and a chart of each reader's AUC), and the MRMC comparison of the AUCs, or what is missing.
import { Alert, Button, Card, DataTable, type Column } from "@cxr/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { downloadCsv } from "~/lib/download";
import { useTRPC } from "~/trpc/react";
// type-only: the service module is server code and must not reach the browser bundle
import type { PhaseFigures, ReaderStudyResults } from "~/server/services/campaigns/reader-study";

const num = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);

interface Row {
  reader: string;
  unaided: PhaseFigures;
  aided: PhaseFigures;
}

const figures = (phase: "unaided" | "aided", title: string): Column<Row>[] => [
  { key: `${phase}-reads`, header: `${title} reads`, cell: (r) => r[phase].reads },
  { key: `${phase}-sens`, header: `${title} sensitivity`, cell: (r) => num(r[phase].sensitivity) },
  { key: `${phase}-spec`, header: `${title} specificity`, cell: (r) => num(r[phase].specificity) },
  { key: `${phase}-auc`, header: `${title} AUC`, cell: (r) => num(r[phase].auc) },
];
const columns: Column<Row>[] = [
  { key: "reader", header: "Reader", cell: (r) => r.reader },
  ...figures("unaided", "Unaided"),
  ...figures("aided", "Aided"),
];

const designText = { SEQUENTIAL: "sequential", CROSSOVER: "crossover" };

function truthText(r: ReaderStudyResults) {
  const { imported, consensus } = r.truthSources;
  return `Truth: the case's imported label (${imported} cases), else its consensus (${consensus} cases); ${r.withoutTruth} of ${r.cases} cases have neither and are left out.`;
}

export function ReaderStudySection({ campaignId }: { campaignId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const results = useQuery(trpc.campaigns.readerStudy.queryOptions({ campaignId }));
  const download = () =>
    downloadCsv(() =>
      qc.fetchQuery({ ...trpc.campaigns.readerStudyCsv.queryOptions({ campaignId }), staleTime: 0 }),
    );
  if (results.isError)
    return (
      <Alert tone="error">The reader study's results could not be computed: {results.error.message}</Alert>
    );
  if (!results.data) return <p role="status">Computing the reader study…</p>;
  const r = results.data;
  const rows: Row[] = [...r.perReader, { reader: "All readers (pooled; AUC: mean)", ...r.pooled }];
  const chart = r.perReader.map((x) => ({ reader: x.reader, unaided: x.unaided.auc, aided: x.aided.auc }));
  return (
    <Card
      title="Reader study"
      data-testid="reader-study"
      actions={
        <Button size="sm" variant="secondary" onClick={() => void download()}>
          Download CSV
        </Button>
      }
    >
      <p>
        Readers rate 0-100 that <strong>{r.studyClass.name}</strong> is present; design{" "}
        {r.design ? designText[r.design] : "—"}, washout {r.washoutDays ?? 0} days. A read is positive when
        its label is {r.studyClass.name}. {truthText(r)}
      </p>
      {r.mrmc ? (
        <p data-testid="mrmc">
          MRMC (Obuchowski-Rockette, Hillis ddf) over {r.mrmc.cases} cases ({r.mrmc.abnormal}{" "}
          {r.studyClass.name}, {r.mrmc.normal} without) and {r.perReader.length} readers: mean AUC unaided{" "}
          {num(r.mrmc.unaidedAuc)}, aided {num(r.mrmc.aidedAuc)}; difference aided − unaided{" "}
          <strong>{num(r.mrmc.difference)}</strong> (95% CI {num(r.mrmc.ci.lower)} to {num(r.mrmc.ci.upper)}),
          F = {num(r.mrmc.f)}, ddf = {num(r.mrmc.ddf, 1)},{" "}
          <strong data-testid="mrmc-p">p = {num(r.mrmc.p)}</strong>.
        </p>
      ) : (
        <p data-testid="mrmc-missing">
          Not enough reads yet for the MRMC analysis: it needs {r.missing.join("; ")}.
        </p>
      )}
      <DataTable
        caption="Each reader, unaided vs aided"
        columns={columns}
        rows={rows}
        rowKey={(x) => x.reader}
      />
      <figure className="models-chart" data-testid="reader-study-chart">
        <figcaption>AUC per reader, unaided vs aided</figcaption>
        <BarChart width={480} height={260} data={chart} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="reader" />
          <YAxis domain={[0, 1]} />
          <Tooltip />
          <Legend verticalAlign="top" />
          <Bar dataKey="unaided" name="Unaided AUC" fill="#94a3b8" />
          <Bar dataKey="aided" name="Aided AUC" fill="#2563eb" />
        </BarChart>
      </figure>
    </Card>
  );
}

/** The section, for reader-study campaigns only (the campaign view's own query tells the mode). */
export function ReaderStudySlot({ campaignId }: { campaignId: string }) {
  const trpc = useTRPC();
  const campaign = useQuery(trpc.campaigns.get.queryOptions({ id: campaignId }));
  return campaign.data?.mode === "READER_STUDY" ? <ReaderStudySection campaignId={campaignId} /> : null;
}
