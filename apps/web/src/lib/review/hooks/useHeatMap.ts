// The heat map the viewer shows: the case's stored map of the chosen class and variant, or, when the prediction
// has none, one computed on demand (useOnDemandMap). The variant is the reader's choice, kept across cases.
import { useState } from "react";
import { type CaseData } from "../api-types";
import { useOnDemandMap, type MapMethod } from "./useOnDemandMap";

export function useHeatMap(data: CaseData | undefined, heatClassId: string | null) {
  const [method, setMethod] = useState<MapMethod>("GRADCAM");
  const prediction = data?.prediction ?? null;
  const map = prediction?.maps.find((m) => m.classId === heatClassId && m.method === method) ?? null;
  const onDemand = useOnDemandMap(
    data && prediction && heatClassId
      ? { imageId: data.image.id, modelVersionId: prediction.model.id, classId: heatClassId, method }
      : null,
    map !== null,
  );
  // the classes with a stored map: the key that cycles the overlay's class goes through these
  const mapClasses = data?.classes.filter((c) => prediction?.maps.some((m) => m.classId === c.id)) ?? [];
  return { method, setMethod, map, onDemand, mapClasses };
}
