// Loads the real survey definitions into a test database and makes
// participants with personalised links, the way invitations will.
import type { SurveyDefinition } from "~/domain/survey-definition";
import { loadSurveyFiles } from "~/features/surveys/files.server";
import { syncSurvey } from "~/models/survey-sync.server";
import { issueToken } from "~/platform/tokens.server";
import { db } from "~/platform/db.server";
import type { TestDatabase } from "./database";

const DAY = 86_400_000;

/** Points the app's db() at the test database; each test file runs in its own process. */
export function useAsAppDatabase(database: TestDatabase): void {
  process.env.DATABASE_URL = database.url;
}

export async function syncDemoSurveys(options: { open?: string[] } = {}): Promise<void> {
  const { surveys } = loadSurveyFiles();
  for (const { definition, content } of surveys) await syncSurvey(definition, content);
  const now = Date.now();
  for (const slug of options.open ?? []) {
    await db().survey.update({
      where: { slug },
      data: { opensAt: new Date(now - DAY), closesAt: new Date(now + 10 * DAY), status: "published" },
    });
  }
}

let counter = 0;

export async function createParticipant(
  slug: string,
  fields: Partial<{ name: string; email: string; language: string; region: string; country: string; unit: string }> = {},
): Promise<{ id: string; token: string; email: string }> {
  const survey = await db().survey.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  counter++;
  const email = fields.email ?? `person${counter}.${Date.now()}@members.example`;
  const participant = await db().participant.create({
    data: {
      surveyId: survey.id,
      name: fields.name ?? `Person ${counter}`,
      email,
      language: fields.language ?? "en",
      region: fields.region ?? "Europe",
      country: fields.country ?? "France",
      unit: fields.unit ?? "Standing Committee",
    },
    select: { id: true },
  });
  return { id: participant.id, token: await issueToken(participant.id), email };
}

/** Valid answers for every visible question of a section, as a form would post them. */
export function validSectionAnswers(definition: SurveyDefinition, sectionKey: string): Record<string, string> {
  const section = definition.sections.find((candidate) => candidate.key === sectionKey)!;
  const fields: Record<string, string> = {};
  for (const question of section.questions) {
    if (question.showIf) continue;
    const name = `q.${question.key}`;
    if (question.type === "likert") fields[name] = "agree";
    if (question.type === "single" || question.type === "multiple") fields[name] = question.options[0]!;
    if (question.type === "matrix") for (const row of question.rows) fields[`${name}.${row}`] = "agree";
    if (question.type === "number") fields[name] = String(question.min ?? 1);
    if (question.type === "text") fields[name] = "A comment";
  }
  return fields;
}
