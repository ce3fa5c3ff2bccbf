import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import i18next, { type i18n as I18n, type Resource, type TFunction } from "i18next";
import Negotiator from "negotiator";
import { DEFAULT_NAMESPACE, FALLBACK_LANGUAGE, LANGUAGE_CODE_PATTERN, LANGUAGE_COOKIE, type I18nBundle, type LanguageInfo } from "~/platform/i18n";
import { env } from "~/platform/env.server";
import { logger } from "~/platform/logger.server";
import { readCookie } from "~/platform/cookies.server";
import { interfaceTextsSignature, listInterfaceTexts } from "~/models/interface-text.server";

/**
 * Locale files are read once at start (and again by reloadLocales after a
 * translation upload), with the translations made in the browser (database
 * overrides, each replacing one shipped file) laid over them, and held in one
 * i18next instance; each request gets a
 * cheap clone bound to its language. Reading them from disk per request was
 * measured at ~190 req/s for a trivial page on these machines.
 */
interface LocaleStore {
  instance: I18n;
  resources: Resource;
  languages: LanguageInfo[];
  /** Changes whenever the files change, for cache-busting on the client. */
  version: string;
  /** Names, sizes and times of the files read, to notice another instance's upload. */
  signature: string;
  checkedAt: number;
}

/**
 * How often an instance looks at the locale files' modification times (hand
 * edits of LOCALES_DIR) and at the overrides table's fingerprint. An upload
 * reloads its own instance at once; the other instances pick it up from the
 * database within this interval.
 */
const RECHECK_MS = 2_000;

/** The database's overrides as last read: whole namespace files by language. */
interface Overrides {
  files: { language: string; namespace: string; data: unknown }[];
  signature: string;
}

const globalStore = globalThis as unknown as {
  __parleyLocales?: LocaleStore;
  __parleyOverrides?: Overrides;
  __parleyOverridePoll?: ReturnType<typeof setInterval>;
};

export function localesDir(): string {
  return resolve(env().LOCALES_DIR);
}

export function readLocaleFiles(dir: string): Resource {
  const resources: Resource = {};
  for (const language of readdirSync(dir).sort()) {
    const folder = join(dir, language);
    if (!LANGUAGE_CODE_PATTERN.test(language) || !statSync(folder).isDirectory()) continue;
    resources[language] = {};
    for (const file of readdirSync(folder).sort()) {
      if (!file.endsWith(".json")) continue;
      const namespace = file.slice(0, -".json".length);
      try {
        resources[language][namespace] = JSON.parse(readFileSync(join(folder, file), "utf8"));
      } catch (error) {
        // A broken file must not take the site down: that language falls back
        // to English for this namespace, and `npm run i18n:check` reports it.
        logger().error(`Skipping ${language}/${file}: ${(error as Error).message}`);
      }
    }
  }
  return resources;
}

/** One line per locale file: cheap to compute (stat only), changes when any file does. */
function filesSignature(dir: string): string {
  const lines: string[] = [];
  for (const language of readdirSync(dir).sort()) {
    const folder = join(dir, language);
    if (!LANGUAGE_CODE_PATTERN.test(language) || !statSync(folder).isDirectory()) continue;
    for (const file of readdirSync(folder).sort()) {
      if (!file.endsWith(".json")) continue;
      const stats = statSync(join(folder, file));
      lines.push(`${language}/${file}:${stats.size}:${stats.mtimeMs}`);
    }
  }
  return lines.join("\n");
}

function buildStore(): LocaleStore {
  const signature = filesSignature(localesDir());
  const resources = readLocaleFiles(localesDir());
  for (const { language, namespace, data } of globalStore.__parleyOverrides?.files ?? []) {
    (resources[language] ??= {})[namespace] = data as Resource[string][string];
  }
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: FALLBACK_LANGUAGE,
    fallbackLng: FALLBACK_LANGUAGE,
    supportedLngs: Object.keys(resources),
    ns: [...new Set(Object.values(resources).flatMap((namespaces) => Object.keys(namespaces)))],
    defaultNS: DEFAULT_NAMESPACE,
    // React escapes on render; escaping here too would double-escape.
    interpolation: { escapeValue: false },
    returnEmptyString: false,
    initImmediate: false,
  });
  // A folder becomes a language people can pick once its common.json names it:
  // a first uploaded survey file alone must not add a nameless entry to menus.
  const languages = Object.keys(resources)
    .filter((code) => code === FALLBACK_LANGUAGE || hasEndonym(resources[code]?.[DEFAULT_NAMESPACE]))
    .map((code): LanguageInfo => {
      const endonym = instance.getFixedT(code, DEFAULT_NAMESPACE)("language.endonym", { defaultValue: code });
      return { code, endonym, dir: instance.dir(code) === "rtl" ? "rtl" : "ltr" };
    });
  const version = hashString(JSON.stringify(resources));
  return { instance, resources, languages, version, signature, checkedAt: Date.now() };
}

