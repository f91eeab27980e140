import { requireRole } from "~/server/auth/session";
import { ModelsView } from "./ModelsView";

export const metadata = { title: "Models" };

/** Administrators and radiologists (requireRole lets ADMIN through). */
export default async function ModelsPage() {
  const session = await requireRole("RADIOLOGIST");
  return <ModelsView canChange={session.user.role === "ADMIN"} />;
}
