import { parseSurveyDefinition, surveyTextKeys, type SurveyDefinition } from "~/domain/survey-definition";
import { judgeBundle, structureChanges, BUNDLE_LIMITS, type BundleProblem } from "~/features/editor/bundle";
import { readBundle, writeBundle } from "~/features/editor/bundle.server";
import { parseTexts, surveyFiles } from "~/features/surveys/index.server";
import { createSurveyFromBundle, publishVersion, saveDraftVersion, SurveySyncError } from "~/models/survey-sync.server";
import { contentHash, findVersion, listVersions, surveyHasAnswers } from "~/models/survey-version.server";
import { findSurveyForStaff } from "~/models/survey.server";
import { recordAudit } from "~/platform/audit.server";
import { readForm } from "~/platform/forms.server";

/**
 * Survey versions for staff: a bundle (zip of the exchange files) in, as a
 * new survey or a draft version of an existing one; any version out as the
 * same files; a draft published. Everything a bundle brings goes through the
 * schema `npm run surveys:sync` uses; a refusal stores nothing.
 */
export type ImportOutcome =
  | { ok: true; slug: string; number: number; created: boolean }
  | {
      ok: false;
      status: 400 | 403 | 409 | 413;
      problems: (BundleProblem | { code: "noFile" } | { code: "sameAsVersion"; number: number } | { code: "forbidden" })[];
    };

function storedDefinition(text: string): SurveyDefinition {
  const parsed = parseSurveyDefinition(JSON.parse(text));
  if (!parsed.ok) throw new Error(`stored definition no longer passes the schema: ${parsed.errors.join("; ")}`);
  return parsed.definition;
}

/** Who imports, and whether they may change a survey (its id) or create one (null); the route asks the staff permissions. */
export interface Importer {
  id: string;
  mayEdit(surveyId: string | null): boolean;
}

export async function receiveBundleUpload(request: Request, user: Importer): Promise<ImportOutcome> {
  let form: FormData;
  try {
    form = await readForm(request, BUNDLE_LIMITS.zipBytes + 64 * 1024);
  } catch (error) {
    const tooLarge = error instanceof Response && error.status === 413;
    return { ok: false, status: tooLarge ? 413 : 400, problems: [tooLarge ? { code: "tooLarge" } : { code: "noFile" }] };
  }
  const file = form.get("file");
  const note = String(form.get("note") ?? "")
    .trim()
    .slice(0, 200);
  if (!(file instanceof Blob) || file.size === 0) return { ok: false, status: 400, problems: [{ code: "noFile" }] };
  if (file.size > BUNDLE_LIMITS.zipBytes) return { ok: false, status: 413, problems: [{ code: "tooLarge" }] };
  return importBundle(new Uint8Array(await file.arrayBuffer()), user, note);
}

export async function importBundle(bytes: Uint8Array, user: Importer, note: string): Promise<ImportOutcome> {
  const read = await readBundle(bytes);
  if (!read.ok) return { ok: false, status: read.problem.code === "tooLarge" ? 413 : 400, problems: [read.problem] };
  const judged = judgeBundle(read.entries, surveyTextKeys);
  if (!judged.ok) return { ok: false, status: 400, problems: judged.problems };
  const { slug, definition, content } = judged.bundle;

  const existing = await findSurveyForStaff(slug);
  if (!existing) {
    if (!user.mayEdit(null)) return { ok: false, status: 403, problems: [{ code: "forbidden" }] };
    const number = await createSurveyFromBundle(definition, content, user.id, note);
    await recordAudit({ staffUserId: user.id, action: "surveys.import", subject: slug, detail: { version: number, created: true } });
    return { ok: true, slug, number, created: true };
  }
  if (!user.mayEdit(existing.id)) return { ok: false, status: 403, problems: [{ code: "forbidden" }] };
  const current = existing.publishedVersion > 0 ? await findVersion(existing.id, existing.publishedVersion) : null;
  if (current?.contentHash === contentHash(content)) return { ok: false, status: 409, problems: [{ code: "sameAsVersion", number: current.number }] };
  const refusal = await structureRefusal(existing.id, current ? storedDefinition(current.definition) : null, definition);
  if (refusal) return { ok: false, status: 409, problems: refusal };
  const number = await saveDraftVersion(existing.id, content, user.id, note);
  await recordAudit({ staffUserId: user.id, action: "surveys.import", subject: slug, detail: { version: number, created: false } });
  return { ok: true, slug, number, created: false };
}

/** Until the impact report exists, a survey with answers may change its texts and dates, not its structure. */
async function structureRefusal(surveyId: string, before: SurveyDefinition | null, after: SurveyDefinition): Promise<BundleProblem[] | null> {
  if (!before || !(await surveyHasAnswers(surveyId))) return null;
  const changes = structureChanges(before, after);
  return changes.length ? changes.slice(0, 10).map((change) => ({ code: "structureChange" as const, change })) : null;
}

export async function publishDraft(
  user: { id: string },
  survey: { id: string; slug: string; publishedVersion: number },
  number: number,
): Promise<{ ok: true } | { ok: false; status: 404 | 409; problems: (BundleProblem | { code: "notDraft" } | { code: "syncRefused"; detail: string })[] }> {
  const draft = await findVersion(survey.id, number);
  if (!draft) return { ok: false, status: 404, problems: [{ code: "notDraft" }] };
  if (draft.publishedAt) return { ok: false, status: 409, problems: [{ code: "notDraft" }] };
  const definition = storedDefinition(draft.definition);
  const current = survey.publishedVersion > 0 ? await findVersion(survey.id, survey.publishedVersion) : null;
  const refusal = await structureRefusal(survey.id, current ? storedDefinition(current.definition) : null, definition);
  if (refusal) return { ok: false, status: 409, problems: refusal };
  try {
    await publishVersion(survey.id, number, definition);
  } catch (error) {
    if (error instanceof SurveySyncError) return { ok: false, status: 409, problems: [{ code: "syncRefused", detail: error.message }] };
    throw error;
  }
  await recordAudit({ staffUserId: user.id, action: "surveys.publish", subject: survey.slug, detail: { version: number } });
  return { ok: true };
}

/** The version's files as a zip, or null when the survey has no such version. */
export async function exportBundle(survey: { id: string; slug: string }, number: number): Promise<{ fileName: string; bytes: Uint8Array } | null> {
  const version = await findVersion(survey.id, number);
  if (!version) return null;
  const bytes = await writeBundle(surveyFiles(survey.slug, version.definition, parseTexts(version.texts)));
  return { fileName: `${survey.slug}-v${number}.zip`, bytes };
}

export async function versionsPage(survey: { id: string; publishedVersion: number }) {
  const versions = await listVersions(survey.id);
  return versions.map((version) => ({
    number: version.number,
    note: version.note,
    createdAt: version.createdAt.toISOString(),
    publishedAt: version.publishedAt?.toISOString() ?? null,
    createdBy: version.createdBy?.name ?? null,
    current: version.number === survey.publishedVersion,
  }));
}
