import { parseSurveyDefinition, surveyTextKeys, type SurveyDefinition } from "~/domain/survey-definition";
import { computeImpact, impactSummary, type ImpactReport } from "~/domain/survey-impact";
import { judgeBundle, BUNDLE_LIMITS, type BundleProblem } from "~/features/editor/bundle";
import { readBundle, writeBundle } from "~/features/editor/bundle.server";
import { parseTexts, surveyFiles } from "~/features/surveys/index.server";
import { createSurveyFromBundle, publishVersion, saveDraftVersion, SurveySyncError } from "~/models/survey-sync.server";
import { countSurveyAnswers } from "~/models/survey-answer-counts.server";
import { contentHash, findVersion, listVersions, type VersionRow } from "~/models/survey-version.server";
import { findSurveyForStaff } from "~/models/survey.server";
import { recordAudit } from "~/platform/audit.server";
import { confirmationFor, confirmationStatus, type Confirmation } from "~/platform/confirm";
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
    // The same survey was created a moment ago (two uploads at once): this bundle is then a draft on top of it,
    // through the checks any bundle for an existing survey goes through.
    if (number === null) return importBundle(bytes, user, note);
    await recordAudit({ staffUserId: user.id, action: "surveys.import", subject: slug, detail: { version: number, created: true } });
    return { ok: true, slug, number, created: true };
  }
  if (!user.mayEdit(existing.id)) return { ok: false, status: 403, problems: [{ code: "forbidden" }] };
  const current = existing.publishedVersion > 0 ? await findVersion(existing.id, existing.publishedVersion) : null;
  if (current?.contentHash === contentHash(content)) return { ok: false, status: 409, problems: [{ code: "sameAsVersion", number: current.number }] };
  // Refused changes are refused at the door; those needing confirmation are confirmed when the draft is published.
  const refusal = refusals(await impactOver(existing.id, current, definition, content.texts));
  if (refusal) return { ok: false, status: 409, problems: refusal };
  const number = await saveDraftVersion(existing.id, content, user.id, note);
  await recordAudit({ staffUserId: user.id, action: "surveys.import", subject: slug, detail: { version: number, created: false } });
  return { ok: true, slug, number, created: false };
}

/**
 * The impact report of `after` over the published version, from the answers
 * stored now; null when nothing is published yet (nobody can have answered).
 */
async function impactOver(surveyId: string, current: VersionRow | null, after: SurveyDefinition, texts: string): Promise<ImpactReport | null> {
  if (!current) return null;
  return computeImpact(storedDefinition(current.definition), after, await countSurveyAnswers(surveyId), { textsChanged: current.texts !== texts });
}

function refusals(report: ImpactReport | null): BundleProblem[] | null {
  const refused = report?.items.filter((item) => item.level === "refused") ?? [];
  return refused.length ? refused.map((item) => ({ code: "impact" as const, change: item.change })) : null;
}

export type PublishOutcome =
  | { ok: true }
  | { ok: false; status: 404 | 409; problems: (BundleProblem | { code: "notDraft" } | { code: "syncRefused"; detail: string })[] }
  /** Changes that need a second look: the page shows the report and asks to confirm this many of them. */
  | { ok: false; status: 200 | 409; confirm: { report: ImpactReport; confirmation: Confirmation; number: number } };

/**
 * Publishes a draft after its impact report: refused changes stop it (409,
 * each reason named), changes that need confirmation are published only when
 * the form confirms the number of them the staff member saw (counted again
 * here, since answers may have arrived meanwhile). Audited with the report's summary.
 */
export async function publishDraft(
  user: { id: string },
  survey: { id: string; slug: string; publishedVersion: number },
  number: number,
  form: FormData,
): Promise<PublishOutcome> {
  const draft = await findVersion(survey.id, number);
  if (!draft) return { ok: false, status: 404, problems: [{ code: "notDraft" }] };
  if (draft.publishedAt) return { ok: false, status: 409, problems: [{ code: "notDraft" }] };
  const definition = storedDefinition(draft.definition);
  const current = survey.publishedVersion > 0 ? await findVersion(survey.id, survey.publishedVersion) : null;
  const report = await impactOver(survey.id, current, definition, draft.texts);
  const refused = refusals(report);
  if (refused) return { ok: false, status: 409, problems: refused };
  const toConfirm = report?.items.filter((item) => item.level === "confirm").length ?? 0;
  // The editor's Publish button asks to see the report even when every change is safe.
  const review = form.get("review") === "1" && report !== null && report.items.length > 0;
  if (report && (toConfirm > 0 || review)) {
    const confirmation = confirmationFor(form, toConfirm);
    if (confirmation) return { ok: false, status: confirmationStatus(confirmation), confirm: { report, confirmation, number } };
  }
  try {
    await publishVersion(survey.id, number, definition);
  } catch (error) {
    if (error instanceof SurveySyncError) return { ok: false, status: 409, problems: [{ code: "syncRefused", detail: error.message }] };
    throw error;
  }
  await recordAudit({
    staffUserId: user.id,
    action: "surveys.publish",
    subject: survey.slug,
    detail: { version: number, previous: survey.publishedVersion, impact: report ? impactSummary(report) : null },
  });
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
