import type { LocaleFiles } from "~/features/translations/locale-check";
import { outdatedKeys } from "~/models/survey-version.server";

/** A survey's published texts as the database holds them. */
export interface StoredSurveyTexts {
  slug: string;
  texts: string;
  sourceHashes: string;
}

function parseTrees(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Puts the database's survey texts in place of the locale folder's
 * survey.<slug> files, with each language's outdated keys, so the check,
 * `npm run i18n:check` and the Translations pages judge what members read.
 * Languages are those of the folder: interface languages come first.
 */
export function withStoredSurveyTexts(files: LocaleFiles, stored: readonly StoredSurveyTexts[]): LocaleFiles {
  for (const survey of stored) {
    const namespace = `survey.${survey.slug}`;
    const trees = parseTrees(survey.texts);
    const outdated = outdatedKeys(survey.texts, survey.sourceHashes);
    for (const namespaces of Object.values(files)) delete namespaces[namespace];
    for (const [language, tree] of Object.entries(trees)) {
      if (!files[language] || !tree || typeof tree !== "object" || Array.isArray(tree)) continue;
      files[language][namespace] = { data: tree, outdated: outdated[language] ?? [] };
    }
  }
  return files;
}
