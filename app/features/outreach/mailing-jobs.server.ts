import { recordAudit } from "~/platform/audit.server";
import { newWorkerId } from "~/platform/outbox-worker.server";
import { queueOutreach, type EmailKind } from "~/features/outreach/emails.server";
import { db } from "~/platform/db.server";
import { logger } from "~/platform/logger.server";

/**
 * "Send invitations" to 50,000 people writes 50,000 links and outbox rows,
 * about a minute of work: longer than a proxy lets a request wait. So a
 * confirmed mailing is a MailingJob row, run in the background by the web
 * process that received it; the request waits up to REQUEST_WAIT_MS, which
 * covers every ordinary mailing, and otherwise the page shows the job's
 * progress. The runner renews its claim after each batch; if its process
 * dies, any outbox worker (inline or `npm run worker`) takes the job over
 * once the claim has expired. Batches are idempotent (each marks its
 * participants contacted in the transaction that queues their email), so a
 * resumed job continues where the last committed batch ended.
 */
export const MAILING_CLAIM_MS = 2 * 60_000;
const REQUEST_WAIT_MS = 10_000;
let processId: string | undefined;

export interface MailingRequest {
  survey: { id: string; slug: string; mode: string; closesAt: Date; estimatedMinutes: number };
  kind: EmailKind;
  gapDays: number;
  origin: string;
  expected: number;
  staffUserId: string;
}

export type MailingOutcome = { finished: true; queued: number } | { finished: false; jobId: string };

export async function startMailing(request: MailingRequest): Promise<MailingOutcome> {
  processId ??= newWorkerId();
  const job = await db().mailingJob.create({
    data: {
      surveyId: request.survey.id,
      kind: request.kind,
      gapDays: request.gapDays,
      origin: request.origin,
      expected: request.expected,
      staffUserId: request.staffUserId,
      claimedBy: processId,
      claimedUntil: new Date(Date.now() + MAILING_CLAIM_MS),
    },
    select: { id: true },
  });
  const run = runMailingJob(job.id, processId);
  const waited = await Promise.race([run, new Promise<undefined>((resolve) => setTimeout(resolve, REQUEST_WAIT_MS))]);
  return waited === undefined ? { finished: false, jobId: job.id } : { finished: true, queued: waited };
}

/** Queues a job's emails batch by batch; returns how many this run queued. Never throws: a failure is recorded on the job. */
async function runMailingJob(jobId: string, workerId: string): Promise<number> {
  const job = await db().mailingJob.findUniqueOrThrow({
    where: { id: jobId },
    include: { survey: { select: { id: true, slug: true, mode: true, closesAt: true, estimatedMinutes: true } } },
  });
  try {
    const queued = await queueOutreach(job.kind as EmailKind, job.survey, job.origin, job.gapDays, job.createdAt, async (count) => {
      const renewed = await db().mailingJob.updateMany({
        where: { id: jobId, claimedBy: workerId },
        data: { queued: { increment: count }, claimedUntil: new Date(Date.now() + MAILING_CLAIM_MS) },
      });
      // Another worker took the job over (this one stalled past its claim): stop here; that one carries on.
      if (renewed.count === 0) throw new ClaimLost();
    });
    const finished = await db().mailingJob.update({ where: { id: jobId }, data: { status: "done", finishedAt: new Date(), claimedBy: null, claimedUntil: null } });
    await recordAudit({
      staffUserId: job.staffUserId,
      action: job.kind === "invitation" ? "invitations.send" : "reminders.send",
      subject: job.survey.slug,
      detail: { queued: finished.queued, gapDays: job.gapDays, job: jobId },
    });
    return queued;
  } catch (error) {
    if (error instanceof ClaimLost) return 0;
    logger().error(`mailing ${jobId}: ${(error as Error)?.message ?? error}`);
    await db().mailingJob.update({ where: { id: jobId }, data: { status: "failed", lastError: String((error as Error)?.message ?? error).slice(0, 500), claimedBy: null, claimedUntil: null } });
    return 0;
  }
}

class ClaimLost extends Error {}

/**
 * For the outbox workers: takes over running jobs whose runner stopped
 * renewing its claim, one at a time. The claim is one conditional UPDATE,
 * so two workers never run the same job.
 */
export async function resumeAbandonedMailings(workerId: string, now: Date = new Date()): Promise<number> {
  let resumed = 0;
  for (;;) {
    const candidate = await db().mailingJob.findFirst({ where: { status: "running", claimedUntil: { lt: now } }, orderBy: { createdAt: "asc" }, select: { id: true } });
    if (!candidate) return resumed;
    const claimed = await db().mailingJob.updateMany({
      where: { id: candidate.id, status: "running", claimedUntil: { lt: now } },
      data: { claimedBy: workerId, claimedUntil: new Date(Date.now() + MAILING_CLAIM_MS) },
    });
    if (claimed.count === 1) {
      await runMailingJob(candidate.id, workerId);
      resumed++;
    }
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
