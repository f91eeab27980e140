"use client";
// Two versions on the same scope: how many cases went from right to wrong and from wrong to right, each a
// queue in the viewer.
import { Card } from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { auditQueueHref, type AuditScope } from "~/lib/audit/selection";
import { useTRPC } from "~/trpc/react";

interface Props {
  filter: { modelVersionId: string; scope: AuditScope };
  models: { id: string; label: string; status: string }[];
}

export function CompareCard({ filter, models }: Props) {
  const trpc = useTRPC();
  const others = models.filter((m) => m.id !== filter.modelVersionId);
  const [picked, setPicked] = useState<string | null>(null);
  const baselineId = picked && others.some((m) => m.id === picked) ? picked : (others[0]?.id ?? null);
  const result = useQuery({
    ...trpc.audit.compare.queryOptions({ ...filter, baselineId: baselineId ?? "" }),
    enabled: baselineId !== null,
  });
  const link = (direction: "rightToWrong" | "wrongToRight") =>
    auditQueueHref({ kind: "flip", ...filter, baselineId: baselineId!, direction });
  return (
    <Card title="Compare with another version">
      {others.length === 0 ? (
        <p className="audit-muted">There is no other version to compare with.</p>
      ) : (
        <>
          <label>
            Baseline{" "}
            <select
              data-testid="compare-baseline"
              value={baselineId ?? ""}
              onChange={(e) => setPicked(e.target.value)}
            >
              {others.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          {result.isError ? (
            <p role="alert">{result.error.message}</p>
          ) : !result.data ? (
            <p className="audit-muted">Comparing…</p>
          ) : (
            <ul data-testid="compare-result">
              <li>
                {result.data.both} labelled cases predicted by both; {result.data.bothRight} right in both.
              </li>
              <li>
                <Link href={link("rightToWrong")} data-testid="flip-right-to-wrong">
                  Right → wrong: {result.data.rightToWrong}
                </Link>{" "}
                <span className="audit-muted">(right with {result.data.baseline.label}, wrong now)</span>
              </li>
              <li>
                <Link href={link("wrongToRight")} data-testid="flip-wrong-to-right">
                  Wrong → right: {result.data.wrongToRight}
                </Link>
              </li>
            </ul>
          )}
        </>
      )}
    </Card>
  );
}
