"use client";
// Label sets: each set's classes (colour, hotkey, order, retired or not) with their actions, a form that adds a
// class to a set, and a form that creates a set with its classes.
import { Alert, Button, Card, DataTable, EmptyState, FormField, StatusPill, type Column } from "@cxr/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type InputHTMLAttributes } from "react";
import { Loaded } from "~/components/Loaded";
import { useTRPC } from "~/trpc/react";
// type-only: the module is server code and must not reach the browser bundle
import type { LabelSetListItem } from "~/server/services/label-sets";

type LabelClassRow = LabelSetListItem["classes"][number];

interface ClassDraft {
  key: string;
  name: string;
  color: string;
  hotkey: string;
}

const blankClass = (n: number): ClassDraft => ({
  key: "",
  name: "",
  color: ["#4caf50", "#ff9800", "#f44336", "#9c27b0", "#2196f3", "#795548"][n % 6]!,
  hotkey: n < 9 ? String(n + 1) : "",
});

const toInput = (c: ClassDraft) => ({
  key: c.key.trim(),
  name: c.name.trim(),
  color: c.color,
  hotkey: c.hotkey.trim() === "" ? null : c.hotkey.trim(),
});

function useLabelSetMutations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: trpc.labelSets.list.queryKey() });
  return {
    create: useMutation(trpc.labelSets.create.mutationOptions({ onSettled })),
    addClass: useMutation(trpc.labelSets.addClass.mutationOptions({ onSettled })),
    updateClass: useMutation(trpc.labelSets.updateClass.mutationOptions({ onSettled })),
    reorder: useMutation(trpc.labelSets.reorder.mutationOptions({ onSettled })),
  };
}

export function LabelSetsView() {
  const trpc = useTRPC();
  const sets = useQuery({ ...trpc.labelSets.list.queryOptions(), staleTime: 0 });
  const m = useLabelSetMutations();
  const failed = Object.values(m).find((x) => x.isError)?.error;
  return (
    <div className="stack">
      {failed ? <Alert tone="error">{failed.message}</Alert> : null}
      <NewLabelSetCard pending={m.create.isPending} onSubmit={(input) => m.create.mutateAsync(input)} />
      <Loaded query={sets} what="label sets">
        {(data) =>
          data.length === 0 ? (
            <EmptyState title="No label sets yet" description="Create the first one above." />
          ) : (
            data.map((set) => <LabelSetCard key={set.id} set={set} m={m} />)
          )
        }
      </Loaded>
    </div>
  );
}

