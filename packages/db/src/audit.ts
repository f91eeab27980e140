import type { Db } from "./client";
import type { Prisma, Role } from "./generated/prisma/client";

export interface AuditInput {
  actorId?: string | null;
  actorRole?: Role | null;
  /** verb in the past tense, namespaced: "user.signed_in", "read.created" */
  action: string;
  entityType: string;
  entityId: string;
  reason?: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
}

type AuditWriter = Pick<Db, "auditEvent">;

/** Appends one audit event (the table refuses updates and deletes). */
export async function recordAudit(db: AuditWriter, event: AuditInput): Promise<void> {
  await db.auditEvent.create({ data: event });
}
