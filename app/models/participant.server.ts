import type { ParsedParticipantFile, ParticipantRow, RowError } from "~/domain/participant-csv";
import { randomUUID } from "node:crypto";
import { insertRows } from "~/models/database.server";
import { databaseProvider, db } from "~/platform/db.server";
import { participantStatus, type ParticipantSort, type ParticipantStatus } from "~/domain/participant-status";

/** Rows per INSERT: large enough to be fast, small enough for SQLite's 32,766 and PostgreSQL's 65,535 bound values (11 columns each). */
const INSERT_BATCH = 1000;
const STAGED_IMPORT_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const PARTICIPANTS_PER_PAGE = 50;

/** What a staff member enters for one person: a CSV row without its line number. */
export type ParticipantFields = Omit<ParticipantRow, "line">;

export async function existingEmails(surveyId: string): Promise<Set<string>> {
  const rows = await db().participant.findMany({ where: { surveyId }, select: { email: true } });
  return new Set(rows.map((row) => row.email));
}

/** Keeps a checked file until the staff member decides; returns its id for the preview page. */
export async function stageImport(surveyId: string, staffUserId: string, fileName: string, file: ParsedParticipantFile): Promise<string> {
  await db().participantImport.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - STAGED_IMPORT_LIFETIME_MS) } } });
  const staged = await db().participantImport.create({
    data: {
      surveyId,
      staffUserId,
      fileName,
      rows: JSON.stringify(file.rows),
      errors: JSON.stringify(file.errors),
      ignoredColumns: JSON.stringify(file.ignoredColumns),
      total: file.total,
    },
    select: { id: true },
  });
  return staged.id;
}

export async function stagedImport(id: string, surveyId: string) {
  const staged = await db().participantImport.findFirst({ where: { id, surveyId } });
  if (!staged) return null;
  return {
    id: staged.id,
    fileName: staged.fileName,
    createdAt: staged.createdAt,
    total: staged.total,
    rows: JSON.parse(staged.rows) as ParticipantRow[],
    errors: JSON.parse(staged.errors) as RowError[],
    ignoredColumns: JSON.parse(staged.ignoredColumns) as string[],
  };
}

export function discardImport(id: string, surveyId: string) {
  return db().participantImport.deleteMany({ where: { id, surveyId } });
}

export type CommitResult = { outcome: "imported"; imported: number; skippedAsTaken: number } | { outcome: "gone" } | { outcome: "hasErrors"; errors: number };

/**
 * Inserts the staged rows in one transaction, so an import is all or
 * nothing: a prepared multi-row INSERT per INSERT_BATCH rows, with bound
 * values. A file with bad rows goes in only when the staff member chose to
 * import the valid rows. Emails added since the preview (by hand or by a
 * colleague) are skipped rather than failing the whole file: the unique
 * (survey, email) key turns them away (ON CONFLICT DO NOTHING), so the
 * survey's existing addresses are never loaded.
 */
export async function commitImport(id: string, surveyId: string, importValidRows: boolean): Promise<CommitResult> {
  const staged = await stagedImport(id, surveyId);
  if (!staged) return { outcome: "gone" };
  if (staged.errors.length > 0 && !importValidRows) return { outcome: "hasErrors", errors: staged.errors.length };
  const now = new Date();
  return db()
    .$transaction(
      async (tx) => {
        let imported = 0;
        for (let start = 0; start < staged.rows.length; start += INSERT_BATCH) {
          const rows = staged.rows
            .slice(start, start + INSERT_BATCH)
            .map((row) => [randomUUID(), surveyId, row.name, row.email, row.language, row.region, row.country, row.unit, row.timeZone, now, now]);
          imported += await tx.$executeRaw`${insertRows("Participant", PARTICIPANT_INSERT_COLUMNS, rows)} ON CONFLICT ("surveyId", "email") DO NOTHING`;
        }
        const deleted = await tx.participantImport.deleteMany({ where: { id, surveyId } });
        // A second confirmation racing this one finds the staged file gone and stops here.
        if (deleted.count !== 1) throw new StagedImportGone();
        return { outcome: "imported" as const, imported, skippedAsTaken: staged.rows.length - imported };
      },
      { timeout: 120_000, maxWait: 30_000 },
    )
    .catch((error: unknown) => {
      if (error instanceof StagedImportGone) return { outcome: "gone" as const };
      throw error;
    });
}

