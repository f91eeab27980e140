"use client";
import { StatusPill } from "@cxr/ui";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/** The inference backend in the footer, refreshed every minute. */
export function InferenceStatus() {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.system.status.queryOptions(), refetchInterval: 60_000 });

  if (status.isPending) {
    return (
      <StatusPill tone="neutral" label="Inference">
        checking…
      </StatusPill>
    );
  }
  if (status.isError || !status.data.up) {
    const reason = status.isError ? status.error.message : status.data.up ? "" : status.data.error;
    return (
      <span title={reason}>
        <StatusPill tone="error" label="Inference">
          unavailable
        </StatusPill>
      </span>
    );
  }
  return (
    <StatusPill tone="ok" label="Inference">
      <span data-testid="inference-backend">{status.data.backend}</span> · v{status.data.version}
    </StatusPill>
  );
}
