import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { QuestionField } from "~/features/respondent/components/question-field";
import { SectionHeading } from "~/features/respondent/components/section-heading";
import { SurveyLanguageButtons } from "~/features/respondent/components/survey-language-buttons";
import { isVisible } from "~/domain/conditions";
import { chosenFrom, effectiveAnswers, parseSectionAnswers, type AnswerValue } from "~/domain/answers";
import { loadAnswers, saveSectionAnswers } from "~/models/response.server";
import { routeI18nBundle } from "~/platform/i18n.server";
import { isSubmitted, loadRespondent, requireEditable, type RespondentContext } from "~/features/respondent/context.server";
import { redirectInLanguage, respondentHeaders, requestedLanguage, sectionPath, surveyPath } from "~/features/respondent/navigation.server";
import {
  languageChoices,
  optional,
  renderQuestions,
  surveyT,
  sectionFieldValues,
  sectionTitle,
  surveyHeading,
  valuesFromAnswers,
  type FieldValues,
} from "~/features/surveys/view.server";
import { readForm } from "~/platform/forms.server";
import { surveyPageHandle } from "~/features/respondent/page-handle";

export const handle = surveyPageHandle;

export const headers: HeadersFunction = (args) => respondentHeaders(args);

export const meta: MetaFunction<typeof loader> = ({ data: loaderData }) => [
  { title: loaderData ? `${loaderData.section.title} · ${loaderData.surveyTitle}` : "Parley" },
];

async function sectionContext(request: Request, token: string | undefined, key: string | undefined, clientIp: string | undefined) {
  const respondent = await loadRespondent(request, token, clientIp);
  requireEditable(respondent);
  const index = respondent.structure.sections.findIndex((section) => section.key === key);
  if (index === -1) throw data({ reason: "notFound" as const }, { status: 404 });
  const answers = respondent.response ? await loadAnswers(respondent.response.id, respondent.structure) : [];
  return { respondent, index, section: respondent.structure.sections[index]!, answers };
}

function view(request: Request, respondent: RespondentContext, index: number, values: FieldValues, answersElsewhere: AnswerValue[]) {
  const section = respondent.structure.sections[index]!;
  return {
    locale: respondent.locale,
    i18n: routeI18nBundle(request, respondent.locale, ["respondent"]),
    surveyTitle: surveyHeading(respondent).title,
    section: {
      key: section.key,
      title: sectionTitle(respondent, section.key),
      intro: optional(surveyT(respondent), `sections.${section.key}.intro`),
      number: index + 1,
      total: respondent.structure.sections.length,
    },
    questions: renderQuestions(respondent, section, values, answersElsewhere),
    values,
    languages: languageChoices(respondent),
    editingSubmitted: isSubmitted(respondent),
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { respondent, index, section, answers } = await sectionContext(request, params.token, params.key, context.clientIp);
  const own = new Set(section.questions.map((question) => question.key));
  const elsewhere = effectiveAnswers(respondent.structure.sections, answers).filter((answer) => !own.has(answer.question));
  const url = new URL(request.url);
  return {
    ...view(request, respondent, index, valuesFromAnswers(answers.filter((answer) => own.has(answer.question))), elsewhere),
    errors: {},
    more: url.searchParams.has("more"),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { respondent, index, section, answers } = await sectionContext(request, params.token, params.key, context.clientIp);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "next");
  const own = new Set(section.questions.map((question) => question.key));
  const elsewhere = effectiveAnswers(respondent.structure.sections, answers).filter((answer) => !own.has(answer.question));
  const values = sectionFieldValues(section, form);
  const parsed = parseSectionAnswers(section.questions, (name) => values[name] ?? [], chosenFrom(elsewhere));
  const errorEntries = Object.values(parsed.errors).flat();
  const language = requestedLanguage(respondent, intent);
  // The welcome page promises members can stop at any time: leaving a page is
  // never refused for an unfinished answer. Only "Next" (and submitting) insists.
  const leaving = intent === "back" || intent === "save" || language !== null;
  const submitted = isSubmitted(respondent);

  // Nothing from a tampered post is stored. A draft keeps every valid piece
  // (a half-rated matrix keeps its rated rows) even when the page needs work;
  // a submitted response changes only when the whole page is valid, so it
  // never loses a required answer.
  const blocking = parsed.tampered || (errorEntries.length > 0 && (submitted || !leaving));
  if (!parsed.tampered && (!submitted || errorEntries.length === 0)) {
    await saveSectionAnswers(
      respondent.owner,
      respondent.structure,
      section.key,
      submitted ? parsed.answers : parsed.kept,
      respondent.locale,
      respondent.response,
    );
  }
  // A background save while typing (JavaScript only) answers with what was
  // kept; errors are shown when the person moves on, not mid-sentence.
  if (intent === "autosave") {
    const kept = !parsed.tampered && (!submitted || errorEntries.length === 0);
    return data({ autosaved: kept, savedAt: new Date().toISOString() }, { status: parsed.tampered ? 400 : 200 });
  }
  if (blocking) {
    return data({ ...view(request, respondent, index, values, elsewhere), errors: parsed.errors, more: false }, { status: 400 });
  }

  if (language) return redirectInLanguage(sectionPath(respondent, section.key), language, request);
  // A question revealed by an answer on this same page, which the respondent
  // has not seen yet: show the page again (without JavaScript it appears only now).
  const shown = new Set(String(form.get("shown") ?? "").split(","));
  const chosen = chosenFrom([...elsewhere, ...parsed.answers]);
  const revealed = section.questions.find((question) => question.showIf && !shown.has(question.key) && isVisible(question.showIf, chosen));
  if (revealed && intent === "next") return redirect(`${sectionPath(respondent, section.key)}?more=1#${revealed.key}`);

  const sections = respondent.structure.sections;
  if (intent === "back") return redirect(index === 0 ? surveyPath(respondent) : sectionPath(respondent, sections[index - 1]!.key));
  if (intent === "save") return redirect(surveyPath(respondent));
  return redirect(index + 1 < sections.length ? sectionPath(respondent, sections[index + 1]!.key) : surveyPath(respondent, "review"));
}

export default function SurveySection() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const page = actionData && "section" in actionData ? actionData : loaderData;
  const { t } = useTranslation("respondent");
  const shown = page.questions.filter((question) => question.visible).map((question) => question.key);

  return (
    <article className="panel survey" aria-labelledby="section-title">
      <p className="survey-name">
        <bdi>{page.surveyTitle}</bdi>
      </p>
      <SectionHeading section={page.section} more={page.more} errors={page.errors} questions={page.questions} />
      <Form method="post" className="survey-form" id="answers" noValidate>
        <input type="hidden" name="shown" value={shown.join(",")} />
        {page.questions.map((question) => (
          <QuestionField key={`${page.locale}-${question.key}`} question={question} values={page.values} errors={page.errors} />
        ))}
        <div className="survey-nav">
          <button type="submit" name="intent" value="next" className="button">
            {page.section.number === page.section.total ? t("nav.review") : t("nav.next")}
          </button>
          <button type="submit" name="intent" value="back" className="button secondary" formNoValidate>
            {t("nav.back")}
          </button>
          <button type="submit" name="intent" value="save" className="link-button" formNoValidate>
            {t("nav.saveAndExit")}
          </button>
        </div>
        {/* Filled by the page's script when a text is saved as a draft while typing (features/respondent/enhance.js). */}
        <p className="hint autosave-status" role="status" data-saved={t("section.autosaved")} />
        <SurveyLanguageButtons languages={page.languages} current={page.locale} />
      </Form>
    </article>
  );
}
