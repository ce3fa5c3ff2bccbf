import type { OutboxMessage } from "~/generated/prisma-sqlite/client.ts";
import { databaseProvider, db } from "~/platform/db.server";
import { randomUUID } from "node:crypto";
import { insertRows, type Transaction } from "~/models/database.server";

export type { OutboxMessage };

/** The columns of a queued email; see platform/outbox.server.ts for why every email is a row first. */
export interface OutboxMessageInput {
  template: string;
  toAddress: string;
  toName?: string;
  language: string;
  subject: string;
  textBody: string;
  htmlBody?: string;
  /** JSON of the extra headers, or null. */
  headers?: string | null;
  /** JSON of the attachments, or null. */
  attachments: string | null;
  participantId?: string;
}

/**
 * Not async on purpose: it returns Prisma's lazy promise, so callers can put
 * it in a batch transaction (`db().$transaction([change, email])`) beside the
 * change that causes the email.
 */
export function insertOutboxMessage(data: OutboxMessageInput) {
  return db().outboxMessage.create({ data, select: { id: true } });
}

/** The columns a new outbox row is written with by SQL (outboxRowValues gives the values, in this order). */
export const OUTBOX_INSERT_COLUMNS = [
  "id",
  "template",
  "toAddress",
  "toName",
  "language",
  "subject",
  "textBody",
  "htmlBody",
  "headers",
  "attachments",
  "status",
  "attempts",
  "nextAttemptAt",
  "participantId",
  "createdAt",
] as const;

/**
 * A queued row's values for OUTBOX_INSERT_COLUMNS, due at once. Written
 * explicitly, not left to column defaults: on SQLite the database's
 * CURRENT_TIMESTAMP is text in another format than the ORM's dates, and the
 * claim compares nextAttemptAt.
 */
export function outboxRowValues(data: OutboxMessageInput, now: Date): unknown[] {
  return [
    randomUUID(),
    data.template,
    data.toAddress,
    data.toName ?? null,
    data.language,
    data.subject,
    data.textBody,
    data.htmlBody ?? null,
    data.headers ?? null,
    data.attachments,
    "queued",
    0,
    now,
    data.participantId ?? null,
    now,
  ];
}

/** The same, inside a transaction the caller holds (forum seats and their emails commit together): one SQL statement. */
export async function insertOutboxMessageIn(tx: Transaction, data: OutboxMessageInput): Promise<void> {
  await tx.$executeRaw(insertRows("OutboxMessage", OUTBOX_INSERT_COLUMNS, [outboxRowValues(data, new Date())]));
}

/**
 * Atomically claims up to `limit` due rows for `workerId` until `until`:
 * queued or failed rows whose nextAttemptAt has come, and `sending` rows
 * whose claim expired. One UPDATE statement in both databases: PostgreSQL
 * skips rows another transaction has locked; SQLite runs one writer at a time.
 */
export async function claimDueMessages(workerId: string, limit: number, now: Date, until: Date, maxAttempts: number): Promise<OutboxMessage[]> {
  let claimed: { id: string }[];
  if (databaseProvider() === "postgresql") {
    // Columns are TIMESTAMP(3) holding UTC; an ISO string cast to timestamp
    // keeps its UTC digits whatever the session's time zone.
    const nowTs = now.toISOString();
    claimed = await db().$queryRaw<{ id: string }[]>`
      UPDATE "OutboxMessage"
      SET "status" = 'sending', "claimedBy" = ${workerId}, "claimedUntil" = ${until.toISOString()}::timestamp(3)
      WHERE "id" IN (
        SELECT "id" FROM "OutboxMessage"
        WHERE "attempts" < ${maxAttempts}
          AND (("status" IN ('queued', 'failed') AND "nextAttemptAt" <= ${nowTs}::timestamp(3))
            OR ("status" = 'sending' AND "claimedUntil" < ${nowTs}::timestamp(3)))
        ORDER BY "nextAttemptAt"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id"`;
  } else {
    // Prisma's SQLite adapter stores DateTime as text like
    // 2026-01-02T03:04:05.678+00:00 and binds Date parameters in the same
    // fixed-width format, so text comparison orders them correctly.
    claimed = await db().$queryRaw<{ id: string }[]>`
      UPDATE "OutboxMessage"
      SET "status" = 'sending', "claimedBy" = ${workerId}, "claimedUntil" = ${until}
      WHERE "id" IN (
        SELECT "id" FROM "OutboxMessage"
        WHERE "attempts" < ${maxAttempts}
          AND (("status" IN ('queued', 'failed') AND "nextAttemptAt" <= ${now})
            OR ("status" = 'sending' AND "claimedUntil" < ${now}))
        ORDER BY "nextAttemptAt"
        LIMIT ${limit}
      )
      RETURNING "id"`;
  }
  if (claimed.length === 0) return [];
  return db().outboxMessage.findMany({
    where: { id: { in: claimed.map((row) => row.id) }, claimedBy: workerId, status: "sending" },
    orderBy: { nextAttemptAt: "asc" },
  });
}

