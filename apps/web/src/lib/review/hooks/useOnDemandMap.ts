// Grad-CAM for any class and variant on demand: when the viewer's class selector names a class (and variant)
// whose map the case's prediction does not have, the server computes it once (review.explainMap); the case is
// then read again and carries it. While it computes, `computing` says so (the viewer shows a spinner).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";
import { errorInfo } from "../errors";

export type MapMethod = "GRADCAM" | "GUIDED_GRADCAM";

interface Want {
  imageId: string;
  modelVersionId: string;
  classId: string;
  method: MapMethod;
}

export function useOnDemandMap(want: Want | null, stored: boolean) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  // each missing map is asked for once per page: a failure is shown, not retried in a loop
  const asked = useRef(new Set<string>());
  const mutation = useMutation(
    trpc.review.explainMap.mutationOptions({
      onSuccess: (_r, input) =>
        qc.invalidateQueries({ queryKey: trpc.review.case.queryKey({ imageId: input.imageId }) }),
    }),
  );
  const key = want ? `${want.imageId}/${want.modelVersionId}/${want.classId}/${want.method}` : null;
  const { mutate } = mutation;
  useEffect(() => {
    if (!want || !key || stored || asked.current.has(key)) return;
    asked.current.add(key);
    mutate(want);
  }, [key, stored, want, mutate]);
  const current =
    mutation.variables &&
    key ===
      `${mutation.variables.imageId}/${mutation.variables.modelVersionId}/${mutation.variables.classId}/${mutation.variables.method}`;
  return {
    computing: Boolean(current && mutation.isPending) && !stored,
    error: current && mutation.isError ? errorInfo(mutation.error).message : null,
    queued: Boolean(current && mutation.data?.status === "queued"),
  };
}
