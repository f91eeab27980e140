// @vitest-environment happy-dom
// The workspace's hooks in a DOM, against the real review API (tRPC's local link into the app's router, a
// real PostgreSQL): a case opens from the newer draft, autosave writes the browser's copy at once and the
// server's after the debounce, deletes both back at nothing, and pauses on an expired session; a submit
// lands, a conflicting one stays as a failure; prefetch loads the next cases; the active ROI tool keeps up
// with fast pointer events and drops a half-drawn region on a new session; keys are ignored while typing.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render, renderHook, waitFor } from "@testing-library/react";
import { createTRPCClient, TRPCClientError, unstable_localLink, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { type Session } from "next-auth";
import { type ReactNode } from "react";
import superjson from "superjson";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type CaseData } from "~/lib/review/api-types";
import { draftKey } from "~/lib/review/draft";
import { useCaseQueries } from "~/lib/review/hooks/useCaseQueries";
import { useCaseState } from "~/lib/review/hooks/useCaseState";
import { useDraftAutosave } from "~/lib/review/hooks/useDraftAutosave";
import { useHeatMap } from "~/lib/review/hooks/useHeatMap";
import { usePrefetch } from "~/lib/review/hooks/usePrefetch";
import { useReviewKeys } from "~/lib/review/hooks/useReviewKeys";
import { useRoiTool } from "~/lib/review/hooks/useRoiTool";
import { useSubmit } from "~/lib/review/hooks/useSubmit";
import { type Tool } from "~/lib/review/keymap";
import { type Roi } from "~/lib/review/roi";
import { submitInput } from "~/lib/review/submission";
import { type ToolContext } from "~/lib/review/tools";
import { appRouter, type AppRouter } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { TRPCProvider } from "~/trpc/react";
import { sessionFor, useReviewFixture, useSeededDatabase } from "./helpers";

const t = useSeededDatabase();
const fx = useReviewFixture(t, { count: 6, size: 32, tag: "hooks" });

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

/**
 * React Query and tRPC as the app wires them, calling the router in-process as `who()` (null: signed out);
 * `before`: links in front of the router's, as the network is.
 */
function api(who: () => Session | null, before: TRPCLink<AppRouter>[] = []) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const trpcClient = createTRPCClient<AppRouter>({
    links: [
      ...before,
      unstable_localLink({
        router: appRouter,
        transformer: superjson,
        createContext: async () => createInnerContext({ session: who(), db: t.db }),
      }),
    ],
  });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
  return { wrapper, queryClient };
}

/** The workspace's case loop without its screen: queries, state, autosave. */
function useOpenCase(imageId: string, userId: string, onSignedOut: (imageId: string) => void) {
  const { data, serverDraft } = useCaseQueries(imageId, fx.modelVersionId, true);
  const { active, dispatch, elapsedMs } = useCaseState(data, userId, serverDraft);
  const autosave = useDraftAutosave({ userId, active, elapsedMs, onSignedOut });
  return { data, active, dispatch, autosave };
}

const localDraft = (userId: string, imageId: string) =>
  window.localStorage.getItem(draftKey(userId, imageId));
/** the API's first answers come from a cold server and a shared machine */
const slow = { timeout: 10_000 };

const serverDrafts = (imageId: string) => t.db.reviewDraft.count({ where: { imageId } });