/** Only while this worker still holds the claim: a claim that expired and was taken again is not ours to settle. */
function stillClaimed(message: Pick<OutboxMessage, "id" | "claimedBy">) {
  return { id: message.id, status: "sending", claimedBy: message.claimedBy };
}
const RELEASED = { claimedBy: null, claimedUntil: null };

/**
 * Marks messages sent, in one update. Each row's attempts go up by one from
 * what its claim read (the row cannot change while it is claimed); a row whose
 * claim another worker took over is left alone, as stillClaimed() says.
 */
export async function recordSent(messages: Pick<OutboxMessage, "id" | "claimedBy">[], sentAt: Date): Promise<void> {
  await db().outboxMessage.updateMany({
    where: { OR: messages.map(stillClaimed) },
    data: { ...RELEASED, status: "sent", attempts: { increment: 1 }, sentAt, lastError: null },
  });
}

export async function recordFailure(message: Pick<OutboxMessage, "id" | "claimedBy">, attempts: number, lastError: string, nextAttemptAt: Date): Promise<void> {
  await db().outboxMessage.updateMany({ where: stillClaimed(message), data: { ...RELEASED, status: "failed", attempts, lastError, nextAttemptAt } });
}

/** A permanent refusal: the message is bounced and its participant marked, together. */
export async function recordBounce(
  message: Pick<OutboxMessage, "id" | "claimedBy" | "participantId">,
  attempts: number,
  lastError: string,
  at: Date,
): Promise<void> {
  await db().$transaction([
    db().outboxMessage.updateMany({ where: stillClaimed(message), data: { ...RELEASED, status: "bounced", attempts, lastError } }),
    ...(message.participantId ? [db().participant.updateMany({ where: { id: message.participantId }, data: { bouncedAt: at } })] : []),
  ]);
}

/** What the staff outbox page shows: counts per status and the latest messages. */
export const OUTBOX_STATUSES = ["queued", "sending", "sent", "failed", "bounced"] as const;

export async function outboxOverview(limit = 50) {
  const [counts, messages] = await Promise.all([
    db().outboxMessage.groupBy({ by: ["status"], _count: { _all: true } }),
    db().outboxMessage.findMany({
      orderBy: { createdAt: "desc" },
      take: limit,
      select: {
        id: true,
        template: true,
        toAddress: true,
        language: true,
        subject: true,
        status: true,
        attempts: true,
        lastError: true,
        createdAt: true,
        sentAt: true,
      },
    }),
  ]);
  const byStatus = Object.fromEntries(OUTBOX_STATUSES.map((status) => [status, 0])) as Record<string, number>;
  for (const row of counts) byStatus[row.status] = row._count._all;
  return { byStatus, messages };
}

export function outboxMessage(id: string) {
  return db().outboxMessage.findUnique({
    where: { id },
    select: {
      id: true,
      template: true,
      toAddress: true,
      toName: true,
      language: true,
      subject: true,
      textBody: true,
      status: true,
      attempts: true,
      lastError: true,
      createdAt: true,
      sentAt: true,
    },
  });
}

/** Puts a failed or bounced message back in the queue for the worker; returns whether it was retryable. */
export async function retryOutboxMessage(id: string): Promise<boolean> {
  const { count } = await db().outboxMessage.updateMany({
    where: { id, status: { in: ["failed", "bounced"] } },
    data: { status: "queued", attempts: 0, nextAttemptAt: new Date(), lastError: null, claimedBy: null, claimedUntil: null },
  });
  return count === 1;
}
