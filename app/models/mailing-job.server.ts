import { db } from "~/platform/db.server";

/** Background mailings (see features/outreach/mailing-jobs.server.ts for the claim protocol). */
export interface NewMailingJob {
  surveyId: string;
  kind: string;
  gapDays: number;
  origin: string;
  expected: number;
  staffUserId: string;
  claimedBy: string;
  claimedUntil: Date;
}

export async function createMailingJob(data: NewMailingJob): Promise<string> {
  const job = await db().mailingJob.create({ data, select: { id: true } });
  return job.id;
}

export function findMailingJob(id: string) {
  return db().mailingJob.findUniqueOrThrow({
    where: { id },
    select: {
      id: true,
      kind: true,
      gapDays: true,
      origin: true,
      staffUserId: true,
      createdAt: true,
      survey: { select: { id: true, slug: true, mode: true, closesAt: true, estimatedMinutes: true, publishedVersion: true } },
    },
  });
}

/** Adds a committed batch and renews the claim; false when another worker holds the job now. */
export async function recordMailingBatch(id: string, workerId: string, count: number, claimedUntil: Date): Promise<boolean> {
  const renewed = await db().mailingJob.updateMany({
    where: { id, claimedBy: workerId },
    data: { queued: { increment: count }, claimedUntil },
  });
  return renewed.count === 1;
}

/** Marks the job done and returns how many emails it queued in all its runs. */
export async function finishMailingJob(id: string, finishedAt: Date): Promise<number> {
  const job = await db().mailingJob.update({
    where: { id },
    data: { status: "done", finishedAt, claimedBy: null, claimedUntil: null },
    select: { queued: true },
  });
  return job.queued;
}

export async function failMailingJob(id: string, lastError: string): Promise<void> {
  await db().mailingJob.update({ where: { id }, data: { status: "failed", lastError, claimedBy: null, claimedUntil: null }, select: { id: true } });
}

/**
 * Takes over the oldest running job whose claim expired before `now`, with
 * one conditional UPDATE so two workers never take the same job; null when
 * there is none. Loses a race quietly and looks again.
 */
export async function claimAbandonedMailingJob(workerId: string, now: Date, claimedUntil: Date): Promise<string | null> {
  for (;;) {
    const candidate = await db().mailingJob.findFirst({
      where: { status: "running", claimedUntil: { lt: now } },
      orderBy: { createdAt: "asc" },
      select: { id: true },
    });
    if (!candidate) return null;
    const claimed = await db().mailingJob.updateMany({
      where: { id: candidate.id, status: "running", claimedUntil: { lt: now } },
      data: { claimedBy: workerId, claimedUntil },
    });
    if (claimed.count === 1) return candidate.id;
  }
}

/** The latest mailings of a survey, for the mailings page. */
export function recentMailings(surveyId: string) {
  return db().mailingJob.findMany({
    where: { surveyId },
    orderBy: { createdAt: "desc" },
    take: 5,
    select: { id: true, kind: true, expected: true, queued: true, status: true, createdAt: true, finishedAt: true },
  });
}
