import { type Metadata } from "next";
import { requireRole } from "~/server/auth/session";
import { routeId } from "~/server/route-id";
import { RunPage } from "./RunPage";

export const metadata: Metadata = { title: "Training run" };

/** A run's live progress: administrators may cancel it, radiologists follow it. */
export default async function TrainingRunPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireRole("RADIOLOGIST");
  return <RunPage id={await routeId(params)} canChange={session.user.role === "ADMIN"} />;
}
