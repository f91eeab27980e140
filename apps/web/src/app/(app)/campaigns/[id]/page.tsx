import { type Metadata } from "next";
import { AdminPage } from "../../admin/AdminPage";
import { AgreementSlot } from "./AgreementSection";
import { CampaignView } from "./CampaignView";
import { ReaderStudySlot } from "./ReaderStudySection";

export const metadata: Metadata = { title: "Campaign" };

export default async function Campaign({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <AdminPage>
      <CampaignView id={id} />
      <ReaderStudySlot campaignId={id} />
      <AgreementSlot campaignId={id} />
    </AdminPage>
  );
}
