// Everything the viewer needs for one case: the image, its clinical data, the prediction with its model
// version and Grad-CAM maps, the study's other images, and the current decision (the base of a new one).
// A campaign case carries its assignment. The data set's own label and lesion outlines come along for reference.
// A reader blinded to the image (visibility.ts) gets no prediction, imported label or outlines at all.
import { type Db } from "@cxr/db";
import { DomainError, storedRoiSchema, type StoredRoi } from "@cxr/domain";
import { resolveAssignment } from "./campaign";
import { clinicalGroups } from "./clinical";
import { defaultModelVersionId, modelVersionLabel } from "./model-choice";
import { maySeeModelOutput } from "./visibility";

export interface CaseClass {
  id: string;
  key: string;
  name: string;
  index: number;
  color: string;
  /** the key that picks it (the label set's own), or null */
  hotkey: string | null;
}

export interface HeadRead {
  id: string;
  classId: string;
  readerName: string | null;
  notDiagnostic: boolean;
  secondOpinion: boolean;
  notes: string | null;
  createdAt: Date;
}

export interface CaseReader {
  id: string;
  /** the assignment the case was opened from; without it, the reader's own open assignment of the image */
  assignmentId?: string | null;
}

export async function getCase(db: Db, imageId: string, modelVersionId?: string, reader?: CaseReader) {
  const image = await db.image.findUnique({
    where: { id: imageId },
    include: {
      study: {
        include: {
          patient: { select: { sex: true, birthYear: true, pseudonym: true } },
          images: { select: { id: true, viewPosition: true, modality: true }, orderBy: { createdAt: "asc" } },
        },
      },
    },
  });
  if (!image) throw new DomainError("NOT_FOUND", "This case does not exist.");

  const assignment = reader
    ? await resolveAssignment(db, imageId, reader.id, reader.assignmentId, modelVersionId)
    : null;
  // whatever assignment (or none) the case is opened through
  const blinded = reader ? !(await maySeeModelOutput(db, reader.id, imageId)) : false;
  const modelId = assignment
    ? assignment.modelVersionId
    : (modelVersionId ?? (await defaultModelVersionId(db)));
  // blinded: the prediction is not even read, so nothing of it can reach the reader
  const prediction =
    modelId && !blinded
      ? await db.prediction.findUnique({
          where: { imageId_modelVersionId: { imageId, modelVersionId: modelId } },
          include: {
            modelVersion: {
              select: { id: true, name: true, version: true, architecture: true, labelSetId: true },
            },
            gradCamMaps: {
              select: {
                id: true,
                classId: true,
                width: true,
                height: true,
                method: true,
                // the map against each read's ROIs: pointing game and energy inside (cam-roi)
                camRoiAgreements: {
                  select: {
                    readId: true,
                    pointingStrict: true,
                    pointingTolerant: true,
                    energyInside: true,
                    read: { select: { createdAt: true, readerId: true, reader: { select: { name: true } } } },
                  },
                  orderBy: { createdAt: "asc" },
                },
              },
              orderBy: { createdAt: "asc" },
            },
          },
        })
      : null;

  const labelSetId =
    assignment?.labelSetId ??
    prediction?.modelVersion.labelSetId ??
    (
      await db.labelSet.findFirst({
        where: { archived: false },
        orderBy: { createdAt: "asc" },
        select: { id: true },
      })
    )?.id;
  if (!labelSetId)
    throw new DomainError("NOT_FOUND", "No label set exists yet; an administrator must create one.");
  // the case's label set, without its retired classes (their history stays, but they are not offered)
  const classes: CaseClass[] = await db.labelClass.findMany({
    where: { labelSetId, retired: false },
    orderBy: { index: "asc" },
    select: { id: true, key: true, name: true, index: true, color: true, hotkey: true },
  });

  // a campaign's read is the reader's own independent read: it neither sees nor supersedes the others
  const head = assignment ? null : await currentRead(db, imageId, labelSetId);
  // the data set's own label and lesion outlines (masks or boxes it came with), for reference; a blinded reader
  // sees neither: they tell the answer as a prediction would
  // a reader study measures its readers against that label (or the consensus): never shown in either phase
  const hideTruth = blinded || (assignment !== null && assignment.phase !== "SINGLE");
  const importedLabel = hideTruth
    ? null
    : await db.read.findFirst({
        where: { imageId, labelSetId, source: "IMPORT" },
        orderBy: { createdAt: "desc" },
        select: { id: true, classId: true },
      });
  const sourceRois = importedLabel ? await readRegions(db, importedLabel.id) : [];
  // the image's consensus tells the answer too: not to a blinded reader
  const consensus = hideTruth ? null : await caseConsensus(db, imageId, labelSetId);

  return {
    image: {
      id: image.id,
      width: image.width,
      height: image.height,
      modality: image.modality,
      viewPosition: image.viewPosition,
      photometric: image.photometric,
      windowCenter: image.windowCenter,
      windowWidth: image.windowWidth,
      bitsStored: image.bitsStored,
      hasMaster: image.masterSha256 !== null,
      /** it came from DICOM (SOP and series instance UIDs): its reads can be exported as SR/SEG */
      fromDicom: image.sopInstanceUid !== null && image.seriesInstanceUid !== null,
    },
    clinical: {
      ageYears: image.ageYears,
      sex: image.study.patient.sex,
      // the data set's finding is its label: hidden from a blinded reader like the imported label
      finding: blinded ? null : image.finding,
      acquiredAt: image.acquiredAt,
      studyDate: image.study.studyDate,
      notes: image.clinicalNotes,
      studyDescription: image.study.description,
      groups: clinicalGroups(image),
    },
    studyImages: image.study.images.filter((i) => i.id !== image.id),
    labelSetId,
    classes,
    assignment: assignment
      ? {
          id: assignment.assignmentId,
          status: assignment.status,
          campaignId: assignment.campaignId,
          campaignName: assignment.campaignName,
          campaignActive: assignment.campaignActive,
          task: assignment.task,
          phase: assignment.phase,
          studyClass: assignment.studyClass,
        }
      : null,
    blinded,
    importedClassId: importedLabel?.classId ?? null,
    consensus,
    prediction: prediction
      ? {
          id: prediction.id,
          createdAt: prediction.createdAt,
          // probabilities are aligned to LabelClass.index
          probabilities: classes.map((c) => ({
            classId: c.id,
            p: prediction.probabilities[c.index] ?? null,
          })),
          predictedClassId: prediction.predictedClassId,
          confidence: prediction.confidence,
          entropy: prediction.entropy,
          model: {
            id: prediction.modelVersion.id,
            label: modelVersionLabel(prediction.modelVersion),
            architecture: prediction.modelVersion.architecture,
          },
          // a campaign's reader reads independently: only their own reads' figures
          maps: prediction.gradCamMaps.map((m) => ({
            ...m,
            camRoiAgreements: m.camRoiAgreements.filter((a) => !assignment || a.read.readerId === reader?.id),
          })),
        }
      : null,
    head,
    sourceRois,
    annotations: head ? await readRegions(db, head.id) : [],
  };
}

