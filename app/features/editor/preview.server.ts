import { z } from "zod";
import { chosenFrom, effectiveAnswers, parseSectionAnswers, type AnswerError, type AnswerValue, type QuestionView } from "~/domain/answers";
import { isVisible } from "~/domain/conditions";
import { parseSurveyDefinition, type SurveyDefinition } from "~/domain/survey-definition";
import {
  languageChoices,
  optional,
  parseTexts,
  renderQuestions,
  sectionFieldValues,
  textsFromTrees,
  valuesFromAnswers,
  type FieldValues,
  type QuestionRender,
  type SurveyTexts,
} from "~/features/surveys/index.server";
import type { SectionStructure } from "~/models/survey-structure.server";
import { optionSpecs } from "~/models/survey-sync.server";
import { findLatestVersion, findVersion, type VersionRow } from "~/models/survey-version.server";
import { FALLBACK_LANGUAGE } from "~/platform/i18n";

/**
 * Preview of any version of a survey (a draft above all) as members would
 * answer it: the same question components and the same answer checks, in any
 * of the version's languages, stepping section by section through its
 * conditions. Nothing is stored: the answers given so far travel in the form
 * (a hidden field, checked again on every step).
 */

export interface PreviewRequest {
  version: number | null;
  language: string | null;
  section: string | null;
}

export type PreviewPage =
  | { ok: false; status: 404 }
  | {
      ok: true;
      locale: string;
      version: { number: number; draft: boolean };
      languages: ReturnType<typeof languageChoices>;
      surveyTitle: string;
      /** null: past the last section (members would now see the review page and submit). */
      section: { key: string; title: string; intro: string | null; number: number; total: number } | null;
      questions: QuestionRender[];
      values: FieldValues;
      errors: Record<string, AnswerError[]>;
      /** The answers of the other sections, for the form to carry on. */
      carried: string;
      more: boolean;
      answeredCount: number;
    };

interface Loaded {
  version: VersionRow;
  definition: SurveyDefinition;
  texts: SurveyTexts;
  sections: SectionStructure[];
  locale: string;
}

/** A definition's sections as the member pages see them: retired questions and the sections they empty left out. */
export function previewSections(definition: SurveyDefinition): SectionStructure[] {
  return definition.sections
    .map((section) => ({
      key: section.key,
      questions: section.questions
        .filter((question) => !("retired" in question && question.retired))
        .map((question): QuestionView => {
          const specs = optionSpecs(question);
          return {
            key: question.key,
            type: question.type,
            required: question.required,
            options: specs.filter((spec) => spec.role === "choice").map((spec) => spec.key),
            rows: specs.filter((spec) => spec.role === "row").map((spec) => spec.key),
            allowOther: "allowOther" in question ? question.allowOther : false,
            maxSelections: "maxSelections" in question ? question.maxSelections : undefined,
            maxLength: "maxLength" in question ? question.maxLength : undefined,
            min: "min" in question ? question.min : undefined,
            max: "max" in question ? question.max : undefined,
            integer: "integer" in question ? question.integer : undefined,
            showIf: question.showIf,
          };
        }),
    }))
    .filter((section) => section.questions.length > 0);
}

async function load(survey: { id: string }, request: PreviewRequest): Promise<Loaded | null> {
  const version = request.version === null ? await findLatestVersion(survey.id) : await findVersion(survey.id, request.version);
  if (!version) return null;
  const parsed = parseSurveyDefinition(JSON.parse(version.definition));
  if (!parsed.ok) return null;
  const trees = parseTexts(version.texts);
  const languages = Object.keys(trees);
  const locale =
    request.language && languages.includes(request.language)
      ? request.language
      : languages.includes(parsed.definition.defaultLanguage)
        ? parsed.definition.defaultLanguage
        : FALLBACK_LANGUAGE;
  return {
    version,
    definition: parsed.definition,
    texts: textsFromTrees(`preview:${survey.id}:${version.number}`, trees),
    sections: previewSections(parsed.definition),
    locale,
  };
}

const carriedSchema = z
  .array(
    z.strictObject({
      question: z.string().max(100),
      option: z.string().max(100).optional(),
      row: z.string().max(100).optional(),
      text: z.string().max(10_000).optional(),
      number: z.number().optional(),
    }),
  )
  .max(2_000);

