import { db } from "~/platform/db.server";

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
    select: { id: true, template: true, toAddress: true, toName: true, language: true, subject: true, textBody: true, status: true, attempts: true, lastError: true, createdAt: true, sentAt: true },
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
