import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseSurveyDefinition, type SurveyDefinition } from "~/domain/survey-definition";
import { env } from "~/platform/env.server";

/** Reads and validates surveys/*.json; a broken file is reported with its errors, not half-loaded. */
export function loadSurveyDefinitions(dir = resolve(env().SURVEYS_DIR)): { definitions: SurveyDefinition[]; problems: string[] } {
  const definitions: SurveyDefinition[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json")).sort()) {
    const slug = file.slice(0, -".json".length);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, file), "utf8"));
    } catch (error) {
      problems.push(`${file}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = parseSurveyDefinition(json, slug);
    if (parsed.ok) definitions.push(parsed.definition);
    else problems.push(...parsed.errors.map((error) => `${file}: ${error}`));
  }
  return { definitions, problems };
}
