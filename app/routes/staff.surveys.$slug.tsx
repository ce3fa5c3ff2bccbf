import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { surveyState } from "~/domain/survey-state";
import { requireStaffSurvey } from "~/services/staff-survey.server";
import { surveyTitles } from "~/services/survey-texts.server";
import { detectLanguage } from "~/services/i18n.server";

/** One survey's staff pages: response rates, results, comments, participants, import, mailings, links. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params);
  const locale = detectLanguage(request, user.language);
  return {
    survey: {
      slug: survey.slug,
      title: surveyTitles(locale, [survey.slug])[survey.slug] ?? survey.slug,
      mode: survey.mode,
      state: surveyState(survey, new Date()),
    },
  };
}

export default function StaffSurveyLayout() {
  const { survey } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  const base = `/staff/surveys/${survey.slug}`;
  return (
    <div className="staff-survey">
      <header className="staff-survey-header">
        <h1>
          <bdi>{survey.title}</bdi>
        </h1>
        <p>
          <span className={`badge ${survey.state}`}>{t(`surveys.states.${survey.state}`)}</span> {t(`surveys.modes.${survey.mode}`)}
        </p>
      </header>
      <nav aria-label={t("survey.navLabel")} className="tabs">
        <ul>
          <li>
            <NavLink to={base} end>
              {t("survey.nav.rates")}
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/results`}>{t("survey.nav.results")}</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/comments`}>{t("survey.nav.comments")}</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/participants`}>{t("survey.nav.participants")}</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/import`}>{t("survey.nav.import")}</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/mailings`}>{t("survey.nav.mailings")}</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/links`}>{t("survey.nav.links")}</NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
