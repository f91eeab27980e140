"use client";
import { Alert, Button, Card, DataTable, EmptyState, PageHeader, StatusPill, type Column } from "@cxr/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
// type-only: the contract's view of a registered backbone
import type { BackboneView } from "@cxr/inference-api";

const architectures = [
  { value: "vgg16", label: "VGG16", file: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5" },
  {
    value: "densenet121",
    label: "DenseNet121",
    file: "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5",
  },
  { value: "resnet50", label: "ResNet50", file: "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5" },
] as const;

const answerSchema = z.union([
  z.object({ backbone: z.object({ id: z.string(), sourceFile: z.string() }) }),
  z.object({ error: z.string() }),
]);

const columns: Column<BackboneView>[] = [
  { key: "arch", header: "Architecture", cell: (r) => r.architecture },
  { key: "file", header: "Keras file", cell: (r) => r.sourceFile },
  {
    key: "checksum",
    header: "Checksum (SHA-256)",
    cell: (r) => <code title={r.checksum}>{r.checksum.slice(0, 16)}…</code>,
  },
  { key: "by", header: "Registered by", cell: (r) => r.createdBy.name },
  { key: "at", header: "Registered", cell: (r) => formatDateTime(r.createdAt) },
  {
    key: "use",
    header: "Training uses",
    cell: (r) =>
      r.inUse ? (
        <StatusPill tone="ok">in use</StatusPill>
      ) : (
        <StatusPill tone="neutral">superseded</StatusPill>
      ),
  },
];

export function BackbonesView() {
  return (
    <>
      <PageHeader
        title="Pretrained backbones"
        description="ImageNet weights for the transfer models, from Keras applications' weight files. Training a VGG16, DenseNet121 or ResNet50 starts from the newest one of its architecture."
      />
      <div className="stack">
        <UploadForm />
        <Registered />
      </div>
    </>
  );
}

function UploadForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [arch, setArch] = useState<(typeof architectures)[number]["value"]>("vgg16");
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ tone: "info" | "error"; text: string } | null>(null);
  const expected = architectures.find((a) => a.value === arch)?.file;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return setResult({ tone: "error", text: "Choose a weight file first." });
    setBusy(true);
    setResult(null);
    try {
      const body = new FormData();
      body.append("file", file, file.name);
      const response = await fetch(`/api/backbones?architecture=${arch}`, { method: "POST", body });
      const answer = answerSchema.safeParse(await response.json().catch(() => null));
      if (!answer.success) setResult({ tone: "error", text: `The server answered ${response.status}.` });
      else if ("error" in answer.data) setResult({ tone: "error", text: answer.data.error });
      else {
        setResult({ tone: "info", text: `${answer.data.backbone.sourceFile} is registered for ${arch}.` });
        await queryClient.invalidateQueries({ queryKey: trpc.backbones.list.queryKey() });
      }
    } catch {
      setResult({
        tone: "error",
        text: "The upload did not reach the server. Check the connection and try again.",
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Upload Keras weights">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label>
          Architecture{" "}
          <select value={arch} onChange={(e) => setArch(e.target.value as typeof arch)} disabled={busy}>
            {architectures.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Weight file (.h5 or .weights.h5){" "}
          <input
            type="file"
            accept=".h5"
            disabled={busy}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <p className="models-muted">
          Keras applications publish it as <code>{expected}</code> (include_top=False). The file is checked
          layer by layer before it is registered.
        </p>
        <div>
          <Button type="submit" loading={busy}>
            {busy ? "Uploading and checking…" : "Upload and register"}
          </Button>
        </div>
        {result ? <Alert tone={result.tone}>{result.text}</Alert> : null}
      </form>
    </Card>
  );
}

function Registered() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.backbones.list.queryOptions(), staleTime: 0 });
  if (list.isError)
    return <Alert tone="error">The backbones could not be loaded: {list.error.message}</Alert>;
  if (list.isPending) return <p role="status">Loading backbones…</p>;
  if (list.data.length === 0)
    return (
      <EmptyState
        title="No pretrained backbones yet"
        description="Transfer models start from random weights until one is registered."
      />
    );
  return (
    <Card title="Registered">
      <DataTable caption="Pretrained backbones" columns={columns} rows={list.data} rowKey={(r) => r.id} />
    </Card>
  );
}
