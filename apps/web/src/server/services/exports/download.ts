// The download route handlers' common path: the caller's account (active, of an allowed role) re-read from the
// database, the query string through the export's schema, then the export streamed. Refusals are plain text
// with the domain error's status (401, 403, 400).
import { type Db } from "@cxr/db";
import { requireActiveAccount, type Role } from "@cxr/domain";
import { type Session } from "next-auth";
import { type z } from "zod";
import { errorResponse, streamedResponse } from "./stream";
import { parseQuery } from "./urls";

export async function download<S extends z.ZodType>(
  request: Request,
  deps: { db: Db; session: Session | null },
  spec: {
    roles: readonly Role[];
    schema: S;
    filename: string;
    contentType: string;
    /** checks a filter needs the database for (the version exists, the classes are the label set's) */
    check?: (filter: z.output<S>) => Promise<unknown>;
    produce: (filter: z.output<S>, viewerId: string) => AsyncGenerator<string>;
  },
): Promise<Response> {
  try {
    const account = await requireActiveAccount(deps.db, deps.session?.user.id, spec.roles);
    const filter = parseQuery(spec.schema, request.url);
    // before the headers go out: a bad model id or class is still a 4xx, not a broken stream
    await spec.check?.(filter);
    return streamedResponse(spec.produce(filter, account.id), spec.filename, spec.contentType);
  } catch (error) {
    return errorResponse(error);
  }
}
