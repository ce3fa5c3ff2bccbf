import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseSurveyDefinition, type SurveyDefinition } from "~/domain/survey-definition";
import { surveyContent, type SurveyContent, type TextTrees } from "~/features/surveys/exchange";
import { LANGUAGE_CODE_PATTERN } from "~/platform/i18n";
import { env } from "~/platform/env.server";

/** Reads and validates surveys/*.json; a broken file is reported with its errors, not half-loaded. */
export function loadSurveyDefinitions(dir = resolve(env().SURVEYS_DIR)): { definitions: SurveyDefinition[]; problems: string[] } {
  const { surveys, problems } = readDefinitions(dir);
  return { definitions: surveys.map((survey) => survey.definition), problems };
}

function readDefinitions(dir: string): { surveys: { definition: SurveyDefinition; text: string }[]; problems: string[] } {
  const surveys: { definition: SurveyDefinition; text: string }[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json")).sort()) {
    const slug = file.slice(0, -".json".length);
    const text = readFileSync(join(dir, file), "utf8");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push(`${file}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = parseSurveyDefinition(json, slug);
    if (parsed.ok) surveys.push({ definition: parsed.definition, text });
    else problems.push(...parsed.errors.map((error) => `${file}: ${error}`));
  }
  return { surveys, problems };
}

export interface SurveyFileSet {
  definition: SurveyDefinition;
  content: SurveyContent;
}

/**
 * Each survey's definition with its texts in every language folder that has
 * a survey.<slug>.json, for `npm run surveys:sync`. A survey with a broken
 * texts file is reported and left out, not stored without that language.
 */
export function loadSurveyFiles(dir = resolve(env().SURVEYS_DIR), localesDir = resolve(env().LOCALES_DIR)): { surveys: SurveyFileSet[]; problems: string[] } {
  const { surveys, problems } = readDefinitions(dir);
  const languages = existsSync(localesDir)
    ? readdirSync(localesDir)
        .filter((name) => LANGUAGE_CODE_PATTERN.test(name) && statSync(join(localesDir, name)).isDirectory())
        .sort()
    : [];
  const sets: SurveyFileSet[] = [];
  for (const { definition, text } of surveys) {
    const trees: TextTrees = {};
    let broken = false;
    for (const language of languages) {
      const path = join(localesDir, language, `survey.${definition.slug}.json`);
      if (!existsSync(path)) continue;
      try {
        const tree = JSON.parse(readFileSync(path, "utf8")) as unknown;
        if (!tree || typeof tree !== "object" || Array.isArray(tree)) throw new Error("not a JSON object");
        trees[language] = tree as Record<string, unknown>;
      } catch (error) {
        problems.push(`${language}/survey.${definition.slug}.json: ${(error as Error).message}`);
        broken = true;
      }
    }
    if (!broken) sets.push({ definition, content: surveyContent(text, trees) });
  }
  return { surveys: sets, problems };
}
