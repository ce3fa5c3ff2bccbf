import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { z } from "zod";
import { cleanText } from "~/domain/answers";
import {
  cancelSession,
  createSeries,
  findSessionForEmail,
  findSessionForSignUp,
  parseSeriesTexts,
  markAttendedByEmail,
  registrationPages,
  updateSession,
  type SeriesTexts,
  type SessionFields,
} from "~/models/forum.server";
import { availableLanguages, isAvailableLanguage } from "~/platform/i18n.server";
import { emailPromotion, queueForumEmail } from "~/features/forums/sign-up.server";
import { emailOrganisation } from "~/features/branding/index.server";
import { csvStream, neutraliseFormula } from "~/platform/spreadsheet";
import { wallTimeToUtc } from "~/platform/time-zone";
import { formText, type FieldErrors, type FormSubmission } from "~/platform/forms.server";

/** Form handling for the staff forum pages: series texts, sessions, attendance and the export. */

/**
 * A series' title and description in each language offered (fields
 * "title.<code>" and "description.<code>"); with `slug` also its address, as
 * when it is created. English needs a title: it is shown when a language has none.
 */
export function seriesSchema<WithSlug extends boolean>(withSlug: WithSlug) {
  const codes = availableLanguages().map(({ code }) => code);
  const shape: Record<string, z.ZodType<string>> = { slug: formText(z.string()) };
  for (const code of codes) {
    shape[`title.${code}`] = formText(z.string());
    shape[`description.${code}`] = formText(z.string());
  }
  return z.object(shape).transform((raw, ctx) => {
    const texts: SeriesTexts = {};
    const errors: FieldErrors = {};
    for (const code of codes) {
      const title = cleanText(raw[`title.${code}`] ?? "");
      const description = cleanText(raw[`description.${code}`] ?? "");
      if (title.length > 200) errors[`title.${code}`] = ["staff:forums.errors.tooLong"];
      if (description.length > 4000) errors[`description.${code}`] = ["staff:forums.errors.tooLong"];
      if (title) texts[code] = { title, description };
      else if (description) errors[`title.${code}`] = ["staff:forums.errors.titleNeeded"];
    }
    if (!texts.en) errors["title.en"] = ["staff:forums.errors.englishTitle"];
    const slug = (raw.slug ?? "").trim();
    if (withSlug && (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) || slug.length > 80)) errors.slug = ["staff:forums.errors.slug"];
    for (const [field, messages] of Object.entries(errors)) for (const message of messages) ctx.addIssue({ code: "custom", path: [field], message });
    return { slug: (withSlug ? slug : null) as WithSlug extends true ? string : null, texts };
  });
}

/** Creates a series from its parsed form; an address already taken is the slug field's error. */
export async function createSeriesFrom(slug: string, texts: SeriesTexts): Promise<FormSubmission<{ slug: string }>> {
  try {
    return { ok: true, values: await createSeries(slug, texts) };
  } catch {
    return { ok: false, errors: { slug: ["staff:forums.errors.slugTaken"] } };
  }
}

const optionalUrl = z
  .string()
  .trim()
  .max(500)
  .transform((value) => value || null)
  // No spaces and no control characters (PostgreSQL cannot store a NUL; \S alone would let one through).
  // eslint-disable-next-line no-control-regex
  .refine((value) => value === null || /^https:\/\/[^\s\u0000-\u001f\u007f]+$/.test(value), { message: "url" });

/**
 * A session as staff enter it: wall-clock times in a zone they choose (their
 * own by default), converted to UTC here. The rules read several fields at
 * once (times in the zone, the end after the start), so they run together and
 * report every field's problem in one go.
 */
export const sessionSchema = z
  .object({
    zone: formText(z.string(), "UTC"),
    startsAt: formText(z.string()),
    endsAt: formText(z.string()),
    registrationOpensAt: formText(z.string()),
    registrationClosesAt: formText(z.string()),
    language: formText(z.string()),
    capacity: formText(z.string()),
    meetingUrl: formText(z.string()),
  })
  .transform((raw, ctx): SessionFields => {
    let failed = false;
    const fail = (field: string, message: string) => {
      failed = true;
      ctx.addIssue({ code: "custom", path: [field], message });
    };
    const time = (name: "startsAt" | "endsAt" | "registrationOpensAt" | "registrationClosesAt", required: boolean) => {
      const value = raw[name].trim();
      if (!value) {
        if (required) fail(name, "staff:forums.errors.required");
        return null;
      }
      const parsed = wallTimeToUtc(value, raw.zone);
      if (!parsed) fail(name, "staff:forums.errors.dateTime");
      return parsed;
    };
    const startsAt = time("startsAt", true);
    const endsAt = time("endsAt", true);
    const registrationOpensAt = time("registrationOpensAt", false);
    const registrationClosesAt = time("registrationClosesAt", false);
    if (startsAt && endsAt && endsAt <= startsAt) fail("endsAt", "staff:forums.errors.endBeforeStart");
    if (!isAvailableLanguage(raw.language)) fail("language", "staff:forums.errors.language");
    const capacity = Number(raw.capacity);
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 100_000) fail("capacity", "staff:forums.errors.capacity");
    const meetingUrl = optionalUrl.safeParse(raw.meetingUrl);
    if (!meetingUrl.success) fail("meetingUrl", "staff:forums.errors.url");
    if (failed) return z.NEVER;
    return {
      startsAt: startsAt!,
      endsAt: endsAt!,
      language: raw.language,
      capacity,
      meetingUrl: meetingUrl.success ? meetingUrl.data : null,
      registrationOpensAt,
      registrationClosesAt,
    };
  });

