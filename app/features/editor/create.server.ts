import { parseSurveyDefinition } from "~/domain/survey-definition";
import type { FieldErrors, RawDefinition } from "~/features/editor/edit";
import { parseTexts, surveyContent, surveyTitles, type TextTrees } from "~/features/surveys/index.server";
import { createSurveyFromBundle } from "~/models/survey-sync.server";
import { findVersion } from "~/models/survey-version.server";
import { findSurveyForStaff, listSurveysForStaff } from "~/models/survey.server";
import { recordAudit } from "~/platform/audit.server";
import { readForm } from "~/platform/forms.server";

/**
 * A new survey from the surveys list: blank (one section, one question, to be
 * shaped in the editor) or a copy of an existing survey's published version
 * with its translations (last year's questionnaire). It starts as a draft
 * members cannot open, with its own slug chosen by the staff member.
 */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Static paths under /staff/surveys/ that a survey may not shadow. */
const RESERVED = new Set(["new"]);
const DAY = 86_400_000;

export async function newSurveyPage(language: string) {
  const surveys = await listSurveysForStaff(new Date(), "all");
  const titles = await surveyTitles(language, surveys);
  return {
    sources: surveys.filter((survey) => survey.publishedVersion > 0).map((survey) => ({ slug: survey.slug, title: titles[survey.slug] ?? survey.slug })),
  };
}

/** Midnight UTC `days` from now, as the definition writes dates. */
function dayFromNow(days: number): string {
  return `${new Date(Date.now() + days * DAY).toISOString().slice(0, 10)}T00:00:00Z`;
}

function blankSurvey(slug: string, title: string): { definition: RawDefinition; texts: TextTrees } {
  return {
    definition: {
      slug,
      mode: "confidential",
      opensAt: dayFromNow(14),
      closesAt: dayFromNow(35),
      defaultLanguage: "en",
      anonymityThreshold: 5,
      estimatedMinutes: 1,
      sections: [{ key: "general", questions: [{ key: "first_question", type: "likert" }] }],
    },
    // Survey texts are content, written in English first; the editor replaces them.
    texts: { en: { title, description: title, sections: { general: { title: "General" } }, questions: { first_question: { label: "First question" } } } },
  };
}

export type CreateOutcome = { ok: true; slug: string } | { ok: false; status: 400 | 409; errors: FieldErrors; values: Record<string, string> };

export async function createSurvey(request: Request, user: { id: string }): Promise<CreateOutcome> {
  const form = await readForm(request);
  const values = { slug: String(form.get("slug") ?? "").trim(), title: String(form.get("title") ?? "").trim(), source: String(form.get("source") ?? "") };
  const errors: FieldErrors = {};
  if (!SLUG.test(values.slug) || values.slug.length > 60 || RESERVED.has(values.slug)) errors.slug = ["editor.create.errors.slug"];
  if (!values.title) errors.title = ["editor.edit.errors.titleRequired"];
  else if (values.title.length > 500) errors.title = ["editor.edit.errors.titleTooLong"];
  if (Object.keys(errors).length) return { ok: false, status: 400, errors, values };
  if (await findSurveyForStaff(values.slug)) return { ok: false, status: 409, errors: { slug: ["editor.create.errors.slugTaken"] }, values };

  let draft = blankSurvey(values.slug, values.title);
  if (values.source !== "blank") {
    const source = SLUG.test(values.source) ? await findSurveyForStaff(values.source) : null;
    const version = source && source.publishedVersion > 0 ? await findVersion(source.id, source.publishedVersion) : null;
    if (!version) return { ok: false, status: 400, errors: { source: ["editor.create.errors.source"] }, values };
    const definition = JSON.parse(version.definition) as RawDefinition;
    const texts = parseTexts(version.texts);
    const length = Date.parse(definition.closesAt) - Date.parse(definition.opensAt);
    definition.slug = values.slug;
    definition.opensAt = dayFromNow(14);
    definition.closesAt = new Date(Date.parse(definition.opensAt) + length).toISOString().replace(/\.000Z$/, "Z");
    // The English title is the new one; other languages keep theirs until translated again.
    texts.en = { ...texts.en, title: values.title };
    draft = { definition, texts };
  }
  const parsed = parseSurveyDefinition(draft.definition, values.slug);
  if (!parsed.ok) return { ok: false, status: 400, errors: { form: parsed.errors.map((detail) => `schema:${detail}`) }, values };
  const content = surveyContent(`${JSON.stringify(draft.definition, null, 2)}\n`, draft.texts);
  const number = await createSurveyFromBundle(parsed.definition, content, user.id, values.source === "blank" ? "new survey" : `copy of ${values.source}`);
  if (number === null) return { ok: false, status: 409, errors: { slug: ["editor.create.errors.slugTaken"] }, values };
  await recordAudit({
    staffUserId: user.id,
    action: "surveys.create",
    subject: values.slug,
    detail: { version: number, copyOf: values.source === "blank" ? null : values.source },
  });
  return { ok: true, slug: values.slug };
}
