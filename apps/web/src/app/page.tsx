import { redirect } from "next/navigation";
import { roleHome } from "~/lib/roles";
import { getActiveSession } from "~/server/auth/session";

/** No page of its own: everyone lands on their role's home. */
export default async function Home() {
  const session = await getActiveSession();
  redirect(session ? roleHome[session.user.role] : "/signin");
}
