import { idSchema } from "@cxr/domain";
import { notFound } from "next/navigation";
import { type Metadata } from "next";
import { requireRole } from "~/server/auth/session";
import { VersionView } from "./VersionView";

export const metadata: Metadata = { title: "Model version" };

export default async function ModelVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireRole("RADIOLOGIST");
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  return <VersionView id={id.data} canChange={session.user.role === "ADMIN"} />;
}
