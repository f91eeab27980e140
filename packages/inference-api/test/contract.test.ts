// The contract over real HTTP: the package's router behind tRPC's standalone adapter, called with the package's
// client. The service's implementation is replaced by a recording one here; apps/inference tests the real one.
import type { AddressInfo } from "node:net";
import { DomainError } from "@cxr/domain";
import { TRPCClientError } from "@trpc/client";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  trpcPath,
  type BackboneView,
  type InferenceHandlers,
  type InferenceRouter,
  type ModelView,
  type RunView,
} from "../src";
import { createInferenceClient } from "../src/client";
import { createContextFactory, inferenceRouter } from "../src/server";
import { failure } from "../src/testing";

const TOKEN = "contract-token-0123456789abcdef";

const model: ModelView = {
  id: "m1",
  labelSet: "cxr-4class",
  labelSetId: "ls1",
  version: 1,
  name: "cxr-4class v1 (compact)",
  architecture: "COMPACT_CNN",
  status: "CANDIDATE",
  inputSize: 64,
  targetLayer: "conv4",
  classKeys: ["normal", "pneumonia"],
  checksum: "abc",
  metrics: { test: { accuracy: 0.9 } },
  history: null,
  trainingRunId: null,
  parentId: null,
  createdAt: new Date("2026-01-02T03:04:05Z"),
  promotedAt: null,
  promotedBy: null,
  training: null,
};

const run = (status: RunView["status"], currentEpoch: number): RunView => ({
  id: "run1",
  labelSet: "cxr-4class",
  architecture: "COMPACT_CNN",
  mode: "FULL_FINE_TUNE",
  labelSources: ["IMPORTED"],
  status,
  epochs: 2,
  currentEpoch,
  batchSize: null,
  roiWeight: null,
  progress: { phase: "training", epoch: currentEpoch, epochs: 2 },
  startedBy: null,
  error: null,
  workerId: "w1",
  queuedAt: new Date("2026-01-02T03:04:05Z"),
  startedAt: null,
  finishedAt: null,
});

const backbone: BackboneView = {
  id: "b1",
  architecture: "vgg16",
  sourceFile: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
  checksum: "d".repeat(64),
  sourceSha256: "e".repeat(64),
  storageUri: "/srv/models/backbones/vgg16",
  createdAt: new Date("2026-01-02T03:04:05Z"),
  createdBy: { id: "u1", name: "Admin" },
  inUse: true,
};

/** Every procedure's implementation, recording what it was called with. */
const calls: { name: string; input: unknown }[] = [];
const record = <T>(name: string, input: unknown, output: T): Promise<T> => {
  calls.push({ name, input });
  return Promise.resolve(output);
};
const handlers: InferenceHandlers = {
  system: {
    info: () => ({
      service: "inference",
      version: "9.9.9",
      backend: "cpu",
      provider: "test",
      uptimeSeconds: 1,
      numTensors: 0,
      workerId: null,
      stats: null,
      loadedModels: [],
    }),
  },
  service: {
    models: {
      list: (input) => record("models.list", input, [model]),
      get: (input) => {
        calls.push({ name: "models.get", input });
        if (input.id === "leaky") return Promise.resolve({ ...model, storageUri: "/srv/models/m1" });
        if (input.id === "malformed")
          return Promise.resolve({ ...model, status: "LOST" } as unknown as ModelView);
        return Promise.reject(new DomainError("NOT_FOUND", `model version ${input.id} does not exist`));
      },
      promote: (input) => record("models.promote", input, { champion: model, retired: null }),
      rollback: (input) => record("models.rollback", input, { champion: model, retired: "m0" }),
      reject: (input) => {
        calls.push({ name: "models.reject", input });
        return Promise.reject(new Error("connection to postgres://admin:secret@db failed"));
      },
      rescoreProgress: (input) =>
        record("models.rescoreProgress", input, {
          labelSet: input.labelSet,
          champion: null,
          unreviewed: 0,
          scored: 0,
          queued: 0,
        }),
    },
    predictions: {
      predict: (input) =>
        record("predict", input, {
          modelVersionId: "m1",
          items: input.imageIds.map((imageId) => ({ imageId, status: "queued" as const, jobId: null })),
        }),
      explain: (input) =>
        record("explain", input, {
          modelVersionId: "m1",
          status: "failed" as const,
          map: null,
          item: { imageId: input.imageId, status: "failed" as const, error: "unreadable" },
        }),
      queuePending: (input) => record("queue.queuePending", input, { modelVersionId: "m1", jobId: "j1" }),
    },
    policy: {
      get: (input) => record("policy.get", input, null),
      set: (input) =>
        Promise.reject(new DomainError("NOT_FOUND", `label set ${input.labelSet} does not exist`)),
    },
    training: {
      preview: (input) =>
        Promise.reject(new DomainError("NOT_FOUND", `label set ${input.labelSet} does not exist`)),
      start: (input) => record("training.start", input, run("QUEUED", 0)),
      cancel: (input) => record("training.cancel", input, run("CANCELLED", 0)),
      list: (input) => record("training.list", input, [run("QUEUED", 0)]),
      progress: async function* (input) {
        calls.push({ name: "training.progress", input });
        if (input.id !== "run1")
          throw new DomainError("NOT_FOUND", `training run ${input.id} does not exist`);
        yield run("RUNNING", 1);
        yield run("SUCCEEDED", 2);
      },
    },
    backbones: {
      register: (input) => record("backbones.register", input, { backbone, created: true }),
      list: (input) => record("backbones.list", input, [backbone]),
    },
  },
};

