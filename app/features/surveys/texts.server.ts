import { getFixedT } from "~/platform/i18n.server";

/** A survey's texts live in the i18next namespace survey.<slug>. */
export function surveyNamespace(slug: string): string {
  return `survey.${slug}`;
}

export function surveyTitles(locale: string, slugs: readonly string[]): Record<string, string> {
  return Object.fromEntries(slugs.map((slug) => [slug, getFixedT(locale, surveyNamespace(slug))("title", { defaultValue: slug })]));
}
