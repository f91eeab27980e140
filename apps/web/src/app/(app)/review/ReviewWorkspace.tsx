"use client";
// The reading loop: queue -> case (image, Grad-CAM, prediction) -> decision by keys -> Enter -> next case.
// Submits run in the background so the next case paints at once; drafts keep anything not yet saved.
import { Alert, Button, EmptyState } from "@cxr/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useEffect, useMemo, useRef, useState } from "react";
import { colormaps } from "~/lib/review/colormap";
import { clearDraft, isEmptyDraft, loadDraft, saveDraft } from "~/lib/review/draft";
import { commit, redo, startHistory, undo, type History } from "~/lib/review/history";
import { gradCamUrl, imageUrl, loadImage } from "~/lib/review/image-cache";
import { actionFor, type Action, type Tool } from "~/lib/review/keymap";
import { type Roi } from "~/lib/review/roi";
import { defaultWindow, windowPresets, type Window } from "~/lib/review/windowing";
import { useTRPC } from "~/trpc/react";
import { DecisionPanel, type DecisionState } from "./DecisionPanel";
import { PredictionPanel } from "./PredictionPanel";
import { QueuePanel, type QueueFilters } from "./QueuePanel";
import { ShortcutSheet } from "./ShortcutSheet";
import { type CaseData } from "./types";
import { type OverlaySettings, type ViewCommand } from "./Viewer";
import { ViewerToolbar } from "./ViewerToolbar";

const Viewer = dynamic(() => import("./Viewer"), {
  ssr: false,
  loading: () => <p className="viewer__loading">Loading viewer…</p>,
});

const PREFETCH = 3;

type CommandBody = ViewCommand extends infer C ? (C extends ViewCommand ? Omit<C, "n"> : never) : never;

interface Props {
  userId: string;
  initialCaseId: string | null;
  initialModelId: string | null;
}

interface Failure {
  message: string;
  code: string | null;
}

function errorInfo(error: unknown): { code: string | null; status: number | null; message: string } {
  const e = error as { message?: string; data?: { code?: string; httpStatus?: number } | null };
  return {
    code: e.data?.code ?? null,
    status: e.data?.httpStatus ?? null,
    message: e.message ?? String(error),
  };
}

/** Back to the same case (and model) after signing in, where its draft waits. */
function signInAgain(imageId: string, modelVersionId: string | undefined): string {
  const back = new URLSearchParams({ case: imageId, ...(modelVersionId ? { model: modelVersionId } : {}) });
  return `/signin?callbackUrl=${encodeURIComponent(`/review?${back.toString()}`)}`;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["radio", "checkbox", "button"].includes(target.type);
}

function initialState(data: CaseData, userId: string) {
  const draft = loadDraft(window.localStorage, userId, data.image.id);
  if (draft) {
    return {
      decision: { imageId: data.image.id, ...draft },
      rois: draft.rois,
      elapsedBefore: draft.elapsedMs,
      restored: true,
    };
  }
  const head = data.head;
  return {
    decision: {
      imageId: data.image.id,
      baseReadId: head?.id ?? null,
      classId: head?.classId ?? null,
      notDiagnostic: head?.notDiagnostic ?? false,
      secondOpinion: head?.secondOpinion ?? false,
      comment: head?.notes ?? "",
    },
    rois: data.annotations.map((a) => ({
      id: a.id,
      shape:
        a.shape === "ELLIPSE" || a.shape === "POLYGON" || a.shape === "FREEHAND"
          ? a.shape
          : ("RECTANGLE" as const),
      classId: a.classId,
      points: a.points.map(([x, y]) => [x ?? 0, y ?? 0] as [number, number]),
    })),
    elapsedBefore: 0,
    restored: false,
  };
}