const PARTICIPANT_INSERT_COLUMNS = ["id", "surveyId", "name", "email", "language", "region", "country", "unit", "timeZone", "createdAt", "updatedAt"];

class StagedImportGone extends Error {}

/** What the participant list shows; the edit page adds the mailing details. */
const LISTED_FIELDS = {
  id: true,
  name: true,
  email: true,
  language: true,
  region: true,
  country: true,
  unit: true,
  invitedAt: true,
  respondedAt: true,
  bouncedAt: true,
  unsubscribedAt: true,
} as const;

/**
 * SQLite's LIKE already ignores case (for Latin letters); PostgreSQL's does
 * not, and Prisma offers ILIKE there as `mode: "insensitive"`, which the
 * SQLite client's types (the ones the app is typed against) do not know.
 */
function containsIgnoringCase(text: string): { contains: string } {
  return databaseProvider() === "postgresql" ? ({ contains: text, mode: "insensitive" } as { contains: string }) : { contains: text };
}

export type ParticipantListOptions = { search?: string; status?: ParticipantStatus; language?: string; region?: string; sort?: ParticipantSort; page: number };

function statusWhere(status: ParticipantStatus) {
  switch (status) {
    case "bounced":
      return { bouncedAt: { not: null } };
    case "submitted":
      return { bouncedAt: null, respondedAt: { not: null } };
    case "unsubscribed":
      return { bouncedAt: null, respondedAt: null, unsubscribedAt: { not: null } };
    case "started":
      return { bouncedAt: null, respondedAt: null, unsubscribedAt: null, response: { is: { status: "draft" } } };
    case "invited":
      return { bouncedAt: null, respondedAt: null, unsubscribedAt: null, invitedAt: { not: null }, response: { is: null } };
    case "notInvited":
      return { bouncedAt: null, respondedAt: null, unsubscribedAt: null, invitedAt: null, response: { is: null } };
  }
}

/**
 * Status order: not invited, invited (by date), unsubscribed, submitted, bounced. A started
 * answer sorts with the invitations: ordering on the optional response would
 * put the missing ones first on SQLite and last on PostgreSQL.
 */
const ORDER = {
  name: [{ name: "asc" }, { email: "asc" }],
  status: [
    { bouncedAt: { sort: "asc", nulls: "first" } },
    { respondedAt: { sort: "asc", nulls: "first" } },
    { unsubscribedAt: { sort: "asc", nulls: "first" } },
    { invitedAt: { sort: "asc", nulls: "first" } },
    { name: "asc" },
  ],
  emailed: [{ lastContactedAt: { sort: "desc", nulls: "last" } }, { name: "asc" }],
} as const;

export async function listParticipants(surveyId: string, options: ParticipantListOptions) {
  // No stored name or email holds a NUL (the forms and the import refuse control characters), and PostgreSQL refuses one in a query.
  const search = options.search?.replaceAll("\u0000", "").trim();
  const where = {
    surveyId,
    ...(search ? { OR: [{ email: { contains: search.toLowerCase() } }, { name: containsIgnoringCase(search) }] } : {}),
    ...(options.status ? statusWhere(options.status) : {}),
    ...(options.language ? { language: options.language } : {}),
    ...(options.region ? { region: options.region } : {}),
  };
  const [total, rows] = await Promise.all([
    db().participant.count({ where }),
    db().participant.findMany({
      where,
      orderBy: [...ORDER[options.sort ?? "name"]],
      skip: (options.page - 1) * PARTICIPANTS_PER_PAGE,
      take: PARTICIPANTS_PER_PAGE,
      select: { ...LISTED_FIELDS, lastContactedAt: true, response: { select: { status: true } } },
    }),
  ]);
  return {
    total,
    rows: rows.map(({ response, ...row }) => ({ ...row, status: participantStatus({ ...row, started: response?.status === "draft" }) })),
  };
}

