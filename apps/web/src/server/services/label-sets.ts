// Label sets and their classes (ADMIN): create, define classes (key, name, colour, hotkey), order them, retire a
// class. A class's `index` is its position in a model's output vector, so the order can change only while no
// model version uses the set; a retired class keeps its reads, consensus and predictions but is no longer
// offered to readers. Every change is audited.
import { recordAudit, type Db, type Prisma } from "@cxr/db";
import { DomainError, idSchema, lockKey, withAdvisoryLock } from "@cxr/domain";
import { z } from "zod";
import { workspaceLetters } from "~/lib/review/keymap";
import { type Actor } from "./users";

const keySchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "A key is lower-case letters and digits, words joined by '-'.")
  .max(64);
const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour is #rrggbb.");
const hotkeySchema = z
  .string()
  .regex(/^[0-9a-z]$/, "A hotkey is one digit or lower-case letter.")
  .refine((k) => !workspaceLetters.has(k), {
    message: `A hotkey cannot be one of the review workspace's own keys (${[...workspaceLetters].sort().join(", ")}).`,
  })
  .nullable();

export const classInputSchema = z.object({
  key: keySchema,
  name: z.string().trim().min(1).max(100),
  color: colorSchema,
  hotkey: hotkeySchema.default(null),
  critical: z.boolean().default(false),
});

export const newLabelSetSchema = z.object({
  name: keySchema,
  description: z.string().trim().max(500).nullable().default(null),
  classes: z.array(classInputSchema).min(2, "A label set needs at least two classes.").max(50),
});

export const classChangeSchema = z.object({
  classId: idSchema,
  name: z.string().trim().min(1).max(100).optional(),
  color: colorSchema.optional(),
  hotkey: hotkeySchema.optional(),
  critical: z.boolean().optional(),
});

const classSelect = {
  id: true,
  key: true,
  name: true,
  index: true,
  color: true,
  hotkey: true,
  retired: true,
  critical: true,
} as const satisfies Prisma.LabelClassSelect;

/** Every label set with its classes in model order and how many model versions and campaigns use it. */
export function listLabelSets(db: Db) {
  return db.labelSet.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      description: true,
      archived: true,
      classes: { select: classSelect, orderBy: { index: "asc" } },
      _count: { select: { modelVersions: true, campaigns: true } },
    },
  });
}

export type LabelSetListItem = Awaited<ReturnType<typeof listLabelSets>>[number];

function duplicates(values: (string | null)[]): string[] {
  const seen = new Set<string>();
  return values.filter((v): v is string => v !== null && (seen.has(v) || !seen.add(v)));
}

/** Keys and hotkeys must be unique among a set's classes (hotkeys among those still offered). */
function assertUniqueClasses(classes: { key: string; hotkey: string | null; retired?: boolean }[]) {
  const keys = duplicates(classes.map((c) => c.key));
  if (keys.length) throw new DomainError("BAD_REQUEST", `Two classes share the key "${keys[0]}".`);
  const hotkeys = duplicates(classes.filter((c) => !c.retired).map((c) => c.hotkey));
  if (hotkeys.length) throw new DomainError("BAD_REQUEST", `Two classes share the hotkey "${hotkeys[0]}".`);
}

const audit = (tx: Prisma.TransactionClient, actor: Actor, action: string, entityId: string, after: object) =>
  recordAudit(tx, {
    actorId: actor.id,
    actorRole: actor.role,
    action,
    entityType: "LabelSet",
    entityId,
    after: after as Prisma.InputJsonValue,
  });

export async function createLabelSet(db: Db, actor: Actor, input: z.input<typeof newLabelSetSchema>) {
  const data = newLabelSetSchema.parse(input);
  assertUniqueClasses(data.classes);
  return db.$transaction(async (tx) => {
    if (await tx.labelSet.findUnique({ where: { name: data.name }, select: { id: true } }))
      throw new DomainError("CONFLICT", `A label set named "${data.name}" exists already.`);
    const set = await tx.labelSet.create({
      data: {
        name: data.name,
        description: data.description,
        classes: { create: data.classes.map((c, index) => ({ ...c, index })) },
      },
      select: { id: true, name: true },
    });
    await audit(tx, actor, "label_set.created", set.id, data);
    return set;
  });
}

