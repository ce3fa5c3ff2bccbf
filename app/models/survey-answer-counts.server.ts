import type { AnswerCounts } from "~/domain/survey-impact";
import { db } from "~/platform/db.server";

/**
 * How many answers each question, option and matrix row of a survey holds
 * (drafts included: they are what members said too), for the impact report.
 * Three grouped counts and two key look-ups, whatever the number of answers.
 */
export async function countSurveyAnswers(surveyId: string): Promise<AnswerCounts> {
  const where = { question: { surveyId } };
  const [responses, byQuestion, byOption, byRow, questions] = await Promise.all([
    db().response.count({ where: { surveyId } }),
    db().answer.groupBy({ by: ["questionId"], where, _count: { _all: true } }),
    db().answer.groupBy({ by: ["optionId"], where: { ...where, optionId: { not: null } }, _count: { _all: true } }),
    db().answer.groupBy({ by: ["rowId"], where: { ...where, rowId: { not: null } }, _count: { _all: true } }),
    db().question.findMany({ where: { surveyId }, select: { id: true, key: true, options: { select: { id: true, key: true, role: true } } } }),
  ]);
  const questionKeys = new Map(questions.map((question) => [question.id, question.key]));
  const optionKeys = new Map(
    questions.flatMap((question) => question.options.map((option) => [option.id, `${question.key}/${option.role}/${option.key}`] as const)),
  );
  const counts: AnswerCounts = { responses, questions: {}, options: {} };
  for (const row of byQuestion) {
    const key = questionKeys.get(row.questionId);
    if (key) counts.questions[key] = row._count._all;
  }
  for (const row of [...byOption.map((r) => ({ id: r.optionId, n: r._count._all })), ...byRow.map((r) => ({ id: r.rowId, n: r._count._all }))]) {
    const key = row.id ? optionKeys.get(row.id) : undefined;
    if (key) counts.options[key] = (counts.options[key] ?? 0) + row.n;
  }
  return counts;
}
