import { type Metadata } from "next";
import { requireRole } from "~/server/auth/session";
import "../../admin/admin.css";
import { AgreementSection } from "./AgreementSection";
import { CampaignView } from "./CampaignView";

export const metadata: Metadata = { title: "Campaign" };

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  await requireRole("ADMIN");
  const { id } = await params;
  return (
    <>
      <CampaignView id={id} />
      {/* slot for the campaign's agreement figures (AgreementSection.tsx is theirs to fill) */}
      <section id="agreement" className="cxr-card" style={{ marginTop: "1.5rem", padding: "1rem 1.25rem" }}>
        <AgreementSection campaignId={id} />
      </section>
    </>
  );
}
