import { SEGMENT_DIMENSIONS, type ResultsFilter, type SegmentDimension } from "~/domain/results-filter";
import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import { optionKey, type SurveyStructure } from "~/models/survey-structure.server";
import { databaseProvider, db } from "~/platform/db.server";

/**
 * Every figure on the results page and in exports is counted by the
 * database; no query here returns one row per response except the paged
 * comment list and the export cursor. Two sources, both giving ViewCounts:
 *
 * - maintainedCounts: the unfiltered view of submitted responses, read from
 *   ResultCount, which database triggers keep in the transaction that
 *   changes an answer or a response (migration 20261203133845_result_counts;
 *   docs/architecture.md). A few hundred rows, whatever the survey's size.
 * - countedView: any other view (segment or answer filters, drafts), GROUP BY
 *   over Answer joined to the view's Response rows. On SQLite each query runs
 *   over one slice of response ids at a time (viewSlices): better-sqlite3
 *   answers synchronously, and a slice of ~1,000 responses keeps each query
 *   (and so each pause of the event loop) to tens of milliseconds and its
 *   sort in memory. PostgreSQL answers asynchronously and hash-aggregates:
 *   one query.
 *
 * Counts of the two add up (they are over disjoint sets of responses), so a
 * view with drafts is the maintained submitted counts plus the counted drafts.
 * The SQL is plain enough to run unchanged on SQLite and PostgreSQL
 * (Prisma.sql binds ? or $n per provider); counts come back as bigint on
 * PostgreSQL, hence Number() throughout.
 */

export interface ViewScope {
  surveyId: string;
  structure: SurveyStructure;
  filter: ResultsFilter;
  /** Which statuses to count; by default submitted, and drafts when the filter includes them. */
  statuses?: readonly ("submitted" | "draft")[];
}

const SEGMENT_COLUMN: Record<SegmentDimension, Prisma.Sql> = {
  region: Prisma.raw(`r."region"`),
  language: Prisma.raw(`r."language"`),
  unit: Prisma.raw(`r."unit"`),
  country: Prisma.raw(`r."country"`),
};

function statusCondition(statuses: readonly string[]): Prisma.Sql {
  return statuses.length === 1 ? Prisma.sql`r."status" = ${statuses[0]}` : Prisma.sql`r."status" IN (${Prisma.join(statuses)})`;
}

/** The WHERE clause over `"Response" r` that selects a view's respondents. */
export function viewCondition({ surveyId, structure, filter, statuses }: ViewScope): Prisma.Sql {
  const conditions = [Prisma.sql`r."surveyId" = ${surveyId}`, statusCondition(statuses ?? (filter.includeDrafts ? ["submitted", "draft"] : ["submitted"]))];
  for (const dimension of SEGMENT_DIMENSIONS) {
    const value = filter.segments[dimension];
    if (value !== undefined) conditions.push(Prisma.sql`${SEGMENT_COLUMN[dimension]} = ${value}`);
  }
  if (filter.answer) {
    const questionId = structure.questionIds.get(filter.answer.question) ?? "";
    const optionIds = filter.answer.options.map((option) => structure.optionIds.get(optionKey(filter.answer!.question, "choice", option)) ?? "");
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Answer" f WHERE f."responseId" = r."id" AND f."questionId" = ${questionId} AND f."optionId" IN (${Prisma.join(optionIds)}))`,
    );
  }
  return Prisma.join(conditions, " AND ");
}

/** True when the view is all submitted responses: the one maintainedCounts serves. */
export function isWholeSurvey(filter: ResultsFilter): boolean {
  return !filter.answer && SEGMENT_DIMENSIONS.every((dimension) => filter.segments[dimension] === undefined);
}

/**
 * Slice sizes on SQLite, in responses of the view: counting answers costs
 * about 33 answer rows per response, counting respondents one index entry.
 * Either way one query of a slice stays within tens of milliseconds.
 */
const ANSWERED_PER_SLICE = 1_000;
/** Responses scanned per slice: an answer filter costs an index search for each. */
const SCANNED_PER_SLICE = 5_000;
const MAX_SLICES = 256;

/**
 * Conditions that split a survey's responses by id into `slices` slices
 * (ids are random UUIDs, so even ranges of their first four hex digits hold
 * about as many each); the first and last are open, so every id falls into
 * exactly one. One slice on PostgreSQL.
 */
function viewSlices(responses: number, perSlice: number): Prisma.Sql[] {
  if (databaseProvider() === "postgresql") return [Prisma.sql`1 = 1`];
  const slices = Math.min(MAX_SLICES, Math.max(1, Math.ceil(responses / perSlice)));
  const bounds = Array.from({ length: slices - 1 }, (_, index) =>
    Math.floor(((index + 1) * 0x10000) / slices)
      .toString(16)
      .padStart(4, "0"),
  );
  return Array.from({ length: slices }, (_, index) => {
    const conditions = [];
    if (index > 0) conditions.push(Prisma.sql`r."id" >= ${bounds[index - 1]}`);
    if (index < slices - 1) conditions.push(Prisma.sql`r."id" < ${bounds[index]}`);
    return conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`1 = 1`;
  });
}

