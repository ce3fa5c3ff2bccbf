import type { SurveyStructure } from "~/models/survey-structure.server";
import { surveyT, staticQuestions, surveyTexts, type VersionedSurvey } from "~/features/surveys/index.server";

/** What staff read next to results and in exports: every question, option and matrix row in words. */
export interface QuestionLabels {
  label: string;
  section: string;
  options: Record<string, string>;
  rows: Record<string, string>;
}

export async function resultLabels(locale: string, survey: VersionedSurvey, structure: SurveyStructure): Promise<Record<string, QuestionLabels>> {
  const context = { locale, texts: await surveyTexts(survey) };
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
