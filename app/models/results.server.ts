import { SEGMENT_DIMENSIONS, type ResultsFilter, type SegmentDimension } from "~/domain/results-filter";
import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import { optionKey, type SurveyStructure } from "~/models/survey-structure.server";
import { db } from "~/platform/db.server";

/**
 * Every figure on the results page and in exports is counted by the
 * database: GROUP BY over Answer joined to the Response rows of a view. No
 * query here returns one row per response except the paged comment list and
 * the export cursor. The SQL is plain enough to run unchanged on SQLite and
 * PostgreSQL (Prisma.sql binds ? or $n per provider); counts come back as
 * bigint on PostgreSQL, hence Number() throughout.
 *
 * Query plan on SQLite for answerCounts (bench/results.ts data: 100,000
 * responses, 3.3 million answer rows):
 *   SEARCH r USING COVERING INDEX Response_surveyId_status_id_idx (surveyId=? AND status=?)
 *   SEARCH a USING COVERING INDEX Answer_responseId_questionId_rowId_optionId_idx (responseId=?)
 *   USE TEMP B-TREE FOR GROUP BY
 * Both tables are read from indexes only (the join alone takes ~0.3 s), but
 * SQLite groups by sorting, and sorting 3.3 million rows takes seconds:
 * hence the results cache in features/results/counts.server.ts.
 */

export interface ViewScope {
  surveyId: string;
  structure: SurveyStructure;
  filter: ResultsFilter;
}

const SEGMENT_COLUMN: Record<SegmentDimension, Prisma.Sql> = {
  region: Prisma.raw(`r."region"`),
  language: Prisma.raw(`r."language"`),
  unit: Prisma.raw(`r."unit"`),
  country: Prisma.raw(`r."country"`),
};

