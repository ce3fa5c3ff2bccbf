import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { isolate } from "~/platform/bidi";
import { SurveyLanguageButtons } from "~/features/respondent/components/survey-language-buttons";
import { loadAnswers } from "~/models/response.server";
import type { RootLoaderData } from "~/root";
import { forumOffer } from "~/features/forums/offer.server";
import { routeI18nBundle } from "~/platform/i18n.server";
import { canEdit, isSubmitted, loadRespondent, requireEditable } from "~/features/respondent/context.server";
import { redirectInLanguage, respondentHeaders, requestedLanguage, resumePath, sectionPath } from "~/features/respondent/navigation.server";
import { languageChoices, surveyHeading } from "~/features/surveys/view.server";
import { readForm } from "~/platform/forms.server";
import { surveyPageHandle } from "~/features/respondent/page-handle";

export const handle = surveyPageHandle;

export const headers: HeadersFunction = (args) => respondentHeaders(args);

export const meta: MetaFunction<typeof loader> = ({ data: loaderData }) => [{ title: loaderData?.survey.title ?? "Parley" }];

/** The survey's front page: welcome, a closed notice (410), or the confirmation after submitting. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const respondent = await loadRespondent(request, params.token, context.clientIp);
  const heading = surveyHeading(respondent);
  const submitted = isSubmitted(respondent);
  const status = respondent.state === "closed" || respondent.state === "archived" ? 410 : respondent.state === "scheduled" ? 403 : 200;
  return data(
    {
      locale: respondent.locale,
      i18n: routeI18nBundle(request, respondent.locale, ["respondent"]),
      survey: {
        ...heading,
        state: respondent.state,
        mode: respondent.survey.mode,
        opensAt: respondent.survey.opensAt.toISOString(),
        closesAt: respondent.survey.closesAt.toISOString(),
        estimatedMinutes: respondent.survey.estimatedMinutes,
        sectionCount: respondent.structure.sections.length,
      },
      name: respondent.participant.name,
      // Times read in the participant's own zone when we know it (else the browser's, else UTC, each named).
      timeZone: respondent.participant.timeZone,
      started: (respondent.response?.savedSections.length ?? 0) > 0,
      submitted,
      editable: submitted && canEdit(respondent),
      justSubmitted: new URL(request.url).searchParams.has("submitted"),
      languages: languageChoices(respondent),
      forum: submitted ? await forumOffer(respondent.survey.id, respondent.participant, respondent.locale) : null,
    },
    { status },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const respondent = await loadRespondent(request, params.token, context.clientIp);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const language = requestedLanguage(respondent, intent);
  if (language) return redirectInLanguage(new URL(request.url).pathname, language, request);
  requireEditable(respondent);
  if (intent === "start") {
    const answers = respondent.response ? await loadAnswers(respondent.response.id, respondent.structure) : [];
    return redirect(isSubmitted(respondent) ? sectionPath(respondent, respondent.structure.sections[0]!.key) : resumePath(respondent, answers));
  }
  throw data({ reason: "badRequest" as const }, { status: 400 });
}

export default function SurveyWelcome() {
  const loaderData = useLoaderData<typeof loader>();
  const { survey, timeZone } = loaderData;
  const { t } = useTranslation("respondent");
  const root = useRouteLoaderData<RootLoaderData>("root");
  const closed = survey.state === "closed" || survey.state === "archived";

  return (
    <article className="panel survey" aria-labelledby="survey-title">
      <h1 id="survey-title">
        <bdi>{survey.title}</bdi>
      </h1>
      {closed ? (
        <div className="notice" role="status">
          <h2>{t("closed.title")}</h2>
          <p>
            {t("closed.body")} <LocalTime iso={survey.closesAt} zone={timeZone} />
          </p>
        </div>
      ) : survey.state === "scheduled" ? (
        <div className="notice" role="status">
          <h2>{t("notOpen.title")}</h2>
          <p>
            {t("notOpen.body")} <LocalTime iso={survey.opensAt} zone={timeZone} />
          </p>
        </div>
      ) : loaderData.submitted ? (
        <div className="notice success" role="status">
          <h2>{t("done.title")}</h2>
          <p>{loaderData.justSubmitted ? t("done.justSubmitted") : t("done.alreadySubmitted")}</p>
          {survey.mode === "anonymous" ? <p>{t("done.anonymous")}</p> : null}
          {loaderData.editable ? (
            <p>
              {t("done.editUntil")} <LocalTime iso={survey.closesAt} zone={timeZone} />
            </p>
          ) : null}
        </div>
      ) : (
        <>
          <p className="greeting">{t("welcome.greeting", { name: isolate(loaderData.name) })}</p>
          <p className="survey-description">{survey.description}</p>
          <ul className="facts">
            <li>
              {t("welcome.deadline")} <LocalTime iso={survey.closesAt} zone={timeZone} />
            </li>
            <li>{t("welcome.estimate", { count: survey.estimatedMinutes })}</li>
            <li>{t("welcome.sections", { count: survey.sectionCount })}</li>
            <li>{t("welcome.saving")}</li>
          </ul>
          <h2>{t("privacy.title")}</h2>
          <p>{survey.mode === "anonymous" ? t("privacy.anonymous") : t("privacy.confidential")}</p>
        </>
      )}
      {loaderData.submitted && loaderData.forum ? (
        <section className="panel forum-offer" aria-labelledby="forum-offer-title">
          <h2 id="forum-offer-title">
            <bdi>{loaderData.forum.title}</bdi>
          </h2>
          <p>{t("forum.intro")}</p>
          <ul className="forum-sessions">
            {loaderData.forum.sessions.map((session) => (
              <li key={session.id} className="forum-session">
                <form method="post" action={`/forums/${loaderData.forum!.slug}`}>
                  {Object.entries({ ...loaderData.forum!.details, sessionId: session.id, timeZone: root?.timeZone ?? "UTC" }).map(([name, value]) => (
                    <input type="hidden" name={name} value={value} key={name} />
                  ))}
                  <p className="forum-time">
                    <LocalTime iso={session.startsAt} zone={timeZone} /> · <span lang={session.language}>{session.languageName}</span>
                  </p>
                  <button type="submit" className="button secondary">
                    {session.state === "open" ? t("forum.signUp") : t("forum.waitingList")}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <p className="hint">{t("forum.details", { email: isolate(loaderData.forum.details.email) })}</p>
        </section>
      ) : null}
      <Form method="post" className="survey-form">
        {!closed && survey.state !== "scheduled" && (!loaderData.submitted || loaderData.editable) ? (
          <div className="survey-nav">
            <button type="submit" name="intent" value="start" className="button">
              {loaderData.submitted ? t("done.edit") : loaderData.started ? t("welcome.resume") : t("welcome.start")}
            </button>
          </div>
        ) : null}
        <SurveyLanguageButtons languages={loaderData.languages} current={loaderData.locale} />
      </Form>
    </article>
  );
}
