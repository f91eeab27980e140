import { type Metadata } from "next";
import Link from "next/link";
import { AdminPage } from "../../admin/AdminPage";
import { NewCampaignForm } from "./NewCampaignForm";

export const metadata: Metadata = { title: "New campaign" };

export default function NewCampaign() {
  const about =
    "Which images, who reads them and how: the images are assigned to the readers when you create it.";
  return (
    <AdminPage
      title="New campaign"
      description={about}
      actions={<Link href="/campaigns">All campaigns</Link>}
    >
      <NewCampaignForm />
    </AdminPage>
  );
}
