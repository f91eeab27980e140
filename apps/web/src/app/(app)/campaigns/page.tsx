import { type Metadata } from "next";
import Link from "next/link";
import { AdminPage } from "../admin/AdminPage";
import { CampaignList } from "./CampaignList";

export const metadata: Metadata = { title: "Campaigns" };

const newCampaign = (
  <Link className="cxr-button cxr-button--primary cxr-button--md" href="/campaigns/new">
    New campaign
  </Link>
);

export default function Campaigns() {
  const about = "Annotation and reading campaigns: their images, readers and progress.";
  return (
    <AdminPage title="Campaigns" description={about} actions={newCampaign}>
      <CampaignList />
    </AdminPage>
  );
}
