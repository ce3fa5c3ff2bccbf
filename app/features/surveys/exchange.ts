/**
 * The exchange format of a survey: surveys/<slug>.json (the definition) and
 * locales/<lng>/survey.<slug>.json (its texts, one file per language), as in
 * the repository, a bundle (zip) and `npm run surveys:sync`. A version stores
 * the definition file verbatim and the texts as parsed trees; texts files are
 * written back as 2-space JSON with a final newline (the way the repository,
 * the Translations pages and i18next tools write them), so file → import →
 * export gives the same bytes.
 */
export interface SurveyContent {
  definition: string;
  texts: string;
}

export type TextTrees = Record<string, Record<string, unknown>>;

export function definitionPath(slug: string): string {
  return `surveys/${slug}.json`;
}

export function textsPath(slug: string, language: string): string {
  return `locales/${language}/survey.${slug}.json`;
}

export function formatTextsFile(tree: unknown): string {
  return `${JSON.stringify(tree, null, 2)}\n`;
}

/** Languages in code order, so the same files always give the same stored text (and hash). */
export function surveyContent(definitionText: string, trees: TextTrees): SurveyContent {
  const sorted = Object.fromEntries(Object.keys(trees).sort().map((language) => [language, trees[language]]));
  return { definition: definitionText, texts: JSON.stringify(sorted) };
}

/** The files of a stored version, paths as in the repository. */
export function surveyFiles(slug: string, definitionText: string, trees: TextTrees): { path: string; text: string }[] {
  return [
    { path: definitionPath(slug), text: definitionText },
    ...Object.keys(trees)
      .sort()
      .map((language) => ({ path: textsPath(slug, language), text: formatTextsFile(trees[language]) })),
  ];
}
