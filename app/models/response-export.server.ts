import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import { viewCondition, type ViewScope } from "~/models/results.server";
import { db, openBulkReader } from "~/platform/db.server";

export interface ExportedAnswer {
  questionId: string;
  optionId: string | null;
  rowId: string | null;
  textValue: string | null;
  numberValue: number | null;
}

export interface ExportedResponse {
  id: string;
  status: string;
  language: string;
  region: string | null;
  country: string | null;
  unit: string | null;
  submittedAt: Date | string | null;
  name: string | null;
  email: string | null;
  answers: ExportedAnswer[];
}

/**
 * The responses of a view in id order, a page at a time with their answers:
 * an export holds one page in memory whatever the survey's size. Read through
 * a bulk reader (rows as arrays, past the ORM's row mapping). Two queries per
 * page, both walking indexes in id order: the page's responses
 * (keyset: after the last id of the previous page), then all their answers
 * in one join over the same id range, in response order (the order of a
 * response's own answers is left to the database: sorting them costs a fifth
 * of the query). Participant
 * name and email come along only when asked for (confidential surveys);
 * anonymous responses have no participant to join.
 */
export async function* responsePages(scope: ViewScope, options: { withParticipant: boolean; pageSize?: number }): AsyncGenerator<ExportedResponse[]> {
  const pageSize = options.pageSize ?? 1_000;
  const view = viewCondition(scope);
  const reader = await openBulkReader();
  try {
    let after = "";
    for (;;) {
      const rows = (await reader.rows(Prisma.sql`
        SELECT r."id", r."status", r."language", r."region", r."country", r."unit", r."submittedAt",
          ${options.withParticipant ? Prisma.sql`p."name"` : Prisma.sql`NULL`}, ${options.withParticipant ? Prisma.sql`p."email"` : Prisma.sql`NULL`}
        FROM "Response" r LEFT JOIN "Participant" p ON p."id" = r."participantId"
        WHERE ${view} AND r."id" > ${after}
        ORDER BY r."id" LIMIT ${pageSize}`)) as ResponseRow[];
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]![0];
      const answers = (await reader.rows(Prisma.sql`
        SELECT a."responseId", a."questionId", a."optionId", a."rowId", a."textValue", a."numberValue"
        FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id"
        WHERE ${view} AND r."id" > ${after} AND r."id" <= ${last}
        ORDER BY r."id"`)) as AnswerRow[];
      after = last;
      // Both lists are in response id order: walk them side by side.
      let next = 0;
      yield rows.map(([id, status, language, region, country, unit, submittedAt, name, email]) => {
        const own: ExportedAnswer[] = [];
        while (next < answers.length && answers[next]![0] === id) {
          const [, questionId, optionId, rowId, textValue, numberValue] = answers[next++]!;
          own.push({ questionId, optionId, rowId, textValue, numberValue: numberValue === null ? null : Number(numberValue) });
        }
        return { id, status, language, region, country, unit, submittedAt, name, email, answers: own };
      });
    }
  } finally {
    await reader.close();
  }
}

type ResponseRow = [string, string, string, string | null, string | null, string | null, Date | string | null, string | null, string | null];
type AnswerRow = [string, string, string | null, string | null, string | null, number | null];

/** Respondents per segment value in a view, to blank rare values in anonymous exports. */
export async function segmentCountsInView(scope: ViewScope, column: "region" | "country" | "unit" | "language"): Promise<Map<string, number>> {
  const rows = await db().$queryRaw<{ value: string | null; n: bigint | number }[]>`
    SELECT r.${Prisma.raw(`"${column}"`)} AS value, COUNT(*) AS n FROM "Response" r WHERE ${viewCondition(scope)} GROUP BY r.${Prisma.raw(`"${column}"`)}`;
  return new Map(rows.map((row) => [row.value ?? "", Number(row.n)]));
}
