"use client";
import { RoleBadge } from "@cxr/ui";
import { type Role } from "@cxr/domain";

/** Checkboxes of people, each with their role; `chosen` keeps the order they were ticked in. */
export function PeoplePicker(props: {
  legend: string;
  people: { id: string; name: string; email: string; role: Role }[];
  chosen: string[];
  onChange: (ids: string[]) => void;
}) {
  return (
    <fieldset className="admin-checks">
      <legend>{props.legend}</legend>
      {props.people.length === 0 ? <span className="admin-muted">Nobody to choose.</span> : null}
      {props.people.map((p) => (
        <label key={p.id} className="admin-person">
          <input
            type="checkbox"
            checked={props.chosen.includes(p.id)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.chosen, p.id] : props.chosen.filter((id) => id !== p.id),
              )
            }
          />
          <RoleBadge role={p.role} /> {p.name} <small>{p.email}</small>
        </label>
      ))}
    </fieldset>
  );
}
