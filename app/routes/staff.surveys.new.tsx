import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { createSurvey, newSurveyPage } from "~/features/editor/index.server";
import { requireStaff } from "~/features/staff/auth.server";
import { surveysAllowed } from "~/features/staff/permissions";
import { detectLanguage } from "~/platform/i18n.server";

/** A new survey needs the editing permission for every survey, as a bundle creating one does. */
async function requireCreator(request: Request) {
  const user = await requireStaff(request, "surveys.edit");
  if (surveysAllowed(user.grants, "surveys.edit") !== "all") throw new Response("Forbidden", { status: 403 });
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCreator(request);
  return newSurveyPage(detectLanguage(request, user.language));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireCreator(request);
  const outcome = await createSurvey(request, user);
  if (outcome.ok) return redirect(`/staff/surveys/${outcome.slug}/edit`);
  return data(outcome, { status: outcome.status });
}

export default function NewSurvey() {
  const { sources } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { t } = useTranslation("staff");
  const errors = outcome && !outcome.ok ? outcome.errors : {};
  const values = outcome && !outcome.ok ? outcome.values : { slug: "", title: "", source: "blank" };
  const messages = Object.values(errors).flat();
  return (
    <section aria-labelledby="new-survey-title">
      <h1 id="new-survey-title">{t("editor.create.title")}</h1>
      <p>{t("editor.create.intro")}</p>
      {messages.length ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>{t("editor.refused")}</p>
          <ul>
            {messages.map((message, index) => (
              <li key={index}>{message.startsWith("schema:") ? <bdi>{message.slice(7)}</bdi> : t(message)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post">
        <Field name="title" label={t("editor.create.surveyTitle")} errors={errors.title?.map((key) => `staff:${key}`)}>
          {(control) => <input type="text" {...control} defaultValue={values.title} required maxLength={500} />}
        </Field>
        <Field name="slug" label={t("editor.create.slug")} hint={t("editor.create.slugHint")} errors={errors.slug?.map((key) => `staff:${key}`)}>
          {(control) => <input type="text" {...control} defaultValue={values.slug} required maxLength={60} pattern="[a-z0-9]+(-[a-z0-9]+)*" dir="ltr" />}
        </Field>
        <Field name="source" label={t("editor.create.source")} errors={errors.source?.map((key) => `staff:${key}`)}>
          {(control) => (
            <select {...control} defaultValue={values.source}>
              <option value="blank">{t("editor.create.blank")}</option>
              {sources.map((source) => (
                <option key={source.slug} value={source.slug}>
                  {t("editor.create.copyOf", { title: source.title })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button">
          {t("editor.create.submit")}
        </button>
      </Form>
    </section>
  );
}