/** The languages and regions a survey's participants have, for the list's filters. */
export async function participantFacets(surveyId: string) {
  const [languages, regions] = await Promise.all([
    db().participant.findMany({ where: { surveyId }, distinct: ["language"], select: { language: true }, orderBy: { language: "asc" } }),
    db().participant.findMany({ where: { surveyId, region: { not: null } }, distinct: ["region"], select: { region: true }, orderBy: { region: "asc" } }),
  ]);
  return {
    total: await db().participant.count({ where: { surveyId } }),
    languages: languages.map((row) => row.language),
    regions: regions.flatMap((row) => (row.region ? [row.region] : [])),
  };
}

export function findParticipant(surveyId: string, id: string) {
  return db().participant.findFirst({
    where: { id, surveyId },
    select: { ...LISTED_FIELDS, timeZone: true, lastContactedAt: true, remindersSent: true },
  });
}

export async function emailTaken(surveyId: string, email: string, exceptId?: string): Promise<boolean> {
  const found = await db().participant.findFirst({ where: { surveyId, email, ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { id: true } });
  return !!found;
}

export function createParticipant(surveyId: string, fields: ParticipantFields) {
  return db().participant.create({ data: { surveyId, ...fields }, select: { id: true } });
}

/** A corrected email also clears a bounce, so the next mailing tries the new address. */
export async function updateParticipant(surveyId: string, id: string, fields: ParticipantFields): Promise<boolean> {
  const current = await db().participant.findFirst({ where: { id, surveyId }, select: { email: true } });
  if (!current) return false;
  await db().participant.update({
    where: { id },
    data: { ...fields, ...(current.email !== fields.email ? { bouncedAt: null } : {}) },
  });
  return true;
}

/**
 * Removes a person from a consultation: their links, the emails kept for them
 * (a receipt repeats their answers), and in a confidential survey their
 * response, because asking to be removed includes one's answers. (An
 * anonymous response is not linked to anyone and stays.) A message being
 * handed to the mail server at this moment is left to its worker.
 */
/**
 * What removing a participant takes with it, for the confirmation: their
 * response (confidential surveys only; anonymous responses are not linked to
 * anyone) with the number of questions it answers, and the emails still
 * waiting in the outbox for them.
 */
export async function participantRemoval(surveyId: string, id: string) {
  const participant = await db().participant.findFirst({
    where: { id, surveyId },
    select: { id: true, name: true, email: true, response: { select: { id: true, status: true } } },
  });
  if (!participant) return null;
  const [answered, waitingEmails] = await Promise.all([
    participant.response
      ? db()
          .answer.findMany({ where: { responseId: participant.response.id }, distinct: ["questionId"], select: { questionId: true } })
          .then((rows) => rows.length)
      : 0,
    db().outboxMessage.count({ where: { participantId: id, status: "queued" } }),
  ]);
  return {
    name: participant.name,
    email: participant.email,
    response: participant.response ? { submitted: participant.response.status === "submitted", answered } : null,
    waitingEmails,
  };
}

export async function deleteParticipant(surveyId: string, id: string): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const participant = await tx.participant.findFirst({ where: { id, surveyId }, select: { id: true } });
    if (!participant) return false;
    await tx.response.deleteMany({ where: { participantId: id } });
    await tx.outboxMessage.deleteMany({ where: { participantId: id, status: { not: "sending" } } });
    await tx.participant.delete({ where: { id } });
    return true;
  });
}

export function countParticipants(surveyId: string) {
  return db().participant.count({ where: { surveyId } });
}

/** Who an unsubscribe link is for: enough to show the page in their language and say which consultation. */
export function findParticipantForUnsubscribe(id: string) {
  return db().participant.findUnique({
    where: { id },
    select: { id: true, email: true, language: true, unsubscribedAt: true, survey: { select: { slug: true } } },
  });
}

/** Marks a participant unsubscribed once; false when they already were (or are gone), so nothing changes twice. */
export async function markUnsubscribed(id: string, at: Date): Promise<boolean> {
  const { count } = await db().participant.updateMany({ where: { id, unsubscribedAt: null }, data: { unsubscribedAt: at } });
  return count === 1;
}
