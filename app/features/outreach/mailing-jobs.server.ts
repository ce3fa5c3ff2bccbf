import { recordAudit } from "~/platform/audit.server";
import { newWorkerId } from "~/platform/outbox-worker.server";
import { queueOutreach, type EmailKind } from "~/features/outreach/emails.server";
import {
  claimAbandonedMailingJob,
  createMailingJob,
  failMailingJob,
  findMailingJob,
  finishMailingJob,
  recentMailings,
  recordMailingBatch,
} from "~/models/mailing-job.server";
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
  survey: { id: string; slug: string; mode: string; closesAt: Date; estimatedMinutes: number; publishedVersion: number };
  kind: EmailKind;
  gapDays: number;
  origin: string;
  expected: number;
  staffUserId: string;
}

export type MailingOutcome = { finished: true; queued: number } | { finished: false; jobId: string };

export async function startMailing(request: MailingRequest): Promise<MailingOutcome> {
  processId ??= newWorkerId();
  const jobId = await createMailingJob({
    surveyId: request.survey.id,
    kind: request.kind,
    gapDays: request.gapDays,
    origin: request.origin,
    expected: request.expected,
    staffUserId: request.staffUserId,
    claimedBy: processId,
    claimedUntil: new Date(Date.now() + MAILING_CLAIM_MS),
  });
  const run = runMailingJob(jobId, processId);
  const waited = await Promise.race([run, new Promise<undefined>((resolve) => setTimeout(resolve, REQUEST_WAIT_MS))]);
  return waited === undefined ? { finished: false, jobId } : { finished: true, queued: waited };
}

/** Queues a job's emails batch by batch; returns how many this run queued. Never throws: a failure is recorded on the job. */
async function runMailingJob(jobId: string, workerId: string): Promise<number> {
  const job = await findMailingJob(jobId);
  try {
    const queued = await queueOutreach(job.kind as EmailKind, job.survey, job.origin, job.gapDays, job.createdAt, async (count) => {
      // Another worker took the job over (this one stalled past its claim): stop here; that one carries on.
      if (!(await recordMailingBatch(jobId, workerId, count, new Date(Date.now() + MAILING_CLAIM_MS)))) throw new ClaimLost();
    });
    const total = await finishMailingJob(jobId, new Date());
    await recordAudit({
      staffUserId: job.staffUserId,
      action: job.kind === "invitation" ? "invitations.send" : "reminders.send",
      subject: job.survey.slug,
      detail: { queued: total, gapDays: job.gapDays, job: jobId },
    });
    return queued;
  } catch (error) {
    if (error instanceof ClaimLost) return 0;
    logger().error(`mailing ${jobId}: ${(error as Error)?.message ?? error}`);
    await failMailingJob(jobId, String((error as Error)?.message ?? error).slice(0, 500));
    return 0;
  }
}

class ClaimLost extends Error {}

/**
 * For the outbox workers: takes over running jobs whose runner stopped
 * renewing its claim, one at a time (claimAbandonedMailingJob is one
 * conditional UPDATE, so two workers never run the same job).
 */
export async function resumeAbandonedMailings(workerId: string, now: Date = new Date()): Promise<number> {
  let resumed = 0;
  for (;;) {
    const jobId = await claimAbandonedMailingJob(workerId, now, new Date(Date.now() + MAILING_CLAIM_MS));
    if (!jobId) return resumed;
    await runMailingJob(jobId, workerId);
    resumed++;
  }
}

export { recentMailings };
