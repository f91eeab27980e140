"use client";
// The adjudicator's queue and one image at a time: every read side by side (label, notes, ROIs in the
// reader's colour over the image), then one decision with a rationale that becomes the image's consensus.
import { Alert, Button, Card, EmptyState, PageHeader } from "@cxr/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { imageUrl } from "~/lib/review/image-cache";
import { useTRPC } from "~/trpc/react";
import { ReadOverlay } from "./ReadOverlay";

const reasonText: Record<string, string> = {
  DISAGREEMENT: "the reads disagree",
  SECOND_OPINION: "a reader asked for a second opinion",
  RULE: "the campaign's rule: an adjudicator decides",
};

export function AdjudicationScreen() {
  const trpc = useTRPC();
  const queue = useQuery({ ...trpc.adjudication.queue.queryOptions({}), staleTime: 0 });
  const [chosen, setChosen] = useState<string | null>(null);
  const current = chosen ?? queue.data?.[0]?.id ?? null;
  return (
    <>
      <PageHeader
        title="Adjudication"
        description="Images whose reads disagree, or that a reader sent for a second opinion: compare the reads and decide."
      />
      {queue.isError ? (
        <Alert tone="error">The queue could not be loaded: {queue.error.message}</Alert>
      ) : null}
      <div className="adjudication">
        <Card title={`Waiting (${queue.data?.length ?? 0})`}>
          {queue.data && queue.data.length === 0 ? (
            <EmptyState
              title="Nothing to adjudicate"
              description="Disagreements appear here as reads complete."
            />
          ) : (
            <ol className="adjudication-queue" data-testid="adjudication-queue">
              {queue.data?.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    aria-current={item.id === current ? "true" : undefined}
                    onClick={() => setChosen(item.id)}
                  >
                    {item.campaignName}: {reasonText[item.reason] ?? item.reason}
                  </button>
                </li>
              ))}
            </ol>
          )}
        </Card>
        {current ? <Item key={current} id={current} onDecided={() => setChosen(null)} /> : null}
      </div>
    </>
  );
}

function Item({ id, onDecided }: { id: string; onDecided: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const item = useQuery(trpc.adjudication.get.queryOptions({ id }));
  const [classId, setClassId] = useState<string | null>(null);
  const [rationale, setRationale] = useState("");
  const decide = useMutation(
    trpc.adjudication.decide.mutationOptions({
      onSuccess: async () => {
        await qc.invalidateQueries({ queryKey: trpc.adjudication.pathKey() });
        onDecided();
      },
    }),
  );
  if (item.isError) return <Alert tone="error">This image could not be opened: {item.error.message}</Alert>;
  if (!item.data) return <p role="status">Loading…</p>;
  const d = item.data;
  const className = (cid: string | null) => d.classes.find((c) => c.id === cid)?.name ?? "—";
  return (
    <Card title={`${d.campaignName}: ${reasonText[d.reason] ?? d.reason}`} data-testid="adjudication-item">
      <div className="adjudication-item">
        <ReadOverlay src={imageUrl(d.image.id)} reads={d.reads} alt="The image with each reader's regions" />
        <div>
          <table className="adjudication-reads">
            <caption>The reads</caption>
            <thead>
              <tr>
                <th scope="col">Reader</th>
                <th scope="col">Label</th>
                <th scope="col">Regions</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {d.reads.map((r) => (
                <tr key={r.id} data-testid="adjudication-read">
                  <td>
                    <span style={{ color: r.colour }} aria-hidden="true">
                      ■
                    </span>{" "}
                    {r.readerName}
                  </td>
                  <td>{className(r.classId)}</td>
                  <td>{r.rois.length}</td>
                  <td>
                    {r.secondOpinion ? "asks for a second opinion. " : ""}
                    {r.notes ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            className="adjudication-decision"
            onSubmit={(e) => {
              e.preventDefault();
              if (classId) decide.mutate({ adjudicationId: id, classId, rationale });
            }}
          >
            <fieldset>
              <legend>Decision</legend>
              {d.classes
                .filter((c) => !c.retired)
                .map((c) => (
                  <label key={c.id} className="review-class">
                    <input
                      type="radio"
                      name="adjudication-class"
                      value={c.id}
                      checked={classId === c.id}
                      onChange={() => setClassId(c.id)}
                    />{" "}
                    <span style={{ color: c.color }}>■</span> {c.name}
                  </label>
                ))}
            </fieldset>
            <label className="adjudication-rationale">
              Rationale
              <textarea
                value={rationale}
                onChange={(e) => setRationale(e.target.value)}
                required
                minLength={3}
                maxLength={2000}
                rows={3}
              />
            </label>
            {decide.isError ? <Alert tone="error">{decide.error.message}</Alert> : null}
            <Button type="submit" disabled={!classId || rationale.trim().length < 3 || decide.isPending}>
              Decide
            </Button>{" "}
            <Link href={`/review?case=${encodeURIComponent(d.image.id)}`}>Open in the viewer</Link>
          </form>
        </div>
      </div>
    </Card>
  );
}