function readCarried(text: string): AnswerValue[] | null {
  if (!text) return [];
  try {
    const parsed = carriedSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function page(
  loaded: Loaded,
  index: number | null,
  state: { values: FieldValues; errors: Record<string, AnswerError[]>; carried: AnswerValue[]; more: boolean },
): PreviewPage & { ok: true } {
  const context = { locale: loaded.locale, texts: loaded.texts };
  const t = loaded.texts.t(loaded.locale);
  const section = index === null ? null : loaded.sections[index]!;
  const own = new Set(section?.questions.map((question) => question.key) ?? []);
  const elsewhere = state.carried.filter((answer) => !own.has(answer.question));
  return {
    ok: true,
    locale: loaded.locale,
    version: { number: loaded.version.number, draft: loaded.version.publishedAt === null },
    languages: languageChoices({ languages: Object.keys(parseTexts(loaded.version.texts)) }),
    surveyTitle: t("title"),
    section: section
      ? {
          key: section.key,
          title: t(`sections.${section.key}.title`),
          intro: optional(t, `sections.${section.key}.intro`),
          number: index! + 1,
          total: loaded.sections.length,
        }
      : null,
    questions: section ? renderQuestions(context, section, state.values, elsewhere) : [],
    values: state.values,
    errors: state.errors,
    carried: JSON.stringify(state.carried),
    more: state.more,
    answeredCount: new Set(state.carried.map((answer) => answer.question)).size,
  };
}

/** GET: a section of the version (the first unless named), with no answers. */
export async function previewPage(survey: { id: string }, request: PreviewRequest): Promise<PreviewPage> {
  const loaded = await load(survey, request);
  if (!loaded || loaded.sections.length === 0) return { ok: false, status: 404 };
  const index = Math.max(
    0,
    loaded.sections.findIndex((section) => section.key === request.section),
  );
  return page(loaded, index, { values: {}, errors: {}, carried: [], more: false });
}

/**
 * POST: the member's step. "next" checks the section as the member page does
 * (errors shown, a question revealed on the same page shown first) and moves
 * to the next section with a visible question; "back" moves back keeping the
 * answers; "language:<code>" shows the same section again in one of the
 * version's languages, keeping what was typed (as the member's own language
 * buttons do). A form whose carried answers do not read, or a language the
 * version does not have, is a 400.
 */
export async function previewStep(survey: { id: string }, form: FormData, query: PreviewRequest): Promise<PreviewPage | { ok: false; status: 400 }> {
  const intent = String(form.get("intent") ?? "");
  const switchTo = intent.startsWith("language:") ? intent.slice("language:".length) : null;
  const loaded = await load(survey, switchTo === null ? query : { ...query, language: switchTo });
  if (!loaded || loaded.sections.length === 0) return { ok: false, status: 404 };
  if (switchTo !== null && loaded.locale !== switchTo) return { ok: false, status: 400 };
  const carried = readCarried(String(form.get("carried") ?? ""));
  const index = loaded.sections.findIndex((section) => section.key === String(form.get("section") ?? ""));
  if (carried === null || index === -1) return { ok: false, status: 400 };
  const section = loaded.sections[index]!;
  const own = new Set(section.questions.map((question) => question.key));
  const elsewhere = carried.filter((answer) => !own.has(answer.question));
  const values = sectionFieldValues(section, form);
  const parsed = parseSectionAnswers(section.questions, (name) => values[name] ?? [], chosenFrom(elsewhere));
  if (parsed.tampered) return { ok: false, status: 400 };
  const all = effectiveAnswers(loaded.sections, [...elsewhere, ...parsed.kept]);

  // The member pages' script saves typed text as a draft while typing pauses (intent=autosave): a preview
  // keeps nothing, so that, like a language change, only shows the same section again.
  if (switchTo !== null || intent === "autosave") return page(loaded, index, { values, errors: {}, carried: all, more: false });
  if (intent === "back") {
    const previous = visibleSectionBefore(loaded.sections, index, all);
    return page(loaded, previous ?? index, { values: valuesOf(loaded.sections[previous ?? index]!, all), errors: {}, carried: all, more: false });
  }
  if (Object.values(parsed.errors).flat().length > 0) return page(loaded, index, { values, errors: parsed.errors, carried: all, more: false });
  const shown = new Set(String(form.get("shown") ?? "").split(","));
  const chosen = chosenFrom(all);
  if (section.questions.some((question) => question.showIf && !shown.has(question.key) && isVisible(question.showIf, chosen))) {
    return page(loaded, index, { values, errors: {}, carried: all, more: true });
  }
  const next = visibleSectionAfter(loaded.sections, index, all);
  return page(loaded, next, { values: next === null ? {} : valuesOf(loaded.sections[next]!, all), errors: {}, carried: all, more: false });
}

function hasVisibleQuestion(section: SectionStructure, answers: readonly AnswerValue[]): boolean {
  const chosen = chosenFrom(answers);
  return section.questions.some((question) => isVisible(question.showIf, chosen));
}

function visibleSectionAfter(sections: SectionStructure[], index: number, answers: readonly AnswerValue[]): number | null {
  for (let next = index + 1; next < sections.length; next++) if (hasVisibleQuestion(sections[next]!, answers)) return next;
  return null;
}

function visibleSectionBefore(sections: SectionStructure[], index: number, answers: readonly AnswerValue[]): number | null {
  for (let previous = index - 1; previous >= 0; previous--) if (hasVisibleQuestion(sections[previous]!, answers)) return previous;
  return null;
}

function valuesOf(section: SectionStructure, answers: readonly AnswerValue[]): FieldValues {
  const own = new Set(section.questions.map((question) => question.key));
  return valuesFromAnswers(answers.filter((answer) => own.has(answer.question)));
}
