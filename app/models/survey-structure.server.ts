import type { QuestionView } from "~/domain/answers";
import type { ShowIf } from "~/domain/conditions";
import type { QuestionType } from "~/domain/survey-definition";
import { db } from "~/platform/db.server";

/**
 * A survey's sections and questions as pages need them, with the database
 * ids behind each key. Structures change only when a definition is synced,
 * so they are cached per definition hash: a section page costs no structure
 * queries after the first.
 */
export interface SectionStructure {
  key: string;
  questions: QuestionView[];
}

export interface SurveyStructure {
  surveyId: string;
  sections: SectionStructure[];
  questionIds: Map<string, string>;
  /** "<questionKey>/<role>/<optionKey>" → option id */
  optionIds: Map<string, string>;
  /** id → { question, role, key } */
  optionsById: Map<string, { question: string; role: string; key: string }>;
  questionsById: Map<string, string>;
}

interface QuestionSettings {
  maxSelections?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  integer?: boolean;
  allowOther?: boolean;
  showIf?: ShowIf;
  retired?: true;
}

const cache = new Map<string, SurveyStructure>();

export function optionKey(question: string, role: string, key: string): string {
  return `${question}/${role}/${key}`;
}

export async function loadSurveyStructure(surveyId: string, definitionHash: string): Promise<SurveyStructure> {
  const cacheKey = `${surveyId}:${definitionHash}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;

  const sections = await db().section.findMany({
    where: { surveyId },
    orderBy: { position: "asc" },
    select: {
      key: true,
      questions: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          key: true,
          type: true,
          required: true,
          settings: true,
          options: { orderBy: { position: "asc" }, select: { id: true, key: true, role: true } },
        },
      },
    },
  });
  const structure: SurveyStructure = {
    surveyId,
    sections: [],
    questionIds: new Map(),
    optionIds: new Map(),
    optionsById: new Map(),
    questionsById: new Map(),
  };
  for (const section of sections) {
    structure.sections.push({
      key: section.key,
      questions: section.questions.map((question) => {
        const settings = JSON.parse(question.settings) as QuestionSettings;
        structure.questionIds.set(question.key, question.id);
        structure.questionsById.set(question.id, question.key);
        for (const option of question.options) {
          structure.optionIds.set(optionKey(question.key, option.role, option.key), option.id);
          structure.optionsById.set(option.id, { question: question.key, role: option.role, key: option.key });
        }
        return {
          key: question.key,
          type: question.type as QuestionType,
          required: question.required,
          options: question.options.filter((option) => option.role === "choice").map((option) => option.key),
          rows: question.options.filter((option) => option.role === "row").map((option) => option.key),
          allowOther: settings.allowOther ?? false,
          maxSelections: settings.maxSelections,
          maxLength: settings.maxLength,
          min: settings.min,
          max: settings.max,
          integer: settings.integer,
          showIf: settings.showIf,
          ...(settings.retired ? { retired: true as const } : {}),
        };
      }),
    });
  }
  for (const key of cache.keys()) if (key.startsWith(`${surveyId}:`)) cache.delete(key);
  cache.set(cacheKey, structure);
  return structure;
}

const respondentCache = new WeakMap<SurveyStructure, SurveyStructure>();

/**
 * The structure members answer: without retired questions, nor the sections
 * they leave empty. Results and exports keep using the whole structure, so
 * what members said before a question was retired stays in them.
 */
export async function loadRespondentStructure(surveyId: string, definitionHash: string): Promise<SurveyStructure> {
  const whole = await loadSurveyStructure(surveyId, definitionHash);
  const cached = respondentCache.get(whole);
  if (cached) return cached;
  const sections = whole.sections
    .map((section) => ({ ...section, questions: section.questions.filter((question) => !question.retired) }))
    .filter((section) => section.questions.length > 0);
  const structure =
    sections.length === whole.sections.length && sections.every((s, i) => s.questions.length === whole.sections[i]!.questions.length)
      ? whole
      : { ...whole, sections };
  respondentCache.set(whole, structure);
  return structure;
}
