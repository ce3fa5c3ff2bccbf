import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { SeriesTextFields } from "~/features/forums/components/series-text-fields";
import { listSeries, parseSeriesTexts } from "~/models/forum.server";
import { recordAudit } from "~/platform/audit.server";
import { requireForumAccess, requireStaff } from "~/features/staff/auth.server";
import { canManageForum } from "~/features/staff/permissions";
import { createSeriesFrom, seriesSchema } from "~/features/forums/staff-page.server";
import { seriesTitle } from "~/features/forums/sign-up.server";
import { availableLanguages, detectLanguage } from "~/platform/i18n.server";
import { parseForm, readForm } from "~/platform/forms.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "forums.manage");
  const locale = detectLanguage(request, user.language);
  // A survey manager of one survey sees the series linked to it; creating a series is for those who manage them all.
  const series = (await listSeries()).filter((entry) => canManageForum(user.grants, entry.surveyId));
  return {
    canCreate: canManageForum(user.grants, null),
    series: series.map((entry) => ({ slug: entry.slug, title: seriesTitle(parseSeriesTexts(entry.texts), locale).title, sessions: entry._count.sessions })),
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request, "forums.manage");
  await requireForumAccess(request, user, null);
  const form = await readForm(request);
  const parsed = parseForm(seriesSchema(true), form);
  const result = parsed.ok ? await createSeriesFrom(parsed.values.slug, parsed.values.texts) : parsed;
  if (!result.ok) return data({ errors: result.errors, values: Object.fromEntries([...form].map(([name, value]) => [name, String(value)])) }, { status: 400 });
  await recordAudit({ staffUserId: user.id, action: "forum.create", subject: result.values.slug });
  return redirect(`/staff/forums/${result.values.slug}`, 303);
}

export default function ForumList() {
  const { series, languages, canCreate } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("staff");
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  return (
    <section aria-labelledby="forums-title">
      <h1 id="forums-title">{t("forums.title")}</h1>
      {series.length === 0 ? (
        <p>{t("forums.none")}</p>
      ) : (
        <ul>
          {series.map((entry) => (
            <li key={entry.slug}>
              <Link to={`/staff/forums/${entry.slug}`}>
                <bdi>{entry.title || entry.slug}</bdi>
              </Link>{" "}
              <span className="hint">{t("forums.sessionCount", { count: entry.sessions })}</span>
            </li>
          ))}
        </ul>
      )}
      {canCreate ? (
        <>
          <h2 id="new-series">{t("forums.newSeries")}</h2>
          <ErrorSummary errors={errors} labels={{ slug: t("forums.fields.slug") }} />
          <Form method="post" aria-labelledby="new-series">
            <Field name="slug" label={t("forums.fields.slug")} hint={t("forums.fields.slugHint")} errors={errors.slug}>
              {(control) => <input {...control} dir="ltr" required defaultValue={values.slug ?? ""} />}
            </Field>
            <SeriesTextFields languages={languages} values={values} errors={errors} />
            <button type="submit" className="button">
              {t("forums.create")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