export function ReviewWorkspace({ userId, initialCaseId, initialModelId }: Props) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [filters, setFilters] = useState<QueueFilters>(
    initialModelId ? { modelVersionId: initialModelId } : {},
  );
  const queue = useQuery(trpc.review.queue.queryOptions({ ...filters, limit: 30 }));
  const models = useQuery(trpc.review.modelVersions.queryOptions());
  const modelId = filters.modelVersionId ?? queue.data?.modelVersionId ?? undefined;
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const [currentId, setCurrentId] = useState<string | null>(initialCaseId);
  const upcoming = useMemo(
    () => (queue.data?.entries ?? []).map((e) => e.imageId).filter((id) => !done.has(id) && id !== currentId),
    [queue.data, done, currentId],
  );
  useEffect(() => {
    if (!currentId && upcoming[0]) setCurrentId(upcoming[0]);
  }, [currentId, upcoming]);

  const caseOptions = (imageId: string) =>
    trpc.review.case.queryOptions(
      { imageId, ...(modelId ? { modelVersionId: modelId } : {}) },
      { staleTime: 60_000 },
    );
  const modelKnown = filters.modelVersionId !== undefined || queue.isFetched;
  const caseQuery = useQuery({ ...caseOptions(currentId ?? ""), enabled: currentId !== null && modelKnown });
  const data = caseQuery.data && caseQuery.data.image.id === currentId ? caseQuery.data : undefined;

  // decision, ROIs (with undo) and timing of the open case; re-initialised during render on a new case so
  // no frame shows the previous case's ROIs over the new image
  const [decision, setDecision] = useState<DecisionState | null>(null);
  const [roiHistory, setRoiHistory] = useState<History<Roi[]>>(startHistory([]));
  const [draftRestored, setDraftRestored] = useState(false);
  const [selectedRoiId, setSelectedRoiId] = useState<string | null>(null);
  const [heatClassId, setHeatClassId] = useState<string | null>(null);
  const timing = useRef({ startedAt: 0, elapsedBefore: 0 });
  if (data && decision?.imageId !== data.image.id && typeof window !== "undefined") {
    const init = initialState(data, userId);
    setDecision(init.decision);
    setRoiHistory(startHistory(init.rois));
    setDraftRestored(init.restored);
    setSelectedRoiId(null);
    setHeatClassId(data.prediction?.predictedClassId ?? data.prediction?.maps[0]?.classId ?? null);
    timing.current = { startedAt: performance.now(), elapsedBefore: init.elapsedBefore };
  }
  const active = data && decision?.imageId === data.image.id ? decision : null;
  const rois = roiHistory.present;

  // viewer settings, kept across cases (a reader's preference)
  const [tool, setTool] = useState<Tool>("select");
  const [win, setWin] = useState<Window>(defaultWindow);
  const [presetId, setPresetId] = useState<string | null>("default");
  const [invert, setInvert] = useState(false);
  const [overlay, setOverlay] = useState<OverlaySettings>({
    visible: true,
    opacity: 0.45,
    colormap: "jet",
    threshold: 0.2,
  });
  const [sideBySide, setSideBySide] = useState(false);
  const [command, setCommand] = useState<ViewCommand | null>(null);
  const commandCount = useRef(0);
  const send = (c: CommandBody) => setCommand({ ...c, n: ++commandCount.current });
  const [help, setHelp] = useState(false);
  const [failures, setFailures] = useState<Record<string, Failure>>({});
  const commentRef = useRef<HTMLTextAreaElement>(null);

  const presets = useMemo(
    () => windowPresets(data?.image ?? { windowCenter: null, windowWidth: null }),
    [data?.image],
  );

  // autosave: every change is in the browser's storage before anything else can go wrong
  useEffect(() => {
    if (!active) return;
    const draft = { ...active, rois };
    if (isEmptyDraft(draft)) clearDraft(window.localStorage, userId, active.imageId);
    else
      saveDraft(window.localStorage, userId, active.imageId, {
        version: 1,
        baseReadId: active.baseReadId,
        classId: active.classId,
        notDiagnostic: active.notDiagnostic,
        secondOpinion: active.secondOpinion,
        comment: active.comment,
        rois,
        elapsedMs: Math.round(timing.current.elapsedBefore + performance.now() - timing.current.startedAt),
        savedAt: Date.now(),
      });
  }, [active, rois, userId]);

  // the address names the open case, so a reload (or a colleague's link) returns to it
  useEffect(() => {
    if (!currentId) return;
    const params = new URLSearchParams({
      case: currentId,
      ...(filters.modelVersionId ? { model: filters.modelVersionId } : {}),
    });
    window.history.replaceState(null, "", `?${params.toString()}`);
  }, [currentId, filters.modelVersionId]);

  // prefetch: the next cases' data, images and predicted-class heat maps, decoded before they are asked for
  const upcomingKey = upcoming.slice(0, PREFETCH).join(",");
  useEffect(() => {
    if (!modelKnown) return;
    for (const id of upcomingKey ? upcomingKey.split(",") : []) {
      void loadImage(imageUrl(id)).catch(() => undefined);
      void qc
        .fetchQuery(caseOptions(id))
        .then((d) => {
          const map = d.prediction?.maps.find((m) => m.classId === d.prediction?.predictedClassId);
          if (map) void loadImage(gradCamUrl(map.id)).catch(() => undefined);
        })
        .catch(() => undefined);
    }
    // caseOptions changes identity each render; the ids and the model are what matter
  }, [upcomingKey, modelKnown, modelId, qc]);

  const submitMutation = useMutation(
    trpc.review.submit.mutationOptions({
      // a lost connection is retried; an answer from the server (conflict, expired session) is not
      retry: (count, error) => count < 4 && errorInfo(error).status === null,
      retryDelay: (n) => Math.min(8000, 500 * 2 ** n),
      onSuccess: (_result, input) => {
        clearDraft(window.localStorage, userId, input.imageId);
        void qc.invalidateQueries({ queryKey: trpc.review.queue.queryKey() });
        void qc.invalidateQueries({ queryKey: trpc.review.case.queryKey({ imageId: input.imageId }) });
      },
      onError: (error, input) => {
        const info = errorInfo(error);
        const message =
          info.code === "UNAUTHORIZED"
            ? "Your session has expired. Your decision is kept as a draft in this browser: sign in again, then submit it."
            : info.status === null
              ? "The server could not be reached. Your decision is kept as a draft: submit it again when the connection is back."
              : info.message;
        setFailures((f) => ({ ...f, [input.imageId]: { message, code: info.code } }));
        setDone((d) => {
          const next = new Set(d);
          next.delete(input.imageId);
          return next;
        });
      },
    }),
  );

  const openCase = (imageId: string | null) => {
    performance.mark("review:key", { detail: imageId });
    setCurrentId(imageId);
  };

  const skip = () => {
    if (currentId) setDone((d) => new Set(d).add(currentId));
    openCase(upcoming[0] ?? null);
  };

  const submit = () => {
    if (!data || !active?.classId) return;
    const input = {
      imageId: data.image.id,
      labelSetId: data.labelSetId,
      baseReadId: active.baseReadId,
      classId: active.classId,
      predictionId: data.prediction?.id ?? null,
      notDiagnostic: active.notDiagnostic,
      secondOpinion: active.secondOpinion,
      comment: active.comment,
      durationMs: Math.round(timing.current.elapsedBefore + performance.now() - timing.current.startedAt),
      rois: rois.map(({ shape, classId, points }) => ({ shape, classId, points })),
    };
    setFailures((f) => {
      const { [input.imageId]: _gone, ...rest } = f;
      return rest;
    });
    submitMutation.mutate(input);
    skip();
  };

  const rebase = async () => {
    if (!currentId) return;
    const fresh = await qc.fetchQuery({ ...caseOptions(currentId), staleTime: 0 });
    setDecision((d) => (d ? { ...d, baseReadId: fresh.head?.id ?? null } : d));
    setFailures((f) => {
      const { [currentId]: _gone, ...rest } = f;
      return rest;
    });
  };

  const changeRois = (next: Roi[]) => setRoiHistory((h) => commit(h, next));
  const patchDecision = (patch: Partial<DecisionState>) => setDecision((d) => (d ? { ...d, ...patch } : d));
  const mapClasses = data?.classes.filter((c) => data.prediction?.maps.some((m) => m.classId === c.id)) ?? [];
  const heatMap = data?.prediction?.maps.find((m) => m.classId === heatClassId) ?? null;

  const run = (action: Action) => {
    switch (action.type) {
      case "label": {
        const c = data?.classes[action.index];
        if (c) patchDecision({ classId: c.id });
        break;
      }
      case "submit":
        submit();
        break;
      case "next":
        skip();
        break;
      case "toggleNotDiagnostic":
        patchDecision({ notDiagnostic: !active?.notDiagnostic });
        break;
      case "toggleSecondOpinion":
        patchDecision({ secondOpinion: !active?.secondOpinion });
        break;
      case "focusComment":
        commentRef.current?.focus();
        break;
      case "toggleHeatmap":
        setOverlay((o) => ({ ...o, visible: !o.visible }));
        break;
      case "cycleHeatmapClass": {
        const i = mapClasses.findIndex((c) => c.id === heatClassId);
        const next = mapClasses[(i + 1) % Math.max(1, mapClasses.length)];
        if (next) setHeatClassId(next.id);
        setOverlay((o) => ({ ...o, visible: true }));
        break;
      }
      case "cycleColormap":
        setOverlay((o) => ({
          ...o,
          colormap: colormaps[(colormaps.indexOf(o.colormap) + 1) % colormaps.length]!,
        }));
        break;
      case "toggleSideBySide":
        setSideBySide((s) => !s);
        break;
      case "cycleWindow": {
        const i = presets.findIndex((p) => p.id === presetId);
        choosePreset(presets[(i + 1) % presets.length]!.id);
        break;
      }
      case "invert":
        setInvert((v) => !v);
        break;
      case "fit":
        send({ kind: "fit" });
        break;
      case "actualSize":
        send({ kind: "actualSize" });
        break;
      case "zoom":
        send({ kind: "zoom", factor: action.factor });
        break;
      case "pan":
        send({ kind: "pan", dx: action.dx, dy: action.dy });
        break;
      case "tool":
        setTool(action.tool);
        break;
      case "cancel":
        send({ kind: "cancel" });
        setSelectedRoiId(null);
        break;
      case "deleteRoi":
        if (selectedRoiId) {
          changeRois(rois.filter((r) => r.id !== selectedRoiId));
          setSelectedRoiId(null);
        }
        break;
      case "undo":
        setRoiHistory(undo);
        break;
      case "redo":
        setRoiHistory(redo);
        break;
      case "help":
        setHelp(true);
        break;
    }
  };

  const choosePreset = (id: string) => {
    const p = presets.find((x) => x.id === id);
    if (!p) return;
    setPresetId(p.id);
    setWin({ center: p.center, width: p.width });
  };

  const keyHandler = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keyHandler.current = (e: KeyboardEvent) => {
    if (help) return;
    if (isTyping(e.target)) {
      if (e.key === "Escape" && e.target instanceof HTMLElement) e.target.blur();
      return;
    }
    const action = actionFor(e);
    if (!action) return;
    e.preventDefault();
    run(action);
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keyHandler.current(e);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const failureList = Object.entries(failures).filter(([id]) => id !== currentId);
  const classColors = Object.fromEntries((data?.classes ?? []).map((c) => [c.id, c.color]));

  return (
    <div className="review" data-testid="review">
      <QueuePanel
        filters={filters}
        onFilters={setFilters}
        models={models.data ?? []}
        classes={data?.classes ?? []}
        queue={queue.data}
        currentId={currentId}
        done={done}
        onOpen={openCase}
      />
      <section className="review-main" aria-label="Image viewer">
        {failureList.length > 0 ? (
          <div className="review-failures">
            {failureList.map(([id, f]) => (
              <Alert key={id} tone="error">
                <span data-testid="submit-failure">
                  Your decision on case …{id.slice(-6)} was not saved. {f.message}
                </span>{" "}
                {f.code === "UNAUTHORIZED" ? (
                  <a href={signInAgain(id, filters.modelVersionId)}>Sign in again</a>
                ) : (
                  <Button size="sm" variant="secondary" onClick={() => openCase(id)}>
                    Open that case
                  </Button>
                )}
              </Alert>
            ))}
          </div>
        ) : null}
        <ViewerToolbar
          tool={tool}
          onTool={setTool}
          canUndo={roiHistory.past.length > 0}
          canRedo={roiHistory.future.length > 0}
          onUndo={() => setRoiHistory(undo)}
          onRedo={() => setRoiHistory(redo)}
          presets={presets}
          presetId={presetId}
          onPreset={choosePreset}
          invert={invert}
          onInvert={() => setInvert((v) => !v)}
          overlay={overlay}
          onOverlay={(patch) => setOverlay((o) => ({ ...o, ...patch }))}
          heatClasses={mapClasses}
          heatClassId={heatClassId}
          onHeatClass={setHeatClassId}
          sideBySide={sideBySide}
          onSideBySide={() => setSideBySide((s) => !s)}
          onFit={() => send({ kind: "fit" })}
          onActualSize={() => send({ kind: "actualSize" })}
          onHelp={() => setHelp(true)}
        />
        {!currentId ? (
          <EmptyState
            title={queue.isFetched ? "Nothing left to read" : "Loading the queue…"}
            description={
              queue.isFetched
                ? "No unreviewed case matches these filters."
                : "Finding the most uncertain cases."
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
            {active ? (
              <Viewer
                caseId={active.imageId}
                imageUrl={imageUrl(active.imageId)}
                heatmapUrl={heatMap ? gradCamUrl(heatMap.id) : null}
                overlay={overlay}
                window={win}
                invert={invert}
                onWindowChange={(w) => {
                  setWin(w);
                  setPresetId(null);
                }}
                sideBySide={sideBySide}
                tool={tool}
                rois={rois}
                roiClassId={active.classId}
                classColors={classColors}
                selectedRoiId={selectedRoiId}
                onSelectRoi={setSelectedRoiId}
                onRoisChange={changeRois}
                command={command}
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
            <PredictionPanel data={data} onOpenImage={openCase} />
            <DecisionPanel
              classes={data.classes}
              decision={active}
              rois={rois}
              selectedRoiId={selectedRoiId}
              head={data.head}
              importedClassId={data.importedClassId}
              conflict={
                failures[active.imageId]?.code === "CONFLICT" ? failures[active.imageId]!.message : null
              }
              draftRestored={draftRestored}
              commentRef={commentRef}
              onChange={patchDecision}
              onRoiClass={(id, classId) => changeRois(rois.map((r) => (r.id === id ? { ...r, classId } : r)))}
              onSelectRoi={setSelectedRoiId}
              onDeleteRoi={(id) => changeRois(rois.filter((r) => r.id !== id))}
              onRebase={() => void rebase()}
              onSubmit={submit}
            />
          </>
        ) : null}
      </div>
      {help ? <ShortcutSheet onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
