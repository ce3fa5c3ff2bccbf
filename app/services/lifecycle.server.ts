import { databaseProvider, db, disconnectDb } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { availableLanguages } from "~/services/i18n.server";
import { startOutboxWorker, type OutboxWorker } from "~/services/outbox-worker.server";

let outboxWorker: OutboxWorker | undefined;

/**
 * Called by server.ts before it listens: a bad DATABASE_URL or an
 * unmigrated database stops the process with one clear line rather than
 * failing on the first request.
 */
export async function onServerStart(): Promise<void> {
  env();
  availableLanguages();
  try {
    await db().$queryRawUnsafe("SELECT 1");
  } catch (error) {
    throw new Error(`database (${databaseProvider()}) is not reachable: ${firstLine(error)}`, { cause: error });
  }
  try {
    await db().staffUser.count();
  } catch (error) {
    throw new Error(`database is not migrated (run npm run db:migrate): ${firstLine(error)}`, { cause: error });
  }
  if (env().OUTBOX_WORKER === "inline") outboxWorker ??= startOutboxWorker();
}

export async function onServerStop(): Promise<void> {
  const worker = outboxWorker;
  outboxWorker = undefined;
  await worker?.stop();
  await disconnectDb();
}

/** Prisma's messages open with the call that failed and end with the cause; the cause is what an operator needs. */
function firstLine(error: unknown): string {
  const lines = String((error as Error)?.message ?? error).split("\n").map((line) => line.trim()).filter(Boolean);
  return lines.at(-1) ?? "unknown error";
}
