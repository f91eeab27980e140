import { type Metadata } from "next";
import { workspacePage, type SearchParams } from "./workspace-page";

export const metadata: Metadata = { title: "Review" };

export default function ReviewPage({ searchParams }: { searchParams: SearchParams }) {
  return workspacePage(searchParams, "RADIOLOGIST");
}
