"use client";
// The reading loop: queue -> case (image, Grad-CAM, prediction) -> decision by keys -> Enter -> next case.
// Submits run in the background so the next case paints at once; drafts keep anything not yet submitted:
// in this browser at once, on the server shortly after (autosave), the newer of the two on opening a case.
// The state lives in lib/review (the case, the viewer's settings), the effects in its hooks; this composes.
import { Alert, EmptyState } from "@cxr/ui";
import { useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import { type AuditSelection } from "~/lib/audit/selection";
import { commandsFor, type WorkspaceAction } from "~/lib/review/commands";
import { errorInfo } from "~/lib/review/errors";
import { useCaseQueries } from "~/lib/review/hooks/useCaseQueries";
import { useCaseState } from "~/lib/review/hooks/useCaseState";
import { useOnDemandMap, type MapMethod } from "~/lib/review/hooks/useOnDemandMap";
import { useDraftAutosave } from "~/lib/review/hooks/useDraftAutosave";
import { usePrefetch } from "~/lib/review/hooks/usePrefetch";
import { useReviewKeys } from "~/lib/review/hooks/useReviewKeys";
import { useReviewQueue } from "~/lib/review/hooks/useReviewQueue";
import { useStartAssignment } from "~/lib/review/hooks/useStartAssignment";
import { useSubmit } from "~/lib/review/hooks/useSubmit";
import { gradCamUrl, imageUrl } from "~/lib/review/image-cache";
import { type Action } from "~/lib/review/keymap";
import { roiFromStored, type Roi } from "~/lib/review/roi";
import { submitInput } from "~/lib/review/submission";
import { initialViewerSettings, viewerSettingsReducer } from "~/lib/review/viewer-settings";
import { windowPresets } from "~/lib/review/windowing";
import { CaseTimeline } from "./CaseTimeline";
import { DicomExports } from "./DicomExports";
import { DecisionPanel } from "./DecisionPanel";
import { MapFigures } from "./MapFigures";
import { PredictionPanel } from "./PredictionPanel";
import { QueuePanel } from "./QueuePanel";
import { ReviewAlerts } from "./ReviewAlerts";
import { ShortcutSheet } from "./ShortcutSheet";
import { studyCase } from "./StudyRating";
import { ViewerToolbar } from "./ViewerToolbar";

const Viewer = dynamic(() => import("./Viewer"), {
  ssr: false,
  loading: () => <p className="viewer__loading">Loading viewer…</p>,
});

interface Props {
  userId: string;
  initialCaseId: string | null;
  initialModelId: string | null;
  /** an audit's cases (from the audit page) instead of the reader's queue */
  initialAudit?: AuditSelection | null;
  /** an annotator's tasks (/tasks/read): their campaign assignments only, no archive, no model choice */
  tasks?: boolean;
}

export function ReviewWorkspace({
  userId,
  initialCaseId,
  initialModelId,
  initialAudit = null,
  tasks = false,
}: Props) {
  const qc = useQueryClient();
  const q = useReviewQueue(initialCaseId, initialModelId, { audit: initialAudit, tasks });
  const { caseQuery, data, serverDraft, caseOptions } = useCaseQueries(q.currentId, q.modelId, q.modelKnown);
  const { active, dispatch, elapsedMs } = useCaseState(data, userId, serverDraft);
  // the viewer's settings are the reader's preferences: kept across cases
  const [settings, dispatchSettings] = useReducer(viewerSettingsReducer, initialViewerSettings);
  const [help, setHelp] = useState(false);
  // set when the server said the session is over: one sign-in prompt, back to this case afterwards
  const [signedOut, setSignedOut] = useState<{ imageId: string } | null>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);

  const autosave = useDraftAutosave({
    userId,
    active,
    elapsedMs,
    onSignedOut: (imageId) => setSignedOut((o) => o ?? { imageId }),
  });
  usePrefetch(q.upcoming, q.modelId, q.modelKnown);
  useStartAssignment(data?.assignment ?? null);
  const submission = useSubmit({
    userId,
    settle: autosave.settle,
    onSignedOut: (imageId) => setSignedOut({ imageId }),
    onFailed: q.undo,
  });

  const sourceRois = useMemo(() => (data?.sourceRois ?? []).map(roiFromStored), [data]);
  const presets = useMemo(
    () => windowPresets(data?.image ?? { windowCenter: null, windowWidth: null }),
    [data?.image],
  );
  const mapClasses = data?.classes.filter((c) => data.prediction?.maps.some((m) => m.classId === c.id)) ?? [];
  // any class and either variant can be shown: a map not stored yet is computed on demand
  const [mapMethod, setMapMethod] = useState<MapMethod>("GRADCAM");
  const heatMap =
    data?.prediction?.maps.find((m) => m.classId === active?.heatClassId && m.method === mapMethod) ?? null;
  const onDemand = useOnDemandMap(
    data?.prediction && active?.heatClassId
      ? {
          imageId: data.image.id,
          modelVersionId: data.prediction.model.id,
          classId: active.heatClassId,
          method: mapMethod,
        }
      : null,
    heatMap !== null,
  );
  const rois = active?.rois.present ?? [];
  // a campaign that asks for a label only: no drawing (the server refuses regions there too)
  const labelOnly = data?.assignment?.task === "CLASSIFY";
  useEffect(() => {
    if (labelOnly) dispatchSettings({ type: "tool", tool: "select" });
  }, [labelOnly]);

  const submit = () => {
    const input = data && active ? submitInput(data, active, elapsedMs()) : null;
    if (!input) return;
    submission.submit(input);
    q.next();
  };

  // after a conflict: the reader's decision replaces the one now in force
  const rebase = async () => {
    const id = q.currentId;
    if (!id) return;
    const fresh = await qc.fetchQuery({ ...caseOptions(id), staleTime: 0 });
    dispatch({ type: "rebase", baseReadId: fresh.head?.id ?? null });
    submission.clearFailure(id);
  };

  const workspaceActions: Record<WorkspaceAction, () => void> = {
    submit,
    next: q.next,
    focusComment: () => commentRef.current?.focus(),
    help: () => setHelp(true),
  };
  const run = (action: Action) => {
    const ctx = {
      classIds: data?.classes.map((c) => c.id) ?? [],
      mapClassIds: mapClasses.map((c) => c.id),
      presets,
    };
    for (const command of commandsFor(action, ctx)) {
      if (labelOnly && command.to === "viewer" && command.action.type === "tool") continue;
      if (command.to === "viewer") dispatchSettings(command.action);
      else if (command.to === "case") dispatch(command.action);
      else workspaceActions[command.action]();
    }
  };
  useReviewKeys(run, help, data?.classes.map((c) => c.hotkey) ?? []);

  const changeRois = (next: Roi[]) => dispatch({ type: "changeRois", rois: next });
  const selectRoi = (id: string | null) => dispatch({ type: "selectRoi", id });
  const failures = Object.entries(submission.failures);

  return (
    <div className="review" data-testid="review">
      <QueuePanel
        filters={q.filters}
        onFilters={q.setFilters}
        models={q.models.data ?? []}
        classes={data?.classes ?? []}
        queue={q.queue.data}
        currentId={q.currentId}
        done={q.done}
        onOpen={q.open}
        campaignsOnly={tasks}
        audit={q.audit}
      />
      <section className="review-main" aria-label="Image viewer">
        <ReviewAlerts
          signedOut={signedOut}
          modelVersionId={q.filters.modelVersionId}
          failures={failures.filter(([id]) => id !== q.currentId)}
          onOpen={q.open}
        />
        <ViewerToolbar
          settings={settings}
          onSettings={dispatchSettings}
          canUndo={(active?.rois.past.length ?? 0) > 0}
          canRedo={(active?.rois.future.length ?? 0) > 0}
          onUndo={() => dispatch({ type: "undo" })}
          onRedo={() => dispatch({ type: "redo" })}
          presets={presets}
          heatClasses={data?.prediction ? data.classes : []}
          heatClassId={active?.heatClassId ?? null}
          onHeatClass={(classId) => dispatch({ type: "heatClass", classId })}
          heatMethod={mapMethod}
          onHeatMethod={setMapMethod}
          onHelp={() => setHelp(true)}
          sourceRoiCount={sourceRois.length}
          labelOnly={labelOnly}
        />
        {!q.currentId ? (
          <EmptyState
            title={q.queue.isFetched ? "Nothing left to read" : "Loading the queue…"}
            description={
              q.queue.isFetched
                ? q.queue.data?.scope === "campaigns"
                  ? "No open assignment of your campaigns matches these filters."
                  : "No unreviewed case matches these filters."
                : "Finding your next cases."
            }
          />
        ) : caseQuery.isError ? (
          <Alert tone="error">This case could not be opened: {errorInfo(caseQuery.error).message}</Alert>
        ) : (
          <div
            className="review-canvas"
            role="img"
            aria-label="Chest image with Grad-CAM overlay and regions of interest"
          >
            {active && data ? (
              <Viewer
                caseId={active.decision.imageId}
                imageUrl={imageUrl(active.decision.imageId)}
                heatmapUrl={heatMap ? gradCamUrl(heatMap.id) : null}
                settings={settings}
                onSettings={dispatchSettings}
                rois={rois}
                sourceRois={settings.showSourceRois ? sourceRois : []}
                roiClassId={active.decision.classId}
                classColors={Object.fromEntries(data.classes.map((c) => [c.id, c.color]))}
                selectedRoiId={active.selectedRoiId}
                onSelectRoi={selectRoi}
                onRoisChange={changeRois}
              />
            ) : (
              <p className="viewer__loading">Loading case…</p>
            )}
          </div>
        )}
      </section>
      <div className="review-side">
        {data && active ? (
          <>
            <PredictionPanel data={data} onOpenImage={q.open} />
            {data.prediction ? (
              <MapFigures
                className={data.classes.find((c) => c.id === active.heatClassId)?.name ?? null}
                method={mapMethod}
                model={data.prediction.model.label}
                map={heatMap}
                computing={onDemand.computing}
                error={onDemand.error}
                queued={onDemand.queued}
              />
            ) : null}
            <DecisionPanel
              classes={data.classes}
              decision={active.decision}
              rois={rois}
              selectedRoiId={active.selectedRoiId}
              head={data.head}
              importedClassId={data.importedClassId}
              consensus={data.consensus}
              task={data.assignment?.task ?? null}
              study={studyCase(data.assignment)}
              conflict={
                submission.failures[active.decision.imageId]?.code === "CONFLICT"
                  ? submission.failures[active.decision.imageId]!.message
                  : null
              }
              draftRestored={active.restored}
              draftStatus={autosave.status[active.decision.imageId] ?? null}
              commentRef={commentRef}
              onChange={(patch) => dispatch({ type: "patch", patch })}
              onRoiClass={(id, classId) => dispatch({ type: "roiClass", id, classId })}
              onSelectRoi={selectRoi}
              onDeleteRoi={(id) => dispatch({ type: "deleteRoi", id })}
              onRebase={() => void rebase()}
              onSubmit={submit}
            />
            <CaseTimeline imageId={active.decision.imageId} />
            {!tasks && data.image.fromDicom ? <DicomExports imageId={active.decision.imageId} /> : null}
          </>
        ) : null}
      </div>
      {help ? <ShortcutSheet onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
