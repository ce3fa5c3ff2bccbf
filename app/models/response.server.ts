import { hiddenQuestionKeys, type AnswerValue } from "~/domain/answers";
import { foldForSearch } from "~/domain/search-text";
import { optionKey, type SurveyStructure } from "~/models/survey-structure.server";
import type { queueEmail } from "~/platform/outbox.server";
import { db } from "~/platform/db.server";
import { insertRows, isUniqueViolation } from "~/models/database.server";
import { Prisma } from "~/generated/prisma-sqlite/client.ts";

/**
 * Responses and their answers. A confidential response is found through its
 * participant; an anonymous draft only through resumeKeyHash, which is
 * derived from the raw token the respondent holds and erased at submit.
 */
export interface ResponseOwner {
  surveyId: string;
  mode: string;
  participant: { id: string; region: string | null; country: string | null; unit: string | null };
  resumeKey: string;
}

export interface ResponseState {
  id: string;
  status: string;
  savedSections: string[];
}

const responseSelect = { id: true, status: true, savedSections: true } as const;

type ResponseRow = { id: string; status: string; savedSections: string };

function toState(row: ResponseRow): ResponseState {
  return { id: row.id, status: row.status, savedSections: row.savedSections ? row.savedSections.split(",") : [] };
}

/**
 * The respondent's response, if any. This and loadAnswers run on every
 * respondent page, so they are written as SQL (the same on SQLite and
 * PostgreSQL): the query builder's own work was about 100 µs a call, twice
 * the query's.
 */
export async function findResponse(owner: ResponseOwner): Promise<ResponseState | null> {
  const rows =
    owner.mode === "anonymous"
      ? await db().$queryRaw<ResponseRow[]>`SELECT "id", "status", "savedSections" FROM "Response" WHERE "resumeKeyHash" = ${owner.resumeKey}`
      : await db().$queryRaw<ResponseRow[]>`SELECT "id", "status", "savedSections" FROM "Response" WHERE "participantId" = ${owner.participant.id}`;
  return rows[0] ? toState(rows[0]) : null;
}

/** The new draft's row, segments copied from the participant (see README, Privacy). */
function draftRow(owner: ResponseOwner, language: string) {
  const anonymous = owner.mode === "anonymous";
  return {
    surveyId: owner.surveyId,
    language,
    region: owner.participant.region,
    // Country is left out of anonymous responses: in a small country it
    // could point to a handful of people.
    country: anonymous ? null : owner.participant.country,
    unit: owner.participant.unit,
    participantId: anonymous ? null : owner.participant.id,
    resumeKeyHash: anonymous ? owner.resumeKey : null,
  };
}

/** Creates the draft if it is not there yet; concurrent first saves (two tabs) meet on the unique key. */
async function ensureResponse(owner: ResponseOwner, language: string): Promise<ResponseState> {
  const create = draftRow(owner, language);
  const row =
    owner.mode === "anonymous"
      ? await db().response.upsert({ where: { resumeKeyHash: owner.resumeKey }, create, update: {}, select: responseSelect })
      : await db().response.upsert({ where: { participantId: owner.participant.id }, create, update: {}, select: responseSelect });
  return toState(row);
}

export async function loadAnswers(responseId: string, structure: SurveyStructure): Promise<AnswerValue[]> {
  const rows = await db().$queryRaw<
    { questionId: string; optionId: string | null; rowId: string | null; textValue: string | null; numberValue: number | null }[]
  >`SELECT "questionId", "optionId", "rowId", "textValue", "numberValue" FROM "Answer" WHERE "responseId" = ${responseId}`;
  const answers: AnswerValue[] = [];
  for (const row of rows) {
    const question = structure.questionsById.get(row.questionId);
    if (!question) continue;
    answers.push({
      question,
      option: row.optionId ? structure.optionsById.get(row.optionId)?.key : undefined,
      row: row.rowId ? structure.optionsById.get(row.rowId)?.key : undefined,
      text: row.textValue ?? undefined,
      number: row.numberValue ?? undefined,
    });
  }
  return answers;
}

/**
 * Replaces the answers of one section in a single transaction: a crash
 * leaves either the old answers or the new ones, never half of each.
 */
