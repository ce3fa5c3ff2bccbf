import { z } from "zod";
import { LIKERT_SCALE, parseSurveyDefinition, surveyTextKeys, type SurveyDefinition } from "~/domain/survey-definition";
import { parseTexts, surveyContent } from "~/features/surveys/index.server";
import { flattenKeys, judgeUpload, unflattenKeys, REFERENCE_LANGUAGE, type LocaleProblem } from "~/features/translations/locale-check";
import { findEnglishByFingerprint, findLatestVersion, outdatedKeys, parseSourceHashes, saveVersionOnto, type VersionRow } from "~/models/survey-version.server";
import { recordAudit } from "~/platform/audit.server";
import { formText, parseForm } from "~/platform/forms.server";
import { availableLanguages, getFixedT, languageInfo } from "~/platform/i18n.server";

/**
 * The side-by-side editor of a survey's texts in one language: English beside
 * the translation, text by text with its context, checked by the same rules
 * as `npm run i18n:check`, outdated texts shown with the English they were
 * made from. Saving writes the next version of the survey on top of the one
 * the page was read from (a conflict otherwise), published at once when that
 * version is published: only this language's texts change.
 */

/** Long surveys are edited a section at a time, so a page stays light on a phone. */
const TEXTS_PER_PAGE = 60;
/** One text is at most this long (the longest survey text today is ~300 characters). */
const MAX_TEXT_LENGTH = 5000;

export type TextKind = "title" | "description" | "sectionTitle" | "sectionIntro" | "label" | "help" | "option" | "otherLabel" | "row";

export interface EditorText {
  key: string;
  kind: TextKind;
  required: boolean;
  english: string;
  value: string;
  /** The English this translation was made from, when it has changed since ("" when not found in earlier versions). */
  outdated: { oldEnglish: string } | null;
  /** Placeholders English uses, for the translator to keep. */
  placeholders: string[];
}

export interface EditorQuestion {
  key: string;
  type: string;
  texts: EditorText[];
}

export interface EditorGroup {
  /** "survey" for title and description, otherwise a section key. */
  key: string;
  title: string;
  texts: EditorText[];
  questions: EditorQuestion[];
  usesLikert: boolean;
}

export interface LanguageProgress {
  code: string;
  endonym: string;
  translated: number;
  outdated: number;
  total: number;
}

export interface SurveyEditor {
  slug: string;
  language: string;
  endonym: string;
  dir: "ltr" | "rtl";
  version: number;
  published: boolean;
  groups: EditorGroup[];
  /** The group keys as pages, or a single page holding everything. */
  pages: { key: string; title: string; missing: number; outdated: number }[];
  page: string | null;
  progress: LanguageProgress[];
  likert: { key: string; english: string; value: string }[];
}

type Survey = { id: string; slug: string };

