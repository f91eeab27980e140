import { requireRole } from "~/server/auth/session";
import { BackbonesView } from "./BackbonesView";

export const metadata = { title: "Pretrained backbones" };

/** Administrators only. */
export default async function BackbonesPage() {
  await requireRole("ADMIN");
  return <BackbonesView />;
}
