import { parse, CsvError } from "csv-parse";
import { z } from "zod";
import { isValidTimeZone } from "~/platform/time-zone";

/**
 * Reads a participant list as Excel and LibreOffice write it: UTF-8 with or
 * without a byte-order mark, comma or semicolon separated (the separator of
 * the header line wins), quoted fields that may span lines. The file arrives
 * as a stream and is parsed as it arrives, so a 50,000-row file never sits in
 * memory twice. Problems are codes plus values; the staff page words them in
 * the reader's language.
 */

export const PARTICIPANT_COLUMNS = ["name", "email", "language", "region", "country", "unit", "timeZone"] as const;
export type ParticipantColumn = (typeof PARTICIPANT_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly ParticipantColumn[] = ["name", "email"];

/** Header spellings accepted for each column, compared case-insensitively with spaces, dashes and underscores ignored. */
const HEADER_ALIASES: Record<string, ParticipantColumn> = {
  name: "name",
  fullname: "name",
  email: "email",
  emailaddress: "email",
  mail: "email",
  language: "language",
  lang: "language",
  region: "region",
  country: "country",
  unit: "unit",
  role: "unit",
  "unit/role": "unit",
  unitorrole: "unit",
  timezone: "timeZone",
  tz: "timeZone",
};

export const MAX_IMPORT_ROWS = 100_000;
export const MAX_FIELD_LENGTH = 200;

export interface ParticipantRow {
  line: number;
  name: string;
  email: string;
  language: string;
  region: string | null;
  country: string | null;
  unit: string | null;
  timeZone: string | null;
}

export type RowProblem =
  | { code: "missingName" }
  | { code: "missingEmail" }
  | { code: "invalidEmail"; value: string }
  | { code: "unknownLanguage"; value: string }
  | { code: "invalidTimeZone"; value: string }
  | { code: "duplicateInFile"; firstLine: number }
  | { code: "alreadyInSurvey" }
  | { code: "tooLong"; column: ParticipantColumn; max: number }
  | { code: "controlCharacters"; column: ParticipantColumn }
  | { code: "wrongFieldCount"; found: number; expected: number };

export interface RowError {
  line: number;
  problems: RowProblem[];
}

/** Reasons to refuse the whole file rather than report rows. */
export type FileProblem =
  | { code: "empty" }
  | { code: "binary" }
  | { code: "notUtf8"; line: number }
  | { code: "missingColumns"; columns: ParticipantColumn[] }
  | { code: "duplicateColumn"; column: ParticipantColumn }
  | { code: "malformed"; line: number }
  | { code: "tooManyRows"; max: number };

export interface ParsedParticipantFile {
  rows: ParticipantRow[];
  errors: RowError[];
  ignoredColumns: string[];
  /** Data rows read, valid or not (blank lines excluded). */
  total: number;
}

export type ParticipantFileResult = { ok: true; file: ParsedParticipantFile } | { ok: false; problem: FileProblem };

export interface ParticipantFileContext {
  /** Language codes the interface and emails exist in. */
  languages: readonly string[];
  defaultLanguage: string;
  /** Lower-cased emails already in the survey. */
  existingEmails: ReadonlySet<string>;
}

const emailSchema = z.email();
// C0 controls other than tab and line breaks, DEL, and the C1 block: never part of a name or address.
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export function normaliseHeader(header: string): ParticipantColumn | null {
  const key = header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
  return HEADER_ALIASES[key] ?? null;
}

/** "FR", "fr-CA" and "fr_ca" all mean French when French exists. */
export function matchLanguage(value: string, languages: readonly string[]): string | null {
  const wanted = value.trim().replace("_", "-").toLowerCase();
  const exact = languages.find((code) => code.toLowerCase() === wanted);
  if (exact) return exact;
  const base = wanted.split("-")[0];
  return languages.find((code) => code.toLowerCase() === base) ?? null;
}

function detectDelimiter(headerLine: string): "," | ";" {
  const count = (character: string) => headerLine.split(character).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

/**
 * Decodes UTF-8 strictly (a file saved as Latin-1 or half-and-half is refused
 * with the line of the first bad byte, instead of importing mangled names)
 * and yields text chunks.
 */
async function* decodeUtf8(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let lines = 1;
  let first = true;
  for await (const chunk of chunks) {
    if (first && chunk.length > 0) {
      first = false;
      if (looksBinary(chunk)) throw new FileRefusal({ code: "binary" });
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new FileRefusal({ code: "notUtf8", line: lines + countLines(validPrefix(chunk)) });
    }
    lines += countLines(text);
    yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new FileRefusal({ code: "notUtf8", line: lines });
  }
}

function countLines(text: string): number {
  let count = 0;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) count++;
  return count;
}

/** The text before the first invalid byte, to count the lines up to it. */
function validPrefix(chunk: Uint8Array): string {
  let low = 0;
  let high = chunk.length;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    try {
      decoder.decode(chunk.subarray(0, middle), { stream: true });
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  return new TextDecoder().decode(chunk.subarray(0, low));
}

/** Spreadsheets, images and archives carry NUL bytes early; text files never do. */
function looksBinary(chunk: Uint8Array): boolean {
  return chunk.subarray(0, 8192).includes(0);
}

class FileRefusal extends Error {
  constructor(readonly problem: FileProblem) {
    super(problem.code);
  }
}

export async function parseParticipantFile(source: AsyncIterable<Uint8Array>, context: ParticipantFileContext): Promise<ParticipantFileResult> {
  try {
    return { ok: true, file: await readRows(source, context) };
  } catch (error) {
    if (error instanceof FileRefusal) return { ok: false, problem: error.problem };
    if (error instanceof CsvError) return { ok: false, problem: { code: "malformed", line: Number((error as CsvError & { lines?: number }).lines ?? 0) || 1 } };
    throw error;
  }
}

async function readRows(source: AsyncIterable<Uint8Array>, context: ParticipantFileContext): Promise<ParsedParticipantFile> {
  const text = decodeUtf8(source);

  // The separator is decided by the header line, so read up to its end first.
  let head = "";
  let pending: IteratorResult<string>;
  do {
    pending = await text.next();
    if (!pending.done) head += pending.value;
  } while (!pending.done && !head.includes("\n") && head.length < 65_536);
  head = head.replace(/^\uFEFF/, "");
  if (head.trim() === "") throw new FileRefusal({ code: "empty" });

  const parser = parse({
    delimiter: detectDelimiter(head.split("\n")[0] ?? ""),
    relax_column_count: true,
    // a stray quote inside an unquoted cell (Jean "JJ" Dupont) is kept as text, as spreadsheets do
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    max_record_size: 64 * 1024,
  });

  const feed = (async () => {
    try {
      if (!parser.write(head)) await drained(parser);
      if (!pending.done) {
        for await (const chunk of text) {
          if (parser.destroyed) break;
          if (!parser.write(chunk)) await drained(parser);
        }
      }
      if (!parser.destroyed) parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();

  let columns: (ParticipantColumn | null)[] | null = null;
  const ignoredColumns: string[] = [];
  const rows: ParticipantRow[] = [];
  const errors: RowError[] = [];
  const firstLineOfEmail = new Map<string, number>();
  let total = 0;
  let previousEnd = 0;

  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const startLine = firstLineOf(record.record, record.info.lines, previousEnd);
      previousEnd = record.info.lines;
      if (!columns) {
        columns = record.record.map(normaliseHeader);
        record.record.forEach((header, index) => {
          if (!columns?.[index] && header.trim() !== "") ignoredColumns.push(header.trim());
        });
        const seen = new Set<ParticipantColumn>();
        for (const column of columns) {
          if (!column) continue;
          if (seen.has(column)) throw new FileRefusal({ code: "duplicateColumn", column });
          seen.add(column);
        }
        const missing = REQUIRED_COLUMNS.filter((column) => !seen.has(column));
        if (missing.length > 0) throw new FileRefusal({ code: "missingColumns", columns: missing });
        continue;
      }
      total++;
      if (total > MAX_IMPORT_ROWS) throw new FileRefusal({ code: "tooManyRows", max: MAX_IMPORT_ROWS });
      const checked = checkRow(record.record, columns, startLine, context, firstLineOfEmail);
      if ("problems" in checked) errors.push(checked);
      else rows.push(checked);
    }
  } finally {
    // A refusal half-way stops reading the upload; the feeding loop then ends on the destroyed parser.
    parser.destroy();
    await feed;
  }
  if (!columns) throw new FileRefusal({ code: "empty" });
  return { rows, errors, ignoredColumns, total };
}

/** Waits until the parser wants more input, or has stopped (an error or a refusal destroyed it). */
function drained(parser: ReturnType<typeof parse>): Promise<void> {
  return new Promise((resolve) => {
    if (parser.destroyed) return resolve();
    const done = () => {
      parser.off("drain", done);
      parser.off("close", done);
      resolve();
    };
    parser.on("drain", done);
    parser.on("close", done);
  });
}

/** csv-parse reports the line a record ends on; a quoted field may have carried it over several lines. */
function firstLineOf(fields: string[], endLine: number, previousEnd: number): number {
  const breaks = fields.reduce((sum, field) => sum + countLines(field), 0);
  return Math.max(previousEnd + 1, endLine - breaks);
}

function checkRow(
  fields: string[],
  columns: (ParticipantColumn | null)[],
  line: number,
  context: ParticipantFileContext,
  firstLineOfEmail: Map<string, number>,
): ParticipantRow | RowError {
  const problems: RowProblem[] = [];
  if (fields.length > columns.length && fields.slice(columns.length).some((field) => field !== "")) {
    problems.push({ code: "wrongFieldCount", found: fields.length, expected: columns.length });
  }
  const value: Partial<Record<ParticipantColumn, string>> = {};
  columns.forEach((column, index) => {
    if (column) value[column] = (fields[index] ?? "").trim();
  });
  for (const column of PARTICIPANT_COLUMNS) {
    const cell = value[column];
    if (!cell) continue;
    if (CONTROL_CHARACTERS.test(cell)) problems.push({ code: "controlCharacters", column });
    else if (cell.length > MAX_FIELD_LENGTH) problems.push({ code: "tooLong", column, max: MAX_FIELD_LENGTH });
  }

  const name = value.name ?? "";
  if (!name) problems.push({ code: "missingName" });

  const email = (value.email ?? "").toLowerCase();
  if (!email) problems.push({ code: "missingEmail" });
  else if (!emailSchema.safeParse(email).success) problems.push({ code: "invalidEmail", value: email });
  else {
    const firstLine = firstLineOfEmail.get(email);
    if (firstLine !== undefined) problems.push({ code: "duplicateInFile", firstLine });
    else {
      firstLineOfEmail.set(email, line);
      if (context.existingEmails.has(email)) problems.push({ code: "alreadyInSurvey" });
    }
  }

  let language = context.defaultLanguage;
  if (value.language) {
    const matched = matchLanguage(value.language, context.languages);
    if (matched) language = matched;
    else problems.push({ code: "unknownLanguage", value: value.language });
  }

  const timeZone = value.timeZone || null;
  if (timeZone && !isValidTimeZone(timeZone)) problems.push({ code: "invalidTimeZone", value: timeZone });

  if (problems.length > 0) return { line, problems };
  return {
    line,
    name,
    email,
    language,
    region: value.region || null,
    country: value.country || null,
    unit: value.unit || null,
    timeZone,
  };
}

/** Yields a string as UTF-8 chunks: for tests and for forms posted without a file part. */
export async function* textChunks(text: string | Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
