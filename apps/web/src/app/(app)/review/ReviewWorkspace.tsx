"use client";
// The reading loop: queue -> case (image, Grad-CAM, prediction) -> decision by keys -> Enter -> next case.
// Submits run in the background so the next case paints at once; drafts keep anything not yet submitted:
// in this browser at once, on the server shortly after (autosave), the newer of the two on opening a case.
import { Alert, Button, EmptyState } from "@cxr/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useEffect, useMemo, useRef, useState } from "react";
import { DraftSync, type FailureKind, type SyncStatus } from "~/lib/review/autosave";
import { clampBrushSize, DEFAULT_BRUSH, stepBrushSize } from "~/lib/review/brush";
import { colormaps } from "~/lib/review/colormap";
import { clearDraft, isEmptyDraft, loadDraft, newerDraft, saveDraft, type Draft } from "~/lib/review/draft";
import { commit, redo, startHistory, undo, type History } from "~/lib/review/history";
import { gradCamUrl, imageUrl, loadImage } from "~/lib/review/image-cache";
import { actionFor, type Action, type Tool } from "~/lib/review/keymap";
import { roiFromStored, type Roi } from "~/lib/review/roi";
import { defaultWindow, windowPresets, type Window } from "~/lib/review/windowing";
import { useTRPC, useTRPCClient } from "~/trpc/react";
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
/** how long a submit waits for an autosave of the same case still in flight */
const SUBMIT_WAITS_FOR_AUTOSAVE_MS = 5000;

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

/** What autosave does after a failed request: retry (network, server trouble), pause (signed out), or drop it. */
function failureKind(error: unknown): FailureKind {
  const info = errorInfo(error);
  if (info.code === "UNAUTHORIZED") return "unauthorized";
  if (info.status === null || info.status >= 500) return "network";
  return "fatal";
}

type DraftContent = Pick<
  Draft,
  "baseReadId" | "classId" | "notDiagnostic" | "secondOpinion" | "comment" | "rois"
>;

function draftContent(d: DecisionState, rois: Roi[]): DraftContent {
  return {
    baseReadId: d.baseReadId,
    classId: d.classId,
    notDiagnostic: d.notDiagnostic,
    secondOpinion: d.secondOpinion,
    comment: d.comment,
    rois: rois.map(({ id, shape, classId, points, strokeWidth }) => ({
      id,
      shape,
      classId,
      points,
      ...(shape === "BRUSH" ? { strokeWidth: strokeWidth ?? null } : {}),
    })),
  };
}

const contentKey = (c: DraftContent) => JSON.stringify(c);

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["radio", "checkbox", "button"].includes(target.type);
}

function fromHead(data: CaseData): { decision: DecisionState; rois: Roi[] } {
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
    rois: data.annotations.map(roiFromStored),
  };
}

/**
 * The case's starting state: the newer of the browser's and the server's draft, else the decision in force.
 * `sync` says which copy must catch up with the chosen one.
 */
function initialState(data: CaseData, userId: string, server: Draft | null) {
  const local = loadDraft(window.localStorage, userId, data.image.id);
  const head = fromHead(data);
  const pick = newerDraft(local, server);
  if (pick) {
    const { draft, from } = pick;
    return {
      decision: { imageId: data.image.id, ...draft },
      rois: draft.rois,
      elapsedBefore: draft.elapsedMs,
      restored: from,
      head,
      sync:
        from === "server"
          ? ("toLocal" as const)
          : !server || server.savedAt < draft.savedAt
            ? ("toServer" as const)
            : null,
      draft,
    };
  }
  return { ...head, elapsedBefore: 0, restored: null, head, sync: null, draft: null };
}

