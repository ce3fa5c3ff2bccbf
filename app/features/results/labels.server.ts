import type { SurveyStructure } from "~/models/survey-structure.server";
import { surveyT, staticQuestions, surveyTexts, type VersionedSurvey } from "~/features/surveys/index.server";
import { localesVersion } from "~/platform/i18n.server";

/** What staff read next to results and in exports: every question, option and matrix row in words. */
export interface QuestionLabels {
  label: string;
  section: string;
  options: Record<string, string>;
  rows: Record<string, string>;
}

/**
 * Labels kept per survey structure, language and texts (the survey's published version and the interface texts):
 * the results page shows them on every view. Callers only read them.
 */
const cache = new WeakMap<SurveyStructure, Map<string, { textsKey: string; labels: Record<string, QuestionLabels> }>>();

export async function resultLabels(locale: string, survey: VersionedSurvey, structure: SurveyStructure): Promise<Record<string, QuestionLabels>> {
  const texts = await surveyTexts(survey);
  const key = `${locale}|${localesVersion()}`;
  let forStructure = cache.get(structure);
  if (!forStructure) cache.set(structure, (forStructure = new Map()));
  const cached = forStructure.get(key);
  if (cached?.textsKey === texts.key) return cached.labels;
  const labels = labelsFor(locale, texts, structure);
  // Bounded: a structure is read in a handful of languages.
  if (forStructure.size > 20) forStructure.clear();
  forStructure.set(key, { textsKey: texts.key, labels });
  return labels;
}

function labelsFor(locale: string, texts: Awaited<ReturnType<typeof surveyTexts>>, structure: SurveyStructure): Record<string, QuestionLabels> {
  const context = { locale, texts };
  const t = surveyT(context);
  const labels: Record<string, QuestionLabels> = {};
  for (const section of structure.sections) {
    const sectionTitle = t(`sections.${section.key}.title`);
    for (const question of staticQuestions(context, section)) {
      labels[question.key] = {
        label: question.label,
        section: sectionTitle,
        options: Object.fromEntries(question.options.map((option) => [option.key, option.label])),
        rows: Object.fromEntries(question.rows.map((row) => [row.key, row.label])),
      };
    }
  }
  return labels;
}
