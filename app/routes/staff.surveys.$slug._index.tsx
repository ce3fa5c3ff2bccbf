import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { DailyChart } from "~/features/outreach/components/daily-chart";
import { dailyTimeline, dayFormatter } from "~/features/outreach/timeline";
import { RATE_SEGMENTS, responseRates, type RateRow } from "~/models/response-rates.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { languageInfo } from "~/platform/i18n.server";
import { TableFrame } from "~/components/table-frame";
import { isLifecycleIntent } from "~/domain/survey-lifecycle";
import { changeLifecycle, lifecyclePanel } from "~/features/editor/index.server";
import { LifecyclePanel } from "~/features/editor/components/lifecycle-panel";
import { ConfirmStep } from "~/features/staff/components/confirm-step";
import { can } from "~/features/staff/permissions";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.view");
  const mayEdit = can(user.grants, "surveys.edit", survey.id);
  const rates = await responseRates(survey);
  const endonyms = Object.fromEntries(rates.segments.language.map((row) => [row.segment ?? "", row.segment ? languageInfo(row.segment).endonym : ""]));
  return {
    slug: survey.slug,
    mayEdit,
    lifecycle: lifecyclePanel(request, survey, mayEdit),
    rates,
    timeline: dailyTimeline(rates.timeline),
    segments: RATE_SEGMENTS,
    endonyms,
    threshold: survey.anonymityThreshold,
    computedAt: new Date().toISOString(),
  };
}

/** The lifecycle actions of the "Schedule and close" panel (features/editor/lifecycle.server.ts). */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.edit");
  const outcome = await changeLifecycle(request, user, survey);
  if (outcome.ok) return redirect(`/staff/surveys/${survey.slug}?done=${outcome.intent}`);
  return data(outcome, { status: outcome.status });
}

export default function SurveyOverview() {
  const { slug, mayEdit, lifecycle, rates, timeline, segments, endonyms, threshold, computedAt } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const percent = new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 1 });
  const count = (value: number | null) => (value === null ? t("rates.below", { threshold }) : number.format(value));
  const rate = (row: RateRow) => (row.rate === null ? "—" : percent.format(row.rate));
  const segmentName = (segment: string, value: string | null) =>
    value === null ? t("rates.notGiven") : segment === "language" ? `${endonyms[value] ?? value} (${value})` : value;
  const direction = i18n.dir(i18n.language);
  const columns = ["participants", "invited", "started", "submitted"] as const;
  // The chart's axis and the table print each day with the same formatter.
  const dayLabel = dayFormatter(i18n.language);
  const days = timeline.map((point) => dayLabel(point.day));

  const confirm = outcome && "confirm" in outcome ? outcome : null;
  // Closing (now, or a deadline brought before now) cuts members short: say so and how many are mid-way, then act.
  const lifecyclePanel = confirm ? (
    <ConfirmStep
      title={t("lifecycle.confirm.title")}
      count={confirm.confirm.count}
      changed={confirm.confirm.changed}
      fields={{ intent: confirm.intent, ...(confirm.intent === "deadline" ? { closesAt: confirm.confirm.closesAtLocal } : {}) }}
      confirmLabel={t("lifecycle.confirm.button")}
      cancelTo={`/staff/surveys/${slug}`}
      danger
    >
      <p>
        {t("lifecycle.confirm.when")} <LocalTime iso={confirm.confirm.closesAt} />
      </p>
      <p>{t("lifecycle.confirm.unsubmitted", { count: confirm.confirm.count, formatted: number.format(confirm.confirm.count) })}</p>
    </ConfirmStep>
  ) : (
    <LifecyclePanel
      slug={slug}
      panel={lifecycle}
      mayEdit={mayEdit}
      done={isLifecycleIntent(done) ? done : null}
      refusal={outcome && "error" in outcome ? outcome : null}
    />
  );
  return (
    <>
      {lifecyclePanel}
      <section aria-labelledby="rates-title">
        <h2 id="rates-title">{t("rates.title")}</h2>
        <p>{t("rates.intro", { threshold })}</p>
        <p className="hint">
          {t("rates.countedAt")} <LocalTime iso={computedAt} />
        </p>
        <dl className="figures">
          {columns.map((column) => (
            <div key={column}>
              <dt>{t(`rates.columns.${column}`)}</dt>
              <dd>{count(rates.totals[column])}</dd>
            </div>
          ))}
          <div>
            <dt>{t("rates.columns.rate")}</dt>
            <dd>{rate(rates.totals)}</dd>
          </div>
        </dl>

        <h3 id="timeline-title">{t("rates.timeline")}</h3>
        {timeline.length === 0 ? (
          <p>{t("rates.noActivity")}</p>
        ) : (
          // A bar per day needs the page's width: the chart above its table.
          <div className="chart-stacked">
            <DailyChart
              direction={direction}
              labels={days}
              series={[
                { label: t("rates.columns.invited"), values: timeline.map((point) => point.invited), colour: "#6b7280" },
                { label: t("rates.columns.submitted"), values: timeline.map((point) => point.submitted), colour: "#1d4ed8" },
              ]}
            />
            <TableFrame labelledBy="timeline-title">
              <table aria-labelledby="timeline-title">
                <thead>
                  <tr>
                    <th scope="col">{t("rates.day")}</th>
                    <th scope="col" className="numeric">
                      {t("rates.columns.invited")}
                    </th>
                    <th scope="col" className="numeric">
                      {t("rates.columns.submitted")}
                    </th>
                    <th scope="col" className="numeric">
                      {t("rates.submittedSoFar")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {timeline.map((point, index) => (
                    <tr key={point.day}>
                      <th scope="row">
                        <time dateTime={point.day}>{days[index]}</time>
                      </th>
                      <td className="numeric">{number.format(point.invited)}</td>
                      <td className="numeric">{number.format(point.submitted)}</td>
                      <td className="numeric">{number.format(point.submittedSoFar)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          </div>
        )}

        {segments.map((segment) => (
          <div key={segment}>
            <h3 id={`by-${segment}`}>{t(`rates.by.${segment}`)}</h3>
            {segment === "language" ? <p className="hint">{t("rates.languageNote")}</p> : null}
            <div className="table-wrap" tabIndex={0} role="group" aria-labelledby={`by-${segment}`}>
              <table aria-labelledby={`by-${segment}`}>
                <thead>
                  <tr>
                    <th scope="col">{t(`rates.segment.${segment}`)}</th>
                    {columns.map((column) => (
                      <th scope="col" className="numeric" key={column}>
                        {t(`rates.columns.${column}`)}
                      </th>
                    ))}
                    <th scope="col" className="numeric">
                      {t("rates.columns.rate")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rates.segments[segment].map((row) => (
                    <tr key={row.segment ?? ""}>
                      <th scope="row">
                        <bdi>{segmentName(segment, row.segment)}</bdi>
                      </th>
                      {columns.map((column) => (
                        <td className="numeric" key={column}>
                          {count(row[column])}
                        </td>
                      ))}
                      <td className="numeric">{rate(row)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))}
      </section>
    </>
  );
}
