import { isVisible, type ChosenOptions, type ShowIf } from "~/domain/conditions";
import { LIKERT_SCALE, OTHER_OPTION_KEY, type QuestionType } from "~/domain/survey-definition";

/**
 * Answer validation for one section: pure, shared by the section page's
 * action and the final submit check. Unknown, hidden or duplicated input is
 * never stored; messages are i18n keys with their parameters.
 */

export interface QuestionView {
  key: string;
  type: QuestionType;
  required: boolean;
  /** Choice keys in display order ("other" last when allowed). */
  options: string[];
  /** Matrix rows. */
  rows: string[];
  allowOther: boolean;
  maxSelections?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  integer?: boolean;
  showIf?: ShowIf;
  /** Takes no new answers; only the results still show it. */
  retired?: true;
}

export interface AnswerValue {
  question: string;
  option?: string;
  row?: string;
  text?: string;
  number?: number;
}

export interface AnswerError {
  key: string;
  params?: Record<string, string | number>;
}

export interface SectionParse {
  /** Answers to the questions answered completely and validly. */
  answers: AnswerValue[];
  /**
   * Every valid piece, including those of questions that still need work: the
   * rated rows of a half-rated matrix, the options of a multiple choice whose
   * "other" text is missing. What a draft keeps when the member leaves the
   * page (back, save and finish later, another language) without finishing it.
   */
  kept: AnswerValue[];
  errors: Record<string, AnswerError[]>;
  /** Input no honest form could send (unknown option, duplicated single value): the page answers 400. */
  tampered: boolean;
}

export const LIKERT_KEYS: readonly string[] = LIKERT_SCALE.map((point) => point.key);
export const OTHER_TEXT_MAX = 500;
const DEFAULT_TEXT_MAX = 2000;

export function fieldName(question: string, part?: string): string {
  return part ? `q.${question}.${part}` : `q.${question}`;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Letters from any script kept; NUL and other C0/C1 control characters (but tab and newlines) dropped. */
export function cleanText(value: string): string {
  return value.normalize("NFC").replace(CONTROL_CHARACTERS, "").trim();
}

export function textLength(value: string): number {
  return [...value].length;
}

/** Accepts "3,5" as well as "3.5", and Arabic-Indic or Persian digits, as people type them. */
export function parseNumber(raw: string): number | null {
  const western = raw
    .trim()
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0))
    .replace(/[\u066b,]/g, ".")
    .replace(/[\s\u066c\u00a0\u202f]/g, "");
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(western)) return null;
  const value = Number(western);
  return Number.isFinite(value) ? value : null;
}

export function chosenFrom(answers: readonly AnswerValue[]): Map<string, Set<string>> {
  const chosen = new Map<string, Set<string>>();
  for (const answer of answers) {
    if (!answer.option || answer.row) continue;
    let set = chosen.get(answer.question);
    if (!set) chosen.set(answer.question, (set = new Set()));
    set.add(answer.option);
  }
  return chosen;
}

/**
 * Reads one section's answers from form values. `chosenBefore` holds the
 * choices of earlier sections, for conditions that look back across pages.
 */
