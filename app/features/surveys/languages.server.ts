import type { SurveyStructure } from "~/models/survey-structure.server";
import { availableLanguages, localesVersion } from "~/platform/i18n.server";
import type { SurveyTexts, VersionedSurvey } from "~/features/surveys/texts.server";
import { findVersionFingerprints, outdatedKeys } from "~/models/survey-version.server";

/**
 * A survey is offered in a language only when that language's namespace
 * holds every text the survey needs and none of them was translated from an
 * English text that has changed since: a half-translated questionnaire would
 * mix languages mid-question, an outdated one would ask another question than
 * English. Computed once per structure, texts and locale version.
 */
const cache = new Map<string, string[]>();

export function requiredSurveyTextKeys(structure: SurveyStructure): string[] {
  const keys = ["title", "description"];
  for (const section of structure.sections) {
    keys.push(`sections.${section.key}.title`);
    for (const question of section.questions) {
      keys.push(`questions.${question.key}.label`);
      if (question.type === "single" || question.type === "multiple") {
        for (const option of question.options) if (option !== "other") keys.push(`questions.${question.key}.options.${option}`);
      }
      for (const row of question.rows) keys.push(`questions.${question.key}.rows.${row}`);
    }
  }
  return keys;
}

function lookup(tree: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

/** Share of the survey's texts each interface language has, 0 to 1. */
export function surveyTranslationProgress(texts: SurveyTexts, structure: SurveyStructure): { code: string; endonym: string; share: number }[] {
  const needed = requiredSurveyTextKeys(structure);
  return availableLanguages().map(({ code, endonym }) => {
    const namespace = texts.tree(code);
    const present = namespace
      ? needed.filter((path) => {
          const value = lookup(namespace, path);
          return typeof value === "string" && value.trim() !== "";
        }).length
      : 0;
    return { code, endonym, share: needed.length === 0 ? 1 : present / needed.length };
  });
}

/** Languages with a text translated from an English text that has changed since (the published version's fingerprints). */
export async function outdatedLanguages(survey: VersionedSurvey): Promise<Set<string>> {
  if (survey.publishedVersion <= 0) return new Set();
  const version = await findVersionFingerprints(survey.id, survey.publishedVersion);
  return new Set(version ? Object.keys(outdatedKeys(version.texts, version.sourceHashes)) : []);
}

export async function surveyLanguages(survey: VersionedSurvey, texts: SurveyTexts, structure: SurveyStructure, cacheKey: string): Promise<string[]> {
  const key = `${texts.key}:${cacheKey}:${localesVersion()}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const outdated = await outdatedLanguages(survey);
  const complete = surveyTranslationProgress(texts, structure)
    .filter((language) => language.share === 1 && !outdated.has(language.code))
    .map((language) => language.code);
  if (cache.size > 200) cache.clear();
  cache.set(key, complete);
  return complete;
}
