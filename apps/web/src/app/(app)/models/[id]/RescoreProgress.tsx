"use client";
// After a promotion the unreviewed images are re-scored by the new champion: how far that has come, polled
// while it runs. The queues show the champion's predictions as they arrive (the newest champion by default).
import { Alert, Card, ProgressBar } from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

export function RescoreProgress({ labelSet, version }: { labelSet: string; version: number }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.models.rescoreProgress.queryOptions({ labelSet }),
    staleTime: 0,
    refetchInterval: (query) => {
      const d = query.state.data;
      return d && d.scored >= d.unreviewed ? false : 2000;
    },
  });
  if (q.isError) return <Alert tone="error">Re-scoring progress is unavailable: {q.error.message}</Alert>;
  if (!q.data) return null;
  const { unreviewed, scored, queued } = q.data;
  const done = scored >= unreviewed;
  return (
    <Card title="Re-scoring of unreviewed images">
      <div data-testid="rescore-progress">
        <ProgressBar
          label={`Unreviewed images scored by v${version}`}
          value={scored}
          max={Math.max(unreviewed, 1)}
          tone={done ? "ok" : "accent"}
          valueText={`${scored} of ${unreviewed}`}
        />
        <p>
          {scored} of {unreviewed} unreviewed images scored by v{version}
          {done ? "; the reading queues show its predictions." : `; ${queued} prediction jobs queued.`}
        </p>
      </div>
    </Card>
  );
}