export async function saveSectionAnswers(
  owner: ResponseOwner,
  structure: SurveyStructure,
  sectionKey: string,
  answers: readonly AnswerValue[],
  language: string,
  existing: ResponseState | null,
): Promise<ResponseState> {
  const section = structure.sections.find((candidate) => candidate.key === sectionKey);
  if (!section) throw new Error(`unknown section ${sectionKey}`);
  if (!existing) {
    // The first save creates the draft and its answers in one transaction:
    // one lock and one commit instead of two, which is what most of a
    // consultation's opening rush is made of.
    const id = crypto.randomUUID();
    const draft = draftRow(owner, language);
    const now = new Date();
    try {
      await db().$transaction([
        db().$executeRaw(
          insertRows(
            "Response",
            ["id", "surveyId", "language", "region", "country", "unit", "participantId", "resumeKeyHash", "status", "savedSections", "startedAt", "updatedAt"],
            [
              [
                id,
                draft.surveyId,
                draft.language,
                draft.region,
                draft.country,
                draft.unit,
                draft.participantId,
                draft.resumeKeyHash,
                "draft",
                sectionKey,
                now,
                now,
              ],
            ],
          ),
        ),
        ...insertAnswers(id, structure, answers),
      ]);
      return { id, status: "draft", savedSections: [sectionKey] };
    } catch (error) {
      // Another tab created the draft meanwhile: save into that one.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  const response = existing ?? (await ensureResponse(owner, language));
  const questionIds = section.questions.map((question) => structure.questionIds.get(question.key)!);
  const saved = response.savedSections.includes(sectionKey) ? response.savedSections : [...response.savedSections, sectionKey];
  // Every save of a page runs these: written as SQL (the same on SQLite and PostgreSQL), as the query
  // builder's own work on them was about three times the statements'.
  await db().$transaction([
    db().$executeRaw`DELETE FROM "Answer" WHERE "responseId" = ${response.id} AND "questionId" IN (${Prisma.join(questionIds)})`,
    ...insertAnswers(response.id, structure, answers),
    recordSave(response.id, sectionKey, language, new Date()),
  ]);
  return { ...response, savedSections: saved };
}

/** The answers' rows in one INSERT (none when there are no answers). */
function insertAnswers(responseId: string, structure: SurveyStructure, answers: readonly AnswerValue[]) {
  if (answers.length === 0) return [];
  const rows = answers.map((answer) => {
    const row = answerRow(responseId, structure, answer);
    return [
      crypto.randomUUID(),
      row.responseId,
      row.questionId,
      row.optionId ?? null,
      row.rowId ?? null,
      row.textValue ?? null,
      row.searchText ?? null,
      row.numberValue ?? null,
    ];
  });
  return [db().$executeRaw(insertRows("Answer", ["id", "responseId", "questionId", "optionId", "rowId", "textValue", "searchText", "numberValue"], rows))];
}

/**
 * The response's language and time of change, and the section added to its
 * saved list in the database itself: two tabs saving different sections at
 * once each read the list before the other's save, and writing back what
 * they read would drop one. LIKE needs `_` (common in section keys) escaped.
 */
function recordSave(responseId: string, sectionKey: string, language: string, now: Date) {
  const pattern = `%,${sectionKey.replace(/[\\%_]/g, (character) => `\\${character}`)},%`;
  return db().$executeRaw`
    UPDATE "Response" SET "language" = ${language}, "updatedAt" = ${now}, "savedSections" = CASE
      WHEN "savedSections" = '' THEN ${sectionKey}
      WHEN (',' || "savedSections" || ',') LIKE ${pattern} ESCAPE '\\' THEN "savedSections"
      ELSE "savedSections" || ',' || ${sectionKey}
    END
    WHERE "id" = ${responseId}`;
}

function answerRow(responseId: string, structure: SurveyStructure, answer: AnswerValue) {
  return {
    responseId,
    questionId: structure.questionIds.get(answer.question)!,
    optionId: answer.option ? structure.optionIds.get(optionKey(answer.question, "choice", answer.option)) : undefined,
    rowId: answer.row ? structure.optionIds.get(optionKey(answer.question, "row", answer.row)) : undefined,
    textValue: answer.text,
    searchText: answer.text === undefined ? undefined : foldForSearch(answer.text),
    numberValue: answer.number,
  };
}

/**
 * Marks the response submitted. Answers to questions hidden by later
 * changes are removed first, so results count only what was asked. In an
 * anonymous survey the resume key is erased and the participant keeps only
 * the day they responded: nothing left links them to these answers.
 */
export async function submitResponse(
  owner: ResponseOwner,
  responseId: string,
  structure: SurveyStructure,
  answers: readonly AnswerValue[],
  now: Date,
  /** Rows to write in the same transaction, e.g. the receipt email. */
  alongside: ReturnType<typeof queueEmail>[] = [],
): Promise<void> {
  const hidden = hiddenQuestionKeys(structure.sections, answers).map((key) => structure.questionIds.get(key)!);
  const anonymous = owner.mode === "anonymous";
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  await db().$transaction([
    db().answer.deleteMany({ where: { responseId, questionId: { in: hidden } } }),
    db().response.update({
      where: { id: responseId },
      data: anonymous
        ? // Every timestamp is cut to the day, so none can be matched with the participant row's.
          { status: "submitted", submittedAt: day, startedAt: day, updatedAt: day, resumeKeyHash: null, savedSections: "" }
        : { status: "submitted", submittedAt: now },
    }),
    db().participant.update({
      where: { id: owner.participant.id },
      data: anonymous ? { respondedAt: day, updatedAt: day } : { respondedAt: now },
    }),
    ...alongside,
  ]);
}
