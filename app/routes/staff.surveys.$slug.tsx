import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { surveyState } from "~/domain/survey-state";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { surveyTexts, surveyTitles } from "~/features/surveys/texts.server";
import { detectLanguage } from "~/platform/i18n.server";
import { loadSurveyStructure } from "~/models/survey-structure.server";
import { outdatedLanguages, surveyTranslationProgress } from "~/features/surveys/languages.server";
import { surveyNamespace } from "~/features/surveys/texts.server";
import { can, PERMISSIONS, surveysAllowed, type Permission } from "~/features/staff/permissions";
import { listSurveysToSwitch } from "~/models/survey.server";

/** One survey's staff pages: response rates, results, comments, participants, import, mailings, links. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.view");
  const locale = detectLanguage(request, user.language);
  const texts = await surveyTexts(survey);
  const progress = surveyTranslationProgress(texts, await loadSurveyStructure(survey.id, survey.definitionHash));
  const outdated = await outdatedLanguages(survey);
  return {
    survey: {
      slug: survey.slug,
      title: texts.t(locale)("title", { defaultValue: survey.slug }),
      mode: survey.mode,
      state: surveyState(survey, new Date()),
      namespace: surveyNamespace(survey.slug),
      // Respondents are offered exactly the languages with every text of the survey.
      live: progress.filter((language) => language.share === 1 && !outdated.has(language.code)),
      inProgress: progress.filter((language) => language.share < 1 || outdated.has(language.code)),
    },
    allowed: PERMISSIONS.filter((permission) => can(user.grants, permission, survey.id)),
    switcher: await surveySwitcher(user.grants, locale),
  };
}

/** The other surveys this person may open, by title in their language, for the switcher in the header. */
async function surveySwitcher(grants: Parameters<typeof surveysAllowed>[0], locale: string) {
  const surveys = await listSurveysToSwitch(surveysAllowed(grants, "surveys.view"));
  const titles = await surveyTitles(locale, surveys);
  return surveys.map(({ slug }) => ({ slug, title: titles[slug] ?? slug }));
}

/** The survey's pages, each shown to those whose roles open it for this survey. */
const SURVEY_TABS: { path: string; label: string; permission: Permission }[] = [
  { path: "", label: "survey.nav.rates", permission: "surveys.view" },
  { path: "/results", label: "survey.nav.results", permission: "results.view" },
  { path: "/comments", label: "survey.nav.comments", permission: "results.view" },
  { path: "/participants", label: "survey.nav.participants", permission: "participants.manage" },
  { path: "/import", label: "survey.nav.import", permission: "participants.manage" },
  { path: "/mailings", label: "survey.nav.mailings", permission: "mailings.send" },
  { path: "/links", label: "survey.nav.links", permission: "mailings.send" },
  { path: "/edit", label: "survey.nav.edit", permission: "surveys.edit" },
  { path: "/preview", label: "survey.nav.preview", permission: "surveys.view" },
  { path: "/review-links", label: "survey.nav.reviewLinks", permission: "surveys.edit" },
  { path: "/versions", label: "survey.nav.versions", permission: "surveys.edit" },
];

export default function StaffSurveyLayout() {
  const { survey, allowed, switcher } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  const percent = new Intl.NumberFormat(i18n.language, { style: "percent" });
  const base = `/staff/surveys/${survey.slug}`;
  return (
    <div className="staff-survey">
      <header className="staff-survey-header">
        {switcher.length > 1 ? (
          // A GET form to the staff home, which forwards to the survey chosen: works without scripts.
          <Form method="get" action="/staff" className="inline-form survey-switcher">
            <label htmlFor="switch-survey">{t("survey.switchLabel")}</label>
            <select id="switch-survey" name="survey" defaultValue={survey.slug}>
              {switcher.map((other) => (
                <option key={other.slug} value={other.slug}>
                  {other.title}
                </option>
              ))}
            </select>
            <button type="submit" className="button secondary small">
              {t("survey.switchButton")}
            </button>
          </Form>
        ) : null}
        <h1>
          <bdi>{survey.title}</bdi>
        </h1>
        <p>
          <span className={`badge ${survey.state}`}>{t(`surveys.states.${survey.state}`)}</span> {t(`surveys.modes.${survey.mode}`)}
        </p>
        <p className="survey-language-status">
          {t("survey.languagesLive")}{" "}
          {survey.live.map((language, index) => (
            <span key={language.code}>
              {index > 0 ? t("survey.listSeparator") : null}
              <span lang={language.code}>{language.endonym}</span>
            </span>
          ))}
          {survey.inProgress.length > 0 ? (
            <>
              {" · "}
              {t("survey.languagesInProgress")}{" "}
              {survey.inProgress.map((language, index) => (
                <span key={language.code}>
                  {index > 0 ? t("survey.listSeparator") : null}
                  <Link to={`/staff/translations/${language.code}/${survey.namespace}`}>
                    <span lang={language.code}>{language.endonym}</span>
                    {` (${percent.format(Math.floor(language.share * 100) / 100)})`}
                  </Link>
                </span>
              ))}
            </>
          ) : null}
        </p>
      </header>
      <nav aria-label={t("survey.navLabel")} className="tabs">
        <ul>
          {SURVEY_TABS.filter((tab) => allowed.includes(tab.permission)).map((tab) => (
            <li key={tab.path}>
              <NavLink to={`${base}${tab.path}`} end={tab.path === ""}>
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
