import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import { viewCondition, type ViewScope } from "~/models/results.server";
import { db } from "~/platform/db.server";

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
  answers: { questionId: string; optionId: string | null; rowId: string | null; textValue: string | null; numberValue: number | null }[];
}

/**
 * The responses of a view in id order, a page at a time with their answers:
 * an export holds one page in memory whatever the survey's size.
 * Participant name and email come along only when asked for (confidential
 * surveys); anonymous responses have no participant to join.
 */
export async function* responsePages(scope: ViewScope, options: { withParticipant: boolean; pageSize?: number }): AsyncGenerator<ExportedResponse[]> {
  const pageSize = options.pageSize ?? 500;
  let after = "";
  for (;;) {
    const rows = await db().$queryRaw<Omit<ExportedResponse, "answers">[]>`
      SELECT r."id" AS id, r."status" AS status, r."language" AS language, r."region" AS region, r."country" AS country, r."unit" AS unit,
        r."submittedAt" AS "submittedAt", ${options.withParticipant ? Prisma.sql`p."name"` : Prisma.sql`NULL`} AS name,
        ${options.withParticipant ? Prisma.sql`p."email"` : Prisma.sql`NULL`} AS email
      FROM "Response" r LEFT JOIN "Participant" p ON p."id" = r."participantId"
      WHERE ${viewCondition(scope)} AND r."id" > ${after}
      ORDER BY r."id" LIMIT ${pageSize}`;
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    const answers = await db().answer.findMany({
      where: { responseId: { in: rows.map((row) => row.id) } },
      select: { responseId: true, questionId: true, optionId: true, rowId: true, textValue: true, numberValue: true },
    });
    const byResponse = new Map<string, ExportedResponse["answers"]>();
    for (const answer of answers) {
      const list = byResponse.get(answer.responseId) ?? [];
      list.push(answer);
      byResponse.set(answer.responseId, list);
    }
    yield rows.map((row) => ({ ...row, answers: byResponse.get(row.id) ?? [] }));
  }
}

/** Respondents per segment value in a view, to blank rare values in anonymous exports. */
export async function segmentCountsInView(scope: ViewScope, column: "region" | "country" | "unit" | "language"): Promise<Map<string, number>> {
  const rows = await db().$queryRaw<{ value: string | null; n: bigint | number }[]>`
    SELECT r.${Prisma.raw(`"${column}"`)} AS value, COUNT(*) AS n FROM "Response" r WHERE ${viewCondition(scope)} GROUP BY r.${Prisma.raw(`"${column}"`)}`;
  return new Map(rows.map((row) => [row.value ?? "", Number(row.n)]));
}
