/**
 * Translation completeness and safety checks for locales/<lng>/<namespace>.json,
 * compared against English. Used by `npm run i18n:check` and meant to be reused
 * by a staff page: checkLocales() takes already-parsed data and returns a plain,
 * serialisable report. Only readLocalesDir() touches the disk.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { FALLBACK_LANGUAGE, LANGUAGE_CODE_PATTERN } from "~/platform/i18n";

export const REFERENCE_LANGUAGE = FALLBACK_LANGUAGE;
/** Lists the languages translators have declared finished; lives inside the locales folder. */
export const LANGUAGES_FILE = "languages.json";

export type Severity = "error" | "warning";
export type ProblemKind =
  | "invalid-json"
  | "missing-file"
  | "extra-file"
  | "missing-key"
  | "extra-key"
  | "missing-plural"
  | "extra-plural"
  | "placeholder"
  | "empty"
  | "non-string"
  | "html"
  | "untranslated"
  | "outdated";

export interface LocaleProblem {
  language: string;
  namespace: string;
  /** Flattened dotted key; for plural forms the full key, e.g. "login.locked_few". */
  key?: string;
  kind: ProblemKind;
  severity: Severity;
  message: string;
  /** 1-based, for invalid JSON. */
  line?: number;
  column?: number;
  /** What the message names, so a page can say it again in the reader's language. */
  params?: Record<string, string>;
}

export interface JsonError {
  message: string;
  line?: number;
  column?: number;
}

/**
 * One parsed file, or why it could not be parsed. `outdated`: keys whose
 * translation was made from an English text that has changed since (survey
 * texts in the database keep fingerprints of their English).
 */
export type LocaleFile = { data: unknown; outdated?: readonly string[] } | { error: JsonError };
/** language → namespace → file. */
export type LocaleFiles = Record<string, Record<string, LocaleFile>>;

export interface FileReport {
  language: string;
  namespace: string;
  status: "ok" | "missing-file" | "invalid-json";
  /** Logical keys in English (a plural group counts once). */
  total: number;
  translated: number;
  percent: number;
  missing: number;
  extra: number;
  placeholders: number;
  plurals: number;
  empty: number;
  untranslated: number;
  /** Translated from an English text that has changed since. */
  outdated: number;
  /** HTML, non-string values, invalid JSON, missing file. */
  other: number;
  wordsLeft: number;
  errors: number;
  warnings: number;
}

export interface LanguageReport {
  language: string;
  /** Listed in languages.json: its errors fail the check. */
  complete: boolean;
  /** One per English namespace. */
  files: FileReport[];
  total: number;
  translated: number;
  percent: number;
  missing: number;
  wordsLeft: number;
  errors: number;
  warnings: number;
}

export interface LocaleReport {
  reference: string;
  languages: LanguageReport[];
  problems: LocaleProblem[];
  /** Languages marked complete that have at least one error. */
  failing: string[];
  ok: boolean;
}

export interface CheckOptions {
  /** Languages marked complete in languages.json. */
  complete: readonly string[];
  /** Check only these languages (English is still read as the reference). */
  only?: readonly string[];
}

const PLURAL_CATEGORIES = ["zero", "one", "two", "few", "many", "other"] as const;
const PLURAL_SUFFIX = /^(.+)_(zero|one|two|few|many|other)$/;

