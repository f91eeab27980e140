"use client";
// Changes to a running campaign: more readers, more adjudicators, more images from a selection; each button says
// what it did or why it failed.
import { Alert, Button, Card } from "@cxr/ui";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type SelectionInput } from "~/lib/campaigns";
import { useTRPC } from "~/trpc/react";
import type { CampaignDetail } from "~/server/services/campaigns/admin";
import { PeoplePicker } from "../PeoplePicker";
import { SelectionFields } from "../SelectionFields";

export function AddToCampaign({ campaign: c, onDone }: { campaign: CampaignDetail; onDone: () => void }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.campaigns.options.queryOptions());
  const addReaders = useMutation(trpc.campaigns.addReaders.mutationOptions({ onSettled: onDone }));
  const addImages = useMutation(trpc.campaigns.addImages.mutationOptions({ onSettled: onDone }));
  const addAdjudicators = useMutation(trpc.campaigns.addAdjudicators.mutationOptions({ onSettled: onDone }));
  const [selection, setSelection] = useState<SelectionInput>({ reviewed: "any", limit: 50 });
  if (!options.data) return null;
  const current = new Set(c.readers.map((r) => r.userId));
  const judging = new Set(c.adjudicators.map((a) => a.id));
  const labelSet = options.data.labelSets.find((s) => s.id === c.labelSet.id);
  return (
    <Card title="Add to the running campaign">
      <div className="admin-pickers">
        <AddPeople
          legend="More readers"
          label="Add readers"
          people={options.data.readers.filter((p) => !current.has(p.id))}
          mutation={addReaders}
          submit={(userIds, then) => addReaders.mutate({ id: c.id, userIds }, { onSuccess: then })}
          done={(r) => `${r.added} reader(s) added; ${r.moved} open read(s) moved to them.`}
        />
        <AddPeople
          legend="More adjudicators"
          label="Add adjudicators"
          people={options.data.adjudicators.filter((p) => !judging.has(p.id))}
          mutation={addAdjudicators}
          submit={(userIds, then) => addAdjudicators.mutate({ id: c.id, userIds }, { onSuccess: then })}
          done={(r) =>
            `${r.added} adjudicator(s) added; ${r.pending} disagreement(s) waiting for a decision.`
          }
        />
      </div>
      <h3>More images</h3>
      <SelectionFields
        labelSetId={c.labelSet.id}
        campaignId={c.id}
        options={{ classes: labelSet?.classes ?? [], importJobs: options.data.importJobs }}
        value={selection}
        onChange={setSelection}
      />
      <Act
        label="Add images"
        mutation={addImages}
        run={() => addImages.mutate({ id: c.id, selection })}
        done={(r) => `${r.images} image(s) added, ${r.created} read(s) assigned.`}
      />
    </Card>
  );
}

/** People to add to the campaign in one role: a picker and the button that adds the chosen ones. */
function AddPeople<T>(props: {
  legend: string;
  label: string;
  people: Parameters<typeof PeoplePicker>[0]["people"];
  mutation: { isPending: boolean; data?: T; error: { message: string } | null };
  submit: (userIds: string[], then: () => void) => void;
  done: (result: T) => string;
}) {
  const [chosen, setChosen] = useState<string[]>([]);
  return (
    <div>
      <PeoplePicker legend={props.legend} people={props.people} chosen={chosen} onChange={setChosen} />
      <Act
        label={props.label}
        disabled={chosen.length === 0}
        mutation={props.mutation}
        run={() => props.submit(chosen, () => setChosen([]))}
        done={props.done}
      />
    </div>
  );
}

/** A button that runs a change, then says what it did (or why it failed). */
function Act<T>(props: {
  label: string;
  disabled?: boolean;
  mutation: { isPending: boolean; data?: T; error: { message: string } | null };
  run: () => void;
  done: (result: T) => string;
}) {
  const { mutation: m } = props;
  return (
    <>
      <div className="admin-actions" style={{ marginTop: "0.5rem" }}>
        <Button variant="secondary" disabled={props.disabled} loading={m.isPending} onClick={props.run}>
          {props.label}
        </Button>
        {m.data ? <span role="status">{props.done(m.data)}</span> : null}
      </div>
      {m.error ? <Alert tone="error">{m.error.message}</Alert> : null}
    </>
  );
}
