import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import type { Transaction } from "~/models/database.server";
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

export async function findSeries(slug: string) {
  // Checked before querying: PostgreSQL refuses some strings outright (a NUL is an error, not a miss).
  if (!SERIES_SLUG.test(slug)) return null;
  const series = await db().forumSeries.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      surveyId: true,
      texts: true,
      sessions: {
        orderBy: { startsAt: "asc" },
        select: { ...SESSION_FIELDS, confirmedCount: true },
      },
    },
  });
  return series ? { ...series, texts: parseSeriesTexts(series.texts) } : null;
}

export type ForumSessionRow = NonNullable<Awaited<ReturnType<typeof findSeries>>>["sessions"][number];

/** The forum series held after a survey, if any. */
export async function findSeriesForSurvey(surveyId: string) {
  const series = await db().forumSeries.findFirst({ where: { surveyId }, orderBy: { createdAt: "desc" }, select: { slug: true } });
  return series ? findSeries(series.slug) : null;
}

export function findSessionForSignUp(sessionId: string) {
  return db().forumSession.findUnique({
    where: { id: sessionId },
    select: { ...SESSION_FIELDS, confirmedCount: true, series: { select: { id: true, slug: true, texts: true } } },
  });
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
async function lockSession(tx: Transaction, sessionId: string): Promise<{ cancelledAt: Date | null; confirmedCount: number } | null> {
  const [session] = await tx.$queryRaw<{ cancelledAt: Date | null; confirmedCount: number }[]>`
    UPDATE "ForumSession" SET "capacity" = "capacity" WHERE "id" = ${sessionId} RETURNING "cancelledAt", "confirmedCount"`;
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
  createdAt: Date;
}

/**
 * Registers, taking a seat or joining the waiting list. The same email for
 * the same session is one registration: a repeat sign-up returns the
 * existing one (`merged`), whatever its status, except that someone who had
 * cancelled signs up again. `alongside(tx, registration)` writes rows that
 * must commit with it (the email). Null when the session has been cancelled.
 */
export async function register(
  input: NewRegistration,
  alongside: (tx: Transaction, registration: RegistrationRow) => Promise<unknown>,
): Promise<{ registration: RegistrationRow; merged: boolean } | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db().$transaction(async (tx) => {
        // Read under the lock: a session cancelled while this sign-up waited takes nobody.
        const session = await lockSession(tx, input.sessionId);
        if (!session || session.cancelledAt) return null;
        const [existing] = await tx.$queryRaw<RegistrationRow[]>`
          SELECT "id", "status", "createdAt" FROM "ForumRegistration" WHERE "sessionId" = ${input.sessionId} AND "email" = ${input.email}`;
        if (existing && existing.status !== "cancelled") return { registration: existing, merged: true };
        const status: RegistrationStatus = (await takeSeat(tx, input.sessionId)) ? "confirmed" : "waitlisted";
        const data = { ...input, status, attended: false, createdAt: new Date() };
        const { id: _newId, ...kept } = data;
        const registration = (
          existing
            ? await tx.forumRegistration.update({ where: { id: existing.id }, data: kept, select: { id: true, status: true, createdAt: true } })
            : await tx.forumRegistration.create({ data, select: { id: true, status: true, createdAt: true } })
        ) as RegistrationRow;
        await alongside(tx, registration);
        return { registration, merged: false };
      }, SEAT_TRANSACTION);
    } catch (error) {
      // Two sign-ups with one email at the same moment: the second hits the unique key; read the first on the next try.
      if (attempt < 2 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
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
