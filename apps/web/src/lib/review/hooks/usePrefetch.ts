// Prefetch: the next cases' data, drafts, images and predicted-class heat maps, decoded before the reader
// asks for them, so the next case paints from memory.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { gradCamUrl, imageUrl, loadImage } from "../image-cache";
import { useCaseOptions } from "./useCaseQueries";

export const PREFETCH = 3;

export function usePrefetch(upcoming: readonly string[], modelId: string | undefined, modelKnown: boolean) {
  const qc = useQueryClient();
  const { caseOptions, draftOptions } = useCaseOptions(modelId);
  const ids = upcoming.slice(0, PREFETCH).join(",");
  useEffect(() => {
    if (!modelKnown) return;
    for (const id of ids ? ids.split(",") : []) {
      void loadImage(imageUrl(id)).catch(() => undefined);
      void qc.prefetchQuery(draftOptions(id));
      void qc
        .fetchQuery(caseOptions(id))
        .then((d) => {
          const map = d.prediction?.maps.find((m) => m.classId === d.prediction?.predictedClassId);
          if (map) void loadImage(gradCamUrl(map.id)).catch(() => undefined);
        })
        .catch(() => undefined);
    }
    // the option builders change identity each render; the ids and the model are what matter
  }, [ids, modelKnown, modelId, qc]);
}
