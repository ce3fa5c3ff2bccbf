import { existsSync, readdirSync, readFileSync } from "node:fs";
import JSZip from "jszip";
import { join } from "node:path";
import {
  checkLocales,
  judgeUpload,
  LANGUAGES_FILE,
  layoutLikeEnglish,
  parseLanguageSettings,
  parseLocaleJson,
  readLocalesDir,
  REFERENCE_LANGUAGE,
  type FileReport,
  type LanguageReport,
  type LocaleProblem,
} from "~/features/translations/locale-check";
import { LANGUAGE_CODE_PATTERN } from "~/platform/i18n";
import { recordAudit } from "~/platform/audit.server";
import { localesDir, refreshInterfaceTexts } from "~/platform/i18n.server";
import { readForm } from "~/platform/forms.server";
import { parseTexts, surveyContent } from "~/features/surveys/index.server";
import { withStoredSurveyTexts } from "~/features/translations/survey-texts.server";
import { findPublishedBySlug, listPublishedTexts, publishChangedTexts } from "~/models/survey-version.server";
import { effectiveComplete, formatLocaleFile, withInterfaceOverrides } from "~/features/translations/interface-overrides";
import { deleteInterfaceText, listInterfaceTexts, listLanguageStatuses, saveInterfaceText, saveLanguageStatus } from "~/models/interface-text.server";

/**
 * The staff "Translations" pages: the same report as `npm run i18n:check`,
 * files for translators to download, and uploads that are checked by the same
 * rules before they are stored in the database as an override of the shipped
 * file in the locale folder (which may be read-only): every instance serves
 * the override, and it can be reverted or exported back into git.
 *
 * Survey texts (survey.<slug>) live in the database: for a survey with a
 * published version, the pages read that version's texts instead of the
 * folder, and an upload publishes a new version with that language's texts
 * replaced (seen by every instance at once).
 */

/** The largest locale file today is ~40 KB; this leaves room for long surveys. */
export const MAX_LOCALE_FILE_BYTES = 1024 * 1024;

export interface LanguageSummary {
  code: string;
  /** The language's name in itself, from its common.json, or the code. */
  endonym: string;
  report: LanguageReport;
  /** The namespaces whose file in use is stored in the database, not shipped. */
  overridden: string[];
}

export interface TranslationOverview {
  namespaces: string[];
  languages: LanguageSummary[];
  /** Set when languages.json cannot be read; the check then treats no language as complete. */
  settingsProblem: string | null;
}

function readSettings(dir: string): { complete: string[]; comment: unknown; problem: string | null } {
  const path = join(dir, LANGUAGES_FILE);
  if (!existsSync(path)) return { complete: [], comment: undefined, problem: null };
  const text = readFileSync(path, "utf8");
  try {
    const comment = (JSON.parse(text) as { _comment?: unknown })._comment;
    return { ...parseLanguageSettings(text), comment, problem: null };
  } catch (error) {
    return { complete: [], comment: undefined, problem: (error as Error).message };
  }
}

async function readAll() {
  const dir = localesDir();
  // readLocalesDir also parses languages.json and throws when it is broken; the
  // page still shows the table then, with the problem named.
  const shipped = readSettings(dir);
  const [overrides, statuses] = await Promise.all([listInterfaceTexts(), listLanguageStatuses()]);
  const settings = { ...shipped, complete: effectiveComplete(shipped.complete, statuses) };
  const { files } = readLocalesDir(dir, { skipSettings: true });
  withInterfaceOverrides(files, overrides);
  withStoredSurveyTexts(files, await listPublishedTexts());
  return { dir, files, settings, overrides };
}

export async function translationOverview(): Promise<TranslationOverview> {
  const { files, settings, overrides } = await readAll();
  const report = checkLocales(files, { complete: settings.complete });
  const english = files[REFERENCE_LANGUAGE] ?? {};
  return {
    namespaces: Object.keys(english).sort(),
    languages: report.languages.map((language) => ({
      code: language.language,
      endonym: endonymOf(files[language.language]?.common) ?? language.language,
      report: language,
      overridden: overrides.filter((row) => row.language === language.language).map((row) => row.namespace),
    })),
    settingsProblem: settings.problem,
  };
}

function endonymOf(file: { data: unknown } | { error: unknown } | undefined): string | null {
  if (!file || !("data" in file)) return null;
  const endonym = (file.data as { language?: { endonym?: unknown } } | null)?.language?.endonym;
  return typeof endonym === "string" && endonym.trim() !== "" ? endonym : null;
}

export interface NamespaceDetail {
  language: string;
  namespace: string;
  endonym: string;
  complete: boolean;
  file: FileReport;
  problems: LocaleProblem[];
  /** When the file in use is a translation stored in the database: its last change. */
  overriddenAt: Date | null;
}

