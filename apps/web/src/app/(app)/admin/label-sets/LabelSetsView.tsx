"use client";
// Label sets: a form that creates a set with its classes, then each set with its classes and their actions.
import { Alert, EmptyState } from "@cxr/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loaded } from "~/components/Loaded";
import { useTRPC } from "~/trpc/react";
import { LabelSetCard } from "./LabelSetCard";
import { NewLabelSetCard } from "./NewLabelSetCard";

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
export type LabelSetMutations = ReturnType<typeof useLabelSetMutations>;

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
