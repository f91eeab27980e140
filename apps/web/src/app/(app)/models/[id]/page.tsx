import { type Metadata } from "next";
import { requireRole } from "~/server/auth/session";
import { routeId } from "~/server/route-id";
import { VersionView } from "./VersionView";

export const metadata: Metadata = { title: "Model version" };

export default async function ModelVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireRole("RADIOLOGIST");
  return <VersionView id={await routeId(params)} canChange={session.user.role === "ADMIN"} />;
}
