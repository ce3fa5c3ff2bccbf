import { containsPattern } from "~/domain/search-text";
import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import { viewCondition, type ViewScope } from "~/models/results.server";
import { db } from "~/platform/db.server";

/**
 * Free-text answers of some questions (text questions, and the "please
 * specify" of a choice question's Other) within a results view, a page at a
 * time. Ordered by question, in the order given, then by answer id, a random
 * UUID: neither time nor who answered can be read from the order, which
 * matters for anonymous surveys.
 */
export interface CommentQuery {
  scope: ViewScope;
  /** One or more questions, in the order their comments are listed. */
  questionIds: readonly string[];
  /** Folded words (domain/search-text.ts), all of which must occur. */
  words: readonly string[];
  tag?: string;
  offset: number;
  limit: number;
}

function commentCondition(query: CommentQuery): Prisma.Sql {
  const conditions = [
    viewCondition(query.scope),
    Prisma.sql`a."questionId" IN (${Prisma.join(query.questionIds)})`,
    Prisma.sql`a."textValue" IS NOT NULL AND a."textValue" <> ''`,
  ];
  for (const word of query.words) conditions.push(Prisma.sql`a."searchText" LIKE ${containsPattern(word)} ESCAPE '\\'`);
  if (query.tag) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "CommentTag" t WHERE t."answerId" = a."id" AND t."tag" = ${query.tag})`);
  return Prisma.join(conditions, " AND ");
}

export interface CommentRow {
  id: string;
  questionId: string;
  text: string;
  language: string;
  tags: string[];
}

export async function findComments(query: CommentQuery): Promise<{ total: number; comments: CommentRow[] }> {
  if (query.questionIds.length === 0) return { total: 0, comments: [] };
  const where = commentCondition(query);
  const questionOrder = Prisma.join(
    // The position is a literal integer: PostgreSQL cannot infer a parameter's type in a CASE branch.
    query.questionIds.map((questionId, index) => Prisma.sql`WHEN ${questionId} THEN ${Prisma.raw(String(index))}`),
    " ",
  );
  const [counted] = await db().$queryRaw<
    { n: bigint | number }[]
  >`SELECT COUNT(*) AS n FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE ${where}`;
  const rows = await db().$queryRaw<{ id: string; questionId: string; text: string; language: string }[]>`
    SELECT a."id" AS id, a."questionId" AS "questionId", a."textValue" AS text, r."language" AS language
    FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id"
    WHERE ${where}
    ORDER BY CASE a."questionId" ${questionOrder} END, a."id" LIMIT ${query.limit} OFFSET ${query.offset}`;
  const tags = rows.length
    ? await db().commentTag.findMany({ where: { answerId: { in: rows.map((row) => row.id) } }, orderBy: { tag: "asc" }, select: { answerId: true, tag: true } })
    : [];
  return {
    total: Number(counted?.n ?? 0),
    comments: rows.map((row) => ({ ...row, tags: tags.filter((tag) => tag.answerId === row.id).map((tag) => tag.tag) })),
  };
}

/** Tags in use on these questions' comments, for the tag filter. */
export async function commentTags(questionIds: readonly string[]): Promise<string[]> {
  const rows = await db().commentTag.findMany({
    where: { answer: { questionId: { in: [...questionIds] } } },
    distinct: ["tag"],
    orderBy: { tag: "asc" },
    select: { tag: true },
  });
  return rows.map((row) => row.tag);
}

/** The survey and question an answer belongs to, to check a tag request against the page it came from. */
export function findCommentOwner(answerId: string) {
  return db().answer.findUnique({ where: { id: answerId }, select: { questionId: true, textValue: true, response: { select: { surveyId: true } } } });
}

export async function addCommentTag(answerId: string, tag: string, staffUserId: string): Promise<void> {
  await db().commentTag.upsert({ where: { answerId_tag: { answerId, tag } }, create: { answerId, tag, staffUserId }, update: {} });
}

export async function removeCommentTag(answerId: string, tag: string): Promise<void> {
  await db().commentTag.deleteMany({ where: { answerId, tag } });
}
