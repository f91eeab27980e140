"use client";
// One label set: its classes (colour, hotkey, order, retired or not) with their actions, and a form that adds a class.
import { Button, Card, DataTable, StatusPill, type Column } from "@cxr/ui";
import { useState, type FormEvent } from "react";
// type-only: the module is server code and must not reach the browser bundle
import type { LabelSetListItem } from "~/server/services/label-sets";
import { blankClass, ClassFields, toInput, type ClassDraft } from "./ClassFields";
import type { LabelSetMutations } from "./LabelSetsView";

type LabelClassRow = LabelSetListItem["classes"][number];

export function LabelSetCard({ set, m }: { set: LabelSetListItem; m: LabelSetMutations }) {
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