function hasEndonym(common: unknown): boolean {
  const endonym = (common as { language?: { endonym?: unknown } } | undefined)?.language?.endonym;
  return typeof endonym === "string" && endonym.trim() !== "";
}

function hashString(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/**
 * Reads the overrides again when the table's fingerprint changed (or always,
 * with `force`), and reloads this instance's texts then.
 */
export async function refreshInterfaceTexts(force = false): Promise<void> {
  const signature = await interfaceTextsSignature();
  if (!force && globalStore.__parleyOverrides?.signature === signature) return;
  const files: Overrides["files"] = [];
  for (const row of await listInterfaceTexts()) {
    try {
      files.push({ language: row.language, namespace: row.namespace, data: JSON.parse(row.texts) as unknown });
    } catch (error) {
      // Stored only after the upload check, so this is a hand-edited row: the shipped file stays in use.
      logger().error(`Skipping the override ${row.language}/${row.namespace}: ${(error as Error).message}`);
    }
  }
  globalStore.__parleyOverrides = { files, signature };
  reloadLocales();
}

/**
 * Reads the overrides, then keeps polling their fingerprint every RECHECK_MS
 * (two small queries of keys and times), so another instance's upload is
 * served within about two seconds. Called once at server start.
 */
export async function startInterfaceTextPoll(): Promise<void> {
  if (globalStore.__parleyOverridePoll) return;
  // A database that is down is logged once, not every 2 s; the texts last read keep being served.
  let lastProblem = "";
  globalStore.__parleyOverridePoll = setInterval(() => {
    refreshInterfaceTexts().then(
      () => (lastProblem = ""),
      (error: unknown) => {
        const problem =
          String((error as Error)?.message ?? error)
            .split("\n")
            .at(-1) ?? "";
        if (problem !== lastProblem) logger().error(`Interface text overrides not re-read: ${problem}`);
        lastProblem = problem;
      },
    );
  }, RECHECK_MS);
  globalStore.__parleyOverridePoll.unref();
  await refreshInterfaceTexts(true);
}

export function stopInterfaceTextPoll(): void {
  clearInterval(globalStore.__parleyOverridePoll);
  globalStore.__parleyOverridePoll = undefined;
}

function store(): LocaleStore {
  // The development server does not run onServerStart: poll from the first use.
  if (process.env.NODE_ENV === "development" && !globalStore.__parleyOverridePoll) void startInterfaceTextPoll().catch(() => undefined);
  const current = globalStore.__parleyLocales;
  if (!current) return (globalStore.__parleyLocales = buildStore());
  const now = Date.now();
  if (now - current.checkedAt < RECHECK_MS) return current;
  current.checkedAt = now;
  try {
    if (filesSignature(localesDir()) !== current.signature) globalStore.__parleyLocales = buildStore();
  } catch (error) {
    // A folder being replaced mid-check: keep serving what was loaded.
    logger().error(`Locale files not re-read: ${(error as Error).message}`);
  }
  return globalStore.__parleyLocales ?? current;
}

/** Re-reads every locale file; used after a translation upload. */
export function reloadLocales(): void {
  globalStore.__parleyLocales = buildStore();
}

export function availableLanguages(): LanguageInfo[] {
  return store().languages;
}

export function isAvailableLanguage(code: string | null | undefined): code is string {
  return !!code && store().languages.some((language) => language.code === code);
}

export function languageInfo(code: string): LanguageInfo {
  return (
    store().languages.find((language) => language.code === code) ?? {
      code: FALLBACK_LANGUAGE,
      endonym: "English",
      dir: "ltr",
    }
  );
}

export function localesVersion(): string {
  return store().version;
}

export function getFixedT(language: string, namespace: string = DEFAULT_NAMESPACE): TFunction {
  return store().instance.getFixedT(language, namespace);
}

/**
 * The i18next instance that renders pages in a language. One per language
 * (and per loaded version of the locale files), shared by every request in
 * it: rendering only reads it, and a clone per request cost a measurable
 * share of a small page's time.
 */
const pageInstances = new Map<string, I18n>();

export function pageI18n(language: string): I18n {
  const key = `${store().version}:${language}`;
  let instance = pageInstances.get(key);
  if (!instance) {
    if (pageInstances.size > 100) pageInstances.clear();
    instance = store().instance.cloneInstance({ lng: language });
    pageInstances.set(key, instance);
  }
  return instance;
}

/**
 * A namespace for the browser, with English filled in key by key where the
 * language lacks a key, so the client never has to fetch the fallback.
 */
const mergedCache = new Map<string, Record<string, unknown>>();

export function namespaceResources(language: string, namespace: string): Record<string, unknown> {
  const key = `${store().version}:${language}:${namespace}`;
  let merged = mergedCache.get(key);
  if (!merged) {
    if (mergedCache.size > 500) mergedCache.clear();
    merged = mergeWithEnglish(language, namespace);
    mergedCache.set(key, merged);
  }
  return merged;
}

/**
 * A plural message's forms for a script that counts in the browser: the
 * text of `key` for each plural category of the language (Intl.PluralRules,
 * as i18next chooses them), falling back to its `other` form.
 */
const pluralFormsCache = new Map<string, Record<string, string>>();

export function pluralForms(language: string, namespace: string, key: string): Record<string, string> {
  // Kept per version of the texts: pages ask for the same forms on every request, and Intl.PluralRules is slow to make.
  const cacheKey = `${store().version}:${language}:${namespace}:${key}`;
  let forms = pluralFormsCache.get(cacheKey);
  if (!forms) {
    if (pluralFormsCache.size > 500) pluralFormsCache.clear();
    forms = readPluralForms(language, namespace, key);
    pluralFormsCache.set(cacheKey, forms);
  }
  return forms;
}

function readPluralForms(language: string, namespace: string, key: string): Record<string, string> {
  let node: unknown = namespaceResources(language, namespace);
  const path = key.split(".");
  const last = path.pop() ?? key;
  for (const part of path) node = isPlainObject(node) ? node[part] : undefined;
  const forms = isPlainObject(node) ? node : {};
  const other = typeof forms[`${last}_other`] === "string" ? (forms[`${last}_other`] as string) : "";
  return Object.fromEntries(
    new Intl.PluralRules(language).resolvedOptions().pluralCategories.map((category) => {
      const form = forms[`${last}_${category}`];
      return [category, typeof form === "string" && form ? form : other];
    }),
  );
}

function mergeWithEnglish(language: string, namespace: string): Record<string, unknown> {
  const { resources } = store();
  const english = (resources[FALLBACK_LANGUAGE]?.[namespace] ?? {}) as Record<string, unknown>;
  const own = (resources[language]?.[namespace] ?? {}) as Record<string, unknown>;
  return language === FALLBACK_LANGUAGE ? english : deepMerge(english, own);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value === "" ? current : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function rawResources(): Resource {
  return store().resources;
}

/**
 * Detection order: an explicit choice (cookie) → the participant's language
 * (for personalised links) → Accept-Language → English.
 */
export function detectLanguage(request: Request, participantLanguage?: string | null): string {
  const chosen = readCookie(request, LANGUAGE_COOKIE);
  if (isAvailableLanguage(chosen)) return chosen;
  if (isAvailableLanguage(participantLanguage)) return participantLanguage;
  return negotiateLanguage(request.headers.get("accept-language"));
}

export function readLanguageCookie(request: Request): string | null {
  return readCookie(request, LANGUAGE_COOKIE);
}

/** The best of `candidates` for an Accept-Language header, or null when none fits. */
export function negotiateAmong(acceptLanguage: string | null, candidates: readonly string[]): string | null {
  if (!acceptLanguage || candidates.length === 0) return null;
  return new Negotiator({ headers: { "accept-language": acceptLanguage } }).languages([...candidates])[0] ?? null;
}

export function negotiateLanguage(acceptLanguage: string | null): string {
  if (!acceptLanguage) return FALLBACK_LANGUAGE;
  // English first: a bare "*" (as some HTTP clients send) then means English.
  const codes = [
    FALLBACK_LANGUAGE,
    ...store()
      .languages.map((language) => language.code)
      .filter((code) => code !== FALLBACK_LANGUAGE),
  ];
  const [best] = new Negotiator({ headers: { "accept-language": acceptLanguage } }).languages(codes);
  return best ?? FALLBACK_LANGUAGE;
}

/** The namespaces a page needs in the browser; `common` is always included. */
export function i18nBundle(locale: string, namespaces: readonly string[] = []): I18nBundle {
  const all = new Set([DEFAULT_NAMESPACE, ...namespaces]);
  return bundleOf(locale, all);
}

/**
 * For a route that picks its own language (a survey page in the
 * participant's language): the root loader already sends `common` in the
 * language it detected, so it is repeated only when the two differ.
 */
export function routeI18nBundle(request: Request, locale: string, namespaces: readonly string[]): I18nBundle {
  const all = new Set(namespaces);
  if (detectLanguage(request) !== locale) all.add(DEFAULT_NAMESPACE);
  return bundleOf(locale, all);
}

function bundleOf(locale: string, all: Set<string>): I18nBundle {
  return {
    locale,
    namespaces: Object.fromEntries([...all].map((namespace) => [namespace, namespaceResources(locale, namespace)])),
  };
}
