// The audit log for administrators: the append-only AuditEvent table itself (never a copy), filtered by actor,
// action, entity and time, newest first, a page at a time by keyset (the id), and as a streamed CSV.
import { type Prisma, type Db } from "@cxr/db";
import { z } from "zod";
import { csvLine } from "../exports/stream";

export const auditLogFilterSchema = z.object({
  /** part of the actor's e-mail or name */
  actor: z.string().trim().max(200).optional(),
  /** an action, or its prefix ("read." for every read event) */
  action: z.string().trim().max(100).optional(),
  entityType: z.string().trim().max(100).optional(),
  entityId: z.string().trim().max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type AuditLogFilter = z.input<typeof auditLogFilterSchema>;

export const auditLogPageSchema = auditLogFilterSchema.extend({
  /** the id of the last event of the previous page (events are listed newest first) */
  cursor: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

function where(f: z.infer<typeof auditLogFilterSchema>): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.actor)
    and.push({
      actor: {
        OR: [
          { email: { contains: f.actor, mode: "insensitive" } },
          { name: { contains: f.actor, mode: "insensitive" } },
        ],
      },
    });
  if (f.action) and.push({ action: { startsWith: f.action } });
  if (f.entityType) and.push({ entityType: f.entityType });
  if (f.entityId) and.push({ entityId: f.entityId });
  if (f.from || f.to)
    and.push({ at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } });
  return { AND: and };
}

const eventSelect = {
  id: true,
  at: true,
  actorRole: true,
  action: true,
  entityType: true,
  entityId: true,
  reason: true,
  before: true,
  after: true,
  actor: { select: { email: true, name: true } },
} satisfies Prisma.AuditEventSelect;

export async function auditLogPage(db: Db, raw: z.input<typeof auditLogPageSchema>) {
  const f = auditLogPageSchema.parse(raw);
  const base = where(f);
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({
      where: f.cursor ? { AND: [base, { id: { lt: BigInt(f.cursor) } }] } : base,
      orderBy: { id: "desc" },
      take: f.limit + 1,
      select: eventSelect,
    }),
    db.auditEvent.count({ where: base }),
  ]);
  const page = rows.slice(0, f.limit);
  return {
    total,
    events: page.map(({ id, ...e }) => ({ ...e, id: id.toString() })),
    nextCursor: rows.length > f.limit ? page[page.length - 1]!.id.toString() : null,
  };
}

/** Every matching event as CSV, a thousand at a time. */
export async function* auditLogCsv(db: Db, raw: AuditLogFilter): AsyncGenerator<string> {
  const f = auditLogFilterSchema.parse(raw);
  yield csvLine(["id", "at", "actor", "role", "action", "entity", "entity id", "reason", "before", "after"]);
  let cursor: bigint | null = null;
  for (;;) {
    const rows: Prisma.AuditEventGetPayload<{ select: typeof eventSelect }>[] = await db.auditEvent.findMany({
      where: cursor === null ? where(f) : { AND: [where(f), { id: { lt: cursor } }] },
      orderBy: { id: "desc" },
      take: 1000,
      select: eventSelect,
    });
    if (rows.length === 0) return;
    yield rows
      .map((e) =>
        csvLine([
          e.id,
          e.at,
          e.actor?.email ?? "",
          e.actorRole,
          e.action,
          e.entityType,
          e.entityId,
          e.reason,
          e.before === null ? "" : JSON.stringify(e.before),
          e.after === null ? "" : JSON.stringify(e.after),
        ]),
      )
      .join("");
    cursor = rows[rows.length - 1]!.id;
  }
}
