"use client";
// The middle of the reading screen: the open case in the viewer (image, heat map, regions), or why there is none
// (an empty queue, a case that could not be opened, one still loading).
import { Alert, EmptyState } from "@cxr/ui";
import dynamic from "next/dynamic";
import { type Dispatch } from "react";
import { type CaseData } from "~/lib/review/api-types";
import { type CaseAction, type CaseState } from "~/lib/review/case-state";
import { errorInfo } from "~/lib/review/errors";
import { gradCamUrl, imageUrl } from "~/lib/review/image-cache";
import { type Roi } from "~/lib/review/roi";
import { type ViewerAction, type ViewerSettings } from "~/lib/review/viewer-settings";

const Viewer = dynamic(() => import("./Viewer"), {
  ssr: false,
  loading: () => <p className="viewer__loading">Loading viewer…</p>,
});

interface Props {
  currentId: string | null;
  queue: { isFetched: boolean; scope: string | undefined };
  caseError: unknown;
  data: CaseData | undefined;
  active: CaseState | null;
  heatMapId: string | null;
  sourceRois: Roi[];
  settings: ViewerSettings;
  onSettings: Dispatch<ViewerAction>;
  dispatch: Dispatch<CaseAction>;
}

export function ReviewCanvas({
  currentId,
  queue,
  caseError,
  data,
  active,
  heatMapId,
  sourceRois,
  settings,
  onSettings,
  dispatch,
}: Props) {
  if (!currentId)
    return (
      <EmptyState
        title={queue.isFetched ? "Nothing left to read" : "Loading the queue…"}
        description={
          queue.isFetched
            ? queue.scope === "campaigns"
              ? "No open assignment of your campaigns matches these filters."
              : "No unreviewed case matches these filters."
            : "Finding your next cases."
        }
      />
    );
  if (caseError)
    return <Alert tone="error">This case could not be opened: {errorInfo(caseError).message}</Alert>;
  return (
    <div
      className="review-canvas"
      role="img"
      aria-label="Chest image with Grad-CAM overlay and regions of interest"
    >
      {active && data ? (
        <Viewer
          caseId={active.decision.imageId}
          imageUrl={imageUrl(active.decision.imageId)}
          heatmapUrl={heatMapId ? gradCamUrl(heatMapId) : null}
          settings={settings}
          onSettings={onSettings}
          rois={active.rois.present}
          sourceRois={settings.showSourceRois ? sourceRois : []}
          roiClassId={active.decision.classId}
          classColors={Object.fromEntries(data.classes.map((c) => [c.id, c.color]))}
          selectedRoiId={active.selectedRoiId}
          onSelectRoi={(id) => dispatch({ type: "selectRoi", id })}
          onRoisChange={(rois) => dispatch({ type: "changeRois", rois })}
        />
      ) : (
        <p className="viewer__loading">Loading case…</p>
      )}
    </div>
  );
}
