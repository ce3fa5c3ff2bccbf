import { databaseProvider, disconnectDb, ping } from "~/models/database.server";
import { countStaffUsers } from "~/models/staff-user.server";
import { env } from "~/platform/env.server";
import { availableLanguages, startInterfaceTextPoll, stopInterfaceTextPoll } from "~/platform/i18n.server";
import { queueForumReminders } from "~/features/forums/sign-up.server";
import { resumeAbandonedMailings } from "~/features/outreach/mailing-jobs.server";
import { startOutboxWorker, type OutboxWorker } from "~/platform/outbox-worker.server";
import { EMAIL_LOGO_SOURCE } from "~/platform/email-branding.server";
import { emailLogoBytes } from "~/features/branding/index.server";

let outboxWorker: OutboxWorker | undefined;

/**
 * The outbox worker with the features' duties: mailings whose web process
 * died are finished (so their emails reach the outbox) and forum reminders
 * that have come due are queued; emails get the organisation's logo, which
 * their rows name rather than carry. Used inline here and by `npm run worker`.
 */
export function startWorker(): OutboxWorker {
  return startOutboxWorker({
    duties: [(workerId, now) => resumeAbandonedMailings(workerId, now), (_workerId, now) => queueForumReminders(now)],
    attachmentSources: { [EMAIL_LOGO_SOURCE]: emailLogoBytes },
  });
}

/**
 * Called by server.ts before it listens: a bad DATABASE_URL or an
 * unmigrated database stops the process with one clear line rather than
 * failing on the first request.
 */
export async function onServerStart(): Promise<void> {
  env();
  availableLanguages();
  try {
    await ping();
  } catch (error) {
    throw new Error(`database (${databaseProvider()}) is not reachable: ${firstLine(error)}`, { cause: error });
  }
  try {
    await countStaffUsers();
  } catch (error) {
    throw new Error(`database is not migrated (run npm run db:migrate): ${firstLine(error)}`, { cause: error });
  }
  // Translations made in the browser, over the shipped locale files.
  await startInterfaceTextPoll();
  if (env().OUTBOX_WORKER === "inline") outboxWorker ??= startWorker();
}

export async function onServerStop(): Promise<void> {
  const worker = outboxWorker;
  outboxWorker = undefined;
  stopInterfaceTextPoll();
  await worker?.stop();
  await disconnectDb();
}

/** Prisma's messages open with the call that failed and end with the cause; the cause is what an operator needs. */
function firstLine(error: unknown): string {
  const lines = String((error as Error)?.message ?? error)
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? "unknown error";
}
