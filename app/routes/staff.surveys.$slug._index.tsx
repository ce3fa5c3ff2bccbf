import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { ProgressChart } from "~/features/outreach/components/progress-chart";
import { RATE_SEGMENTS, responseRates, type RateRow } from "~/models/response-rates.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { languageInfo } from "~/platform/i18n.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "surveys.view");
  const rates = await responseRates(survey);
  const endonyms = Object.fromEntries(rates.segments.language.map((row) => [row.segment ?? "", row.segment ? languageInfo(row.segment).endonym : ""]));
  return { rates, segments: RATE_SEGMENTS, endonyms, threshold: survey.anonymityThreshold, computedAt: new Date().toISOString() };
}

export default function ResponseRates() {
  const { rates, segments, endonyms, threshold, computedAt } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const percent = new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 1 });
  const count = (value: number | null) => (value === null ? t("rates.below", { threshold }) : number.format(value));
  const rate = (row: RateRow) => (row.rate === null ? "—" : percent.format(row.rate));
  const segmentName = (segment: string, value: string | null) =>
    value === null ? t("rates.notGiven") : segment === "language" ? `${endonyms[value] ?? value} (${value})` : value;
  const direction = i18n.dir(i18n.language);
  const columns = ["participants", "invited", "started", "submitted"] as const;

  return (
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
      {rates.timeline.length === 0 ? (
        <p>{t("rates.noActivity")}</p>
      ) : (
        <div className="chart-with-table">
          <ProgressChart
            direction={direction}
            labels={rates.timeline.map((point) => point.day)}
            series={[
              { label: t("rates.columns.invited"), values: rates.timeline.map((point) => point.invited), colour: "#6b7280" },
              { label: t("rates.columns.submitted"), values: rates.timeline.map((point) => point.submitted), colour: "#1d4ed8" },
            ]}
          />
          <div className="table-wrap">
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
                </tr>
              </thead>
              <tbody>
                {rates.timeline.map((point) => (
                  <tr key={point.day}>
                    <th scope="row">
                      <time dateTime={point.day}>
                        {new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(point.day))}
                      </time>
                    </th>
                    <td className="numeric">{number.format(point.invited)}</td>
                    <td className="numeric">{number.format(point.submitted)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}

      {segments.map((segment) => (
        <div key={segment}>
          <h3 id={`by-${segment}`}>{t(`rates.by.${segment}`)}</h3>
          {segment === "language" ? <p className="hint">{t("rates.languageNote")}</p> : null}
          <div className="table-wrap">
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
  );
}
