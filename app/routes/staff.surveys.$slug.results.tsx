import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useParams, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { IgnoredFilters } from "~/features/results/components/ignored-filters";
import { LocalTime } from "~/components/local-time";
import { PrintButton } from "~/features/results/components/print-button";
import { surveyState } from "~/domain/survey-state";
import { detectLanguage } from "~/platform/i18n.server";
import { resultsPage } from "~/features/results/staff-page.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { can } from "~/features/staff/permissions";
import type { PageHandle } from "~/features/respondent/page-handle";
import resultsPageScript from "~/features/results/results-page.js?url";

const SEGMENTS = ["region", "language", "unit", "country"] as const;

/**
 * Sent as HTML with a small script (print, PNG downloads) instead of React's:
 * the questions' markup is kept per view of the counts, which a hydrated page
 * would have to send again as data.
 */
export const handle: PageHandle = { hydrate: false, scripts: [resultsPageScript] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "results.view");
  const locale = detectLanguage(request, user.language);
  const page = await resultsPage(survey, new URL(request.url), locale);
  // Results viewers export the summary tables only: a row per response is for those who may see responses.
  const responseRows = can(user.grants, "responses.export", survey.id);
  return { ...page, threshold: survey.anonymityThreshold, interim: surveyState(survey, new Date()) !== "closed", responseRows };
}

export default function Results() {
  const { view, filter, ignored, menus, answerQuestions, sectionsHtml, threshold, interim, responseRows } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  const [searchParams] = useSearchParams();
  const number = new Intl.NumberFormat(i18n.language);
  const base = `/staff/surveys/${useParams().slug ?? ""}`;
  // Reached by a client-side navigation (a link on a hydrated staff page), the page's script has not run: load it, or run it again.
  useEffect(() => {
    void import(/* @vite-ignore */ resultsPageScript).then((script: { enhanceResultsPage: () => void }) => script.enhanceResultsPage());
  }, [sectionsHtml]);
  // The question is chosen first and applied; its options are offered after that (no script needed).
  const chosenQuestion = answerQuestions.find((question) => question.key === (filter.answer?.question ?? searchParams.get("q"))) ?? null;

  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{t("results.title")}</h2>

      <Form method="get" className="results-filters" aria-labelledby="filters-title">
        <h3 id="filters-title">{t("results.filters.title")}</h3>
        <div className="filter-grid">
          {SEGMENTS.map((segment) => (
            <label key={segment}>
              {t(`results.filters.${segment}`)}
              <select name={segment} defaultValue={filter.segments[segment] ?? ""}>
                <option value="">{t("results.filters.all")}</option>
                {menus[segment].map((entry) => (
                  <option key={entry.value} value={entry.value}>
                    {entry.label}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label>
            {t("results.filters.answerQuestion")}
            <select name="q" defaultValue={chosenQuestion?.key ?? ""}>
              <option value="">{t("results.filters.none")}</option>
              {answerQuestions.map((question) => (
                <option key={question.key} value={question.key}>
                  {question.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {chosenQuestion ? (
          <fieldset className="answer-options">
            <legend>{t("results.filters.answerOptions")}</legend>
            {chosenQuestion.options.map((option) => (
              <label key={option.key} className="choice">
                <input type="checkbox" name="a" value={option.key} defaultChecked={filter.answer?.options.includes(option.key) ?? false} />{" "}
                <bdi>{option.label}</bdi>
              </label>
            ))}
          </fieldset>
        ) : (
          <p className="hint">{t("results.filters.answerHint")}</p>
        )}
        <label className="choice">
          <input type="checkbox" name="drafts" value="1" defaultChecked={filter.includeDrafts} /> {t("results.filters.drafts")}
        </label>
        <p className="actions">
          <button type="submit" className="button">
            {t("results.filters.apply")}
          </button>{" "}
          <Link to={`${base}/results`}>{t("results.filters.clear")}</Link>
        </p>
        <p className="hint">{t("results.filters.smallSegments", { threshold })}</p>
      </Form>

      <IgnoredFilters ignored={ignored} />

      <p className="results-status" role="status">
        <strong>{interim ? t("results.interim") : t("results.final")}</strong>{" "}
        {view.disclosure === "shown" ? t("results.respondents", { count: view.size, value: number.format(view.size) }) : null}{" "}
        {filter.includeDrafts ? t("results.withDrafts") : t("results.submittedOnly")} · {t("results.countedAt")} <LocalTime iso={view.computedAt} />
        {view.stale ? <> · {t("results.recounting")}</> : null}
      </p>

      {view.disclosure === "tooFew" ? (
        <div className="notice" role="note">
          <p>{t("results.tooFew", { threshold })}</p>
        </div>
      ) : view.disclosure === "differencing" ? (
        <div className="notice" role="note">
          <p>{t("results.differencing", { threshold })}</p>
        </div>
      ) : (
        <>
          <form method="post" action={`${base}/export`} className="export-form">
            {[...searchParams.entries()].map(([name, value], index) => (
              <input type="hidden" name={name} value={value} key={`${name}-${index}`} />
            ))}
            <span>{t("results.export.label")}</span>{" "}
            {responseRows ? (
              <>
                <button type="submit" name="format" value="csv" className="button secondary">
                  {t("results.export.csv")}
                </button>{" "}
              </>
            ) : null}
            <button type="submit" name="format" value="xlsx" className="button secondary">
              {responseRows ? t("results.export.xlsx") : t("results.export.xlsxSummary")}
            </button>{" "}
            <PrintButton />
          </form>
          {/* Rendered on the server and kept per view of the counts (features/results/sections-html.server). */}
          <div className="results-sections" dangerouslySetInnerHTML={{ __html: sectionsHtml }} />
        </>
      )}
    </section>
  );
}
