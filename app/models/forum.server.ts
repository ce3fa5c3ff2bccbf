import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import { columnList, databaseProvider, isUniqueViolation, type Transaction } from "~/models/database.server";
import { insertOutboxMessageIn, OUTBOX_INSERT_COLUMNS, outboxRowValues, type OutboxMessageInput } from "~/models/outbox.server";
import { db } from "~/platform/db.server";

/**
 * Open forums: series, their sessions and registrations. A seat is taken in
 * one conditional UPDATE ("confirmedCount < capacity") inside the
 * transaction that writes the registration: on PostgreSQL the row lock makes
 * concurrent sign-ups for the last seat wait for each other and re-check the
 * condition; SQLite runs one writer at a time. So two people can never both
 * get the last seat, whichever instance they reach.
 */

export type RegistrationStatus = "confirmed" | "waitlisted" | "cancelled";

export type { Transaction };

export interface SeriesTexts {
  [language: string]: { title: string; description: string };
}

export function parseSeriesTexts(json: string): SeriesTexts {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" ? (value as SeriesTexts) : {};
  } catch {
    return {};
  }
}

/** What every page showing a session needs of it. */
const SESSION_FIELDS = {
  id: true,
  startsAt: true,
  endsAt: true,
  language: true,
  capacity: true,
  meetingUrl: true,
  registrationOpensAt: true,
  registrationClosesAt: true,
  cancelledAt: true,
} as const;

/** The shape of every series slug (forum-staff checks new ones more strictly); anything else names no series. */
const SERIES_SLUG = /^[a-z0-9-]{1,100}$/;

/** A session's columns as every page showing it reads them (SESSION_FIELDS and confirmedCount). */
const SESSION_COLUMNS = Prisma.raw(
  `s."id", s."startsAt", s."endsAt", s."language", s."capacity", s."meetingUrl", s."registrationOpensAt", s."registrationClosesAt", s."cancelledAt", s."confirmedCount"`,
);

interface SessionRow extends SessionFields {
  id: string;
  cancelledAt: Date | null;
  confirmedCount: number;
}

/**
 * A series with its sessions by start. SQL in one statement: the public page
 * reads it again for every sign-up of a rush, and the query builder's two
 * queries cost several times as much.
 */
export async function findSeries(slug: string) {
  // Checked before querying: PostgreSQL refuses some strings outright (a NUL is an error, not a miss).
  if (!SERIES_SLUG.test(slug)) return null;
  const rows = await db().$queryRaw<
    ({ seriesId: string; slug: string; surveyId: string | null; texts: string } & { [K in keyof SessionRow]: SessionRow[K] | null })[]
  >`
    SELECT r."id" AS "seriesId", r."slug", r."surveyId", r."texts", ${SESSION_COLUMNS}
    FROM "ForumSeries" r LEFT JOIN "ForumSession" s ON s."seriesId" = r."id"
    WHERE r."slug" = ${slug}
    ORDER BY s."startsAt", s."id"`;
  const [first] = rows;
  if (!first) return null;
  const sessions = first.id === null ? [] : (rows as unknown as SessionRow[]).map(sessionOf);
  return { id: first.seriesId, slug: first.slug, surveyId: first.surveyId, texts: parseSeriesTexts(first.texts), sessions };
}

/** Only the session's own columns of a joined row. */
function sessionOf(row: SessionRow): SessionRow {
  return {
    id: row.id,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    language: row.language,
    capacity: row.capacity,
    meetingUrl: row.meetingUrl,
    registrationOpensAt: row.registrationOpensAt,
    registrationClosesAt: row.registrationClosesAt,
    cancelledAt: row.cancelledAt,
    confirmedCount: row.confirmedCount,
  };
}

export type ForumSessionRow = NonNullable<Awaited<ReturnType<typeof findSeries>>>["sessions"][number];

/** The forum series held after a survey, if any. */
export async function findSeriesForSurvey(surveyId: string) {
  const series = await db().forumSeries.findFirst({ where: { surveyId }, orderBy: { createdAt: "desc" }, select: { slug: true } });
  return series ? findSeries(series.slug) : null;
}

