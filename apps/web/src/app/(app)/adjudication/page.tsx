import { type Metadata } from "next";
import { requireRole } from "~/server/auth/session";
import { AdjudicationScreen } from "./AdjudicationScreen";
import "./adjudication.css";

export const metadata: Metadata = { title: "Adjudication" };

/** Radiologists who adjudicate a campaign, and administrators (requireRole lets ADMIN through). */
export default async function AdjudicationPage() {
  await requireRole("RADIOLOGIST");
  return <AdjudicationScreen />;
}
