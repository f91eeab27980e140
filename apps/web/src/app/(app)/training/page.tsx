import { requireRole } from "~/server/auth/session";
import { TrainingView } from "./TrainingView";

export const metadata = { title: "Training" };

/** Administrators start and cancel runs; radiologists see them (requireRole lets ADMIN through). */
export default async function TrainingPage() {
  const session = await requireRole("RADIOLOGIST");
  return <TrainingView canChange={session.user.role === "ADMIN"} />;
}