/** One language's file: its counts and every problem, or null for an unknown namespace. */
export async function namespaceDetail(language: string, namespace: string): Promise<NamespaceDetail | null> {
  if (!isValidLanguageCode(language)) return null;
  const { files, settings, overrides } = await readAll();
  if (!files[REFERENCE_LANGUAGE]?.[namespace]) return null;
  const report = checkLocales(
    {
      [REFERENCE_LANGUAGE]: { [namespace]: files[REFERENCE_LANGUAGE][namespace] },
      [language]: files[language]?.[namespace] ? { [namespace]: files[language][namespace] } : {},
    },
    { complete: settings.complete, only: [language] },
  );
  return {
    language,
    namespace,
    endonym: endonymOf(files[language]?.common) ?? language,
    complete: settings.complete.includes(language),
    file: report.languages[0]!.files[0]!,
    problems: report.problems,
    overriddenAt: overrides.find((row) => row.language === language && row.namespace === namespace)?.updatedAt ?? null,
  };
}

/** A language code a new folder may have: BCP 47 as Intl spells it ("pt", "pt-BR"). */
export function isValidLanguageCode(code: string): boolean {
  if (!LANGUAGE_CODE_PATTERN.test(code)) return false;
  try {
    return Intl.getCanonicalLocales(code)[0] === code;
  } catch {
    return false;
  }
}

/** A survey namespace's texts in the database: the survey and its published trees, or null (then the folder is read). */
async function surveyTextsOf(namespace: string) {
  if (!namespace.startsWith("survey.")) return null;
  const published = await findPublishedBySlug(namespace.slice("survey.".length));
  return published ? { surveyId: published.survey.id, trees: parseTexts(published.version.texts) } : null;
}

/** English's parsed file, or null when English has no such namespace (which also keeps odd names out of paths). */
async function englishData(namespace: string): Promise<unknown | null> {
  const stored = await surveyTextsOf(namespace);
  if (stored) return stored.trees[REFERENCE_LANGUAGE] ?? null;
  const folder = join(localesDir(), REFERENCE_LANGUAGE);
  if (!readdirSync(folder).includes(`${namespace}.json`)) return null;
  const file = parseLocaleJson(readFileSync(join(folder, `${namespace}.json`), "utf8"));
  return "data" in file ? file.data : null;
}

async function ownData(language: string, namespace: string): Promise<unknown> {
  const stored = await surveyTextsOf(namespace);
  if (stored) return stored.trees[language] ?? {};
  const override = (await listInterfaceTexts()).find((row) => row.language === language && row.namespace === namespace);
  const path = join(localesDir(), language, `${namespace}.json`);
  if (!override && !existsSync(path)) return {};
  try {
    return JSON.parse(override ? override.texts : readFileSync(path, "utf8")) as unknown;
  } catch {
    return {};
  }
}

/**
 * The file a translator works on: English itself, or the language's file with
 * every key English has, untranslated ones filled in English behind "[EN] ".
 */
export async function fileForDownload(language: string, namespace: string): Promise<{ fileName: string; body: string } | null> {
  if (!isValidLanguageCode(language)) return null;
  const english = await englishData(namespace);
  if (english === null) return null;
  const data = language === REFERENCE_LANGUAGE ? english : layoutLikeEnglish(language, english, await ownData(language, namespace), true);
  return { fileName: `${language}-${namespace}.json`, body: `${JSON.stringify(data, null, 2)}\n` };
}

export type UploadOutcome =
  | { ok: true; translated: number; total: number; dropped: number }
  | {
      ok: false;
      status: 400 | 403 | 409 | 413;
      reason: "fields" | "english" | "encoding" | "tooLarge" | "problems" | "language";
      problems?: LocaleProblem[];
    };

/**
 * Checks an uploaded namespace file and, when it passes, stores it in the
 * database in place of the shipped file and reloads this instance's locales
 * (the others notice within their re-check interval). English is the reference that changes with
 * the code, so it is never replaced from here.
 */
export async function acceptTranslation(staffUserId: string, language: string, namespace: string, upload: Blob): Promise<UploadOutcome> {
  if (!isValidLanguageCode(language)) return { ok: false, status: 400, reason: "fields" };
  if (language === REFERENCE_LANGUAGE) return { ok: false, status: 400, reason: "english" };
  const stored = await surveyTextsOf(namespace);
  const english = stored ? (stored.trees[REFERENCE_LANGUAGE] ?? null) : await englishData(namespace);
  if (english === null) return { ok: false, status: 400, reason: "fields" };
  if (upload.size > MAX_LOCALE_FILE_BYTES) return { ok: false, status: 413, reason: "tooLarge" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await upload.arrayBuffer());
  } catch {
    return { ok: false, status: 400, reason: "encoding" };
  }
  const verdict = judgeUpload(language, namespace, english, text);
  if (!verdict.accepted) return { ok: false, status: 400, reason: "problems", problems: verdict.problems };

  if (stored) {
    await publishChangedTexts(
      stored.surveyId,
      (texts) => surveyContent("", { ...parseTexts(texts), [language]: verdict.data as Record<string, unknown> }).texts,
      staffUserId,
      `translations: ${language}`,
    );
    await recordAudit({
      staffUserId,
      action: "translations.upload",
      subject: `${language}/${namespace}`,
      detail: { translated: verdict.report.translated, total: verdict.report.total, dropped: verdict.dropped },
    });
    return { ok: true, translated: verdict.report.translated, total: verdict.report.total, dropped: verdict.dropped };
  }
  await saveInterfaceText(language, namespace, `${JSON.stringify(verdict.data, null, 2)}\n`, staffUserId);
  await refreshInterfaceTexts(true);
  await recordAudit({
    staffUserId,
    action: "translations.upload",
    subject: `${language}/${namespace}`,
    detail: { translated: verdict.report.translated, total: verdict.report.total, dropped: verdict.dropped },
  });
  return { ok: true, translated: verdict.report.translated, total: verdict.report.total, dropped: verdict.dropped };
}

