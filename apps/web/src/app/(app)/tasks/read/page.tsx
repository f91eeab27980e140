import { type Metadata } from "next";
import { workspacePage, type SearchParams } from "~/app/(app)/review/workspace-page";

export const metadata: Metadata = { title: "Annotate" };

/** The annotator's reading: the review workspace on their campaign assignments only. */
export default function TaskReadingPage({ searchParams }: { searchParams: SearchParams }) {
  return workspacePage(searchParams, "ANNOTATOR", true);
}
