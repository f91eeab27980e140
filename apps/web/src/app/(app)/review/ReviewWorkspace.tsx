"use client";
// The reading loop: queue -> case (image, Grad-CAM, prediction) -> decision by keys -> Enter -> next case.
// Submits run in the background so the next case paints at once; drafts keep anything not yet submitted:
// in this browser at once, on the server shortly after (autosave), the newer of the two on opening a case.
// The state lives in lib/review (the case, the viewer's settings), the effects in its hooks; this composes.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import { type AuditSelection } from "~/lib/audit/selection";
import { commandsFor, type WorkspaceAction } from "~/lib/review/commands";
import { useCaseQueries } from "~/lib/review/hooks/useCaseQueries";
import { useCaseState } from "~/lib/review/hooks/useCaseState";
import { useDraftAutosave } from "~/lib/review/hooks/useDraftAutosave";
import { useHeatMap } from "~/lib/review/hooks/useHeatMap";
import { usePrefetch } from "~/lib/review/hooks/usePrefetch";
import { useReviewKeys } from "~/lib/review/hooks/useReviewKeys";
import { useReviewQueue } from "~/lib/review/hooks/useReviewQueue";
import { useStartAssignment } from "~/lib/review/hooks/useStartAssignment";
import { useSubmit } from "~/lib/review/hooks/useSubmit";
import { type Action } from "~/lib/review/keymap";
import { roiFromStored } from "~/lib/review/roi";
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
import { ReviewCanvas } from "./ReviewCanvas";
import { ShortcutSheet } from "./ShortcutSheet";
import { StudyPhaseBanner, studyCase } from "./StudyRating";
import { ViewerToolbar } from "./ViewerToolbar";

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
  // any class and either variant can be shown: a map not stored yet is computed on demand
  const heat = useHeatMap(data, active?.heatClassId ?? null);
  const rois = active?.rois.present ?? [];
  const study = studyCase(data?.assignment);
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
      mapClassIds: heat.mapClasses.map((c) => c.id),
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
          heatMethod={heat.method}
          onHeatMethod={heat.setMethod}
          onHelp={() => setHelp(true)}
          sourceRoiCount={sourceRois.length}
          labelOnly={labelOnly}
        />
        <ReviewCanvas
          currentId={q.currentId}
          queue={{ isFetched: q.queue.isFetched, scope: q.queue.data?.scope }}
          caseError={caseQuery.isError ? caseQuery.error : null}
          data={data}
          active={active}
          heatMapId={heat.map?.id ?? null}
          sourceRois={sourceRois}
          settings={settings}
          onSettings={dispatchSettings}
          dispatch={dispatch}
        />
      </section>
      <div className="review-side">
        {data && active ? (
          <>
            {study ? <StudyPhaseBanner study={study} /> : null}
            <PredictionPanel data={data} onOpenImage={q.open} />
            {data.prediction ? (
              <MapFigures
                className={data.classes.find((c) => c.id === active.heatClassId)?.name ?? null}
                method={heat.method}
                model={data.prediction.model.label}
                map={heat.map}
                computing={heat.onDemand.computing}
                error={heat.onDemand.error}
                queued={heat.onDemand.queued}
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
              study={study}
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