describe("a case's state and its autosave", () => {
  it("writes the browser's copy at once, the server's after the debounce, and reopens from the server's", async () => {
    const rosa = t.users.radiologist;
    const imageId = fx.imageIds[0]!;
    const { wrapper } = api(() => sessionFor(rosa));
    const first = renderHook(() => useOpenCase(imageId, rosa.id, vi.fn()), { wrapper });
    await waitFor(() => expect(first.result.current.active).not.toBeNull(), slow);
    expect(first.result.current.active?.restored).toBeNull();
    expect(localDraft(rosa.id, imageId)).toBeNull();

    act(() => first.result.current.dispatch({ type: "patch", patch: { classId: fx.classIds["covid-19"]! } }));
    expect(JSON.parse(localDraft(rosa.id, imageId)!)).toMatchObject({ classId: fx.classIds["covid-19"] });
    expect(first.result.current.autosave.status[imageId]?.state).toBe("pending");
    await waitFor(() => expect(first.result.current.autosave.status[imageId]?.state).toBe("saved"), slow);
    expect(await serverDrafts(imageId)).toBe(1);
    first.unmount();

    // a cleared browser: the server's copy opens the case, and the browser's catches up
    window.localStorage.clear();
    const again = renderHook(() => useOpenCase(imageId, rosa.id, vi.fn()), {
      wrapper: api(() => sessionFor(rosa)).wrapper,
    });
    await waitFor(() => expect(again.result.current.active?.restored).toBe("server"), slow);
    expect(again.result.current.active?.decision.classId).toBe(fx.classIds["covid-19"]);
    await waitFor(() => expect(localDraft(rosa.id, imageId)).not.toBeNull());

    // back to nothing: no draft in either place
    act(() => again.result.current.dispatch({ type: "patch", patch: { classId: null } }));
    expect(localDraft(rosa.id, imageId)).toBeNull();
    await waitFor(async () => expect(await serverDrafts(imageId)).toBe(0), slow);
  });

  it("keeps the draft in the browser and reports the session over when the server says so", async () => {
    const rosa = t.users.radiologist;
    const imageId = fx.imageIds[1]!;
    let session: Session | null = sessionFor(rosa);
    const onSignedOut = vi.fn();
    const { result } = renderHook(() => useOpenCase(imageId, rosa.id, onSignedOut), {
      wrapper: api(() => session).wrapper,
    });
    await waitFor(() => expect(result.current.active).not.toBeNull(), slow);
    session = null;
    act(() => result.current.dispatch({ type: "toggleSecondOpinion" }));
    // the hook reports the sign-out as it sets the status; the status reaches the result on the next render
    await waitFor(() => {
      expect(onSignedOut).toHaveBeenCalledWith(imageId);
      expect(result.current.autosave.status[imageId]?.state).toBe("unauthorized");
    }, slow);
    expect(JSON.parse(localDraft(rosa.id, imageId)!)).toMatchObject({ secondOpinion: true });
    expect(await serverDrafts(imageId)).toBe(0);
  });
});