function lookup(tree: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

function text(tree: unknown, path: string): string {
  const value = lookup(tree, path);
  return typeof value === "string" ? value : "";
}

function placeholderNames(value: string): string[] {
  return [...new Set([...value.matchAll(/\{\{\s*-?\s*([^{}]*?)\s*\}\}/g)].map((match) => `{{${(match[1] ?? "").split(",")[0]!.trim()}}}`))];
}

/** The texts a translation may hold, in reading order, grouped by section and question. */
export function layout(definition: SurveyDefinition): { key: string; sectionKey: string; questionKey: string | null; kind: TextKind; required: boolean }[] {
  const entries: { key: string; sectionKey: string; questionKey: string | null; kind: TextKind; required: boolean }[] = [
    { key: "title", sectionKey: "survey", questionKey: null, kind: "title", required: true },
    { key: "description", sectionKey: "survey", questionKey: null, kind: "description", required: true },
  ];
  for (const section of definition.sections) {
    entries.push({ key: `sections.${section.key}.title`, sectionKey: section.key, questionKey: null, kind: "sectionTitle", required: true });
    entries.push({ key: `sections.${section.key}.intro`, sectionKey: section.key, questionKey: null, kind: "sectionIntro", required: false });
    for (const question of section.questions) {
      const base = `questions.${question.key}`;
      const add = (key: string, kind: TextKind, required: boolean) => entries.push({ key, sectionKey: section.key, questionKey: question.key, kind, required });
      add(`${base}.label`, "label", true);
      add(`${base}.help`, "help", false);
      if ("options" in question) for (const option of question.options) add(`${base}.options.${option}`, "option", true);
      if ("allowOther" in question && question.allowOther) add(`${base}.otherLabel`, "otherLabel", false);
      if (question.type === "matrix") for (const row of question.rows) add(`${base}.rows.${row}`, "row", true);
    }
  }
  return entries;
}

export function definitionOf(version: VersionRow): SurveyDefinition | null {
  try {
    const parsed = parseSurveyDefinition(JSON.parse(version.definition));
    return parsed.ok ? parsed.definition : null;
  } catch {
    return null;
  }
}

/** Languages a survey's texts can be edited in here: the interface's, except English (edited with the structure). */
export function editableLanguage(language: string): boolean {
  return language !== REFERENCE_LANGUAGE && availableLanguages().some((info) => info.code === language);
}

function progressOf(definition: SurveyDefinition, trees: Record<string, Record<string, unknown>>, outdated: Record<string, string[]>): LanguageProgress[] {
  const required = surveyTextKeys(definition);
  return availableLanguages()
    .filter((info) => info.code !== REFERENCE_LANGUAGE)
    .map((info) => {
      const stale = new Set(outdated[info.code] ?? []);
      const present = required.filter((key) => text(trees[info.code], key).trim() !== "");
      return {
        code: info.code,
        endonym: info.endonym,
        translated: present.filter((key) => !stale.has(key)).length,
        outdated: present.filter((key) => stale.has(key)).length,
        total: required.length,
      };
    });
}

/** The editor for a survey in a language, on one page (a section key) or all; null when the survey has no readable version. */
export async function surveyEditor(survey: Survey, language: string, page: string | null, reader: string): Promise<SurveyEditor | null> {
  const version = await findLatestVersion(survey.id);
  if (!version) return null;
  const definition = definitionOf(version);
  if (!definition) return null;
  const trees = parseTexts(version.texts);
  const english = trees[REFERENCE_LANGUAGE] ?? {};
  const own = trees[language] ?? {};
  const outdated = outdatedKeys(version.texts, version.sourceHashes);
  const staleKeys = new Set(outdated[language] ?? []);
  const hashes = parseSourceHashes(version.sourceHashes)[language] ?? {};
  const oldEnglish = await findEnglishByFingerprint(survey.id, version.number, new Set([...staleKeys].map((key) => hashes[key]!).filter(Boolean)));

  const entries = layout(definition).filter((entry) => entry.required || text(english, entry.key) !== "");
  const toText = (entry: (typeof entries)[number]): EditorText => {
    const source = text(english, entry.key);
    return {
      key: entry.key,
      kind: entry.kind,
      required: entry.required,
      english: source,
      value: text(own, entry.key),
      outdated: staleKeys.has(entry.key) ? { oldEnglish: oldEnglish.get(hashes[entry.key] ?? "") ?? "" } : null,
      placeholders: placeholderNames(source),
    };
  };
  const groups: EditorGroup[] = [
    {
      key: "survey",
      title: text(english, "title"),
      texts: entries.filter((entry) => entry.sectionKey === "survey").map(toText),
      questions: [],
      usesLikert: false,
    },
    ...definition.sections.map((section) => ({
      key: section.key,
      title: text(english, `sections.${section.key}.title`) || section.key,
      texts: entries.filter((entry) => entry.sectionKey === section.key && entry.questionKey === null).map(toText),
      questions: section.questions.map((question) => ({
        key: question.key,
        type: question.type,
        texts: entries.filter((entry) => entry.questionKey === question.key).map(toText),
      })),
      usesLikert: section.questions.some((question) => question.type === "likert"),
    })),
  ];
  const all = (group: EditorGroup) => [...group.texts, ...group.questions.flatMap((question) => question.texts)];
  const paged = entries.length > TEXTS_PER_PAGE;
  const current = paged ? (groups.find((group) => group.key === page) ?? groups[0]!).key : null;
  const t = getFixedT(reader, "staff");
  const info = languageInfo(language);
  const usesLikert = definition.sections.some((section) => section.questions.some((question) => question.type === "likert"));
  return {
    slug: survey.slug,
    language,
    endonym: info.endonym,
    dir: info.dir === "rtl" ? "rtl" : "ltr",
    version: version.number,
    published: version.publishedAt !== null,
    groups: current === null ? groups : groups.filter((group) => group.key === current),
    pages: groups.map((group) => ({
      key: group.key,
      title: group.key === "survey" ? t("surveyTexts.general") : group.title,
      missing: all(group).filter((entry) => entry.required && entry.value.trim() === "").length,
      outdated: all(group).filter((entry) => entry.outdated).length,
    })),
    page: current,
    progress: progressOf(definition, trees, outdated),
    likert: usesLikert
      ? LIKERT_SCALE.map((point) => ({
          key: point.key,
          english: getFixedT(REFERENCE_LANGUAGE, "common")(`likert.${point.key}`),
          value: getFixedT(language, "common")(`likert.${point.key}`),
        }))
      : [],
  };
}

const saveSchema = z.object({
  base: formText(z.coerce.number().int().min(1, { message: "surveyTexts.errors.base" })),
  page: formText(z.string().max(100)),
});

export type SaveTextsOutcome =
  | { ok: true; version: number; published: boolean }
  | { ok: false; status: 400 | 404 | 409; reason: "fields" | "problems" | "conflict" | "noVersion"; problems?: LocaleProblem[]; latest?: number };

/** Field names: the text key behind a prefix, so no key can collide with the form's own fields. */
export const TEXT_FIELD = "text:";
export const CONFIRM_FIELD = "confirm:";

/**
 * Saves the texts of one page (or every text) of a survey in a language. The
 * keys come from the definition, never from the form, so a translation cannot
 * add a key or touch English or another language. Values go through the
 * check's rules (placeholders, markup, plural forms): any problem refuses the
 * whole save and nothing is written.
 */
export async function saveSurveyTexts(
  survey: Survey,
  language: string,
  form: FormData,
  staffUserId: string,
): Promise<SaveTextsOutcome & { values: Record<string, string> }> {
  const values: Record<string, string> = {};
  const parsed = parseForm(saveSchema, form);
  if (!parsed.ok) return { ok: false, status: 400, reason: "fields", values };
  const latest = await findLatestVersion(survey.id);
  const definition = latest && definitionOf(latest);
  if (!latest || !definition) return { ok: false, status: 404, reason: "noVersion", values };
  const entries = layout(definition);
  const onPage = entries.filter((entry) => form.has(`${TEXT_FIELD}${entry.key}`));
  for (const entry of onPage) values[entry.key] = String(form.get(`${TEXT_FIELD}${entry.key}`) ?? "").slice(0, MAX_TEXT_LENGTH);
  if (onPage.length === 0) return { ok: false, status: 400, reason: "fields", values };
  if (latest.number !== parsed.values.base) return { ok: false, status: 409, reason: "conflict", latest: latest.number, values };

  const trees = parseTexts(latest.texts);
  const english = trees[REFERENCE_LANGUAGE] ?? {};
  const flat = Object.fromEntries(flattenKeys(trees[language] ?? {}));
  for (const entry of onPage) {
    const value = values[entry.key]!.trim();
    if (value === "") delete flat[entry.key];
    else flat[entry.key] = value;
  }
  const tree = unflattenKeys(flat);
  const namespace = `survey.${survey.slug}`;
  const verdict = judgeUpload(language, namespace, english, JSON.stringify(tree));
  if (!verdict.accepted) return { ok: false, status: 400, reason: "problems", problems: verdict.problems, values };

  const confirmed = onPage.filter((entry) => form.get(`${CONFIRM_FIELD}${entry.key}`) === "on").map((entry) => entry.key);
  const published = latest.publishedAt !== null;
  const outcome = await saveVersionOnto(survey.id, latest.number, surveyContent(latest.definition, { ...trees, [language]: verdict.data }), {
    publish: published,
    createdById: staffUserId,
    note: `translations: ${language}`,
    confirmed: { [language]: confirmed },
  });
  if (!outcome.ok) return { ok: false, status: 409, reason: "conflict", latest: outcome.conflict.latest, values };
  await recordAudit({
    staffUserId,
    action: "translations.survey",
    subject: `${language}/${namespace}`,
    detail: { version: outcome.number, published, texts: onPage.length, confirmed: confirmed.length },
  });
  return { ok: true, version: outcome.number, published, values };
}

/** Only problems of the texts on this page: the check also reports gaps elsewhere, which are not this save's business. */
export function problemsByKey(problems: readonly LocaleProblem[]): Record<string, LocaleProblem[]> {
  const byKey: Record<string, LocaleProblem[]> = {};
  for (const problem of problems) if (problem.key) (byKey[problem.key] ??= []).push(problem);
  return byKey;
}
