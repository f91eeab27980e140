import "server-only";
import { idSchema } from "@cxr/domain";
import { notFound } from "next/navigation";

/** A page's [id] segment, or the 404 page for one that cannot be an id. */
export async function routeId(params: Promise<{ id: string }>): Promise<string> {
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  return id.data;
}