/** Runs `fn` with the set's classes, holding the set's lock so concurrent edits cannot collide. */
async function withClasses<T>(
  db: Db,
  labelSetId: string,
  fn: (
    tx: Prisma.TransactionClient,
    classes: Prisma.LabelClassGetPayload<{ select: typeof classSelect }>[],
  ) => Promise<T>,
): Promise<T> {
  return db.$transaction(async (tx) => {
    await withAdvisoryLock(tx, lockKey("label-set", labelSetId));
    const set = await tx.labelSet.findUnique({
      where: { id: labelSetId },
      select: { classes: { select: classSelect, orderBy: { index: "asc" } } },
    });
    if (!set) throw new DomainError("NOT_FOUND", "This label set does not exist.");
    return fn(tx, set.classes);
  });
}

/** Appends a class (its index is the next free position: existing models never predict it). */
export async function addClass(
  db: Db,
  actor: Actor,
  labelSetId: string,
  input: z.input<typeof classInputSchema>,
) {
  const data = classInputSchema.parse(input);
  return withClasses(db, labelSetId, async (tx, classes) => {
    assertUniqueClasses([...classes, data]);
    const index = classes.reduce((max, c) => Math.max(max, c.index), -1) + 1;
    const created = await tx.labelClass.create({ data: { ...data, labelSetId, index }, select: classSelect });
    await audit(tx, actor, "label_class.added", labelSetId, created);
    return created;
  });
}

async function classSet(db: Db, classId: string): Promise<string> {
  const row = await db.labelClass.findUnique({ where: { id: classId }, select: { labelSetId: true } });
  if (!row) throw new DomainError("NOT_FOUND", "This class does not exist.");
  return row.labelSetId;
}

/** Renames, recolours, re-keys (hotkey) or retires / restores a class; its key and index never change. */
export async function updateClass(
  db: Db,
  actor: Actor,
  input: z.input<typeof classChangeSchema> & { retired?: boolean },
) {
  const { classId, ...change } = classChangeSchema.extend({ retired: z.boolean().optional() }).parse(input);
  const labelSetId = await classSet(db, classId);
  return withClasses(db, labelSetId, async (tx, classes) => {
    const before = classes.find((c) => c.id === classId)!;
    const after = { ...before, ...change };
    assertUniqueClasses(classes.map((c) => (c.id === classId ? after : c)));
    if (after.retired && classes.filter((c) => !c.retired && c.id !== classId).length < 2)
      throw new DomainError(
        "PRECONDITION_FAILED",
        "A label set must keep at least two classes readers can pick.",
      );
    const updated = await tx.labelClass.update({ where: { id: classId }, data: change, select: classSelect });
    const action =
      change.retired === undefined || change.retired === before.retired
        ? "label_class.updated"
        : change.retired
          ? "label_class.retired"
          : "label_class.restored";
    await recordAudit(tx, {
      actorId: actor.id,
      actorRole: actor.role,
      action,
      entityType: "LabelClass",
      entityId: classId,
      before,
      after: updated,
    });
    return updated;
  });
}

/**
 * Puts the classes in the order given (all of the set's classes, each once). The order is the model's output
 * order, so it is refused once a model version uses the set (its predictions are aligned to the indexes).
 */
export async function reorderClasses(db: Db, actor: Actor, labelSetId: string, classIds: string[]) {
  return withClasses(db, labelSetId, async (tx, classes) => {
    const models = await tx.modelVersion.count({ where: { labelSetId } });
    if (models > 0)
      throw new DomainError(
        "PRECONDITION_FAILED",
        "A model version already predicts this label set in its current order; create a new label set to change it.",
      );
    const known = new Set(classes.map((c) => c.id));
    if (
      classIds.length !== known.size ||
      new Set(classIds).size !== known.size ||
      !classIds.every((id) => known.has(id))
    )
      throw new DomainError("BAD_REQUEST", "Give every class of the label set exactly once.");
    // two steps, so the unique (labelSetId, index) never sees two classes on one index
    for (const [i, id] of classIds.entries())
      await tx.labelClass.update({ where: { id }, data: { index: -1 - i } });
    for (const [i, id] of classIds.entries())
      await tx.labelClass.update({ where: { id }, data: { index: i } });
    await audit(tx, actor, "label_set.reordered", labelSetId, {
      before: classes.map((c) => c.key),
      after: classIds.map((id) => classes.find((c) => c.id === id)!.key),
    });
    return { ok: true as const };
  });
}
