// An annotator's (or any reader's) campaigns with work for them: what each asks (task type, blinded) and how
// many of their assignments are open or done, for the /tasks page.
import { type CampaignTask, type Db } from "@cxr/db";
import { availableNow } from "@cxr/db/reader-study-assignments";
import { OPEN_ASSIGNMENT } from "./campaign";

export interface TaskCampaign {
  id: string;
  name: string;
  task: CampaignTask;
  blinded: boolean;
  open: number;
  done: number;
  /** reader studies: second reads not offered yet (the first read or the washout is still to come) */
  waiting: number;
  dueAt: Date | null;
}

/** The user's active campaigns in which they have assignments, the most open work first. */
export async function taskCampaigns(db: Db, userId: string): Promise<TaskCampaign[]> {
  const rows = await db.assignment.groupBy({
    by: ["campaignId", "status"],
    where: { userId, campaign: { status: "ACTIVE" }, ...availableNow() },
    _count: { _all: true },
  });
  const waiting = await db.assignment.groupBy({
    by: ["campaignId"],
    where: { userId, campaign: { status: "ACTIVE" }, availableAt: { gt: new Date() } },
    _count: { _all: true },
  });
  const campaigns = await db.campaign.findMany({
    where: { id: { in: [...new Set([...rows, ...waiting].map((r) => r.campaignId))] } },
    select: { id: true, name: true, task: true, blinded: true, dueAt: true },
  });
  const count = (id: string, open: boolean) =>
    rows
      .filter((r) => r.campaignId === id && OPEN_ASSIGNMENT.includes(r.status) === open)
      .reduce((n, r) => n + r._count._all, 0);
  return campaigns
    .map((c) => ({
      ...c,
      open: count(c.id, true),
      done: count(c.id, false),
      waiting: waiting.find((w) => w.campaignId === c.id)?._count._all ?? 0,
    }))
    .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name));
}
