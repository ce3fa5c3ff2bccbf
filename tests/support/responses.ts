// Writes synthetic responses straight into a test or benchmark database, a
// hundred thousand at a time: rows go in with the database driver (prepared
// statements in one transaction on SQLite, multi-row INSERTs on PostgreSQL),
// shaped exactly as the app writes them (models/response.server.ts).
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { foldForSearch } from "~/domain/search-text";
import { isPostgresUrl } from "~/platform/database-url";
import { optionKey, type SurveyStructure } from "~/models/survey-structure.server";
import type { SyntheticResponse } from "../../prisma/synthetic";

type Row = (string | number | null)[];

const RESPONSE_COLUMNS = [
  "id",
  "surveyId",
  "participantId",
  "status",
  "language",
  "region",
  "country",
  "unit",
  "savedSections",
  "startedAt",
  "updatedAt",
  "submittedAt",
];
const ANSWER_COLUMNS = ["id", "responseId", "questionId", "optionId", "rowId", "textValue", "searchText", "numberValue"];
const PARTICIPANT_COLUMNS = ["id", "surveyId", "name", "email", "language", "region", "country", "unit", "respondedAt", "createdAt", "updatedAt"];

interface Writer {
  insert(table: string, columns: string[], rows: Row[]): Promise<void>;
  close(): Promise<void>;
  /** How this database stores a DateTime. */
  time(date: Date): string;
}

function sqliteWriter(url: string): Writer {
  const database = new Database(url.slice("file:".length));
  database.pragma("journal_mode = WAL");
  const statements = new Map<string, Database.Statement>();
  return {
    async insert(table, columns, rows) {
      const key = `${table}:${columns.join(",")}`;
      let statement = statements.get(key);
      if (!statement) {
        statement = database.prepare(
          `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        );
        statements.set(key, statement);
      }
      const run = statement;
      database.transaction(() => rows.forEach((row) => run.run(row)))();
    },
    async close() {
      database.close();
    },
    // Prisma's SQLite adapter keeps DateTime as fixed-width ISO text with an explicit offset.
    time: (date) => date.toISOString().replace("Z", "+00:00"),
  };
}

function postgresWriter(url: string): Writer {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  return {
    async insert(table, columns, rows) {
      // PostgreSQL takes at most 65,535 parameters per statement.
      const perStatement = Math.floor(60_000 / columns.length);
      for (let start = 0; start < rows.length; start += perStatement) {
        const chunk = rows.slice(start, start + perStatement);
        const values = chunk.map((_, rowIndex) => `(${columns.map((__, columnIndex) => `$${rowIndex * columns.length + columnIndex + 1}`).join(", ")})`);
        await pool.query(`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES ${values.join(", ")}`, chunk.flat());
      }
    },
    close: () => pool.end(),
    time: (date) => date.toISOString(),
  };
}

export interface InsertOptions {
  /** Create a participant per response (confidential surveys link them; anonymous ones do not). */
  mode: "confidential" | "anonymous";
  /** Submission times spread over the days before this. */
  now?: Date;
  batch?: number;
}

/** Inserts the responses and returns how many answer rows were written. */
export async function insertSyntheticResponses(
  databaseUrl: string,
  structure: SurveyStructure,
  responses: Iterable<SyntheticResponse>,
  options: InsertOptions,
): Promise<number> {
  const writer = isPostgresUrl(databaseUrl) ? postgresWriter(databaseUrl) : sqliteWriter(databaseUrl);
  const now = options.now ?? new Date();
  const batch = options.batch ?? 2_000;
  let participants: Row[] = [];
  let responseRows: Row[] = [];
  let answerRows: Row[] = [];
  let answersWritten = 0;
  let index = 0;
  const flush = async () => {
    if (participants.length) await writer.insert("Participant", PARTICIPANT_COLUMNS, participants);
    await writer.insert("Response", RESPONSE_COLUMNS, responseRows);
    await writer.insert("Answer", ANSWER_COLUMNS, answerRows);
    answersWritten += answerRows.length;
    participants = [];
    responseRows = [];
    answerRows = [];
  };
  try {
    for (const response of responses) {
      index++;
      const at = new Date(now.getTime() - (index % 30) * 86_400_000 - (index % 86_400) * 1000);
      const stamp = writer.time(options.mode === "anonymous" ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())) : at);
      const submitted = response.status === "submitted";
      const responseId = randomUUID();
      let participantId: string | null = null;
      if (options.mode === "confidential") {
        participantId = randomUUID();
        participants.push([
          participantId,
          structure.surveyId,
          `Respondent ${index}`,
          `respondent${index}.${responseId.slice(0, 8)}@members.example`,
          response.language,
          response.region,
          response.country,
          response.unit,
          submitted ? stamp : null,
          stamp,
          stamp,
        ]);
      }
      responseRows.push([
        responseId,
        structure.surveyId,
        participantId,
        response.status,
        response.language,
        response.region,
        response.country,
        response.unit,
        "",
        stamp,
        stamp,
        submitted ? stamp : null,
      ]);
      for (const answer of response.answers) {
        answerRows.push([
          randomUUID(),
          responseId,
          structure.questionIds.get(answer.question)!,
          answer.option === undefined ? null : structure.optionIds.get(optionKey(answer.question, "choice", answer.option))!,
          answer.row === undefined ? null : structure.optionIds.get(optionKey(answer.question, "row", answer.row))!,
          answer.text ?? null,
          answer.text === undefined ? null : foldForSearch(answer.text),
          answer.number ?? null,
        ]);
      }
      if (responseRows.length >= batch) await flush();
    }
    if (responseRows.length) await flush();
  } finally {
    await writer.close();
  }
  return answersWritten;
}