/** A session with its series' slug and texts (sign-up, cancellation, staff changes); null when unknown. */
export async function findSessionForSignUp(sessionId: string) {
  const [row] = await db().$queryRaw<(SessionRow & { seriesId: string; seriesSlug: string; seriesTexts: string })[]>`
    SELECT ${SESSION_COLUMNS}, r."id" AS "seriesId", r."slug" AS "seriesSlug", r."texts" AS "seriesTexts"
    FROM "ForumSession" s JOIN "ForumSeries" r ON r."id" = s."seriesId"
    WHERE s."id" = ${sessionId}`;
  return row ? { ...sessionOf(row), series: { id: row.seriesId, slug: row.seriesSlug, texts: row.seriesTexts } } : null;
}

/**
 * Every forum transaction starts by writing the row it is about (a no-op
 * update). On PostgreSQL that locks the row, so concurrent changes to one
 * session queue up; on SQLite it takes the write lock before anything is
 * read, because a transaction that read first and writes later cannot wait
 * for another process's write lock (SQLITE_BUSY) and would fail instead.
 * The same statement returns what the callers read under the lock (null: no
 * such session): every round trip here is one that the session's other
 * sign-ups wait for.
 */
async function lockSession(tx: Transaction, sessionId: string): Promise<{ cancelledAt: Date | null; confirmedCount: number; capacity: number } | null> {
  const [session] = await tx.$queryRaw<{ cancelledAt: Date | null; confirmedCount: number; capacity: number }[]>`
    UPDATE "ForumSession" SET "capacity" = "capacity" WHERE "id" = ${sessionId} RETURNING "cancelledAt", "confirmedCount", "capacity"`;
  return session ?? null;
}

/**
 * Sign-ups for one session queue on its row lock, each holding a pooled
 * connection: under a rush (hundreds at the same second) a transaction may
 * wait longer for a connection than Prisma's default 2 s.
 */
const SEAT_TRANSACTION = { maxWait: 20_000, timeout: 20_000 };

/** One seat if any is left: true when taken. */
export async function takeSeat(tx: Transaction, sessionId: string): Promise<boolean> {
  const taken =
    await tx.$executeRaw`UPDATE "ForumSession" SET "confirmedCount" = "confirmedCount" + 1 WHERE "id" = ${sessionId} AND "confirmedCount" < "capacity"`;
  return taken === 1;
}

