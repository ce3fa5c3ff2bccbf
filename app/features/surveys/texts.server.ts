import i18next, { type TFunction } from "i18next";
import { findVersionTexts } from "~/models/survey-version.server";
import { FALLBACK_LANGUAGE } from "~/platform/i18n";
import { getFixedT, localesVersion, rawResources } from "~/platform/i18n.server";
import { logger } from "~/platform/logger.server";

/** In the exchange files and the Translations pages, a survey's texts are the namespace survey.<slug>. */
export function surveyNamespace(slug: string): string {
  return `survey.${slug}`;
}

/**
 * A survey's texts at run time: those of its published version in the
 * database. The survey row that every page loads carries the version number,
 * so a publish on another instance is seen on the next request; the parsed
 * texts are cached per (survey, version), so the respondent's pages parse no
 * JSON per request. A survey without versions yet (synced before versions
 * existed) reads the locale folder as before.
 */
export interface SurveyTexts {
  /** Changes whenever the texts can have changed; part of every cache key built on them. */
  key: string;
  t(locale: string): TFunction;
  /** One language's tree as the file survey.<slug>.json holds it, or undefined. */
  tree(language: string): Record<string, unknown> | undefined;
  languages(): string[];
}

export interface VersionedSurvey {
  id: string;
  slug: string;
  publishedVersion: number;
}

const NAMESPACE = "survey";
const MAX_CACHED = 64;
const cache = new Map<string, Promise<SurveyTexts>>();

export function textsFromTrees(key: string, trees: Record<string, Record<string, unknown>>): SurveyTexts {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(Object.entries(trees).map(([language, tree]) => [language, { [NAMESPACE]: tree }])),
    lng: FALLBACK_LANGUAGE,
    fallbackLng: FALLBACK_LANGUAGE,
    ns: [NAMESPACE],
    defaultNS: NAMESPACE,
    interpolation: { escapeValue: false },
    returnEmptyString: false,
    initImmediate: false,
  });
  const fixed = new Map<string, TFunction>();
  return {
    key,
    t(locale) {
      let t = fixed.get(locale);
      if (!t) fixed.set(locale, (t = instance.getFixedT(locale, NAMESPACE)));
      return t;
    },
    tree: (language) => trees[language],
    languages: () => Object.keys(trees),
  };
}

function fromLocaleFolder(slug: string): SurveyTexts {
  const namespace = surveyNamespace(slug);
  return {
    key: `files:${slug}:${localesVersion()}`,
    t: (locale) => getFixedT(locale, namespace),
    tree: (language) => rawResources()[language]?.[namespace] as Record<string, unknown> | undefined,
    languages: () => Object.keys(rawResources()).filter((language) => rawResources()[language]?.[namespace]),
  };
}

/** Parses a version's texts column; anything but an object of objects is dropped (and logged). */
export function parseTexts(text: string): Record<string, Record<string, unknown>> {
  const parsed = JSON.parse(text) as unknown;
  const trees: Record<string, Record<string, unknown>> = {};
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    for (const [language, tree] of Object.entries(parsed)) {
      if (tree && typeof tree === "object" && !Array.isArray(tree)) trees[language] = tree as Record<string, unknown>;
    }
  }
  return trees;
}

export function surveyTexts(survey: VersionedSurvey): Promise<SurveyTexts> {
  if (survey.publishedVersion <= 0) return Promise.resolve(fromLocaleFolder(survey.slug));
  const key = `${survey.id}:${survey.publishedVersion}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const loading = findVersionTexts(survey.id, survey.publishedVersion).then((text) => {
    if (text === null) {
      logger().error(`Survey ${survey.slug}: version ${survey.publishedVersion} not found; reading the locale folder`);
      cache.delete(key);
      return fromLocaleFolder(survey.slug);
    }
    return textsFromTrees(`v:${key}`, parseTexts(text));
  });
  loading.catch(() => cache.delete(key));
  // Older versions of the same survey are not needed once a newer one is read.
  for (const other of cache.keys()) if (other.startsWith(`${survey.id}:`)) cache.delete(other);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, loading);
  return loading;
}

export async function surveyTitles(locale: string, surveys: readonly VersionedSurvey[]): Promise<Record<string, string>> {
  const entries = await Promise.all(
    surveys.map(async (survey) => [survey.slug, (await surveyTexts(survey)).t(locale)("title", { defaultValue: survey.slug })] as const),
  );
  return Object.fromEntries(entries);
}
