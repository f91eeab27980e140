"use client";
// The form that creates a label set with its classes (at least two).
import { Button, Card, FormField } from "@cxr/ui";
import { useState, type FormEvent } from "react";
import { blankClass, ClassFields, toInput, type ClassDraft } from "./ClassFields";

export function NewLabelSetCard(props: {
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