/** The WHERE clause over `"Response" r` that selects a view's respondents. */
export function viewCondition({ surveyId, structure, filter }: ViewScope): Prisma.Sql {
  const conditions = [
    Prisma.sql`r."surveyId" = ${surveyId}`,
    filter.includeDrafts ? Prisma.sql`r."status" IN ('submitted', 'draft')` : Prisma.sql`r."status" = 'submitted'`,
  ];
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

export async function countView(scope: ViewScope): Promise<number> {
  const [row] = await db().$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS n FROM "Response" r WHERE ${viewCondition(scope)}`;
  return Number(row?.n ?? 0);
}

export interface AnswerCount {
  questionId: string;
  rowId: string | null;
  optionId: string | null;
  count: number;
}

/**
 * Answer rows per question, matrix row and option. A chosen option is one
 * row per respondent, so for single, likert and matrix questions this is the
 * number of people; for text and number questions (no option) it is the
 * number who answered.
 */
export async function answerCounts(scope: ViewScope): Promise<AnswerCount[]> {
  const rows = await db().$queryRaw<{ questionId: string; rowId: string | null; optionId: string | null; n: bigint | number }[]>`
    SELECT a."questionId" AS "questionId", a."rowId" AS "rowId", a."optionId" AS "optionId", COUNT(*) AS n
    FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id"
    WHERE ${viewCondition(scope)}
    GROUP BY a."questionId", a."rowId", a."optionId"`;
  return rows.map((row) => ({ questionId: row.questionId, rowId: row.rowId, optionId: row.optionId, count: Number(row.n) }));
}

/** People who picked at least one option, for multiple-choice questions (several answer rows each). */
export async function respondentsPerQuestion(scope: ViewScope, questionIds: readonly string[]): Promise<Map<string, number>> {
  if (questionIds.length === 0) return new Map();
  const rows = await db().$queryRaw<{ questionId: string; n: bigint | number }[]>`
    SELECT a."questionId" AS "questionId", COUNT(DISTINCT a."responseId") AS n
    FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id"
    WHERE ${viewCondition(scope)} AND a."questionId" IN (${Prisma.join(questionIds)})
    GROUP BY a."questionId"`;
  return new Map(rows.map((row) => [row.questionId, Number(row.n)]));
}

export interface NumberSummary {
  count: number;
  mean: number | null;
  median: number | null;
  low: number | null;
  high: number | null;
}

export async function numberSummary(scope: ViewScope, questionId: string): Promise<NumberSummary> {
  const numbers = Prisma.sql`FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id"
    WHERE ${viewCondition(scope)} AND a."questionId" = ${questionId} AND a."numberValue" IS NOT NULL`;
  const [stats] = await db().$queryRaw<{ n: bigint | number; mean: number | string | null; low: number | null; high: number | null }[]>`
    SELECT COUNT(*) AS n, AVG(a."numberValue") AS mean, MIN(a."numberValue") AS low, MAX(a."numberValue") AS high ${numbers}`;
  const count = Number(stats?.n ?? 0);
  if (count === 0) return { count, mean: null, median: null, low: null, high: null };
  // The middle value, or the mean of the two middle values.
  const middle = await db().$queryRaw<{ v: number }[]>`
    SELECT a."numberValue" AS v ${numbers} ORDER BY a."numberValue" LIMIT ${2 - (count % 2)} OFFSET ${Math.floor((count - 1) / 2)}`;
  const median = middle.reduce((sum, row) => sum + Number(row.v), 0) / middle.length;
  return { count, mean: Number(stats!.mean), median, low: Number(stats!.low), high: Number(stats!.high) };
}

/** How many answers fall into each [edges[i], edges[i + 1]) bucket; the last bucket includes its upper edge. */
export async function numberBuckets(scope: ViewScope, questionId: string, edges: readonly number[]): Promise<number[]> {
  const cases = edges.slice(1, -1).map((edge, index) => Prisma.sql`WHEN a."numberValue" < ${edge} THEN ${index}`);
  const bucket = cases.length ? Prisma.sql`CASE ${Prisma.join(cases, " ")} ELSE ${edges.length - 2} END` : Prisma.sql`0`;
  const rows = await db().$queryRaw<{ b: bigint | number; n: bigint | number }[]>`
    SELECT ${bucket} AS b, COUNT(*) AS n
    FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id"
    WHERE ${viewCondition(scope)} AND a."questionId" = ${questionId} AND a."numberValue" IS NOT NULL
    GROUP BY b`;
  const counts = new Array<number>(Math.max(edges.length - 1, 1)).fill(0);
  for (const row of rows) counts[Number(row.b)] = Number(row.n);
  return counts;
}

/** Respondents per value of each segment in the unfiltered view: what the filter menus offer. */
export async function segmentValueCounts(surveyId: string, includeDrafts: boolean): Promise<Record<SegmentDimension, { value: string; count: number }[]>> {
  const status = includeDrafts ? Prisma.sql`r."status" IN ('submitted', 'draft')` : Prisma.sql`r."status" = 'submitted'`;
  const result = {} as Record<SegmentDimension, { value: string; count: number }[]>;
  for (const dimension of SEGMENT_DIMENSIONS) {
    const rows = await db().$queryRaw<{ value: string; n: bigint | number }[]>`
      SELECT ${SEGMENT_COLUMN[dimension]} AS value, COUNT(*) AS n FROM "Response" r
      WHERE r."surveyId" = ${surveyId} AND ${status} AND ${SEGMENT_COLUMN[dimension]} IS NOT NULL
      GROUP BY ${SEGMENT_COLUMN[dimension]}`;
    result[dimension] = rows.map((row) => ({ value: row.value, count: Number(row.n) })).sort((a, b) => a.value.localeCompare(b.value));
  }
  return result;
}

/**
 * Changes whenever anything counted could have changed: a response started,
 * saved, submitted or deleted. Both parts are read from indexes. Anonymous
 * submissions set updatedAt back to the day, which the per-status counts
 * catch.
 */
export async function resultsVersion(surveyId: string): Promise<string> {
  const [statuses, latest] = await Promise.all([
    db().$queryRaw<{ status: string; n: bigint | number }[]>`SELECT "status", COUNT(*) AS n FROM "Response" WHERE "surveyId" = ${surveyId} GROUP BY "status"`,
    db().response.findFirst({ where: { surveyId }, orderBy: { updatedAt: "desc" }, select: { updatedAt: true } }),
  ]);
  const counts = statuses
    .map((row) => `${row.status}=${Number(row.n)}`)
    .sort()
    .join(",");
  return `${counts}|${latest?.updatedAt.toISOString() ?? ""}`;
}
