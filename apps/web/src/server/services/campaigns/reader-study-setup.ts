// A reader-study campaign's own columns, checked against its label set, for createCampaign; and the rule that a
// reader study's cases and readers are fixed once it runs (every reader must read every case in both phases).
import { type Db } from "@cxr/db";
import { DomainError } from "@cxr/domain";
import { type NewCampaignInput } from "~/lib/campaigns";
import { type ReaderStudyInput } from "~/lib/reader-study";

/** The Campaign columns of a reader study (none for a standard campaign). BAD_REQUEST for a foreign class. */
export async function readerStudyColumns(
  db: Db,
  labelSetId: string,
  mode: NewCampaignInput["mode"],
  study: ReaderStudyInput | null,
) {
  if (mode !== "READER_STUDY" || !study) return {};
  const studyClass = await db.labelClass.findFirst({
    where: { labelSetId, key: study.studyClass, retired: false },
    select: { id: true },
  });
  if (!studyClass)
    throw new DomainError("BAD_REQUEST", `The study class "${study.studyClass}" is not in this label set.`);
  // each assignment's phase decides what the reader sees, not the campaign's blinding
  return {
    washoutDays: study.washoutDays,
    studyClassId: studyClass.id,
    studyDesign: study.design,
    blinded: false,
  };
}

export async function refuseReaderStudyChange(db: Db, campaignId: string): Promise<void> {
  const c = await db.campaign.findUnique({ where: { id: campaignId }, select: { mode: true } });
  if (c?.mode === "READER_STUDY")
    throw new DomainError(
      "PRECONDITION_FAILED",
      "A reader study's readers and cases are fixed when it is created: every reader reads every case in both phases.",
    );
}
