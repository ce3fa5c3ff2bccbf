import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SurveyLanguageButtons } from "~/features/respondent/components/survey-language-buttons";
import { missingRequired } from "~/domain/answers";
import { loadAnswers, submitResponse } from "~/models/response.server";
import { routeI18nBundle } from "~/platform/i18n.server";
import { queueEmail } from "~/platform/outbox.server";
import { isSubmitted, loadRespondent, requireEditable } from "~/features/respondent/context.server";
import { redirectInLanguage, respondentHeaders, requestedLanguage, sectionPath, surveyPath } from "~/features/respondent/navigation.server";
import { receiptText, reviewSections } from "~/features/respondent/review.server";
import { emailOrganisation } from "~/features/branding/index.server";
import { languageChoices, surveyHeading } from "~/features/surveys/view.server";
import { isolate } from "~/platform/bidi";
import { readForm } from "~/platform/forms.server";
import { surveyPageHandle } from "~/features/respondent/page-handle";

export const handle = surveyPageHandle;

export const headers: HeadersFunction = (args) => respondentHeaders(args);

export const meta: MetaFunction<typeof loader> = ({ data: loaderData }) => [{ title: loaderData?.surveyTitle ?? "Parley" }];

async function reviewContext(request: Request, token: string | undefined, clientIp: string | undefined) {
  const respondent = await loadRespondent(request, token, clientIp);
  requireEditable(respondent);
  if (!respondent.response) throw redirect(sectionPath(respondent, respondent.structure.sections[0]!.key));
  const answers = await loadAnswers(respondent.response.id, respondent.structure);
  return { respondent, answers };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { respondent, answers } = await reviewContext(request, params.token, context.clientIp);
  return {
    locale: respondent.locale,
    i18n: routeI18nBundle(request, respondent.locale, ["respondent"]),
    surveyTitle: surveyHeading(respondent).title,
    sections: reviewSections(respondent, answers).map((section) => ({ ...section, href: sectionPath(respondent, section.key) })),
    canReceipt: respondent.survey.mode !== "anonymous",
    email: respondent.survey.mode !== "anonymous" ? respondent.participant.email : null,
    resubmit: isSubmitted(respondent),
    languages: languageChoices(respondent),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { respondent, answers } = await reviewContext(request, params.token, context.clientIp);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const language = requestedLanguage(respondent, intent);
  if (language) return redirectInLanguage(surveyPath(respondent, "review"), language, request);
  if (intent !== "submit") throw data({ reason: "badRequest" as const }, { status: 400 });

  const missing = missingRequired(respondent.structure.sections, answers);
  if (missing.length) return data({ missing: missing.map((entry) => entry.question) }, { status: 400 });

  const wantsReceipt = form.get("receipt") === "yes" && respondent.survey.mode !== "anonymous";
  const receipt = wantsReceipt ? receiptText(respondent, reviewSections(respondent, answers), await emailOrganisation()) : null;
  await submitResponse(
    respondent.owner,
    respondent.response!.id,
    respondent.structure,
    answers,
    new Date(),
    receipt
      ? [
          queueEmail({
            template: "receipt",
            to: respondent.participant.email,
            toName: respondent.participant.name,
            language: respondent.locale,
            participantId: respondent.participant.id,
            ...receipt,
          }),
        ]
      : [],
  );
  return redirect(`${surveyPath(respondent)}?submitted=1`);
}

export default function SurveyReview() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("respondent");
  const missing = new Set(actionData?.missing ?? []);

  return (
    <article className="panel survey" aria-labelledby="review-title">
      <p className="survey-name">
        <bdi>{loaderData.surveyTitle}</bdi>
      </p>
      <h1 id="review-title">{t("review.title")}</h1>
      <p>{t("review.intro")}</p>
      {missing.size ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <h2>{t("review.missingTitle", { count: missing.size })}</h2>
          <ul>
            {loaderData.sections.flatMap((section) =>
              section.items
                .filter((item) => missing.has(item.key))
                .map((item) => (
                  <li key={item.key}>
                    <a href={`${section.href}#${item.key}`}>
                      <bdi>{item.label}</bdi>
                    </a>
                  </li>
                )),
            )}
          </ul>
        </div>
      ) : null}
      {loaderData.sections.map((section) => (
        <section key={section.key} className="review-section" aria-labelledby={`review-${section.key}`}>
          <div className="review-heading">
            <h2 id={`review-${section.key}`}>{section.title}</h2>
            <a href={section.href} className="button secondary small">
              {t("review.change")}
              <span className="visually-hidden">: {section.title}</span>
            </a>
          </div>
          <dl>
            {section.items.map((item) => (
              <div key={item.key} className={item.missing ? "review-item missing" : "review-item"}>
                <dt>{item.label}</dt>
                <dd>
                  {item.answer.length ? (
                    item.answer.map((answer, index) => (
                      <bdi key={index} className="review-answer">
                        {answer}
                      </bdi>
                    ))
                  ) : (
                    <span className="not-answered">{item.missing ? t("review.requiredMissing") : t("review.notAnswered")}</span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <Form method="post" className="survey-form">
        {loaderData.canReceipt ? (
          <div className="choice receipt">
            <input type="checkbox" id="receipt" name="receipt" value="yes" />
            <label htmlFor="receipt">{t("review.receipt", { email: isolate(loaderData.email ?? "") })}</label>
          </div>
        ) : (
          <p>{t("review.anonymousNoReceipt")}</p>
        )}
        <div className="survey-nav">
          <button type="submit" name="intent" value="submit" className="button">
            {loaderData.resubmit ? t("review.resubmit") : t("review.submit")}
          </button>
        </div>
        <SurveyLanguageButtons languages={loaderData.languages} current={loaderData.locale} />
      </Form>
    </article>
  );
}