export function ReviewWorkspace({ userId, initialCaseId, initialModelId }: Props) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
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
  // the reader's server draft of a case: a failure (offline, signed out) counts as none, the browser's copy
  // still being there
  const draftOptions = (imageId: string) =>
    trpc.review.draft.queryOptions(
      { imageId },
      // one more try on a lost connection; an answer (signed out, forbidden) stands
      { staleTime: 30_000, retry: (n, error) => n < 1 && failureKind(error) === "network" },
    );
  const modelKnown = filters.modelVersionId !== undefined || queue.isFetched;
  const caseQuery = useQuery({ ...caseOptions(currentId ?? ""), enabled: currentId !== null && modelKnown });
  const draftQuery = useQuery({ ...draftOptions(currentId ?? ""), enabled: currentId !== null });
  // fetched, or failed: either way the case can open
  const draftReady = draftQuery.isFetched;
  const data =
    caseQuery.data && caseQuery.data.image.id === currentId && draftReady ? caseQuery.data : undefined;
  const sourceRois = useMemo(() => (data?.sourceRois ?? []).map(roiFromStored), [data]);

  // decision, ROIs (with undo) and timing of the open case; re-initialised during render on a new case so
  // no frame shows the previous case's ROIs over the new image
  const [decision, setDecision] = useState<DecisionState | null>(null);
  const [roiHistory, setRoiHistory] = useState<History<Roi[]>>(startHistory([]));
  const [draftRestored, setDraftRestored] = useState<"local" | "server" | null>(null);
  const [selectedRoiId, setSelectedRoiId] = useState<string | null>(null);
  const [heatClassId, setHeatClassId] = useState<string | null>(null);
  const timing = useRef({ startedAt: 0, elapsedBefore: 0 });
  // the draft content last written (so an unchanged state writes nothing) and the decision in force's
  const savedKey = useRef("");
  const headKey = useRef("");
  const initSync = useRef<{ imageId: string; draft: Draft; to: "toLocal" | "toServer" } | null>(null);
  if (data && decision?.imageId !== data.image.id && typeof window !== "undefined") {
    const init = initialState(data, userId, draftQuery.data?.draft ?? null);
    savedKey.current = contentKey(draftContent(init.decision, init.rois));
    headKey.current = contentKey(draftContent(init.head.decision, init.head.rois));
    initSync.current =
      init.sync && init.draft ? { imageId: data.image.id, draft: init.draft, to: init.sync } : null;
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
  const [brushSize, setBrushSize] = useState(DEFAULT_BRUSH);
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
  const [showSourceRois, setShowSourceRois] = useState(true);
  const [command, setCommand] = useState<ViewCommand | null>(null);
  const commandCount = useRef(0);
  const send = (c: CommandBody) => setCommand({ ...c, n: ++commandCount.current });
  const [help, setHelp] = useState(false);
  const [failures, setFailures] = useState<Record<string, Failure>>({});
  // set when the server said the session is over: one sign-in prompt, back to this case afterwards
  const [signedOut, setSignedOut] = useState<{ imageId: string } | null>(null);
  const [syncStatus, setSyncStatus] = useState<Record<string, SyncStatus>>({});
  const commentRef = useRef<HTMLTextAreaElement>(null);

  const presets = useMemo(
    () => windowPresets(data?.image ?? { windowCenter: null, windowWidth: null }),
    [data?.image],
  );

  // the server's copy of drafts: debounced, retried while offline, paused when the session is over
  const syncRef = useRef<DraftSync | null>(null);
  useEffect(() => {
    const sync = new DraftSync({
      send: async (imageId, op) => {
        if (op.kind === "save") await trpcClient.review.saveDraft.mutate({ imageId, draft: op.draft });
        else await trpcClient.review.deleteDraft.mutate({ imageId });
      },
      classify: failureKind,
      onStatus: (imageId, status) => {
        setSyncStatus((s) => ({ ...s, [imageId]: status }));
        if (status.state === "unauthorized") setSignedOut((o) => o ?? { imageId });
      },
    });
    syncRef.current = sync;
    const onHide = () => {
      if (document.visibilityState === "hidden") sync.flush();
    };
    const onOnline = () => sync.resume();
    document.addEventListener("visibilitychange", onHide);
    window.addEventListener("online", onOnline);
    return () => {
      document.removeEventListener("visibilitychange", onHide);
      window.removeEventListener("online", onOnline);
      sync.dispose();
      syncRef.current = null;
    };
  }, [trpcClient]);

  // a restored draft: the copy that lost (older, or missing) catches up
  const initialisedId = decision?.imageId;
  useEffect(() => {
    const pending = initSync.current;
    if (!pending || pending.imageId !== initialisedId) return;
    initSync.current = null;
    if (pending.to === "toLocal") saveDraft(window.localStorage, userId, pending.imageId, pending.draft);
    else syncRef.current?.schedule(pending.imageId, { kind: "save", draft: pending.draft });
  }, [initialisedId, userId]);

  // autosave: every change is in the browser's storage before anything else can go wrong, then on the server
  useEffect(() => {
    if (!active) return;
    const content = draftContent(active, rois);
    const key = contentKey(content);
    if (key === savedKey.current) return;
    savedKey.current = key;
    const imageId = active.imageId;
    // nothing done, or back to the decision in force: no draft to keep
    if (isEmptyDraft(content) || key === headKey.current) {
      clearDraft(window.localStorage, userId, imageId);
      syncRef.current?.schedule(imageId, { kind: "delete" });
      return;
    }
    const draft: Draft = {
      version: 1,
      ...content,
      elapsedMs: Math.round(timing.current.elapsedBefore + performance.now() - timing.current.startedAt),
      savedAt: Date.now(),
    };
    saveDraft(window.localStorage, userId, imageId, draft);
    syncRef.current?.schedule(imageId, { kind: "save", draft });
  }, [active, rois, userId]);

  // a campaign case the reader opens is IN_PROGRESS from now on
  const started = useRef(new Set<string>());
  const startMutation = useMutation(trpc.review.startAssignment.mutationOptions());
  const assignment = data?.assignment ?? null;
  useEffect(() => {
    if (!assignment || assignment.status !== "PENDING" || started.current.has(assignment.id)) return;
    started.current.add(assignment.id);
    startMutation.mutate({ assignmentId: assignment.id });
  }, [assignment, startMutation]);

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
      void qc.prefetchQuery(draftOptions(id));
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
        // the server deleted its copy with the decision
        qc.setQueryData(trpc.review.draft.queryKey({ imageId: input.imageId }), null);
        void qc.invalidateQueries({ queryKey: trpc.review.queue.queryKey() });
        void qc.invalidateQueries({ queryKey: trpc.review.case.queryKey({ imageId: input.imageId }) });
      },
      onError: (error, input) => {
        const info = errorInfo(error);
        if (info.code === "UNAUTHORIZED") setSignedOut({ imageId: input.imageId });
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
      assignmentId: data.assignment?.id ?? null,
      notDiagnostic: active.notDiagnostic,
      secondOpinion: active.secondOpinion,
      comment: active.comment,
      durationMs: Math.round(timing.current.elapsedBefore + performance.now() - timing.current.startedAt),
      rois: rois.map(({ shape, classId, points, strokeWidth }) => ({
        shape,
        classId,
        points,
        strokeWidth: shape === "BRUSH" ? (strokeWidth ?? null) : null,
      })),
    };
    setFailures((f) => {
      const { [input.imageId]: _gone, ...rest } = f;
      return rest;
    });
    // an autosave of this case still on its way must not land after the decision (it would bring the
    // deleted draft back): drop what waits, let what flies arrive, then submit
    const sync = syncRef.current;
    const autosaveDone = sync
      ? Promise.race([
          sync.cancel(input.imageId),
          new Promise<void>((r) => setTimeout(r, SUBMIT_WAITS_FOR_AUTOSAVE_MS)),
        ])
      : Promise.resolve();
    void autosaveDone.then(() => submitMutation.mutate(input));
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
      case "brushSize":
        setBrushSize((s) => stepBrushSize(s, action.direction));
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
        {signedOut ? (
          <Alert tone="error">
            <span data-testid="session-expired">
              Your session has expired. Everything you typed or drew is saved on this device; sign in again to
              go on (you will come back to this case).
            </span>{" "}
            <a href={signInAgain(signedOut.imageId, filters.modelVersionId)}>Sign in again</a>
          </Alert>
        ) : null}
        {failureList.length > 0 ? (
          <div className="review-failures">
            {failureList.map(([id, f]) => (
              <Alert key={id} tone="error">
                <span data-testid="submit-failure">
                  Your decision on case …{id.slice(-6)} was not saved. {f.message}
                </span>{" "}
                {f.code === "UNAUTHORIZED" ? null : (
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
          brushSize={brushSize}
          onBrushSize={(px) => setBrushSize(clampBrushSize(px))}
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
          sourceRois={{ count: sourceRois.length, visible: showSourceRois }}
          onSourceRois={() => setShowSourceRois((v) => !v)}
        />
        {!currentId ? (
          <EmptyState
            title={queue.isFetched ? "Nothing left to read" : "Loading the queue…"}
            description={
              queue.isFetched
                ? queue.data?.scope === "campaigns"
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
                sourceRois={showSourceRois ? sourceRois : []}
                roiClassId={active.classId}
                classColors={classColors}
                selectedRoiId={selectedRoiId}
                onSelectRoi={setSelectedRoiId}
                onRoisChange={changeRois}
                brushSize={brushSize}
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
              draftStatus={syncStatus[active.imageId] ?? null}
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
