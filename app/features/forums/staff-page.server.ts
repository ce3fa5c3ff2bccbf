import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { z } from "zod";
import { cleanText } from "~/domain/answers";
import { createSeries, findSessionForEmail, markAttendedByEmail, registrationPages, updateSession, type SeriesTexts, type SessionFields } from "~/models/forum.server";
import { availableLanguages, isAvailableLanguage } from "~/platform/i18n.server";
import { emailPromotion } from "~/features/forums/sign-up.server";
import { csvStream, neutraliseFormula } from "~/platform/spreadsheet";
import { wallTimeToUtc } from "~/platform/time-zone";

/** Form handling for the staff forum pages: series texts, sessions, attendance and the export. */

export type FieldErrors = Record<string, string[]>;

export function readSeriesTexts(form: FormData): { texts: SeriesTexts; errors: FieldErrors } {
  const texts: SeriesTexts = {};
  const errors: FieldErrors = {};
  for (const { code } of availableLanguages()) {
    const title = cleanText(String(form.get(`title.${code}`) ?? ""));
    const description = cleanText(String(form.get(`description.${code}`) ?? ""));
    if (title.length > 200) errors[`title.${code}`] = ["staff:forums.errors.tooLong"];
    if (description.length > 4000) errors[`description.${code}`] = ["staff:forums.errors.tooLong"];
    if (title) texts[code] = { title, description };
    else if (description) errors[`title.${code}`] = ["staff:forums.errors.titleNeeded"];
  }
  if (!texts.en) errors["title.en"] = ["staff:forums.errors.englishTitle"];
  return { texts, errors };
}

export async function createSeriesFromForm(form: FormData) {
  const slug = String(form.get("slug") ?? "").trim();
  const { texts, errors } = readSeriesTexts(form);
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug) || slug.length > 80) errors.slug = ["staff:forums.errors.slug"];
  if (Object.keys(errors).length) return { ok: false as const, errors };
  try {
    return { ok: true as const, series: await createSeries(slug, texts) };
  } catch {
    return { ok: false as const, errors: { slug: ["staff:forums.errors.slugTaken"] } };
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

/** A session as staff enter it: wall-clock times in a zone they choose (their own by default). */
export function readSessionForm(form: FormData): { ok: true; fields: SessionFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const zone = String(form.get("zone") ?? "UTC");
  const time = (name: string, required: boolean) => {
    const value = String(form.get(name) ?? "").trim();
    if (!value) {
      if (required) errors[name] = ["staff:forums.errors.required"];
      return null;
    }
    const parsed = wallTimeToUtc(value, zone);
    if (!parsed) errors[name] = ["staff:forums.errors.dateTime"];
    return parsed;
  };
  const startsAt = time("startsAt", true);
  const endsAt = time("endsAt", true);
  const registrationOpensAt = time("registrationOpensAt", false);
  const registrationClosesAt = time("registrationClosesAt", false);
  if (startsAt && endsAt && endsAt <= startsAt) errors.endsAt = ["staff:forums.errors.endBeforeStart"];
  const language = String(form.get("language") ?? "");
  if (!isAvailableLanguage(language)) errors.language = ["staff:forums.errors.language"];
  const capacity = Number(form.get("capacity"));
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 100_000) errors.capacity = ["staff:forums.errors.capacity"];
  const meetingUrl = optionalUrl.safeParse(String(form.get("meetingUrl") ?? ""));
  if (!meetingUrl.success) errors.meetingUrl = ["staff:forums.errors.url"];
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    fields: { startsAt: startsAt!, endsAt: endsAt!, language, capacity, meetingUrl: meetingUrl.success ? meetingUrl.data : null, registrationOpensAt, registrationClosesAt },
  };
}

/** Saves a session's changes; people promoted by a larger capacity get their email in the same transaction. */
export async function saveSession(sessionId: string, fields: SessionFields, origin: string) {
  return updateSession(sessionId, fields, async (tx, promoted) => {
    const session = await findSessionForEmail(tx, sessionId);
    await emailPromotion(tx, promoted, session, origin);
  });
}

/**
 * The attendee list a meeting tool exports (Zoom, Teams, Jitsi…): any CSV
 * with a column whose header contains "mail"; every address in it that
 * belongs to a registration of this session is marked attended.
 */
export async function importAttendance(sessionId: string, file: string): Promise<{ ok: true; marked: number; unmatched: string[] } | { ok: false; error: string }> {
  let rows: string[][];
  try {
    rows = parse(file.replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true, delimiter: [",", ";", "\t"] }) as string[][];
  } catch {
    return { ok: false, error: "staff:forums.attendance.unreadable" };
  }
  const header = rows[0]?.map((cell) => cell.toLowerCase()) ?? [];
  const column = header.findIndex((cell) => cell.includes("mail"));
  if (column < 0) return { ok: false, error: "staff:forums.attendance.noEmailColumn" };
  const emails = rows.slice(1).map((row) => row[column] ?? "").filter((value) => value.includes("@"));
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