/** Parses a locale file, turning V8's "at position N" into a line and column a translator can find. */
export function parseLocaleJson(text: string): LocaleFile {
  // JSON.parse rejects a byte-order mark, and so does the server's loader.
  if (text.startsWith("\uFEFF")) {
    return { error: { message: "File starts with a byte-order mark; save it as UTF-8 without BOM", line: 1, column: 1 } };
  }
  try {
    return { data: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    const match = /at position (\d+)/.exec(message);
    const position = match ? Number(match[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    if (position === undefined) return { error: { message } };
    const before = text.slice(0, position);
    const line = before.split("\n").length;
    const column = position - before.lastIndexOf("\n");
    // The position is replaced by the line and column; Node 22 appends those itself.
    return { error: { message: message.replace(/\s*in JSON at position \d+.*$/, ""), line, column } };
  }
}

/** Reads languages.json: `{ "complete": ["de", …] }`. Throws with a readable message when malformed. */
export function parseLanguageSettings(text: string): { complete: string[] } {
  const parsed = parseLocaleJson(text);
  if ("error" in parsed) {
    const where = parsed.error.line ? ` (line ${parsed.error.line}, column ${parsed.error.column})` : "";
    throw new Error(`${LANGUAGES_FILE}: ${parsed.error.message}${where}`);
  }
  const complete = (parsed.data as { complete?: unknown } | null)?.complete;
  if (!Array.isArray(complete) || !complete.every((code) => typeof code === "string" && LANGUAGE_CODE_PATTERN.test(code))) {
    throw new Error(`${LANGUAGES_FILE}: "complete" must be an array of language codes such as "de" or "pt-BR"`);
  }
  return { complete: complete as string[] };
}

/**
 * Flattens nested objects to dotted keys (i18next's keySeparator). Arrays and
 * other non-objects are leaves, so they can be reported as non-string values.
 */
export function flattenKeys(data: unknown, prefix = "", into = new Map<string, unknown>()): Map<string, unknown> {
  if (isPlainObject(data)) {
    for (const [key, value] of Object.entries(data)) flattenKeys(value, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into.set(prefix, data);
  }
  return into;
}

/** The reverse of flattenKeys: dotted keys back to nested objects. */
export function unflattenKeys(flat: Record<string, unknown>): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split(".");
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  return tree;
}

/** Interpolation names: `{{name}}`, `{{- name}}` (unescaped) and `{{date, datetime}}` (formatted) all give the name. */
export function placeholders(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/\{\{\s*-?\s*([^{}]*?)\s*\}\}/g)) {
    names.add((match[1] ?? "").split(",")[0]!.trim());
  }
  return names;
}

/** Word-like segments, so Chinese or Arabic source text counts too; placeholders are not words to translate. */
export function countWords(text: string, locale = REFERENCE_LANGUAGE): number {
  const segmenter = new Intl.Segmenter(locale, { granularity: "word" });
  let words = 0;
  for (const segment of segmenter.segment(text.replace(/\{\{[^{}]*\}\}/g, " "))) if (segment.isWordLike) words++;
  return words;
}

const categoryCache = new Map<string, readonly string[]>();

/** The plural forms i18next v4 JSON needs for a language: Intl's categories, as i18next itself uses them. */
export function pluralCategories(language: string, type: "cardinal" | "ordinal" = "cardinal"): readonly string[] {
  const cacheKey = `${language}:${type}`;
  let categories = categoryCache.get(cacheKey);
  if (!categories) {
    try {
      categories = new Intl.PluralRules(language, { type }).resolvedOptions().pluralCategories;
    } catch {
      categories = new Intl.PluralRules(REFERENCE_LANGUAGE, { type }).resolvedOptions().pluralCategories;
    }
    // Intl's order varies; zero, one, two, few, many, other reads better in messages.
    categories = PLURAL_CATEGORIES.filter((form) => categories!.includes(form));
    categoryCache.set(cacheKey, categories);
  }
  return categories;
}

/**
 * Heuristic for "left in English": the same string as English, more than 3
 * characters, and, once placeholders, URLs and e-mail addresses are removed,
 * at least one word starting with a lowercase letter. English UI text is in
 * sentence case, so a copied phrase ("Sign out") has lowercase words, while
 * names and acronyms that stay the same everywhere ("Parley", "Dublin Core",
 * "MARC 21", "OAI-PMH") do not. The price: an untranslated single capitalised
 * word ("Surveys") is not flagged; identical single words are often correct anyway.
 */
export function looksUntranslated(value: string, english: string): boolean {
  if (value.trim() !== english.trim() || value.trim().length <= 3) return false;
  const rest = value
    .replace(/\{\{[^{}]*\}\}/g, " ")
    .replace(/\bhttps?:\/\/\S+/g, " ")
    .replace(/\S+@\S+\.\S+/g, " ");
  return /(^|[^\p{L}\p{N}])\p{Ll}/u.test(rest);
}

/** Texts are rendered escaped, so markup would show as literal tags; and it must never be trusted as HTML. */
const HTML_TAG = /<[a-zA-Z/]/;

type Group = { kind: "plain"; key: string; english: unknown } | { kind: "plural"; key: string; type: "cardinal" | "ordinal"; forms: Map<string, unknown> };

/**
 * English keys as logical keys. `x_one` + `x_other` is one plural group, but
 * only when every suffix is a form English itself uses (plus the optional
 * `_zero` i18next looks up for count 0), so survey option keys such as
 * `choice_one`, `choice_two`, `choice_other` stay plain keys.
 */
function logicalKeys(english: Map<string, unknown>): Group[] {
  const bases = new Map<string, Map<string, unknown>>();
  for (const [key, value] of english) {
    const match = PLURAL_SUFFIX.exec(key);
    if (!match) continue;
    const forms = bases.get(match[1]!) ?? new Map<string, unknown>();
    forms.set(match[2]!, value);
    bases.set(match[1]!, forms);
  }
  const groups: Group[] = [];
  const seen = new Set<string>();
  for (const [key, value] of english) {
    const base = PLURAL_SUFFIX.exec(key)?.[1];
    const forms = base === undefined ? undefined : bases.get(base);
    const type = base?.endsWith("_ordinal") ? "ordinal" : "cardinal";
    const englishForms = pluralCategories(REFERENCE_LANGUAGE, type);
    const isGroup =
      base !== undefined &&
      forms !== undefined &&
      forms.has("other") &&
      forms.size >= 2 &&
      [...forms.keys()].every((form) => englishForms.includes(form) || (form === "zero" && type === "cardinal"));
    if (isGroup) {
      if (!seen.has(base)) groups.push({ kind: "plural", key: base, type, forms });
      seen.add(base);
    } else {
      groups.push({ kind: "plain", key, english: value });
    }
  }
  return groups;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBlank(value: unknown): boolean {
  return typeof value === "string" && value.trim() === "";
}

function sourceWords(value: unknown): number {
  return typeof value === "string" ? countWords(value) : 0;
}

function formatNames(names: Iterable<string>): string {
  return [...names].map((name) => `{{${name}}}`).join(", ");
}

function newFileReport(language: string, namespace: string, total: number): FileReport {
  return {
    language,
    namespace,
    status: "ok",
    total,
    translated: 0,
    percent: 0,
    missing: 0,
    extra: 0,
    placeholders: 0,
    plurals: 0,
    empty: 0,
    untranslated: 0,
    outdated: 0,
    other: 0,
    wordsLeft: 0,
    errors: 0,
    warnings: 0,
  };
}

const COLUMN: Partial<Record<ProblemKind, "missing" | "extra" | "placeholders" | "plurals" | "empty" | "untranslated" | "outdated">> = {
  "missing-key": "missing",
  "extra-key": "extra",
  placeholder: "placeholders",
  "missing-plural": "plurals",
  "extra-plural": "plurals",
  empty: "empty",
  untranslated: "untranslated",
  outdated: "outdated",
};

/** Compares one language's namespace with English. */
function checkFile(language: string, namespace: string, groups: Group[], file: LocaleFile | undefined, problems: LocaleProblem[]): FileReport {
  const report = newFileReport(language, namespace, groups.length);
  const add = (kind: ProblemKind, severity: Severity, message: string, extra: Partial<LocaleProblem> = {}) => {
    problems.push({ language, namespace, kind, severity, message, ...extra });
    if (severity === "error") report.errors++;
    else report.warnings++;
    const column = COLUMN[kind];
    if (column) report[column]++;
    else report.other++;
  };
  const allWords = () => {
    for (const group of groups) {
      report.wordsLeft += group.kind === "plain" ? sourceWords(group.english) : [...group.forms.values()].reduce<number>((sum, v) => sum + sourceWords(v), 0);
    }
  };

  // A missing or unreadable file falls back to English entirely at runtime.
  if (!file || "error" in file || !isPlainObject(file.data)) {
    if (!file) {
      report.status = "missing-file";
      add("missing-file", "error", `File missing (${groups.length} ${groups.length === 1 ? "key" : "keys"} to translate)`);
    } else {
      report.status = "invalid-json";
      const { message, line, column } = "error" in file ? file.error : { message: "Top level must be an object", line: undefined, column: undefined };
      add("invalid-json", "error", line ? `Invalid JSON at line ${line}, column ${column}: ${message}` : `Invalid JSON: ${message}`, {
        line,
        column,
        params: { detail: message },
      });
    }
    report.missing = groups.length;
    allWords();
    return finish(report);
  }

  const target = flattenKeys(file.data);
  const outdated = new Set(file.outdated ?? []);
  /** A translation made from an older English text is shown and counted as work left, never silently current. */
  const isOutdated = (key: string): boolean => {
    if (!outdated.has(key)) return false;
    add("outdated", "warning", "English has changed since this was translated", { key });
    return true;
  };
  const used = new Set<string>();
  const isReference = language === REFERENCE_LANGUAGE;
  // en-GB and friends legitimately share most strings with English.
  const checkIdentical = !isReference && language.split("-")[0] !== REFERENCE_LANGUAGE;

  /**
   * Checks one present value; returns whether it counts as translated.
   * Plural forms compare placeholders with English _other: a Russian _one
   * also covers 21, 31 …, so English _one is not the right model.
   */
  const checkValue = (key: string, value: unknown, english: unknown, form?: string, sameForm = english): boolean => {
    if (typeof value !== "string") {
      const found = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
      add("non-string", "error", `Value must be a string, found ${found === "array" ? "an array" : found}`, { key, params: { found } });
      return false;
    }
    if (isBlank(value)) {
      add("empty", "error", "Empty value", { key });
      return false;
    }
    if (HTML_TAG.test(value)) add("html", "error", "Contains an HTML tag; texts are shown escaped, write plain text", { key });
    if (typeof english === "string") {
      const expected = placeholders(english);
      const actual = placeholders(value);
      const missing = [...expected].filter((name) => !actual.has(name));
      const added = [...actual].filter((name) => !expected.has(name));
      // Languages often spell out "one"/"two" ("une minute", "دقيقتان") instead of the number.
      const countSpelledOut = added.length === 0 && missing.length === 1 && missing[0] === "count" && (form === "zero" || form === "one" || form === "two");
      if (countSpelledOut) {
        add("placeholder", "warning", `No {{count}} in the _${form} form (fine if the number is written as a word)`, { key, params: { form } });
      } else if (missing.length === 1 && added.length === 1) {
        add("placeholder", "error", `Placeholder {{${missing[0]}}} renamed to {{${added[0]}}}`, {
          key,
          params: { missing: formatNames(missing), added: formatNames(added) },
        });
      } else if (missing.length || added.length) {
        const parts = [missing.length ? `missing ${formatNames(missing)}` : "", added.length ? `unknown ${formatNames(added)}` : ""];
        add("placeholder", "error", `Placeholders differ from English: ${parts.filter(Boolean).join("; ")}`, {
          key,
          params: { missing: formatNames(missing), added: formatNames(added) },
        });
      }
    }
    if (typeof sameForm === "string" && checkIdentical && looksUntranslated(value, sameForm)) {
      add("untranslated", "warning", "Same as English; not translated yet?", { key });
    }
    return true;
  };

  for (const group of groups) {
    if (group.kind === "plain") {
      used.add(group.key);
      const value = target.get(group.key);
      if (value === undefined) {
        add("missing-key", "error", "Missing", { key: group.key });
        report.wordsLeft += sourceWords(group.english);
      } else if (checkValue(group.key, value, group.english) && !isOutdated(group.key)) {
        report.translated++;
      } else {
        report.wordsLeft += sourceWords(group.english);
      }
      continue;
    }

    const required = pluralCategories(language, group.type);
    const englishOther = group.forms.get("other");
    const present = PLURAL_CATEGORIES.filter((form) => target.has(`${group.key}_${form}`));
    for (const form of PLURAL_CATEGORIES) used.add(`${group.key}_${form}`);
    if (present.length === 0) {
      add("missing-key", "error", `Missing (plural: ${required.map((form) => `_${form}`).join(", ")})`, { key: group.key });
      report.wordsLeft += [...group.forms.values()].reduce<number>((sum, v) => sum + sourceWords(v), 0);
      continue;
    }
    let complete = true;
    for (const form of PLURAL_CATEGORIES) {
      const key = `${group.key}_${form}`;
      if (!present.includes(form)) {
        if (!required.includes(form)) continue;
        add("missing-plural", "error", `Missing plural form _${form} (${language} uses ${required.join(", ")})`, {
          key,
          params: { form: `_${form}`, forms: required.map((name) => `_${name}`).join(", ") },
        });
        report.wordsLeft += sourceWords(englishOther);
        complete = false;
        continue;
      }
      // i18next tries _zero for count 0 in every language, so it is always allowed.
      if (!required.includes(form) && form !== "zero") {
        add("extra-plural", "warning", `Plural form _${form} is not used in ${language} (it uses ${required.join(", ")})`, {
          key,
          params: { form: `_${form}`, forms: required.map((name) => `_${name}`).join(", ") },
        });
        continue;
      }
      if (!checkValue(key, target.get(key), englishOther, form, group.forms.get(form) ?? englishOther) || isOutdated(key)) {
        report.wordsLeft += sourceWords(englishOther);
        if (required.includes(form)) complete = false;
      }
    }
    if (complete) report.translated++;
  }

  for (const key of target.keys()) {
    if (!used.has(key)) add("extra-key", "warning", "Not in English (unused, or a misspelt key)", { key });
  }
  return finish(report);
}

function finish(report: FileReport): FileReport {
  // Rounded down so that 100 % really means everything.
  report.percent = report.total === 0 ? 100 : Math.floor((report.translated / report.total) * 100);
  return report;
}

/**
 * Checks every language (folders plus those listed as complete) against
 * English. A language listed as complete but without a folder shows every
 * file as missing, so a typo in languages.json cannot pass silently.
 */
export function checkLocales(files: LocaleFiles, options: CheckOptions): LocaleReport {
  const english = files[REFERENCE_LANGUAGE];
  if (!english) throw new Error(`No "${REFERENCE_LANGUAGE}" folder: English is the reference for every check`);
  const complete = new Set(options.complete);
  const all = [...new Set([...Object.keys(files), ...options.complete])];
  const languages = all
    .filter((language) => !options.only || options.only.includes(language))
    .sort((a, b) => (a === REFERENCE_LANGUAGE ? -1 : b === REFERENCE_LANGUAGE ? 1 : a.localeCompare(b)));
  const namespaces = Object.keys(english).sort();
  const groupsByNamespace = new Map(
    namespaces.map((namespace) => {
      const file = english[namespace];
      const data = file && "data" in file && isPlainObject(file.data) ? file.data : {};
      return [namespace, logicalKeys(flattenKeys(data))] as const;
    }),
  );

  const problems: LocaleProblem[] = [];
  const reports = languages.map((language): LanguageReport => {
    const own = files[language] ?? {};
    const fileReports = namespaces.map((namespace) => checkFile(language, namespace, groupsByNamespace.get(namespace) ?? [], own[namespace], problems));
    let extraFileErrors = 0;
    for (const namespace of Object.keys(own).sort()) {
      if (namespace in english) continue;
      problems.push({
        language,
        namespace,
        kind: "extra-file",
        severity: "error",
        message: `${namespace}.json does not exist in English; rename it to match, or remove it`,
      });
      extraFileErrors++;
    }
    const sum = (field: keyof FileReport) => fileReports.reduce((total, file) => total + (file[field] as number), 0);
    const total = sum("total");
    const translated = sum("translated");
    return {
      language,
      complete: complete.has(language),
      files: fileReports,
      total,
      translated,
      percent: total === 0 ? 100 : Math.floor((translated / total) * 100),
      missing: sum("missing"),
      wordsLeft: sum("wordsLeft"),
      errors: sum("errors") + extraFileErrors,
      warnings: sum("warnings"),
    };
  });

  const failing = reports.filter((report) => report.complete && report.errors > 0).map((report) => report.language);
  return { reference: REFERENCE_LANGUAGE, languages: reports, problems, failing, ok: failing.length === 0 };
}

/** The disk side: every language folder (by name pattern) and its *.json files, plus languages.json. */
export function readLocalesDir(dir: string, options: { skipSettings?: boolean } = {}): { files: LocaleFiles; complete: string[]; ignored: string[] } {
  const files: LocaleFiles = {};
  const ignored: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const folder = join(dir, entry);
    if (!statSync(folder).isDirectory()) continue;
    // Reported so that a folder named "pt_BR" or "PT" is not silently skipped.
    if (!LANGUAGE_CODE_PATTERN.test(entry)) {
      ignored.push(entry);
      continue;
    }
    const namespaces: Record<string, LocaleFile> = {};
    for (const file of readdirSync(folder).sort()) {
      if (file.endsWith(".json")) namespaces[file.slice(0, -".json".length)] = parseLocaleJson(readFileSync(join(folder, file), "utf8"));
    }
    files[entry] = namespaces;
  }
  const settingsPath = join(dir, LANGUAGES_FILE);
  const { complete } = !options.skipSettings && existsSync(settingsPath) ? parseLanguageSettings(readFileSync(settingsPath, "utf8")) : { complete: [] };
  return { files, complete, ignored };
}

// ------------------------------------------------ files for and from translators

/**
 * Prefix of a value that a downloaded file filled in from English. Uploads
 * drop such values again, so a half-done file counts only what was translated
 * and the rest keeps falling back to English key by key.
 */
export const UNTRANSLATED_MARK = "[EN] ";

/** Problems that refuse an uploaded file; gaps (missing keys or forms) are fine, translations arrive bit by bit. */
const REFUSING: ReadonlySet<ProblemKind> = new Set(["invalid-json", "non-string", "html", "placeholder", "extra-key", "extra-plural", "extra-file"]);

function setPath(tree: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = (isPlainObject(next) ? next : (node[part] = {})) as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function usable(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "" && !value.startsWith(UNTRANSLATED_MARK);
}

/**
 * A language's namespace laid out key by key like English. With `fill`, keys
 * the language lacks get the English text behind UNTRANSLATED_MARK (plural
 * groups get exactly the forms the language needs); without, they are left out.
 * Keys English no longer has are left out either way.
 */
export function layoutLikeEnglish(language: string, english: unknown, own: unknown, fill: boolean): Record<string, unknown> {
  const values = flattenKeys(own);
  const layout: Record<string, unknown> = {};
  const place = (key: string, value: unknown, fallback: unknown) => {
    if (usable(value)) setPath(layout, key, value);
    else if (fill && typeof fallback === "string") setPath(layout, key, `${UNTRANSLATED_MARK}${fallback}`);
  };
  for (const group of logicalKeys(flattenKeys(english))) {
    if (group.kind === "plain") {
      place(group.key, values.get(group.key), group.english);
      continue;
    }
    const forms = pluralCategories(language, group.type);
    // i18next looks up _zero in every language; keep a translator's _zero when English has one.
    const wanted = group.forms.has("zero") && values.has(`${group.key}_zero`) && !forms.includes("zero") ? ["zero", ...forms] : forms;
    for (const form of wanted) place(`${group.key}_${form}`, values.get(`${group.key}_${form}`), group.forms.get(form) ?? group.forms.get("other"));
  }
  return layout;
}

/** Removes marked and blank values (and objects left empty), keeping everything else for the check to judge. */
function withoutUntranslated(data: unknown): { data: unknown; dropped: number } {
  let dropped = 0;
  const walk = (node: unknown): unknown => {
    if (!isPlainObject(node)) return node;
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === "string" && (value.trim() === "" || value.startsWith(UNTRANSLATED_MARK))) {
        dropped++;
        continue;
      }
      const child = walk(value);
      if (isPlainObject(child) && Object.keys(child).length === 0) continue;
      kept[key] = child;
    }
    return kept;
  };
  return { data: walk(data), dropped };
}