export function parseSectionAnswers(questions: readonly QuestionView[], read: (field: string) => string[], chosenBefore: ChosenOptions): SectionParse {
  const chosen = new Map(chosenBefore);
  const answers: AnswerValue[] = [];
  const kept: AnswerValue[] = [];
  const errors: Record<string, AnswerError[]> = {};
  let tampered = false;
  const fail = (question: string, error: AnswerError) => (errors[question] ??= []).push(error);

  for (const question of questions) {
    chosen.delete(question.key);
    if (!isVisible(question.showIf, chosen)) continue;
    const values = read(fieldName(question.key)).map(cleanText).filter(Boolean);
    const own: AnswerValue[] = [];

    switch (question.type) {
      case "likert":
      case "single": {
        const allowed = question.type === "likert" ? LIKERT_KEYS : question.options;
        const distinct = [...new Set(values)];
        if (distinct.length > 1) {
          tampered = true;
          fail(question.key, { key: "respondent:errors.oneChoice" });
        } else if (distinct[0] && !allowed.includes(distinct[0])) {
          tampered = true;
          fail(question.key, { key: "respondent:errors.invalidChoice" });
        } else if (distinct[0]) {
          own.push(withOther(question, distinct[0], read, fail));
        }
        break;
      }
      case "multiple": {
        const distinct = [...new Set(values)];
        const unknown = distinct.filter((value) => !question.options.includes(value));
        if (unknown.length) {
          tampered = true;
          fail(question.key, { key: "respondent:errors.invalidChoice" });
        } else if (question.maxSelections && distinct.length > question.maxSelections) {
          fail(question.key, { key: "respondent:errors.tooManyChoices", params: { count: question.maxSelections } });
        } else {
          for (const option of distinct) own.push(withOther(question, option, read, fail));
        }
        break;
      }
      case "matrix": {
        let unanswered = 0;
        for (const row of question.rows) {
          const rowValues = [...new Set(read(fieldName(question.key, row)).map(cleanText).filter(Boolean))];
          if (rowValues.length > 1 || (rowValues[0] && !LIKERT_KEYS.includes(rowValues[0]))) {
            tampered = true;
            fail(question.key, { key: "respondent:errors.invalidChoice" });
            break;
          }
          if (rowValues[0]) own.push({ question: question.key, row, option: rowValues[0] });
          else unanswered++;
        }
        if (question.required && unanswered > 0 && own.length > 0) {
          fail(question.key, { key: "respondent:errors.matrixIncomplete", params: { count: unanswered } });
        }
        break;
      }
      case "text": {
        const text = values.join("\n");
        const max = question.maxLength ?? DEFAULT_TEXT_MAX;
        if (textLength(text) > max) fail(question.key, { key: "respondent:errors.tooLong", params: { count: max } });
        else if (text) own.push({ question: question.key, text });
        break;
      }
      case "number": {
        if (values.length > 1) {
          tampered = true;
          fail(question.key, { key: "respondent:errors.notNumber" });
          break;
        }
        if (!values[0]) break;
        const value = parseNumber(values[0]);
        if (value === null) fail(question.key, { key: "respondent:errors.notNumber" });
        else if (question.integer && !Number.isInteger(value)) fail(question.key, { key: "respondent:errors.wholeNumber" });
        else if (question.min !== undefined && value < question.min) fail(question.key, { key: "respondent:errors.min", params: { min: question.min } });
        else if (question.max !== undefined && value > question.max) fail(question.key, { key: "respondent:errors.max", params: { max: question.max } });
        else own.push({ question: question.key, number: value });
        break;
      }
    }

    if (question.required && own.length === 0 && !errors[question.key]) {
      fail(question.key, { key: "respondent:errors.required" });
    }
    if (errors[question.key]) {
      // Only pieces that are valid on their own: a matrix's rated rows, chosen options without the "other"
      // whose text is missing or too long. A choice over the maximum is kept whole or not at all.
      const tooMany = errors[question.key]!.some((error) => error.key === "respondent:errors.tooManyChoices");
      if (!tooMany) kept.push(...own.filter((answer) => answer.option !== OTHER_OPTION_KEY || isValidOther(answer)));
      continue;
    }
    answers.push(...own);
    kept.push(...own);
    const picked = own.filter((answer) => answer.option && !answer.row).map((answer) => answer.option!);
    if (picked.length) chosen.set(question.key, new Set(picked));
  }
  // Tampered input stores nothing at all, not even its valid pieces.
  return { answers, kept: tampered ? [] : kept, errors, tampered };
}

function isValidOther(answer: AnswerValue): boolean {
  return !!answer.text && textLength(answer.text) <= OTHER_TEXT_MAX;
}

function withOther(
  question: QuestionView,
  option: string,
  read: (field: string) => string[],
  fail: (question: string, error: AnswerError) => void,
): AnswerValue {
  if (option !== OTHER_OPTION_KEY || !question.allowOther) return { question: question.key, option };
  const text = cleanText(read(fieldName(question.key, "other"))[0] ?? "");
  if (!text) fail(question.key, { key: "respondent:errors.otherRequired" });
  else if (textLength(text) > OTHER_TEXT_MAX) fail(question.key, { key: "respondent:errors.tooLong", params: { count: OTHER_TEXT_MAX } });
  return { question: question.key, option, text };
}

type Sections = readonly { key?: string; questions: readonly QuestionView[] }[];

/**
 * Which questions are visible, walking the survey in order so that a chain
 * of conditions (A shows B, B shows C) follows only answers that are still
 * visible themselves: a stale answer to a now hidden B must not keep C shown.
 */
export function visibleQuestionKeys(sections: Sections, answers: readonly AnswerValue[]): Set<string> {
  const stored = chosenFrom(answers);
  const chosen = new Map<string, Set<string>>();
  const visible = new Set<string>();
  for (const section of sections) {
    for (const question of section.questions) {
      if (!isVisible(question.showIf, chosen)) continue;
      visible.add(question.key);
      const picked = stored.get(question.key);
      if (picked) chosen.set(question.key, picked);
    }
  }
  return visible;
}

/** Only the answers to questions that are still visible. */
export function effectiveAnswers(sections: Sections, answers: readonly AnswerValue[]): AnswerValue[] {
  const visible = visibleQuestionKeys(sections, answers);
  return answers.filter((answer) => visible.has(answer.question));
}

/** Visible required questions without an answer, across the whole survey, for the final check. */
export function missingRequired(sections: Sections, answers: readonly AnswerValue[]): { section: string; question: string }[] {
  const visible = visibleQuestionKeys(sections, answers);
  const answered = new Set(answers.map((answer) => answer.question));
  const missing: { section: string; question: string }[] = [];
  for (const section of sections) {
    for (const question of section.questions) {
      if (question.required && visible.has(question.key) && !answered.has(question.key)) {
        missing.push({ section: section.key ?? "", question: question.key });
      }
    }
  }
  return missing;
}

/** Questions whose condition no longer holds (an earlier answer changed); their answers are dropped at submit. */
export function hiddenQuestionKeys(sections: Sections, answers: readonly AnswerValue[]): string[] {
  const visible = visibleQuestionKeys(sections, answers);
  return sections.flatMap((section) => section.questions.filter((question) => !visible.has(question.key)).map((question) => question.key));
}
