// An annotator's (or any reader's) campaigns with work for them: what each asks (task type, blinded) and how
// many of their assignments are open or done, for the /tasks page.
import { type CampaignTask, type Db } from "@cxr/db";
import { OPEN_ASSIGNMENT } from "./campaign";

export interface TaskCampaign {
  id: string;
  name: string;
  task: CampaignTask;
  blinded: boolean;
  open: number;
  done: number;
  dueAt: Date | null;
}

/** The user's active campaigns in which they have assignments, the most open work first. */
export async function taskCampaigns(db: Db, userId: string): Promise<TaskCampaign[]> {
  const rows = await db.assignment.groupBy({
    by: ["campaignId", "status"],
    where: { userId, campaign: { status: "ACTIVE" } },
    _count: { _all: true },
  });
  const campaigns = await db.campaign.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.campaignId))] } },
    select: { id: true, name: true, task: true, blinded: true, dueAt: true },
  });
  const count = (id: string, open: boolean) =>
    rows
      .filter((r) => r.campaignId === id && OPEN_ASSIGNMENT.includes(r.status) === open)
      .reduce((n, r) => n + r._count._all, 0);
  return campaigns
    .map((c) => ({ ...c, open: count(c.id, true), done: count(c.id, false) }))
    .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name));
}
