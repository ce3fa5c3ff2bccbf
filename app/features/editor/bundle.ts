/**
 * A survey bundle: a zip of the exchange files, surveys/<slug>.json and
 * locales/<lng>/survey.<slug>.json. This module judges the files once they
 * are out of the zip (pure, no I/O); bundle.server.ts reads and writes zips
 * within the limits below. Every refusal is a problem code with what it
 * names, which the page says in the staff member's language.
 */
import { parseSurveyDefinition, type SurveyDefinition } from "~/domain/survey-definition";
import type { ImpactChange } from "~/domain/survey-impact";
import { LANGUAGE_CODE_PATTERN } from "~/platform/i18n";
import { surveyContent, type SurveyContent, type TextTrees } from "~/features/surveys/index";

export const BUNDLE_LIMITS = {
  /** The upload itself. */
  zipBytes: 2 * 1024 * 1024,
  entries: 64,
  /** One file, uncompressed (the Translations pages accept 1 MB per file). */
  fileBytes: 1024 * 1024,
  /** Everything, uncompressed: what a zip bomb would blow past. */
  totalBytes: 8 * 1024 * 1024,
} as const;

export type BundleProblem =
  | { code: "notZip" }
  | { code: "tooLarge" }
  | { code: "tooManyEntries"; limit: number }
  | { code: "fileTooLarge"; name: string }
  | { code: "totalTooLarge" }
  | { code: "badPath"; name: string }
  | { code: "unexpectedFile"; name: string }
  | { code: "duplicateFile"; name: string }
  | { code: "notUtf8"; name: string }
  | { code: "notJson"; name: string; detail: string }
  | { code: "noDefinition" }
  | { code: "severalDefinitions" }
  | { code: "otherSurvey"; name: string }
  | { code: "conditionSelf"; question: string }
  | { code: "conditionForward"; question: string; target: string }
  | { code: "invalidDefinition"; name: string; detail: string }
  | { code: "noEnglish"; name: string }
  | { code: "missingText"; name: string; key: string }
  /** A change the impact report refuses (domain/survey-impact.ts). */
  | { code: "impact"; change: ImpactChange };

export interface BundleEntry {
  name: string;
  bytes: Uint8Array;
}

export interface ParsedBundle {
  slug: string;
  definition: SurveyDefinition;
  content: SurveyContent;
}

const DEFINITION = /^surveys\/([a-z0-9]+(?:-[a-z0-9]+)*)\.json$/;
const TEXTS = /^locales\/([^/]+)\/survey\.([a-z0-9]+(?:-[a-z0-9]+)*)\.json$/;

/** No absolute paths, no backslashes, no "." or ".." segments, nothing but plain names. */
export function isSafePath(name: string): boolean {
  if (name.startsWith("/") || name.includes("\\") || name.includes("\u0000") || /^[a-zA-Z]:/.test(name)) return false;
  return name.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** Folders (names ending in /) carry nothing; some zip tools add them. */
export function isFolderEntry(name: string): boolean {
  return name.endsWith("/");
}

function decode(entry: BundleEntry): { text: string } | { problem: BundleProblem } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(entry.bytes);
    return { text: text.startsWith("\uFEFF") ? text.slice(1) : text };
  } catch {
    return { problem: { code: "notUtf8", name: entry.name } };
  }
}

function parseJson(name: string, text: string): { value: unknown } | { problem: BundleProblem } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: { code: "notJson", name, detail: (error as Error).message } };
  }
}

/** Conditions that point at their own question or one further on, named before the schema's general message. */
function conditionProblems(raw: unknown): BundleProblem[] {
  const sections = (raw as { sections?: unknown })?.sections;
  if (!Array.isArray(sections)) return [];
  const questions = sections.flatMap((section) => {
    const list = (section as { questions?: unknown })?.questions;
    return Array.isArray(list) ? (list as unknown[]) : [];
  });
  const keys = questions.map((question) => (question as { key?: unknown })?.key);
  const problems: BundleProblem[] = [];
  questions.forEach((question, index) => {
    const key = keys[index];
    const target = (question as { showIf?: { question?: unknown } })?.showIf?.question;
    if (typeof key !== "string" || typeof target !== "string") return;
    if (target === key) problems.push({ code: "conditionSelf", question: key });
    else if (keys.indexOf(target) > index) problems.push({ code: "conditionForward", question: key, target });
  });
  return problems;
}