describe("submit", () => {
  /** the workspace's submit path for one case, as `user` */
  function useSubmitCase(imageId: string, userId: string, onFailed: (imageId: string) => void) {
    const { data, serverDraft } = useCaseQueries(imageId, fx.modelVersionId, true);
    const { active, dispatch, elapsedMs } = useCaseState(data, userId, serverDraft);
    const submission = useSubmit({ userId, settle: async () => undefined, onSignedOut: vi.fn(), onFailed });
    const submit = () => {
      const input = data && active ? submitInput(data, active, elapsedMs()) : null;
      if (input) submission.submit(input);
    };
    return { active, dispatch, submit, failures: submission.failures };
  }

  it("records the decision and clears the browser's draft; a second reader's stale decision stays as a conflict", async () => {
    const imageId = fx.imageIds[2]!;
    const rosa = t.users.radiologist;
    window.localStorage.setItem(draftKey(rosa.id, imageId), "{}");
    const first = renderHook(() => useSubmitCase(imageId, rosa.id, vi.fn()), {
      wrapper: api(() => sessionFor(rosa)).wrapper,
    });
    const ada = t.users.admin;
    const onFailed = vi.fn();
    const second = renderHook(() => useSubmitCase(imageId, ada.id, onFailed), {
      wrapper: api(() => sessionFor(ada)).wrapper,
    });
    await waitFor(
      () => expect(first.result.current.active && second.result.current.active).toBeTruthy(),
      slow,
    );

    act(() => first.result.current.dispatch({ type: "patch", patch: { classId: fx.classIds["normal"]! } }));
    act(() => first.result.current.submit());
    await waitFor(
      async () => expect(await t.db.read.count({ where: { imageId, source: "READER" } })).toBe(1),
      slow,
    );
    await waitFor(() => expect(localDraft(rosa.id, imageId)).toBeNull());

    act(() =>
      second.result.current.dispatch({ type: "patch", patch: { classId: fx.classIds["pneumonia"]! } }),
    );
    act(() => second.result.current.submit());
    await waitFor(() => {
      expect(onFailed).toHaveBeenCalledWith(imageId);
      expect(second.result.current.failures[imageId]).toMatchObject({ code: "CONFLICT" });
    }, slow);
    expect(await t.db.read.count({ where: { imageId, source: "READER" } })).toBe(1);
  });

  /** `review.submit` reaches the server, but its first `n` answers are lost on the way back (a dropped line) */
  function losingSubmitAnswers(n: number): TRPCLink<AppRouter> {
    let lost = 0;
    return () =>
      ({ next, op }) =>
        observable((observer) =>
          next(op).subscribe({
            next(value) {
              if (op.path === "review.submit" && lost < n) {
                lost++;
                observer.error(TRPCClientError.from(new Error("fetch failed")));
              } else observer.next(value);
            },
            error: (error) => observer.error(error),
            complete: () => observer.complete(),
          }),
        );
  }

  it("retries after lost answers with the attempt's submissionId: one read, one audit event, no failure", async () => {
    const imageId = fx.imageIds[3]!;
    const rosa = t.users.radiologist;
    window.localStorage.setItem(draftKey(rosa.id, imageId), "{}");
    const onFailed = vi.fn();
    const hook = renderHook(() => useSubmitCase(imageId, rosa.id, onFailed), {
      wrapper: api(() => sessionFor(rosa), [losingSubmitAnswers(2)]).wrapper,
    });
    await waitFor(() => expect(hook.result.current.active).toBeTruthy(), slow);

    act(() => hook.result.current.dispatch({ type: "patch", patch: { classId: fx.classIds["normal"]! } }));
    act(() => hook.result.current.submit());
    // stored by the first attempt and found again by the hook's retries, whose last answer arrives
    await waitFor(() => expect(localDraft(rosa.id, imageId)).toBeNull(), { timeout: 15_000 });
    const reads = await t.db.read.findMany({ where: { imageId, source: "READER" } });
    expect(reads).toHaveLength(1);
    expect(reads[0]!.submissionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await t.db.auditEvent.count({ where: { entityType: "Read", entityId: reads[0]!.id } })).toBe(1);
    expect(onFailed).not.toHaveBeenCalled();
    expect(hook.result.current.failures[imageId]).toBeUndefined();
  });
});

describe("prefetch", () => {
  it("loads the next three cases' data, not the fourth", async () => {
    const { wrapper, queryClient } = api(() => sessionFor(t.users.radiologist));
    const next = fx.imageIds.slice(2, 6);
    renderHook(() => usePrefetch(next, fx.modelVersionId, true), { wrapper });
    const loaded = () =>
      queryClient
        .getQueryCache()
        .findAll({ queryKey: [["review", "case"]] })
        .filter((q) => q.state.status === "success")
        .map((q) => (q.state.data as CaseData).image.id);
    await waitFor(() => expect(loaded().sort()).toEqual(next.slice(0, 3).sort()), slow);
    expect(loaded()).not.toContain(next[3]);
  });
});

