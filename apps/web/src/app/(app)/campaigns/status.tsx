import { StatusPill, type StatusTone } from "@cxr/ui";

const tones: Record<string, StatusTone> = {
  ACTIVE: "ok",
  PAUSED: "warn",
  DRAFT: "neutral",
  CLOSED: "neutral",
};

export function CampaignStatus({ status }: { status: string }) {
  return (
    <span data-testid="campaign-status">
      <StatusPill tone={tones[status] ?? "neutral"} label="Status">
        {status.toLowerCase()}
      </StatusPill>
    </span>
  );
}

/** "12 / 40" with a bar, for reads done out of assigned. */
export function Done({ done, total, label }: { done: number; total: number; label: string }) {
  return (
    <span className="admin-bar">
      <progress max={Math.max(total, 1)} value={done} aria-label={label} />
      <span>
        {done} / {total}
      </span>
    </span>
  );
}