/** Starts the router on a free port with these handlers. */
async function serve(served: InferenceHandlers) {
  const server = createHTTPServer({
    router: inferenceRouter,
    basePath: `${trpcPath}/`,
    createContext: createContextFactory({ token: TOKEN, handlers: served }),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let service: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  service = await serve(handlers);
});
afterAll(() => service.close());
beforeEach(() => {
  calls.length = 0;
});

describe("inference API contract", () => {
  it("refuses every procedure without the right bearer token, before any of the service's code runs", async () => {
    const procedures = Object.entries(
      inferenceRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
    );
    expect(procedures.length).toBe(20);
    // no header, a wrong token, and tokens that differ from the right one only in length or scheme
    const headers: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong-token-0123456789abcdef" },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Basic ${TOKEN}` },
    ];
    for (const [path, procedure] of procedures) {
      const input = encodeURIComponent(JSON.stringify({ json: { id: "run1" } }));
      for (const header of headers) {
        const res =
          procedure._def.type === "mutation"
            ? await fetch(`${service.url}/trpc/${path}`, {
                method: "POST",
                headers: { ...header, "content-type": "application/json" },
                body: JSON.stringify({ json: { message: "hi" } }),
              })
            : await fetch(`${service.url}/trpc/${path}?input=${input}`, {
                headers: { ...header, accept: "text/event-stream" },
              });
        const text = await res.text();
        expect(text, `${path} with ${JSON.stringify(header)}`).toContain("UNAUTHORIZED");
        if (procedure._def.type !== "subscription") expect(res.status, path).toBe(401);
        expect(text).not.toContain(TOKEN);
      }
    }
    expect(calls).toEqual([]);
  });

  it("calls the implementation with validated input, defaults applied, and returns its output with Dates", async () => {
    const client = createInferenceClient({ url: `${service.url}/`, token: TOKEN });
    const started = await client.training.start.mutate({ labelSet: "cxr-4class" });
    expect(started.queuedAt).toBeInstanceOf(Date);
    expect(calls).toEqual([
      {
        name: "training.start",
        input: {
          labelSet: "cxr-4class",
          architecture: "compact",
          mode: "FROM_SCRATCH",
          labelSources: ["CONSENSUS", "CORRECTED", "IMPORTED"],
          epochs: 10,
          seed: 42,
          autoPromote: true,
        },
      },
    ]);
    const [listed] = await client.models.list.query();
    expect(listed).toEqual(model);
    expect(calls.at(-1)).toEqual({ name: "models.list", input: {} });
    const predicted = await client.predict.mutate({ imageIds: ["a", "b"] });
    expect(predicted.items.map((i) => i.status)).toEqual(["queued", "queued"]);
    expect(calls.at(-1)).toEqual({
      name: "predict",
      input: { imageIds: ["a", "b"], gradcam: "predicted", wait: true },
    });
    await expect(client.queue.queuePending.mutate({ labelSet: "cxr-4class" })).resolves.toEqual({
      modelVersionId: "m1",
      jobId: "j1",
    });
    await expect(client.system.echo.mutate({ message: "hi" })).resolves.toEqual({ message: "hi" });
    await expect(client.system.info.query()).resolves.toMatchObject({
      service: "inference",
      version: "9.9.9",
    });
  });

  it("registers and lists pretrained backbones through the implementation, file name trimmed", async () => {
    const client = createInferenceClient({ url: service.url, token: TOKEN });
    const registered = await client.backbones.register.mutate({
      architecture: "vgg16",
      sourceFile: " vgg16_notop.h5 ",
      objectKey: "a".repeat(64),
      actorId: "u1",
    });
    expect(registered.backbone.createdAt).toBeInstanceOf(Date);
    expect(calls.at(-1)).toEqual({
      name: "backbones.register",
      input: {
        architecture: "vgg16",
        sourceFile: "vgg16_notop.h5",
        objectKey: "a".repeat(64),
        actorId: "u1",
      },
    });
    await expect(client.backbones.list.query({ architecture: "resnet50" })).resolves.toHaveLength(1);
  });

  it("refuses invalid input with BAD_REQUEST and per-field messages, without calling the implementation", async () => {
    const client = createInferenceClient({ url: service.url, token: TOKEN });
    const tooLong = await failure(client.system.echo.mutate({ message: "a".repeat(1001) }));
    expect(tooLong.data?.code).toBe("BAD_REQUEST");
    expect(tooLong.data?.zodError?.fieldErrors.message?.length).toBe(1);
    expect(tooLong.data).not.toHaveProperty("stack");
    const none = await failure(client.predict.mutate({ imageIds: [] }));
    expect(none.data?.code).toBe("BAD_REQUEST");
    const epochs = await failure(client.training.start.mutate({ labelSet: "cxr-4class", epochs: 0 }));
    expect(epochs.data?.zodError?.fieldErrors.epochs?.length).toBe(1);
    // a backbone is an uploaded object's key and a bare file name, for an architecture that has one
    const backbone = await failure(
      client.backbones.register.mutate({
        architecture: "compact" as "vgg16",
        sourceFile: "../etc/passwd",
        objectKey: "not-a-key",
        actorId: "u1",
      }),
    );
    expect(Object.keys(backbone.data?.zodError?.fieldErrors ?? {}).sort()).toEqual([
      "architecture",
      "objectKey",
      "sourceFile",
    ]);
    // a person's decision names the person, and overriding the promotion gate needs a reason
    const anonymous = await failure(
      client.models.promote.mutate({ id: "m1" } as Parameters<typeof client.models.promote.mutate>[0]),
    );
    expect(anonymous.data?.zodError?.fieldErrors.actorId?.length).toBe(1);
    const noReason = await failure(
      client.models.promote.mutate({ id: "m1", actorId: "u1", overrideGate: true }),
    );
    expect(noReason.data?.zodError?.fieldErrors.reason?.length).toBe(1);
    expect(calls).toEqual([]);
    await client.models.promote.mutate({ id: "m1", actorId: "u1" });
    expect(calls).toEqual([
      { name: "models.promote", input: { id: "m1", actorId: "u1", overrideGate: false } },
    ]);
  });

  it("passes a DomainError on with its code and message, and hides any other failure", async () => {
    const client = createInferenceClient({ url: service.url, token: TOKEN });
    const missing = await failure(client.models.get.query({ id: "m404" }));
    expect(missing.data?.code).toBe("NOT_FOUND");
    expect(missing.data?.httpStatus).toBe(404);
    expect(missing.message).toBe("model version m404 does not exist");
    const internal = await failure(client.models.reject.mutate({ id: "m1", actorId: "u1" }));
    expect(internal.data?.code).toBe("INTERNAL_SERVER_ERROR");
    expect(internal.message).toBe("Internal server error");
    expect(JSON.stringify(internal.shape)).not.toContain("secret");
  });

  it("answers only what the contract names: extra fields are dropped, a wrong value is an internal error", async () => {
    const client = createInferenceClient({ url: service.url, token: TOKEN });
    const leaky = await client.models.get.query({ id: "leaky" });
    expect(leaky).toEqual(model);
    expect(leaky).not.toHaveProperty("storageUri");
    const malformed = await failure(client.models.get.query({ id: "malformed" }));
    expect(malformed.data?.code).toBe("INTERNAL_SERVER_ERROR");
    expect(malformed.message).not.toContain("LOST");
  });

  it("streams training progress as server-sent events, authorised by the bearer header", async () => {
    const client = createInferenceClient({ url: service.url, token: TOKEN });
    const seen = await new Promise<RunView[]>((resolve, reject) => {
      const views: RunView[] = [];
      const sub = client.training.progress.subscribe(
        { id: "run1" },
        {
          onData: (view) => {
            views.push(view);
            if (view.status === "SUCCEEDED") {
              sub.unsubscribe();
              resolve(views);
            }
          },
          onError: reject,
        },
      );
    });
    expect(seen.map((v) => [v.status, v.currentEpoch])).toEqual([
      ["RUNNING", 1],
      ["SUCCEEDED", 2],
    ]);
    expect(seen[0]!.queuedAt).toBeInstanceOf(Date);
    // a DomainError raised while streaming reaches the caller with its code and message too
    const error = await new Promise<unknown>((resolve) => {
      const sub = client.training.progress.subscribe(
        { id: "run404" },
        {
          onData: () => resolve(new Error("expected no data")),
          onError: (e) => {
            sub.unsubscribe();
            resolve(e);
          },
        },
      );
    });
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<InferenceRouter>).data?.code).toBe("NOT_FOUND");
    expect((error as TRPCClientError<InferenceRouter>).message).toBe("training run run404 does not exist");
  });

  it("answers PRECONDITION_FAILED for the service's procedures when it runs without a database", async () => {
    const bare = await serve({ system: handlers.system, service: null });
    try {
      const client = createInferenceClient({ url: bare.url, token: TOKEN });
      await expect(client.system.info.query()).resolves.toMatchObject({ stats: null });
      const refused = await failure(client.models.list.query());
      expect(refused.data?.code).toBe("PRECONDITION_FAILED");
      expect(refused.message).toContain("DATABASE_URL");
    } finally {
      await bare.close();
    }
  });
});
