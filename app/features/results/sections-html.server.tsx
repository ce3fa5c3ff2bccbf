import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { ResultsSections, type ResultsSectionView } from "~/features/results/components/results-sections";
import { localesVersion, pageI18n } from "~/platform/i18n.server";

/**
 * The results page's questions as HTML, rendered once per view of the counts
 * and kept: rendering 37 questions' tables and charts was most of a view's
 * cost. Entries hang off the counts they were drawn from (`counts`, the
 * object the results cache keeps until responses change), so new counts
 * leave the old markup to the garbage collector; within them, one per
 * language, interface texts, survey texts version and filter address.
 */
const rendered = new WeakMap<object, Map<string, string>>();
/** Views of one set of counts kept at once (languages × filter addresses that reach the same counts). */
const PER_COUNTS = 20;

export interface SectionsRendering {
  locale: string;
  /** The survey's texts (its published version), which the labels come from. */
  textsVersion: string;
  slug: string;
  /** The page's query string: the filters, which the comment and chart links carry. */
  query: string;
  size: number;
  threshold: number;
}

export function resultsSectionsHtml(counts: object, rendering: SectionsRendering, sections: () => ResultsSectionView[]): string {
  const key = [rendering.locale, localesVersion(), rendering.textsVersion, rendering.slug, rendering.query, rendering.size, rendering.threshold].join("\u0000");
  let views = rendered.get(counts);
  if (!views) rendered.set(counts, (views = new Map()));
  let html = views.get(key);
  if (html === undefined) {
    html = renderToStaticMarkup(
      <I18nextProvider i18n={pageI18n(rendering.locale)}>
        <ResultsSections sections={sections()} size={rendering.size} threshold={rendering.threshold} slug={rendering.slug} query={rendering.query} />
      </I18nextProvider>,
    );
    if (views.size >= PER_COUNTS) views.delete(views.keys().next().value!);
    views.set(key, html);
  }
  return html;
}