describe("the heat map", () => {
  /** review.explainMap answered here, as a service that cannot compute it: each call recorded */
  function refusedExplanations(asked: unknown[]): TRPCLink<AppRouter> {
    return () =>
      ({ next, op }) =>
        observable((observer) => {
          if (op.path !== "review.explainMap") return next(op).subscribe(observer);
          asked.push(op.input);
          observer.error(TRPCClientError.from(new Error("the inference service is not running")));
        });
  }

  it("shows the stored map of the chosen class, and asks once for a variant the prediction lacks", async () => {
    const asked: unknown[] = [];
    const imageId = fx.imageIds[4]!;
    const pneumonia = fx.classIds["pneumonia"]!;
    const hook = renderHook(
      () => {
        const { data } = useCaseQueries(imageId, fx.modelVersionId, true);
        return { data, heat: useHeatMap(data, pneumonia) };
      },
      { wrapper: api(() => sessionFor(t.users.radiologist), [refusedExplanations(asked)]).wrapper },
    );
    await waitFor(() => expect(hook.result.current.data).toBeTruthy(), slow);
    const { data, heat } = hook.result.current;
    // the fixture stores a Grad-CAM of every class: the chosen class's is shown, nothing is computed
    const stored = data!.prediction!.maps.find((m) => m.classId === pneumonia && m.method === "GRADCAM");
    expect(heat.method).toBe("GRADCAM");
    expect(heat.map?.id).toBe(stored!.id);
    expect(heat.mapClasses.map((c) => c.id).sort()).toEqual(Object.values(fx.classIds).sort());
    expect(heat.onDemand.computing).toBe(false);
    expect(asked).toEqual([]);
    // guided Grad-CAM is not stored: asked for once, and the refusal is shown, not retried
    act(() => heat.setMethod("GUIDED_GRADCAM"));
    await waitFor(() => expect(hook.result.current.heat.onDemand.error).toMatch(/not running/), slow);
    expect(hook.result.current.heat.map).toBeNull();
    expect(asked).toEqual([
      { imageId, modelVersionId: fx.modelVersionId, classId: pneumonia, method: "GUIDED_GRADCAM" },
    ]);
    hook.rerender();
    expect(asked).toHaveLength(1);
  });
});

describe("the active ROI tool", () => {
  const ctx: ToolContext = {
    rois: [],
    classId: null,
    selectedId: null,
    width: 100,
    height: 100,
    scale: 4,
    brushSize: 16,
  };

  function setup(tool: Tool, session = "a") {
    const onRoisChange = vi.fn<(rois: Roi[]) => void>();
    const hook = renderHook(
      (p: { tool: Tool; session: string }) =>
        useRoiTool({ tool: p.tool, session: p.session, ctx, onRoisChange, onSelectRoi: vi.fn() }),
      { initialProps: { tool, session } },
    );
    return { ...hook, onRoisChange };
  }

  it("keeps every point of events faster than renders", () => {
    const { result, onRoisChange } = setup("freehand");
    act(() => {
      // no render between these: each continues from the state the previous one left
      result.current.down([0.1, 0.1], { kind: "image" });
      result.current.move([0.3, 0.1]);
      result.current.move([0.3, 0.3]);
      result.current.up();
    });
    expect(onRoisChange).toHaveBeenCalledOnce();
    expect(onRoisChange.mock.calls[0]![0][0]?.points).toEqual([
      [0.1, 0.1],
      [0.3, 0.1],
      [0.3, 0.3],
    ]);
  });

  it("shows the region being drawn and drops it on a new session", () => {
    const { result, rerender, onRoisChange } = setup("rectangle");
    act(() => {
      result.current.down([0.1, 0.1], { kind: "image" });
      result.current.move([0.5, 0.5]);
    });
    expect(result.current.state).toMatchObject({ kind: "drawing", roi: { shape: "RECTANGLE" } });
    rerender({ tool: "rectangle", session: "b" });
    expect(result.current.state).toEqual({ kind: "idle" });
    act(() => result.current.up());
    expect(onRoisChange).not.toHaveBeenCalled();
  });
});

describe("keys", () => {
  it("runs the keymap's actions, not while typing in a field (Escape leaves it) nor while paused", () => {
    const run = vi.fn();
    const { rerender } = renderHook((p: { paused: boolean }) => useReviewKeys(run, p.paused), {
      initialProps: { paused: false },
    });
    const press = (key: string, target: EventTarget = window) =>
      act(() => void target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true })));
    press("3");
    expect(run).toHaveBeenLastCalledWith({ type: "label", index: 2 });
    const { getByRole } = render(<textarea aria-label="comment" />);
    const field = getByRole("textbox");
    field.focus();
    press("3", field);
    expect(run).toHaveBeenCalledTimes(1);
    press("Escape", field);
    expect(document.activeElement).not.toBe(field);
    rerender({ paused: true });
    press("Enter");
    expect(run).toHaveBeenCalledTimes(1);
  });
});
