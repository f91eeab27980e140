"use client";
// Promote, roll back or reject, each with a reason; promoting past a failed gate needs the version typed.
import { Alert, Button, Card, FormField } from "@cxr/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";
import type { ModelDetail } from "~/server/services/models/detail";

type Action = "promote" | "rollback" | "reject";
const labels: Record<Action, string> = {
  promote: "Promote",
  rollback: "Roll back to this version",
  reject: "Reject",
};

export function DecisionPanel({ model }: { model: ModelDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [reason, setReason] = useState("");
  const [confirm, setConfirm] = useState("");
  const done = () => {
    setAction(null);
    setReason("");
    setConfirm("");
    return queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
  };
  const promote = useMutation(trpc.models.promote.mutationOptions({ onSuccess: done }));
  const rollback = useMutation(trpc.models.rollback.mutationOptions({ onSuccess: done }));
  const reject = useMutation(trpc.models.reject.mutationOptions({ onSuccess: done }));
  const pending = promote.isPending || rollback.isPending || reject.isPending;
  const error = promote.error ?? rollback.error ?? reject.error;
  const overridesGate = action === "promote" && model.gatePassed !== true;

  const available: Action[] =
    model.status === "CANDIDATE"
      ? ["promote", "reject"]
      : model.status === "RETIRED" && model.promotedAt
        ? ["rollback"]
        : [];
  if (available.length === 0) return null;

  const submit = () => {
    if (action === "promote")
      promote.mutate({ id: model.id, reason, confirm: overridesGate ? confirm : undefined });
    if (action === "rollback") rollback.mutate({ id: model.id, reason });
    if (action === "reject") reject.mutate({ id: model.id, reason });
  };

  return (
    <Card title="Decision">
      <div className="models-actions">
        {available.map((a) => (
          <Button key={a} variant={a === "reject" ? "danger" : "primary"} onClick={() => setAction(a)}>
            {labels[a]}
          </Button>
        ))}
      </div>
      {action && (
        <form
          role="dialog"
          aria-label={`${labels[action]} v${model.version}`}
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {overridesGate && (
            <Alert tone="error">
              v{model.version} did not pass the promotion gate. Promoting it is recorded as an override; type
              v{model.version} to confirm.
            </Alert>
          )}
          <FormField
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            minLength={5}
          />
          {overridesGate && (
            <FormField
              label={`Type v${model.version} to confirm`}
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          )}
          {error && <Alert tone="error">{error.message}</Alert>}
          <div className="models-actions">
            <Button type="submit" disabled={pending || reason.trim().length < 5}>
              {labels[action]} v{model.version}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setAction(null)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}
