import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { listSurveysForStaff } from "~/models/survey.server";
import { requireStaff } from "~/features/staff/auth.server";
import { can, surveysAllowed } from "~/features/staff/permissions";
import { surveyTitles } from "~/features/surveys/texts.server";
import { detectLanguage } from "~/platform/i18n.server";
import { TableFrame } from "~/components/table-frame";

/** Where someone whose roles give them no survey starts: their first area. */
const OTHER_AREAS = [
  ["translations.edit", "/staff/translations"],
  ["forums.manage", "/staff/forums"],
  ["outbox.view", "/staff/outbox"],
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "signedIn");
  // The survey switcher on a survey's pages sends its choice here; the survey's own page checks access.
  const switchTo = new URL(request.url).searchParams.get("survey");
  if (switchTo && /^[a-z0-9-]{1,80}$/.test(switchTo)) throw redirect(`/staff/surveys/${switchTo}`);
  if (!can(user.grants, "surveys.view")) {
    const area = OTHER_AREAS.find(([permission]) => can(user.grants, permission));
    if (area) throw redirect(area[1]);
  }
  const locale = detectLanguage(request, user.language);
  const surveys = can(user.grants, "surveys.view") ? await listSurveysForStaff(new Date(), surveysAllowed(user.grants, "surveys.view")) : [];
  const titles = await surveyTitles(locale, surveys);
  return {
    surveys: surveys.map((survey) => ({ ...survey, title: titles[survey.slug] ?? survey.slug })),
    canImport: surveysAllowed(user.grants, "surveys.edit") === "all" && can(user.grants, "surveys.edit"),
  };
}

export default function StaffHome() {
  const { surveys, canImport } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <section aria-labelledby="surveys-title">
      <h1 id="surveys-title">{t("surveys.title")}</h1>
      {canImport ? (
        <p className="button-row">
          <Link to="/staff/surveys/new">{t("editor.create.link")}</Link>
          <Link to="/staff/bundles">{t("editor.bundles.title")}</Link>
        </p>
      ) : null}
      {surveys.length === 0 ? (
        <p>{t("surveys.empty")}</p>
      ) : (
        <TableFrame label={t("surveys.title")}>
          <table>
            <caption className="visually-hidden">{t("surveys.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("surveys.name")}</th>
                <th scope="col">{t("surveys.state")}</th>
                <th scope="col">{t("surveys.period")}</th>
                <th scope="col">{t("surveys.mode")}</th>
                <th scope="col" className="numeric">
                  {t("surveys.participants")}
                </th>
                <th scope="col" className="numeric">
                  {t("surveys.submitted")}
                </th>
              </tr>
            </thead>
            <tbody>
              {surveys.map((survey) => (
                <tr key={survey.id}>
                  <th scope="row">
                    <Link to={`/staff/surveys/${survey.slug}`}>
                      <bdi>{survey.title}</bdi>
                    </Link>
                  </th>
                  <td>
                    <span className={`badge ${survey.state}`}>{t(`surveys.states.${survey.state}`)}</span>
                  </td>
                  <td>
                    <LocalTime iso={survey.opensAt} dateOnly /> – <LocalTime iso={survey.closesAt} dateOnly />
                  </td>
                  <td>{t(`surveys.modes.${survey.mode}`)}</td>
                  <td className="numeric">{number.format(survey.participantCount)}</td>
                  <td className="numeric">{number.format(survey.submittedCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </section>
  );
}