/** A region of interest of a read, as the viewer gets it: the stored region with its row id and class. */
export type CaseRegion = StoredRoi & { id: string; classId: string | null; strokeWidth: number | null };

/**
 * A read's regions of interest (not deleted), in the order drawn. A row whose stored points cannot be read
 * is left out rather than failing the whole case.
 */
async function readRegions(db: Pick<Db, "annotation">, readId: string): Promise<CaseRegion[]> {
  const rows = await db.annotation.findMany({
    where: { readId, deletedAt: null },
    select: { id: true, shape: true, classId: true, points: true, strokeWidth: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.flatMap(({ id, classId, ...stored }) => {
    const roi = storedRoiSchema.safeParse(stored);
    return roi.success ? [{ ...roi.data, strokeWidth: roi.data.strokeWidth ?? null, id, classId }] : [];
  });
}

/** The image's consensus in the label set: the label, how it was reached, by whom and why. */
async function caseConsensus(db: Pick<Db, "consensus">, imageId: string, labelSetId: string) {
  const c = await db.consensus.findUnique({
    where: { imageId_labelSetId: { imageId, labelSetId } },
    include: { decidedBy: { select: { name: true } } },
  });
  return c
    ? {
        classId: c.classId,
        method: c.method,
        agreement: c.agreement,
        readCount: c.readCount,
        rationale: c.rationale,
        updatedAt: c.updatedAt,
        decidedByName: c.decidedBy?.name ?? null,
      }
    : null;
}

export type CaseView = Awaited<ReturnType<typeof getCase>>;

/**
 * The decision in force: the newest reader's read that no later read supersedes. Campaign reads are
 * independent reads for consensus, not part of this chain.
 */
export async function currentRead(
  db: Pick<Db, "read">,
  imageId: string,
  labelSetId: string,
): Promise<HeadRead | null> {
  const read = await db.read.findFirst({
    where: { imageId, labelSetId, source: "READER", campaignId: null, supersededBy: null },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      classId: true,
      notDiagnostic: true,
      secondOpinion: true,
      notes: true,
      createdAt: true,
      reader: { select: { name: true } },
    },
  });
  if (!read) return null;
  const { reader, ...rest } = read;
  return { ...rest, readerName: reader?.name ?? null };
}