export type UploadVerdict =
  | { accepted: false; problems: LocaleProblem[] }
  | {
      accepted: true;
      /** Ready to write: English key order, only translated values. */
      data: Record<string, unknown>;
      report: FileReport;
      /** Values still marked as English or left blank, dropped from the file. */
      dropped: number;
      warnings: LocaleProblem[];
    };

/**
 * Judges an uploaded namespace file by the same rules as `npm run i18n:check`.
 * Refused: invalid JSON, values that are not strings or contain HTML, broken
 * placeholders, keys English does not have (which is also how a key carrying
 * markup is caught) and plural forms the language does not use. Accepted with
 * gaps: a partial translation is progress.
 */
export function judgeUpload(language: string, namespace: string, english: unknown, text: string): UploadVerdict {
  const parsed = parseLocaleJson(text);
  const cleaned = "data" in parsed && isPlainObject(parsed.data) ? withoutUntranslated(parsed.data) : null;
  const file: LocaleFile = cleaned ? { data: cleaned.data } : parsed;
  const report = checkLocales(
    { [REFERENCE_LANGUAGE]: { [namespace]: { data: english } }, [language]: { [namespace]: file } },
    { complete: [], only: [language] },
  );
  const refusing = report.problems.filter((problem) => REFUSING.has(problem.kind) && (problem.severity === "error" || problem.kind.startsWith("extra")));
  if (refusing.length > 0 || !cleaned) return { accepted: false, problems: refusing };
  return {
    accepted: true,
    data: layoutLikeEnglish(language, english, cleaned.data, false),
    report: report.languages[0]!.files[0]!,
    dropped: cleaned.dropped,
    warnings: report.problems.filter((problem) => problem.severity === "warning"),
  };
}