function LabelSetCard({ set, m }: { set: LabelSetListItem; m: ReturnType<typeof useLabelSetMutations> }) {
  const locked = set._count.modelVersions > 0;
  const move = (index: number, by: -1 | 1) => {
    const ids = set.classes.map((c) => c.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved!);
    m.reorder.mutate({ labelSetId: set.id, classIds: ids });
  };
  const columns: Column<LabelClassRow>[] = [
    { key: "index", header: "#", cell: (c) => c.index },
    { key: "key", header: "Key", cell: (c) => <code>{c.key}</code> },
    {
      key: "name",
      header: "Name",
      cell: (c) => (
        <>
          <span className="admin-swatch" style={{ background: c.color }} aria-hidden="true" />
          {c.name} {c.retired ? <StatusPill tone="neutral">retired</StatusPill> : null}
        </>
      ),
    },
    { key: "hotkey", header: "Hotkey", cell: (c) => (c.hotkey ? <kbd>{c.hotkey}</kbd> : "none") },
    {
      key: "actions",
      header: "Actions",
      cell: (c) => {
        const i = set.classes.indexOf(c);
        return (
          <span className="admin-actions">
            {locked ? null : (
              <>
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={`Move ${c.name} up`}
                >
                  ↑
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={i === set.classes.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={`Move ${c.name} down`}
                >
                  ↓
                </Button>
              </>
            )}
            <Button
              size="sm"
              variant={c.retired ? "secondary" : "danger"}
              onClick={() => m.updateClass.mutate({ classId: c.id, retired: !c.retired })}
              aria-label={`${c.retired ? "Restore" : "Retire"} ${c.name} in ${set.name}`}
            >
              {c.retired ? "Restore" : "Retire"}
            </Button>
          </span>
        );
      },
    },
  ];
  return (
    <Card
      title={`Label set ${set.name}`}
      actions={
        <span className="admin-muted">
          {set._count.modelVersions} model version(s), {set._count.campaigns} campaign(s)
          {locked ? " · order fixed by its models" : ""}
        </span>
      }
    >
      {set.description ? <p className="admin-muted">{set.description}</p> : null}
      <DataTable
        caption={`Classes of ${set.name}`}
        columns={columns}
        rows={set.classes}
        rowKey={(c) => c.id}
      />
      <AddClassForm
        setName={set.name}
        next={set.classes.length}
        pending={m.addClass.isPending}
        onSubmit={(c) => m.addClass.mutate({ labelSetId: set.id, class: toInput(c) })}
      />
    </Card>
  );
}

/** The inputs of one class, in the row's column order (key, name, colour, hotkey). */
const classInputs: { field: keyof ClassDraft; attrs: InputHTMLAttributes<HTMLInputElement> }[] = [
  { field: "key", attrs: { placeholder: "key", required: true } },
  { field: "name", attrs: { placeholder: "Name", required: true } },
  { field: "color", attrs: { type: "color" } },
  { field: "hotkey", attrs: { placeholder: "hotkey", maxLength: 1 } },
];
const fieldNames: Record<keyof ClassDraft, string> = {
  key: "key",
  name: "name",
  color: "colour",
  hotkey: "hotkey",
};

function ClassFields(props: { value: ClassDraft; onChange: (c: ClassDraft) => void; label: string }) {
  const { value, onChange, label } = props;
  return (
    <>
      {classInputs.map(({ field, attrs }) => (
        <input
          key={field}
          className="cxr-field__input"
          {...attrs}
          aria-label={`${label} ${fieldNames[field]}`}
          value={value[field]}
          onChange={(e) => onChange({ ...value, [field]: e.target.value })}
        />
      ))}
    </>
  );
}

function AddClassForm(props: {
  setName: string;
  next: number;
  pending: boolean;
  onSubmit: (c: ClassDraft) => void;
}) {
  const [draft, setDraft] = useState<ClassDraft>(() => blankClass(props.next));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit(draft);
    setDraft(blankClass(props.next + 1));
  };
  return (
    <form
      className="admin-inline"
      onSubmit={submit}
      aria-label={`Add a class to ${props.setName}`}
      style={{ marginTop: "1rem" }}
    >
      <ClassFields value={draft} onChange={setDraft} label={`New class of ${props.setName}`} />
      <Button type="submit" size="sm" variant="secondary" loading={props.pending}>
        Add class
      </Button>
    </form>
  );
}

function NewLabelSetCard(props: {
  pending: boolean;
  onSubmit: (input: {
    name: string;
    description: string | null;
    classes: ReturnType<typeof toInput>[];
  }) => void;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [classes, setClasses] = useState<ClassDraft[]>(() => [blankClass(0), blankClass(1)]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit({
      name: name.trim(),
      description: description.trim() || null,
      classes: classes.map(toInput),
    });
  };
  return (
    <Card title="New label set">
      <form onSubmit={submit} aria-label="New label set">
        <div className="admin-form" style={{ marginBottom: "1rem" }}>
          <FormField
            label="Name"
            hint="lower-case words joined by '-', e.g. cxr-3class"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <FormField
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        {classes.map((c, i) => (
          <div className="admin-inline" key={i}>
            <ClassFields
              value={c}
              label={`Class ${i + 1}`}
              onChange={(next) => setClasses(classes.map((x, j) => (j === i ? next : x)))}
            />
            <Button
              size="sm"
              variant="ghost"
              disabled={classes.length <= 2}
              onClick={() => setClasses(classes.filter((_, j) => j !== i))}
              aria-label={`Remove class ${i + 1}`}
            >
              Remove
            </Button>
          </div>
        ))}
        <div className="admin-actions">
          <Button variant="secondary" onClick={() => setClasses([...classes, blankClass(classes.length)])}>
            Another class
          </Button>
          <Button type="submit" loading={props.pending}>
            Create label set
          </Button>
        </div>
      </form>
    </Card>
  );
}