/**
 * What marking a language complete would mean now, for the confirmation step:
 * refused for the same reasons as setLanguageComplete, otherwise the language's
 * name and the warnings that stay (they do not fail the check).
 */
export async function completionSummary(
  language: string,
): Promise<{ ok: true; code: string; endonym: string; warnings: number } | { ok: false; status: 400 | 409; reason: "fields" | "hasErrors" }> {
  const overview = await translationOverview();
  const summary = overview.languages.find((entry) => entry.code === language);
  if (!summary || language === REFERENCE_LANGUAGE || overview.settingsProblem) return { ok: false, status: 400, reason: "fields" };
  if (summary.report.errors > 0) return { ok: false, status: 409, reason: "hasErrors" };
  return { ok: true, code: summary.code, endonym: summary.endonym, warnings: summary.report.warnings };
}

/**
 * Marks a language complete (its gaps then fail `npm run i18n:check`) or not.
 * Only a language without errors can be marked complete.
 */
export async function setLanguageComplete(
  staffUserId: string,
  language: string,
  complete: boolean,
): Promise<{ ok: true } | { ok: false; status: 400 | 409; reason: "fields" | "hasErrors" }> {
  const overview = await translationOverview();
  const summary = overview.languages.find((entry) => entry.code === language);
  if (!summary || language === REFERENCE_LANGUAGE || overview.settingsProblem) return { ok: false, status: 400, reason: "fields" };
  if (complete && summary.report.errors > 0) return { ok: false, status: 409, reason: "hasErrors" };
  await saveLanguageStatus(language, complete, staffUserId);
  await recordAudit({ staffUserId, action: complete ? "translations.complete" : "translations.incomplete", subject: language });
  return { ok: true };
}

/**
 * The upload form's POST: language and namespace come from the form (the
 * overview page) or from the URL (a file's page). Bodies over the cap are
 * refused before they are read.
 */
export async function receiveTranslationUpload(
  request: Request,
  staffUserId: string,
  mayTranslate: (language: string) => boolean,
  fixed?: { language: string; namespace: string },
): Promise<UploadOutcome & { language: string; namespace: string }> {
  let form: FormData;
  try {
    form = await readForm(request, MAX_LOCALE_FILE_BYTES + 64 * 1024);
  } catch (error) {
    const tooLarge = error instanceof Response && error.status === 413;
    return { ok: false, status: tooLarge ? 413 : 400, reason: tooLarge ? "tooLarge" : "fields", language: "", namespace: "" };
  }
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  const language = fixed?.language ?? field("language");
  const namespace = fixed?.namespace ?? field("namespace");
  const file = form.get("file");
  if (!(file instanceof Blob) || file.size === 0) return { ok: false, status: 400, reason: "fields", language, namespace };
  // A translator's grant may name one language: the file's language is checked here, where it is known.
  if (!mayTranslate(language)) return { ok: false, status: 403, reason: "language", language, namespace };
  return { ...(await acceptTranslation(staffUserId, language, namespace, file)), language, namespace };
}

/**
 * Deletes a language's stored translation of a namespace, so the shipped file
 * is used again on every instance. False when there was none.
 */
export async function revertTranslation(staffUserId: string, language: string, namespace: string): Promise<boolean> {
  if (!(await deleteInterfaceText(language, namespace))) return false;
  await refreshInterfaceTexts(true);
  await recordAudit({ staffUserId, action: "translations.revert", subject: `${language}/${namespace}` });
  return true;
}

/**
 * Every translation stored in the database as a zip of the locale folder's
 * layout (locales/<language>/<namespace>.json, and locales/languages.json
 * when languages were marked in the browser): unzipped at the repository's
 * root, it is committed like any hand edit.
 */
export async function exportOverrides(): Promise<{ fileName: string; body: ArrayBuffer }> {
  const [overrides, statuses] = await Promise.all([listInterfaceTexts(), listLanguageStatuses()]);
  const zip = new JSZip();
  for (const row of overrides) zip.file(`locales/${row.language}/${row.namespace}.json`, formatLocaleFile(row.texts));
  const shipped = readSettings(localesDir());
  if (statuses.length > 0 && !shipped.problem) {
    const body = {
      ...(shipped.comment === undefined ? {} : { _comment: shipped.comment }),
      complete: effectiveComplete(shipped.complete, statuses),
    };
    zip.file(`locales/${LANGUAGES_FILE}`, `${JSON.stringify(body, null, 2)}\n`);
  }
  return { fileName: "parley-translations.zip", body: await zip.generateAsync({ type: "arraybuffer", compression: "DEFLATE" }) };
}