async function freeSeat(tx: Transaction, sessionId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "ForumSession" SET "confirmedCount" = "confirmedCount" - 1 WHERE "id" = ${sessionId} AND "confirmedCount" > 0`;
}

export interface NewRegistration {
  /** Chosen by the caller, so that what mentions it (the calendar UID) can be prepared before the transaction. */
  id: string;
  sessionId: string;
  name: string;
  email: string;
  language: string;
  country: string | null;
  region: string | null;
  unit: string | null;
  accessibilityNeeds: string | null;
  timeZone: string | null;
  participantId: string | null;
  cancelTokenHash: string;
}

export interface RegistrationRow {
  id: string;
  status: RegistrationStatus;
}

/** A registration's columns as a sign-up writes them (registrationValues gives the values, in this order). */
const REGISTRATION_COLUMNS = [
  "id",
  "sessionId",
  "name",
  "email",
  "language",
  "country",
  "region",
  "unit",
  "accessibilityNeeds",
  "timeZone",
  "participantId",
  "cancelTokenHash",
  "status",
  "attended",
  "createdAt",
  "updatedAt",
] as const;

function registrationValues(input: NewRegistration, status: RegistrationStatus, now: Date): Prisma.Sql {
  return Prisma.join([
    input.id,
    input.sessionId,
    input.name,
    input.email,
    input.language,
    input.country,
    input.region,
    input.unit,
    input.accessibilityNeeds,
    input.timeZone,
    input.participantId,
    input.cancelTokenHash,
    status,
    Prisma.raw("FALSE"),
    now,
    now,
  ]);
}

/** The email a sign-up writes with its registration, for the status it got. */
export type SignUpEmail = (registration: RegistrationRow) => OutboxMessageInput;

/**
 * Registers, taking a seat or joining the waiting list. The same email for
 * the same session is one registration: a repeat sign-up returns the
 * existing one (`merged`), whatever its status, except that someone who had
 * cancelled signs up again. The email `emailFor` gives commits with the
 * registration. `expected` is the status the seats left foretell (its email
 * may be prepared beforehand). Null when the session has been cancelled.
 */
export async function register(
  input: NewRegistration,
  expected: "confirmed" | "waitlisted",
  emailFor: SignUpEmail,
): Promise<{ registration: RegistrationRow; merged: boolean } | null> {
  const firstTry = databaseProvider() === "postgresql" ? registerInOneStatement : registerInOneBatch;
  const done = await firstTry(input, expected, emailFor({ id: input.id, status: expected }));
  if (done !== "undecided") return done;
  return registerInTransaction(input, emailFor);
}

/**
 * SQLite: a first sign-up that gets the status foretold is three statements
 * in one batch, about a third of the interactive transaction's cost (measured:
 * 368 against 1,112 µs a sign-up). The first statement writes, so it takes
 * the database's write lock before it reads the seats, and no other writer
 * runs until the commit. The registration is written only if the seats
 * still say what was foretold and the email is new; the seat and the email
 * follow only if that registration is there. "undecided": nothing was
 * written, and the transaction decides.
 */
async function registerInOneBatch(
  input: NewRegistration,
  expected: "confirmed" | "waitlisted",
  email: OutboxMessageInput,
): Promise<{ registration: RegistrationRow; merged: false } | "undecided"> {
  const now = new Date();
  const seats = expected === "confirmed" ? Prisma.sql`"confirmedCount" < "capacity"` : Prisma.sql`"confirmedCount" >= "capacity"`;
  const written = Prisma.sql`EXISTS (SELECT 1 FROM "ForumRegistration" WHERE "id" = ${input.id})`;
  const [registered] = await db().$transaction([
    db().$executeRaw`
      INSERT INTO "ForumRegistration" ${columnList(REGISTRATION_COLUMNS)} SELECT ${registrationValues(input, expected, now)}
      FROM "ForumSession" WHERE "id" = ${input.sessionId} AND "cancelledAt" IS NULL AND ${seats}
        AND NOT EXISTS (SELECT 1 FROM "ForumRegistration" WHERE "sessionId" = ${input.sessionId} AND "email" = ${input.email})`,
    ...(expected === "confirmed"
      ? [db().$executeRaw`UPDATE "ForumSession" SET "confirmedCount" = "confirmedCount" + 1 WHERE "id" = ${input.sessionId} AND ${written}`]
      : []),
    db().$executeRaw`INSERT INTO "OutboxMessage" ${columnList(OUTBOX_INSERT_COLUMNS)} SELECT ${Prisma.join(outboxRowValues(email, now))} WHERE ${written}`,
  ]);
  return registered === 1 ? { registration: { id: input.id, status: expected }, merged: false } : "undecided";
}

/**
 * PostgreSQL: a first sign-up that gets the status foretold is one statement,
 * so the session's row lock is held for no round trip at all (a rush's
 * sign-ups queue on it). The lock is taken by FOR UPDATE, which reads the
 * row as the previous holder committed it; the seat's UPDATE then applies to
 * that same latest row. Everything else (a known email, the seats changed
 * meanwhile, a cancelled session) is left to the transaction: "undecided"
 * means nothing was written. Two first sign-ups with one email at the same
 * moment meet on the unique key: the loser's statement writes nothing, and
 * the transaction then finds the winner's registration.
 */
async function registerInOneStatement(
  input: NewRegistration,
  expected: "confirmed" | "waitlisted",
  email: OutboxMessageInput,
): Promise<{ registration: RegistrationRow; merged: false } | null | "undecided"> {
  const now = new Date();
  const registration = Prisma.sql`INSERT INTO "ForumRegistration" ${columnList(REGISTRATION_COLUMNS)} SELECT ${registrationValues(input, expected, now)}`;
  // A seat is taken (and the registration written) only if one is free; a place on the waiting list only if none is.
  const written =
    expected === "confirmed"
      ? Prisma.sql`"seat" AS (
          UPDATE "ForumSession" SET "confirmedCount" = "confirmedCount" + 1
          WHERE "id" = (SELECT "id" FROM "session" WHERE "cancelledAt" IS NULL AND "seatFree" AND NOT "known")
          RETURNING "id"
        ),
        "registration" AS (${registration} FROM "seat" RETURNING "id")`
      : Prisma.sql`"registration" AS (${registration} FROM "session" WHERE "cancelledAt" IS NULL AND NOT "seatFree" AND NOT "known" RETURNING "id")`;
  try {
    const [row] = await db().$queryRaw<{ cancelled: boolean; registered: boolean }[]>`
      WITH "session" AS (
        SELECT "id", "cancelledAt", "confirmedCount" < "capacity" AS "seatFree",
          EXISTS (SELECT 1 FROM "ForumRegistration" WHERE "sessionId" = ${input.sessionId} AND "email" = ${input.email}) AS "known"
        FROM "ForumSession" WHERE "id" = ${input.sessionId} FOR UPDATE
      ),
      ${written},
      "email" AS (
        INSERT INTO "OutboxMessage" ${columnList(OUTBOX_INSERT_COLUMNS)} SELECT ${Prisma.join(outboxRowValues(email, now))} FROM "registration"
      )
      SELECT "cancelledAt" IS NOT NULL AS "cancelled", EXISTS (SELECT 1 FROM "registration") AS "registered" FROM "session"`;
    if (!row || row.cancelled) return null;
    return row.registered ? { registration: { id: input.id, status: expected }, merged: false } : "undecided";
  } catch (error) {
    if (isUniqueViolation(error)) return "undecided";
    throw error;
  }
}

/** Any sign-up, on either database: decided under the session's lock, in a few statements. */
async function registerInTransaction(input: NewRegistration, emailFor: SignUpEmail): Promise<{ registration: RegistrationRow; merged: boolean } | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db().$transaction(async (tx) => {
        // Read under the lock: a session cancelled while this sign-up waited takes nobody.
        const session = await lockSession(tx, input.sessionId);
        if (!session || session.cancelledAt) return null;
        // A statement of its own, after the lock: on PostgreSQL a statement reads as of its start, which may be before the wait.
        const [existing] = await tx.$queryRaw<RegistrationRow[]>`
          SELECT "id", "status" FROM "ForumRegistration" WHERE "sessionId" = ${input.sessionId} AND "email" = ${input.email}`;
        if (existing && existing.status !== "cancelled") return { registration: existing, merged: true };
        // The lock is held: the count read with it is the count.
        const status: RegistrationStatus = session.confirmedCount < session.capacity ? "confirmed" : "waitlisted";
        if (status === "confirmed") await tx.$executeRaw`UPDATE "ForumSession" SET "confirmedCount" = "confirmedCount" + 1 WHERE "id" = ${input.sessionId}`;
        const now = new Date();
        // Someone who had cancelled signs up again: their registration keeps its id, which the calendar UID follows.
        const id = existing?.id ?? input.id;
        if (existing) {
          await tx.$executeRaw`
            UPDATE "ForumRegistration" SET "name" = ${input.name}, "language" = ${input.language}, "country" = ${input.country},
              "region" = ${input.region}, "unit" = ${input.unit}, "accessibilityNeeds" = ${input.accessibilityNeeds},
              "timeZone" = ${input.timeZone}, "participantId" = ${input.participantId}, "cancelTokenHash" = ${input.cancelTokenHash},
              "status" = ${status}, "attended" = FALSE, "createdAt" = ${now}, "updatedAt" = ${now}
            WHERE "id" = ${id}`;
        } else {
          await tx.$executeRaw`INSERT INTO "ForumRegistration" ${columnList(REGISTRATION_COLUMNS)} VALUES (${registrationValues(input, status, now)})`;
        }
        const registration = { id, status };
        await insertOutboxMessageIn(tx, emailFor(registration));
        return { registration, merged: false };
      }, SEAT_TRANSACTION);
    } catch (error) {
      // Two sign-ups with one email at the same moment: the second hits the unique key; read the first on the next try.
      if (attempt < 2 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

export function findRegistrationByCancelHash(cancelTokenHash: string) {
  return db().forumRegistration.findUnique({
    where: { cancelTokenHash },
    select: {
      id: true,
      name: true,
      status: true,
      session: { select: { id: true, startsAt: true, endsAt: true, language: true, series: { select: { slug: true, texts: true } } } },
    },
  });
}

export interface Promotion {
  id: string;
  name: string;
  email: string;
  language: string;
  timeZone: string | null;
  cancelTokenHash: string;
}

/**
 * Cancels a registration. A freed seat goes to the first person on the
 * waiting list (by sign-up time), in the same transaction; `onPromoted`
 * writes their email. Returns false when it was cancelled already.
 */
export async function cancelRegistration(registrationId: string, onPromoted: (tx: Transaction, promoted: Promotion) => Promise<unknown>): Promise<boolean> {
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`UPDATE "ForumRegistration" SET "status" = "status" WHERE "id" = ${registrationId}`;
    const registration = await tx.forumRegistration.findUniqueOrThrow({ where: { id: registrationId }, select: { sessionId: true, status: true } });
    if (registration.status === "cancelled") return false;
    const changed = await tx.forumRegistration.updateMany({ where: { id: registrationId, status: registration.status }, data: { status: "cancelled" } });
    if (changed.count === 0) return false;
    if (registration.status === "confirmed") {
      await freeSeat(tx, registration.sessionId);
      await promoteWaiting(tx, registration.sessionId, onPromoted);
    }
    return true;
  }, SEAT_TRANSACTION);
}

/** Fills free seats from the waiting list, first come first served. */
export async function promoteWaiting(
  tx: Transaction,
  sessionId: string,
  onPromoted: (tx: Transaction, promoted: Promotion) => Promise<unknown>,
): Promise<number> {
  let promoted = 0;
  for (;;) {
    const next = await tx.forumRegistration.findFirst({
      where: { sessionId, status: "waitlisted" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, name: true, email: true, language: true, timeZone: true, cancelTokenHash: true },
    });
    if (!next || !(await takeSeat(tx, sessionId))) return promoted;
    const moved = await tx.forumRegistration.updateMany({ where: { id: next.id, status: "waitlisted" }, data: { status: "confirmed" } });
    if (moved.count === 0) {
      // Someone else's transaction took this one meanwhile: give the seat back and look again.
      await freeSeat(tx, sessionId);
      continue;
    }
    await onPromoted(tx, next);
    promoted++;
  }
}

/** Registrations per session and status, and attendance, for the staff page. */
export async function sessionCounts(seriesId: string) {
  const rows = await db().forumRegistration.groupBy({
    by: ["sessionId", "status", "attended"],
    where: { session: { seriesId } },
    _count: { _all: true },
  });
  const counts = new Map<string, { confirmed: number; waitlisted: number; cancelled: number; attended: number }>();
  for (const row of rows) {
    const entry = counts.get(row.sessionId) ?? { confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0 };
    entry[row.status as RegistrationStatus] += row._count._all;
    if (row.attended) entry.attended += row._count._all;
    counts.set(row.sessionId, entry);
  }
  return counts;
}

// ------------------------------------------------------------------ staff

export function listSeries() {
  return db().forumSeries.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, slug: true, surveyId: true, texts: true, _count: { select: { sessions: true } } },
  });
}

export function createSeries(slug: string, texts: SeriesTexts) {
  return db().forumSeries.create({ data: { slug, texts: JSON.stringify(texts) }, select: { id: true, slug: true } });
}

export function updateSeriesTexts(id: string, texts: SeriesTexts) {
  return db().forumSeries.update({ where: { id }, data: { texts: JSON.stringify(texts) } });
}

export interface SessionFields {
  startsAt: Date;
  endsAt: Date;
  language: string;
  capacity: number;
  meetingUrl: string | null;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
}

export function createSession(seriesId: string, fields: SessionFields) {
  return db().forumSession.create({ data: { seriesId, ...fields }, select: { id: true } });
}

/**
 * Changes a session. Capacity never drops below the seats already confirmed
 * (nobody loses a confirmed seat); a larger capacity goes to the waiting
 * list at once, first come first served.
 */
export async function updateSession(
  sessionId: string,
  fields: SessionFields,
  onPromoted: (tx: Transaction, promoted: Promotion) => Promise<unknown>,
): Promise<{ capacity: number; promoted: number }> {
  return db().$transaction(async (tx) => {
    const current = await lockSession(tx, sessionId);
    if (!current) throw new Error(`No forum session ${sessionId}`);
    const capacity = Math.max(fields.capacity, current.confirmedCount);
    await tx.forumSession.update({ where: { id: sessionId }, data: { ...fields, capacity } });
    return { capacity, promoted: await promoteWaiting(tx, sessionId, onPromoted) };
  }, SEAT_TRANSACTION);
}

export interface CancelledRegistration {
  id: string;
  name: string;
  email: string;
  language: string;
  timeZone: string | null;
  status: "confirmed" | "waitlisted";
}

/** How many people a session's cancellation would reach: those with a seat and those on the waiting list. */
export async function sessionCancellationCounts(sessionId: string): Promise<{ confirmed: number; waitlisted: number }> {
  const rows = await db().forumRegistration.groupBy({
    by: ["status"],
    where: { sessionId, status: { in: ["confirmed", "waitlisted"] } },
    _count: { _all: true },
  });
  const count = (status: string) => rows.find((row) => row.status === status)?._count._all ?? 0;
  return { confirmed: count("confirmed"), waitlisted: count("waitlisted") };
}

export type SessionCancellation =
  | { ok: true; confirmed: number; waitlisted: number }
  | { ok: false; reason: "changed"; confirmed: number; waitlisted: number }
  | { ok: false; reason: "already" };

/**
 * Cancels a session if it still has exactly `expected` people with a seat or
 * on the waiting list, counted under the session's lock: it is marked
 * cancelled (it leaves the public page and takes no sign-ups), its seats
 * freed and every live registration marked cancelled, so no reminder and no
 * promotion follows. The rows stay, for the export and the reports.
 * `alongside(tx, registration)` writes each person's email in the same transaction.
 */
export async function cancelSession(
  sessionId: string,
  expected: number,
  now: Date,
  alongside: (tx: Transaction, registration: CancelledRegistration) => Promise<unknown>,
): Promise<SessionCancellation> {
  return db().$transaction(async (tx) => {
    const session = await lockSession(tx, sessionId);
    if (!session) throw new Error(`No forum session ${sessionId}`);
    if (session.cancelledAt) return { ok: false, reason: "already" } as const;
    const registrations = (await tx.forumRegistration.findMany({
      where: { sessionId, status: { in: ["confirmed", "waitlisted"] } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, name: true, email: true, language: true, timeZone: true, status: true },
    })) as CancelledRegistration[];
    const confirmed = registrations.filter((registration) => registration.status === "confirmed").length;
    const waitlisted = registrations.length - confirmed;
    if (registrations.length !== expected) return { ok: false, reason: "changed", confirmed, waitlisted } as const;
    await tx.forumSession.update({ where: { id: sessionId }, data: { cancelledAt: now, confirmedCount: 0 }, select: { id: true } });
    await tx.forumRegistration.updateMany({ where: { sessionId, status: { in: ["confirmed", "waitlisted"] } }, data: { status: "cancelled" } });
    for (const registration of registrations) await alongside(tx, registration);
    return { ok: true, confirmed, waitlisted } as const;
  }, SEAT_TRANSACTION);
}

export function findSession(seriesId: string, sessionId: string) {
  return db().forumSession.findFirst({
    where: { id: sessionId, seriesId },
    select: {
      ...SESSION_FIELDS,
      confirmedCount: true,
      registrations: {
        where: { status: { not: "cancelled" } },
        orderBy: [{ status: "asc" }, { name: "asc" }],
        select: { id: true, name: true, email: true, language: true, status: true, attended: true, accessibilityNeeds: true },
      },
    },
  });
}

export async function setAttended(sessionId: string, registrationId: string, attended: boolean): Promise<boolean> {
  const changed = await db().forumRegistration.updateMany({ where: { id: registrationId, sessionId, status: { not: "cancelled" } }, data: { attended } });
  return changed.count === 1;
}

/** Marks as attended every registration of the session whose email is in the list; returns the emails that matched nobody. */
export async function markAttendedByEmail(sessionId: string, emails: readonly string[]): Promise<{ marked: number; unmatched: string[] }> {
  const wanted = [...new Set(emails.map((email) => email.trim().toLowerCase()).filter(Boolean))];
  const found = await db().forumRegistration.findMany({ where: { sessionId, email: { in: wanted }, status: { not: "cancelled" } }, select: { email: true } });
  const marked = await db().forumRegistration.updateMany({
    where: { sessionId, email: { in: wanted }, status: { not: "cancelled" } },
    data: { attended: true },
  });
  const known = new Set(found.map((row) => row.email));
  return { marked: marked.count, unmatched: wanted.filter((email) => !known.has(email)) };
}

/** Every registration of a series, for the export, a page at a time. */
export async function* registrationPages(seriesId: string, pageSize = 1000) {
  let after = "";
  for (;;) {
    const rows = await db().forumRegistration.findMany({
      where: { session: { seriesId }, id: { gt: after } },
      orderBy: { id: "asc" },
      take: pageSize,
      select: {
        id: true,
        name: true,
        email: true,
        language: true,
        country: true,
        unit: true,
        status: true,
        attended: true,
        createdAt: true,
        session: { select: { startsAt: true, language: true } },
      },
    });
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    yield rows;
  }
}

/** Confirmed registrations and attendance per language or region of registrants, for the series page. */
export async function segmentCounts(seriesId: string, segment: "language" | "region") {
  const rows = await db().forumRegistration.groupBy({
    by: [segment, "attended"],
    where: { session: { seriesId }, status: "confirmed" },
    _count: { _all: true },
  });
  const counts = new Map<string | null, { registered: number; attended: number }>();
  for (const row of rows) {
    const key = (row as { language?: string; region?: string | null })[segment] ?? null;
    const entry = counts.get(key) ?? { registered: 0, attended: 0 };
    entry.registered += row._count._all;
    if (row.attended) entry.attended += row._count._all;
    counts.set(key, entry);
  }
  return counts;
}

/** The regions the federation's participants are in: what the sign-up form offers. */
export async function knownRegions(): Promise<string[]> {
  const rows = await db().participant.findMany({
    where: { region: { not: null } },
    distinct: ["region"],
    select: { region: true },
    orderBy: { region: "asc" },
  });
  return rows.map((row) => row.region!).filter(Boolean);
}

/** A promoted person's new cancellation link, inside the promoting transaction. */
export async function setCancelTokenHash(tx: Transaction, registrationId: string, cancelTokenHash: string): Promise<void> {
  await tx.forumRegistration.update({ where: { id: registrationId }, data: { cancelTokenHash }, select: { id: true } });
}

/** What a forum email says about a session, read inside the transaction that changed it. */
export function findSessionForEmail(tx: Transaction, sessionId: string) {
  return tx.forumSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { id: true, startsAt: true, endsAt: true, language: true, meetingUrl: true, series: { select: { slug: true, texts: true } } },
  });
}

/** Confirmed registrations whose session starts in (now, until] and that have had no reminder, a page at a time. */
export function registrationsDueReminder(now: Date, until: Date) {
  return db().forumRegistration.findMany({
    where: { status: "confirmed", reminderQueuedAt: null, session: { startsAt: { gt: now, lte: until }, cancelledAt: null } },
    take: 200,
    select: {
      id: true,
      name: true,
      email: true,
      language: true,
      timeZone: true,
      session: { select: { id: true, startsAt: true, endsAt: true, language: true, meetingUrl: true, series: { select: { slug: true, texts: true } } } },
    },
  });
}

/**
 * Marks a registration reminded and runs `queue` (which writes the email) in
 * one transaction, conditional on the mark being unset: several workers never
 * remind one person twice. False when another got there first.
 */
export async function markReminderQueued(registrationId: string, now: Date, queue: (tx: Transaction) => Promise<void>): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const marked = await tx.forumRegistration.updateMany({
      where: { id: registrationId, reminderQueuedAt: null, status: "confirmed" },
      data: { reminderQueuedAt: now },
    });
    if (marked.count === 0) return false;
    await queue(tx);
    return true;
  });
}