async function submittedCount(surveyId: string): Promise<number> {
  const [row] = await db().$queryRaw<{ n: bigint | number }[]>`
    SELECT "count" AS n FROM "ResultCount" WHERE "surveyId" = ${surveyId} AND "questionId" = '' AND "rowId" = '' AND "optionId" = '' AND "value" = 0`;
  return Number(row?.n ?? 0);
}

export async function countView(scope: ViewScope): Promise<number> {
  if (isWholeSurvey(scope.filter) && !scope.filter.includeDrafts && !scope.statuses) return submittedCount(scope.surveyId);
  // Sized by the submitted responses (one primary-key read); drafts are usually a minority.
  let total = 0;
  for (const slice of viewSlices(await submittedCount(scope.surveyId), SCANNED_PER_SLICE)) {
    const [row] = await db().$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS n FROM "Response" r WHERE ${viewCondition(scope)} AND ${slice}`;
    total += Number(row?.n ?? 0);
  }
  return total;
}

/**
 * What a view's results are computed from. Cells are answer rows per
 * question, matrix row and option: a chosen option is one row per
 * respondent, so for single, likert and matrix questions this is the number
 * of people; for text and number questions (no option) the number who
 * answered.
 */
export interface ViewCounts {
  size: number;
  /** cellKey(questionId, rowId, optionId) → answer rows. */
  cells: Map<string, number>;
  /** People with at least one answer row, for the questions asked for (multiple choice, matrices). */
  respondents: Map<string, number>;
  /** Number questions: value → how many gave it. */
  numbers: Map<string, Map<number, number>>;
}

export function cellKey(questionId: string, rowId: string | null | undefined, optionId: string | null | undefined): string {
  return `${questionId}|${rowId ?? ""}|${optionId ?? ""}`;
}

export function emptyCounts(): ViewCounts {
  return { size: 0, cells: new Map(), respondents: new Map(), numbers: new Map() };
}

function add<K>(map: Map<K, number>, key: K, count: number): void {
  map.set(key, (map.get(key) ?? 0) + count);
}

/** Adds the counts of a disjoint set of responses (the drafts to the submitted). */
export function addCounts(into: ViewCounts, from: ViewCounts): ViewCounts {
  into.size += from.size;
  for (const [key, count] of from.cells) add(into.cells, key, count);
  for (const [key, count] of from.respondents) add(into.respondents, key, count);
  for (const [question, values] of from.numbers) {
    const target = into.numbers.get(question) ?? into.numbers.set(question, new Map()).get(question)!;
    for (const [value, count] of values) add(target, value, count);
  }
  return into;
}

type CountRow = { questionId: string; rowId: string; optionId: string; value: number; n: bigint | number };

/** The submitted responses of a survey, from the maintained counts (see ResultCount in prisma/schema.prisma). */
export async function maintainedCounts(surveyId: string): Promise<ViewCounts> {
  const rows = await db().$queryRaw<CountRow[]>`
    SELECT "questionId" AS "questionId", "rowId" AS "rowId", "optionId" AS "optionId", "value" AS value, "count" AS n
    FROM "ResultCount" WHERE "surveyId" = ${surveyId} AND "count" <> 0`;
  const counts = emptyCounts();
  for (const row of rows) {
    const count = Number(row.n);
    if (row.questionId === "") {
      if (row.rowId === "" && row.optionId === "") counts.size = count;
    } else if (row.optionId === "*" && row.rowId === "") counts.respondents.set(row.questionId, count);
    else if (row.optionId === "#" && row.rowId === "") {
      const values = counts.numbers.get(row.questionId) ?? counts.numbers.set(row.questionId, new Map()).get(row.questionId)!;
      values.set(Number(row.value), count);
    } else counts.cells.set(cellKey(row.questionId, row.rowId, row.optionId), count);
  }
  return counts;
}

/**
 * Any view, counted from the answers: cells, people per question for
 * `multiRow` questions (several answer rows each: "answered" needs
 * COUNT(DISTINCT)) and the values of `numberQuestions`.
 */
export async function countedView(scope: ViewScope, multiRow: readonly string[], numberQuestions: readonly string[]): Promise<ViewCounts> {
  const counts = emptyCounts();
  counts.size = await countView(scope);
  const view = viewCondition(scope);
  // Slices sized by the answers counted and by the responses scanned (ids of the whole survey).
  const scanned = await submittedCount(scope.surveyId);
  const slices = Math.max(Math.ceil(counts.size / ANSWERED_PER_SLICE), Math.ceil(scanned / SCANNED_PER_SLICE / 2));
  for (const slice of viewSlices(slices, 1)) {
    const cells = await db().$queryRaw<{ questionId: string; rowId: string | null; optionId: string | null; n: bigint | number }[]>`
      SELECT a."questionId" AS "questionId", a."rowId" AS "rowId", a."optionId" AS "optionId", COUNT(*) AS n
      FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id"
      WHERE ${view} AND ${slice}
      GROUP BY a."questionId", a."rowId", a."optionId"`;
    for (const row of cells) add(counts.cells, cellKey(row.questionId, row.rowId, row.optionId), Number(row.n));
    if (multiRow.length > 0) {
      const people = await db().$queryRaw<{ questionId: string; n: bigint | number }[]>`
        SELECT a."questionId" AS "questionId", COUNT(DISTINCT a."responseId") AS n
        FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id"
        WHERE ${view} AND ${slice} AND a."questionId" IN (${Prisma.join(multiRow)})
        GROUP BY a."questionId"`;
      for (const row of people) add(counts.respondents, row.questionId, Number(row.n));
    }
    if (numberQuestions.length > 0) {
      const values = await db().$queryRaw<{ questionId: string; v: number; n: bigint | number }[]>`
        SELECT a."questionId" AS "questionId", a."numberValue" AS v, COUNT(*) AS n
        FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id"
        WHERE ${view} AND ${slice} AND a."questionId" IN (${Prisma.join(numberQuestions)}) AND a."numberValue" IS NOT NULL
        GROUP BY a."questionId", a."numberValue"`;
      for (const row of values) {
        const map = counts.numbers.get(row.questionId) ?? counts.numbers.set(row.questionId, new Map()).get(row.questionId)!;
        add(map, Number(row.v), Number(row.n));
      }
    }
  }
  return counts;
}

export type SegmentCounts = Record<SegmentDimension, { value: string; count: number }[]>;

/** Respondents per value of each segment in the unfiltered view: what the filter menus offer. */
export async function segmentValueCounts(surveyId: string, includeDrafts: boolean): Promise<SegmentCounts> {
  const totals = new Map<string, number>();
  const maintained = await db().$queryRaw<{ dimension: string; value: string; n: bigint | number }[]>`
    SELECT "rowId" AS dimension, "optionId" AS value, "count" AS n FROM "ResultCount"
    WHERE "surveyId" = ${surveyId} AND "questionId" = '' AND "rowId" <> '' AND "count" <> 0`;
  for (const row of maintained) add(totals, `${row.dimension}|${row.value}`, Number(row.n));
  if (includeDrafts) {
    for (const dimension of SEGMENT_DIMENSIONS) {
      const rows = await db().$queryRaw<{ value: string; n: bigint | number }[]>`
        SELECT ${SEGMENT_COLUMN[dimension]} AS value, COUNT(*) AS n FROM "Response" r
        WHERE r."surveyId" = ${surveyId} AND r."status" = 'draft' AND ${SEGMENT_COLUMN[dimension]} IS NOT NULL
        GROUP BY ${SEGMENT_COLUMN[dimension]}`;
      for (const row of rows) add(totals, `${dimension}|${row.value}`, Number(row.n));
    }
  }
  const result = {} as SegmentCounts;
  for (const dimension of SEGMENT_DIMENSIONS) result[dimension] = [];
  for (const [key, count] of totals) {
    const split = key.indexOf("|");
    const dimension = key.slice(0, split) as SegmentDimension;
    if (count > 0 && result[dimension]) result[dimension].push({ value: key.slice(split + 1), count });
  }
  for (const dimension of SEGMENT_DIMENSIONS) result[dimension].sort((a, b) => a.value.localeCompare(b.value));
  return result;
}

/**
 * Changes whenever anything counted in the survey's views could have
 * changed. Submitted responses: the "changes" row of the maintained counts,
 * which every trigger bumps (one primary-key read). Views with drafts also
 * depend on the drafts: their number and the newest change (from indexes).
 */
export async function resultsVersion(surveyId: string, includeDrafts = true): Promise<string> {
  const [changes] = await db().$queryRaw<{ n: bigint | number }[]>`
    SELECT "count" AS n FROM "ResultCount" WHERE "surveyId" = ${surveyId} AND "questionId" = '' AND "rowId" = '' AND "optionId" = '~' AND "value" = 0`;
  if (!includeDrafts) return String(Number(changes?.n ?? 0));
  const [[drafts], latest] = await Promise.all([
    db().$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS n FROM "Response" WHERE "surveyId" = ${surveyId} AND "status" = 'draft'`,
    db().response.findFirst({ where: { surveyId }, orderBy: { updatedAt: "desc" }, select: { updatedAt: true } }),
  ]);
  return `${Number(changes?.n ?? 0)}|${Number(drafts?.n ?? 0)}|${latest?.updatedAt.toISOString() ?? ""}`;
}
