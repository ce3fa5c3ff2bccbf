import { parseSurveyDefinition } from "~/domain/survey-definition";
import { computeImpact, type ImpactChange } from "~/domain/survey-impact";
import { applyEdit, conditionTargets, englishText, EDIT_INTENTS, type Draft, type FieldErrors, type RawDefinition } from "~/features/editor/edit";
import { parseTexts, surveyContent } from "~/features/surveys/index.server";
import { countSurveyAnswers } from "~/models/survey-answer-counts.server";
import { findLatestVersion, findVersion, saveVersionOnto } from "~/models/survey-version.server";
import { readCookie } from "~/platform/cookies.server";
import { readForm } from "~/platform/forms.server";
import { isValidTimeZone, TIME_ZONE_COOKIE, utcToWallTime, wallTimeToUtc } from "~/platform/time-zone";

/**
 * The survey editor's pages: the survey's latest version (draft or published)
 * shown as forms, each change saved as the next draft version on top of the
 * version the form was read from, or refused as a conflict when someone saved
 * since (saveVersionOnto), naming who saved which version and when.
 */
interface Survey {
  id: string;
  slug: string;
  publishedVersion: number;
}

export function staffZone(request: Request): string {
  const zone = readCookie(request, TIME_ZONE_COOKIE);
  return isValidTimeZone(zone) ? zone : "UTC";
}

async function latestDraft(survey: Survey) {
  const version = await findLatestVersion(survey.id);
  if (!version) throw new Response("Not found", { status: 404 });
  const draft: Draft = { definition: JSON.parse(version.definition) as RawDefinition, texts: parseTexts(version.texts) };
  return { version, draft };
}

async function answeredQuestions(surveyId: string): Promise<Set<string>> {
  const counts = await countSurveyAnswers(surveyId);
  return new Set(Object.entries(counts.questions).flatMap(([key, n]) => (n > 0 ? [key] : [])));
}

export async function editorPage(survey: Survey, zone: string) {
  const { version, draft } = await latestDraft(survey);
  const answered = await answeredQuestions(survey.id);
  const { definition, texts } = draft;
  const label = (key: string) => englishText(texts, `questions.${key}.label`) || key;
  const order = new Map(definition.sections.flatMap((section) => section.questions).map((question, index) => [question.key, index] as const));
  return {
    /**
     * What conditions may point at, sent once: every closed question that is not retired; a question's
     * pick-list shows those before it (a key no question has lists them all).
     */
    conditionTargets: conditionTargets(definition, "\u0000").map((target) => ({
      key: target.key,
      order: order.get(target.key)!,
      label: label(target.key),
      choices: target.choices.map((key) => ({
        key,
        // Likert points are interface strings (common:likert.*); the page translates them.
        label: target.type === "likert" || key === "other" ? null : englishText(texts, `questions.${target.key}.options.${key}`),
      })),
    })),
    slug: survey.slug,
    base: version.number,
    isDraft: !version.publishedAt,
    savedBy: version.createdBy?.name ?? null,
    savedAt: version.createdAt.toISOString(),
    zone,
    settings: {
      title: englishText(texts, "title"),
      description: englishText(texts, "description"),
      mode: definition.mode,
      anonymityThreshold: definition.anonymityThreshold ?? 5,
      allowEditAfterSubmit: definition.allowEditAfterSubmit ?? definition.mode === "confidential",
      opensAt: utcToWallTime(new Date(definition.opensAt), zone),
      closesAt: utcToWallTime(new Date(definition.closesAt), zone),
      estimatedMinutes: definition.estimatedMinutes ?? null,
    },
    sections: definition.sections.map((section) => ({
      key: section.key,
      title: englishText(texts, `sections.${section.key}.title`) || section.key,
      removable: !section.questions.some((question) => answered.has(question.key)),
      questions: section.questions.map((question) => ({
        ...question,
        label: label(question.key),
        answered: answered.has(question.key),
        options: (question.options ?? []).map((key) => ({ key, label: englishText(texts, `questions.${question.key}.options.${key}`) })),
        rows: (question.rows ?? []).map((key) => ({ key, label: englishText(texts, `questions.${question.key}.rows.${key}`) })),
        order: order.get(question.key)!,
      })),
    })),
  };
}

export type EditOutcome =
  | { ok: true; number: number }
  | { ok: false; status: 400; errors: FieldErrors; intent: string; target: string }
  | { ok: false; status: 409; conflict: { base: number; latest: number; by: string | null; at: string | null; changes: ImpactChange[] } };

export async function saveEdit(request: Request, user: { id: string }, survey: Survey): Promise<EditOutcome> {
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const target = String(form.get("question") ?? form.get("section") ?? "");
  const base = Number(form.get("base"));
  if (!Number.isInteger(base) || base < 1 || !(EDIT_INTENTS as readonly string[]).includes(intent)) {
    return { ok: false, status: 400, errors: { form: ["editor.edit.errors.unknown"] }, intent, target };
  }
  const { version, draft } = await latestDraft(survey);
  if (version.number !== base) return conflict(survey.id, base, version.number);
  const zone = staffZone(request);
  const result = applyEdit(draft, form, { answered: await answeredQuestions(survey.id), toUtc: (local) => wallTimeToUtc(local, zone) });
  if (!result.ok) return { ok: false, status: 400, errors: result.errors, intent, target };
  const content = surveyContent(`${JSON.stringify(result.draft.definition, null, 2)}\n`, result.draft.texts);
  const saved = await saveVersionOnto(survey.id, base, content, { publish: false, createdById: user.id, note: `editor: ${intent}` });
  if (!saved.ok) return conflict(survey.id, base, saved.conflict.latest);
  return { ok: true, number: saved.number };
}

/** Who saved since the form's version, and what their versions changed (the impact report's words, without answer counts). */
async function conflict(surveyId: string, base: number, latest: number): Promise<EditOutcome> {
  const [was, now] = await Promise.all([findVersion(surveyId, base), findVersion(surveyId, latest)]);
  const parse = (text: string) => {
    const parsed = parseSurveyDefinition(JSON.parse(text));
    return parsed.ok ? parsed.definition : null;
  };
  const [before, after] = [was && parse(was.definition), now && parse(now.definition)];
  const changes =
    before && after
      ? computeImpact(before, after, { responses: 0, questions: {}, options: {} }, { textsChanged: was!.texts !== now!.texts }).items.map((item) => item.change)
      : [];
  return {
    ok: false,
    status: 409,
    conflict: { base, latest, by: now?.createdBy?.name ?? null, at: now?.createdAt.toISOString() ?? null, changes: changes.slice(0, 20) },
  };
}
