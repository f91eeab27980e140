// A prepared DICOM object as Patient / Study / Image rows. DICOM patient IDs share one namespace (the
// hospital's), whichever way the file arrived (file, upload, DICOMweb).
import type { ImageSource, Modality } from "@cxr/db";
import type { ImageToStore } from "@cxr/imaging";
import type { ItemResult } from "./jobs";
import type { StoreRequest } from "./store-image";

export const DICOM_PATIENT_NAMESPACE: ImageSource = "DICOM_FILE";

const MODALITIES: Record<string, Modality> = { CR: "CR", DX: "DX", CT: "CT" };

export function dicomRequest(
  prepared: Pick<ImageToStore, "dicom" | "pseudonym">,
  source: ImageSource,
  sourceRef: string,
): Omit<StoreRequest, "prepared"> | ItemResult {
  const meta = prepared.dicom;
  if (!meta) return { status: "SKIPPED", reason: "UNSUPPORTED", message: "expected a DICOM file" };
  const modality = MODALITIES[meta.modality ?? ""];
  if (!modality) {
    return {
      status: "SKIPPED",
      reason: "UNSUPPORTED",
      message: `modality ${meta.modality ?? "(none)"} is not reviewed on this platform (CR, DX and CT are)`,
    };
  }
  return {
    patient: {
      source: DICOM_PATIENT_NAMESPACE,
      externalId:
        meta.patientId ?? `no-patient-id:${meta.studyInstanceUid ?? meta.sopInstanceUid ?? sourceRef}`,
      sex: meta.sex,
      birthYear: meta.birthYear,
      pseudonym: prepared.pseudonym,
    },
    study: {
      studyInstanceUid: meta.studyInstanceUid,
      key: meta.studyInstanceUid ? undefined : sourceRef,
      accessionNumber: meta.accessionNumber,
      studyDate: meta.studyDate,
      description: meta.studyDescription,
      institution: meta.institution,
    },
    image: {
      source,
      sourceRef,
      modality,
      viewPosition: meta.viewPosition,
      bodyPart: meta.bodyPart,
      sopInstanceUid: meta.sopInstanceUid,
      seriesInstanceUid: meta.seriesInstanceUid,
      clinical: {
        ageYears: meta.ageYears,
        acquiredAt: meta.acquiredAt,
        acquiredAtText: meta.acquiredAtText,
        hospital: meta.institution,
      },
    },
  };
}
