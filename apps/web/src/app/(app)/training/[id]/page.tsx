import { idSchema } from "@cxr/domain";
import { type Metadata } from "next";
import { notFound } from "next/navigation";
import { requireRole } from "~/server/auth/session";
import { RunPage } from "./RunPage";

export const metadata: Metadata = { title: "Training run" };

export default async function TrainingRunPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireRole("RADIOLOGIST");
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  return <RunPage id={id.data} canChange={session.user.role === "ADMIN"} />;
}