/** Saves a session's changes; people promoted by a larger capacity get their email in the same transaction. */
export async function saveSession(sessionId: string, fields: SessionFields, origin: string) {
  // Read before the transaction: on SQLite a query outside an open transaction would wait for it.
  const organisation = await emailOrganisation();
  return updateSession(sessionId, fields, async (tx, promoted) => {
    const session = await findSessionForEmail(tx, sessionId);
    await emailPromotion(tx, promoted, session, origin, organisation);
  });
}

/**
 * Cancels a session whose confirmation showed `expected` people (with a seat
 * or on the waiting list); it goes ahead only if that is still the number,
 * counted under the session's lock. Each of them is emailed in their own
 * language and zone, in the same transaction, with a link to the forum page
 * to choose another session.
 */
export async function cancelForumSession(sessionId: string, expected: number, origin: string, now: Date = new Date()) {
  // Read before the transaction: on SQLite a query outside an open transaction would wait for it.
  const session = await findSessionForSignUp(sessionId);
  if (!session) return { ok: false, reason: "already" } as const;
  const texts = parseSeriesTexts(session.series.texts);
  const organisation = await emailOrganisation();
  return cancelSession(sessionId, expected, now, (tx, registration) =>
    queueForumEmail(tx, "sessionCancelled", {
      registrationId: registration.id,
      name: registration.name,
      email: registration.email,
      language: registration.language,
      timeZone: registration.timeZone,
      cancelToken: null,
      origin,
      organisation,
      session: { ...session, texts },
      hadSeat: registration.status === "confirmed",
    }),
  );
}

/**
 * The attendee list a meeting tool exports (Zoom, Teams, Jitsi…): any CSV
 * with a column whose header contains "mail"; every address in it that
 * belongs to a registration of this session is marked attended.
 */
export async function importAttendance(
  sessionId: string,
  file: string,
): Promise<{ ok: true; marked: number; unmatched: string[] } | { ok: false; error: string }> {
  let rows: string[][];
  try {
    rows = parse(file.replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true, delimiter: [",", ";", "\t"] }) as string[][];
  } catch {
    return { ok: false, error: "staff:forums.attendance.unreadable" };
  }
  const header = rows[0]?.map((cell) => cell.toLowerCase()) ?? [];
  const column = header.findIndex((cell) => cell.includes("mail"));
  if (column < 0) return { ok: false, error: "staff:forums.attendance.noEmailColumn" };
  const emails = rows
    .slice(1)
    .map((row) => row[column] ?? "")
    .filter((value) => value.includes("@"));
  return { ok: true, ...(await markAttendedByEmail(sessionId, emails)) };
}

export const REGISTRATION_EXPORT_COLUMNS = ["name", "email", "language", "country", "unit", "session", "status", "registered_at", "attended"] as const;

/** The registrations export as CSV rows (session = its start in UTC, ISO 8601), a page at a time. */
export async function* registrationRows(seriesId: string): AsyncGenerator<(string | number)[][]> {
  for await (const page of registrationPages(seriesId)) {
    yield page.map((row) => [
      neutraliseFormula(row.name),
      neutraliseFormula(row.email),
      row.language,
      neutraliseFormula(row.country ?? ""),
      neutraliseFormula(row.unit ?? ""),
      `${row.session.startsAt.toISOString()} (${row.session.language})`,
      row.status,
      row.createdAt.toISOString(),
      row.attended ? "yes" : "no",
    ]);
  }
}

export function registrationsCsv(seriesId: string): ReadableStream<Uint8Array> {
  return csvStream(REGISTRATION_EXPORT_COLUMNS, registrationRows(seriesId));
}

/** The same rows as an XLSX workbook (registration lists are small enough to build in memory). */
export async function registrationsXlsx(seriesId: string, sheetName: string): Promise<ArrayBuffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow([...REGISTRATION_EXPORT_COLUMNS]);
  for await (const rows of registrationRows(seriesId)) for (const row of rows) sheet.addRow(row);
  const buffer = await workbook.xlsx.writeBuffer();
  return buffer instanceof ArrayBuffer ? buffer : new Uint8Array(buffer).slice().buffer;
}
