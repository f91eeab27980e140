import { type Metadata } from "next";
import { AdminPage } from "../../admin/AdminPage";
import { AgreementSection } from "./AgreementSection";
import { CampaignView } from "./CampaignView";
import { ReaderStudySlot } from "./ReaderStudySection";

export const metadata: Metadata = { title: "Campaign" };

export default async function Campaign({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <AdminPage>
      <CampaignView id={id} />
      <ReaderStudySlot campaignId={id} />
      {/* slot for the campaign's agreement figures (AgreementSection.tsx is theirs to fill) */}
      <section id="agreement" className="cxr-card" style={{ marginTop: "1.5rem", padding: "1rem 1.25rem" }}>
        <AgreementSection campaignId={id} />
      </section>
    </AdminPage>
  );
}
