import { randomUUID } from "node:crypto";
import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import { insertRows } from "~/models/database.server";
import { OUTBOX_INSERT_COLUMNS, outboxRowValues } from "~/models/outbox.server";
import { db, openBulkWriter, type BulkWriter } from "~/platform/db.server";

/**
 * Who an invitation or reminder goes to, and the writes that contact them
 * (features/outreach/emails.server.ts renders the messages).
 */
export type AudienceKind = "invitation" | "reminder";

export interface Recipient {
  id: string;
  name: string;
  email: string;
  language: string;
  timeZone: string | null;
}

/** The columns of one email in a batch (the outbox row without its delivery state). */
export interface BatchEmail {
  template: string;
  toAddress: string;
  toName: string;
  language: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  /** JSON of the extra headers (List-Unsubscribe). */
  headers: string;
  /** JSON of the attachments (the organisation's logo, by reference), or null. */
  attachments: string | null;
  participantId: string;
}

function audienceWhere(kind: AudienceKind, surveyId: string, gapDays: number, now: Date) {
  // Bounced addresses and people who unsubscribed are never mailed again.
  if (kind === "invitation") return { surveyId, invitedAt: null, bouncedAt: null, unsubscribedAt: null };
  const before = new Date(now.getTime() - gapDays * 24 * 60 * 60 * 1000);
  return { surveyId, invitedAt: { not: null }, respondedAt: null, bouncedAt: null, unsubscribedAt: null, lastContactedAt: { lte: before } };
}

export function countAudience(kind: AudienceKind, surveyId: string, gapDays: number, now: Date): Promise<number> {
  return db().participant.count({ where: audienceWhere(kind, surveyId, gapDays, now) });
}

/** The next `size` of the audience in id order, after `after` (keyset: a mailing never rereads those it has done). */
export function nextRecipients(kind: AudienceKind, surveyId: string, gapDays: number, now: Date, size: number, after = ""): Promise<Recipient[]> {
  return db().participant.findMany({
    where: { ...audienceWhere(kind, surveyId, gapDays, now), ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take: size,
    select: { id: true, name: true, email: true, language: true, timeZone: true },
  });
}

/**
 * One transaction per batch marks the participants contacted, stores their
 * new links' hashes and writes the outbox rows: three statements with bound
 * values, whatever the batch's size (the ORM's createMany costs several times
 * as much memory and time per row). Marking first, on the condition that
 * still selects them, means two staff members pressing "send" at once cannot
 * both mail the same person: when some were taken meanwhile, the batch rolls
 * back and this returns false. Written through the mailing's own connection
 * (openMailingWriter), which binds values as the ORM would.
 */
export async function contactBatch(
  writer: BulkWriter,
  kind: AudienceKind,
  surveyId: string,
  gapDays: number,
  now: Date,
  batch: readonly { participantId: string; tokenHash: string; email: BatchEmail }[],
): Promise<boolean> {
  if (batch.length === 0) return true;
  const ids = batch.map((item) => item.participantId);
  const before = new Date(now.getTime() - gapDays * 24 * 60 * 60 * 1000);
  const mark =
    kind === "invitation"
      ? Prisma.sql`UPDATE "Participant" SET "invitedAt" = ${now}, "lastContactedAt" = ${now}, "updatedAt" = ${now}
          WHERE "id" IN (${Prisma.join(ids)}) AND "surveyId" = ${surveyId} AND "invitedAt" IS NULL AND "bouncedAt" IS NULL`
      : Prisma.sql`UPDATE "Participant" SET "lastContactedAt" = ${now}, "remindersSent" = "remindersSent" + 1, "updatedAt" = ${now}
          WHERE "id" IN (${Prisma.join(ids)}) AND "surveyId" = ${surveyId} AND "invitedAt" IS NOT NULL AND "respondedAt" IS NULL
            AND "bouncedAt" IS NULL AND "lastContactedAt" <= ${before}`;
  // When the rows are written (the ORM's defaults did the same); `now` is the mailing's own time.
  const written = new Date();
  return writer.transaction(
    [
      mark,
      insertRows(
        "AccessToken",
        ["id", "participantId", "tokenHash", "createdAt"],
        batch.map((item) => [randomUUID(), item.participantId, item.tokenHash, written]),
      ),
      insertRows(
        "OutboxMessage",
        OUTBOX_INSERT_COLUMNS,
        batch.map(({ email }) => outboxRowValues(email, written)),
      ),
    ],
    // Marked fewer than asked: some were taken meanwhile, nothing is written.
    { firstChanges: ids.length },
  );
}

/** A mailing's own connection for its batches, past the ORM (see openBulkWriter); the caller closes it. */
export function openMailingWriter(): Promise<BulkWriter> {
  return openBulkWriter();
}

/** How many of a survey's participants unsubscribed (the mailings page says they are skipped). */
export function countUnsubscribed(surveyId: string): Promise<number> {
  return db().participant.count({ where: { surveyId, unsubscribedAt: { not: null } } });
}

/** A page of a survey's participants in id order, for the link export. */
export function participantsAfter(surveyId: string, after: string | null, size: number) {
  return db().participant.findMany({
    where: { surveyId, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take: size,
    select: { id: true, name: true, email: true, language: true, region: true, country: true, unit: true },
  });
}

/** The participants of a survey, and how many of them hold a working link now (the link export replaces them all). */
export async function linkExportFigures(surveyId: string): Promise<{ participants: number; withLiveLink: number }> {
  const [participants, withLiveLink] = await Promise.all([
    db().participant.count({ where: { surveyId } }),
    db().participant.count({ where: { surveyId, tokens: { some: { revokedAt: null } } } }),
  ]);
  return { participants, withLiveLink };
}

/** Revokes the participants' live links and stores the new ones, together. */
export async function replaceLinks(links: readonly { participantId: string; tokenHash: string }[], now: Date): Promise<void> {
  const ids = links.map((link) => link.participantId);
  await db().$transaction(async (tx) => {
    await tx.accessToken.updateMany({ where: { participantId: { in: ids }, revokedAt: null }, data: { revokedAt: now } });
    await tx.accessToken.createMany({ data: [...links] });
  });
}
