import type { TFunction } from "i18next";
import { chosenFrom, fieldName, LIKERT_KEYS, type AnswerValue, type QuestionView } from "~/domain/answers";
import { isVisible } from "~/domain/conditions";
import type { SectionStructure } from "~/models/survey-structure.server";
import { getFixedT, languageInfo, localesVersion } from "~/platform/i18n.server";
import type { SurveyTexts } from "~/features/surveys/texts.server";

/**
 * Survey texts are resolved on the server into exactly the strings a page
 * shows, so a section page carries one section's texts, not the whole
 * questionnaire in seven languages (pages must stay small on 2G).
 */
export type FieldValues = Record<string, string[]>;

export interface ChoiceView {
  key: string;
  label: string;
}

export interface QuestionRender {
  key: string;
  type: QuestionView["type"];
  required: boolean;
  label: string;
  help: string | null;
  options: ChoiceView[];
  rows: ChoiceView[];
  otherLabel: string | null;
  maxSelections: number | null;
  maxLength: number | null;
  min: number | null;
  max: number | null;
  integer: boolean;
  /** For the browser to show or hide it as answers change. */
  showIf: { question: string; anyOf: string[] } | null;
  visible: boolean;
}

/** What survey texts depend on: the reader's language and the survey's published texts. */
export interface TextContext {
  locale: string;
  texts: SurveyTexts;
}

export function surveyT(context: TextContext): TFunction {
  return context.texts.t(context.locale);
}

export function surveyHeading(context: TextContext): { title: string; description: string } {
  const t = surveyT(context);
  return { title: t("title"), description: t("description") };
}

export function sectionTitle(context: TextContext, key: string): string {
  return surveyT(context)(`sections.${key}.title`);
}

export function languageChoices(context: { languages: readonly string[] }) {
  return context.languages.map((code) => languageInfo(code));
}

export type StaticQuestion = Omit<QuestionRender, "visible">;
/** Keyed by the section object, which loadSurveyStructure replaces whenever the definition changes. */
const staticCache = new WeakMap<SectionStructure, Map<string, StaticQuestion[]>>();

export function renderQuestions(context: TextContext, section: SectionStructure, values: FieldValues, answersElsewhere: readonly AnswerValue[]): QuestionRender[] {
  const chosen = chosenFrom([...answersElsewhere, ...answersFromValues(section.questions, values)]);
  return staticQuestions(context, section).map((question, index) => ({
    ...question,
    visible: isVisible(section.questions[index]!.showIf, chosen),
  }));
}

/** The translated, unchanging part of a section's questions, cached per language and locale version; staff results pages use it too. */
export function staticQuestions(context: TextContext, section: SectionStructure): StaticQuestion[] {
  const key = `${context.locale}:${context.texts.key}:${localesVersion()}`;
  let perLanguage = staticCache.get(section);
  if (!perLanguage) staticCache.set(section, (perLanguage = new Map()));
  const cached = perLanguage.get(key);
  if (cached) return cached;
  const t = surveyT(context);
  const common = getFixedT(context.locale, "common");
  const respondent = getFixedT(context.locale, "respondent");
  const built = section.questions.map((question): StaticQuestion => {
    const base = `questions.${question.key}`;
    const choices = question.type === "likert" || question.type === "matrix" ? LIKERT_KEYS : question.options;
    return {
      key: question.key,
      type: question.type,
      required: question.required,
      label: t(`${base}.label`),
      help: optional(t, `${base}.help`),
      options: choices.map((key) => ({
        key,
        label:
          question.type === "likert" || question.type === "matrix"
            ? common(`likert.${key}`)
            : key === "other" && question.allowOther
              ? optional(t, `${base}.otherLabel`) ?? respondent("question.other")
              : t(`${base}.options.${key}`),
      })),
      rows: question.rows.map((key) => ({ key, label: t(`${base}.rows.${key}`) })),
      otherLabel: question.allowOther ? respondent("question.otherSpecify") : null,
      maxSelections: question.maxSelections ?? null,
      maxLength: question.type === "text" ? question.maxLength ?? 2000 : null,
      min: question.min ?? null,
      max: question.max ?? null,
      integer: question.integer ?? false,
      showIf: question.showIf ? { question: question.showIf.question, anyOf: [...question.showIf.anyOf] } : null,
    };
  });
  perLanguage.set(key, built);
  return built;
}

const ABSENT = "\u0000";

/** A text a translation may leave out (help, intro): null when neither the language nor English has it. */
export function optional(t: TFunction, key: string): string | null {
  const value = t(key, { defaultValue: ABSENT });
  return value && value !== ABSENT ? value : null;
}

/** Saved answers as the form fields that would have produced them. */
export function valuesFromAnswers(answers: readonly AnswerValue[]): FieldValues {
  const values: FieldValues = {};
  const add = (field: string, value: string) => (values[field] ??= []).push(value);
  for (const answer of answers) {
    if (answer.row && answer.option) add(fieldName(answer.question, answer.row), answer.option);
    else if (answer.option) {
      add(fieldName(answer.question), answer.option);
      if (answer.text) add(fieldName(answer.question, "other"), answer.text);
    } else if (answer.text !== undefined) add(fieldName(answer.question), answer.text);
    else if (answer.number !== undefined) add(fieldName(answer.question), String(answer.number));
  }
  return values;
}

/** Choices visible in the submitted values, for conditions within the page. */
function answersFromValues(questions: readonly QuestionView[], values: FieldValues): AnswerValue[] {
  return questions.flatMap((question) =>
    question.type === "likert" || question.type === "single" || question.type === "multiple"
      ? (values[fieldName(question.key)] ?? []).map((option) => ({ question: question.key, option }))
      : [],
  );
}

/** Only this section's fields are echoed back; anything else in a post is ignored. */
export function sectionFieldValues(section: SectionStructure, form: FormData): FieldValues {
  const values: FieldValues = {};
  for (const question of section.questions) {
    const names = [fieldName(question.key), fieldName(question.key, "other"), ...question.rows.map((row) => fieldName(question.key, row))];
    for (const name of names) {
      const entries = form.getAll(name).filter((value): value is string => typeof value === "string");
      if (entries.length) values[name] = entries.map((value) => value.slice(0, 20_000));
    }
  }
  return values;
}
