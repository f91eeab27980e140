"use client";
// The Upload page's client: where files come from, and the list of files with their progress and results.
import { Button, Card, EmptyState } from "@cxr/ui";
import { describeSummary, isActive } from "./model";
import { UploadDropZone } from "./UploadDropZone";
import { UploadRow } from "./UploadRow";
import { useUploads } from "./useUploads";

export function UploadPanel({ maxFileBytes }: { maxFileBytes: number }) {
  const { items, skipped, active, add, cancelAll, clearFinished } = useUploads(maxFileBytes);

  return (
    <div className="stack">
      <UploadDropZone maxFileBytes={maxFileBytes} onFiles={add} />

      <Card
        title="Files"
        actions={
          <>
            {active ? (
              <Button variant="danger" size="sm" onClick={cancelAll}>
                Cancel remaining
              </Button>
            ) : null}
            {items.some((item) => !isActive(item.phase)) ? (
              <Button variant="ghost" size="sm" onClick={clearFinished}>
                Clear finished
              </Button>
            ) : null}
          </>
        }
      >
        <p className="upload-summary" role="status" aria-live="polite" data-testid="upload-summary">
          {describeSummary(items, skipped)}
        </p>
        {items.length === 0 ? (
          <EmptyState
            title="Nothing uploaded yet"
            description="Files you drop or choose appear here with their progress and result."
          />
        ) : (
          <ul className="upload-list" aria-label="Uploads">
            {items.map((item) => (
              <UploadRow key={item.id} item={item} />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