/** The English keys a survey needs (title, description, sections, labels, options, rows) that are missing or empty. */
export function missingTexts(english: Record<string, unknown>, requiredKeys: readonly string[]): string[] {
  return requiredKeys.filter((key) => {
    const value = key
      .split(".")
      .reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), english);
    return typeof value !== "string" || value.trim() === "";
  });
}

/**
 * The files of a bundle, judged: exactly one definition, texts only for that
 * survey, English complete, the definition through the same schema as
 * `npm run surveys:sync`. Returns the survey or every problem found.
 */
export function judgeBundle(
  entries: readonly BundleEntry[],
  requiredKeys: (definition: SurveyDefinition) => string[],
): { ok: true; bundle: ParsedBundle } | { ok: false; problems: BundleProblem[] } {
  const problems: BundleProblem[] = [];
  const seen = new Set<string>();
  let definitionEntry: { slug: string; name: string; text: string; value: unknown } | null = null;
  let definitions = 0;
  const texts: { language: string; slug: string; name: string; value: unknown }[] = [];

  for (const entry of entries) {
    if (isFolderEntry(entry.name) && isSafePath(entry.name.slice(0, -1))) continue;
    if (!isSafePath(entry.name)) {
      problems.push({ code: "badPath", name: entry.name });
      continue;
    }
    if (seen.has(entry.name)) {
      problems.push({ code: "duplicateFile", name: entry.name });
      continue;
    }
    seen.add(entry.name);
    const definitionMatch = DEFINITION.exec(entry.name);
    const textsMatch = TEXTS.exec(entry.name);
    if (!definitionMatch && !(textsMatch && LANGUAGE_CODE_PATTERN.test(textsMatch[1]!))) {
      problems.push({ code: "unexpectedFile", name: entry.name });
      continue;
    }
    const decoded = decode(entry);
    if ("problem" in decoded) {
      problems.push(decoded.problem);
      continue;
    }
    const parsed = parseJson(entry.name, decoded.text);
    if ("problem" in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    if (definitionMatch) {
      definitions++;
      definitionEntry = { slug: definitionMatch[1]!, name: entry.name, text: decoded.text, value: parsed.value };
    } else {
      texts.push({ language: textsMatch![1]!, slug: textsMatch![2]!, name: entry.name, value: parsed.value });
    }
  }
  if (definitions === 0 && problems.length === 0) problems.push({ code: "noDefinition" });
  if (definitions > 1) problems.push({ code: "severalDefinitions" });
  if (problems.length || !definitionEntry) return { ok: false, problems };

  const { slug } = definitionEntry;
  for (const text of texts) if (text.slug !== slug) problems.push({ code: "otherSurvey", name: text.name });
  const trees: TextTrees = {};
  for (const text of texts) {
    if (!text.value || typeof text.value !== "object" || Array.isArray(text.value)) {
      problems.push({ code: "notJson", name: text.name, detail: "not a JSON object" });
    } else trees[text.language] = text.value as Record<string, unknown>;
  }

  const conditions = conditionProblems(definitionEntry.value);
  const parsed = parseSurveyDefinition(definitionEntry.value, slug);
  if (!parsed.ok) {
    problems.push(...conditions);
    // The schema's own words for the rest; conditions already named above are not repeated.
    const rest = parsed.errors.filter((error) => !(conditions.length && /showIf\.question: /.test(error)));
    for (const detail of rest.slice(0, 10)) problems.push({ code: "invalidDefinition", name: definitionEntry.name, detail });
    return { ok: false, problems };
  }
  const englishName = `locales/en/survey.${slug}.json`;
  const english = trees.en;
  if (!english) problems.push({ code: "noEnglish", name: englishName });
  else for (const key of missingTexts(english, requiredKeys(parsed.definition)).slice(0, 10)) problems.push({ code: "missingText", name: englishName, key });
  if (problems.length) return { ok: false, problems };
  return { ok: true, bundle: { slug, definition: parsed.definition, content: surveyContent(definitionEntry.text, trees) } };
}
