import { type Metadata } from "next";
import Link from "next/link";
import { AdminPage } from "../AdminPage";
import { LabelSetsView } from "./LabelSetsView";

export const metadata: Metadata = { title: "Label sets" };

const about =
  "The classes readers choose from: key, name, colour and hotkey, in the model's output order. A retired class keeps its history but is no longer offered.";

export default function LabelSets() {
  return (
    <AdminPage title="Label sets" description={about} actions={<Link href="/admin">Administration</Link>}>
      <LabelSetsView />
    </AdminPage>
  );
}
