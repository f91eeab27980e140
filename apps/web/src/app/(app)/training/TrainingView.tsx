"use client";
// Training runs: administrators preview and start one; everyone who may see models sees the runs.
import { PageHeader } from "@cxr/ui";
import { RunsTable } from "./RunsTable";
import { StartForm } from "./StartForm";

export function TrainingView({ canChange }: { canChange: boolean }) {
  return (
    <div className="stack">
      <PageHeader
        title="Training"
        description="Train a model version from the labels readers gave; a candidate waits for a person's decision on its page unless you let a passed gate promote it."
      />
      {canChange && <StartForm />}
      <RunsTable />
    </div>
  );
}
