import { PageHeader } from "@cxr/ui";
import { type Metadata } from "next";
import Link from "next/link";
import { requireRole } from "~/server/auth/session";
import "../admin.css";
import { LabelSetsView } from "./LabelSetsView";

export const metadata: Metadata = { title: "Label sets" };

export default async function LabelSetsPage() {
  await requireRole("ADMIN");
  return (
    <>
      <PageHeader
        title="Label sets"
        description="The classes readers choose from: key, name, colour and hotkey, in the model's output order. A retired class keeps its history but is no longer offered."
        actions={<Link href="/admin">Administration</Link>}
      />
      <LabelSetsView />
    </>
  );
}
