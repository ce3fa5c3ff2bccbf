import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FileDrop } from "~/components/file-drop";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { BUNDLE_LIMITS, receiveBundleUpload } from "~/features/editor/index.server";
import { BundleProblemList } from "~/features/editor/components/problems";
import { requireStaff } from "~/features/staff/auth.server";
import { can, surveysAllowed } from "~/features/staff/permissions";
import { CLOSE_CONNECTION } from "~/platform/forms.server";

/** Upload a survey bundle: a new survey (a draft members cannot open yet) or a draft version of an existing one. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "surveys.edit");
  return { maxMegabytes: BUNDLE_LIMITS.zipBytes / 1024 / 1024 };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request, "surveys.edit");
  const outcome = await receiveBundleUpload(request, {
    id: user.id,
    // A new survey needs the permission for every survey; an existing one, for that survey.
    mayEdit: (surveyId) => (surveyId === null ? surveysAllowed(user.grants, "surveys.edit") === "all" : can(user.grants, "surveys.edit", surveyId)),
  });
  if (!outcome.ok) return data({ problems: outcome.problems }, { status: outcome.status, headers: outcome.status === 413 ? CLOSE_CONNECTION : undefined });
  return redirect(`/staff/surveys/${outcome.slug}/versions?imported=${outcome.number}`);
}

export default function ImportBundle() {
  const { maxMegabytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <section aria-labelledby="bundle-title">
      <h1 id="bundle-title">{t("editor.bundles.title")}</h1>
      {actionData?.problems ? <BundleProblemList problems={actionData.problems} /> : null}
      <p>{t("editor.bundles.intro")}</p>
      <ul>
        <li>
          <code dir="ltr">surveys/&lt;slug&gt;.json</code>
        </li>
        <li>
          <code dir="ltr">locales/&lt;lng&gt;/survey.&lt;slug&gt;.json</code>
        </li>
      </ul>
      <p>{t("editor.bundles.rules", { size: number.format(maxMegabytes) })}</p>
      <Form method="post" encType="multipart/form-data" className="panel">
        <Field name="file" label={t("editor.bundles.file")}>
          {(control) => (
            <FileDrop
              id={control.id}
              name={control.name}
              accept=".zip,application/zip"
              describedBy={control["aria-describedby"]}
              invalid={control["aria-invalid"]}
            />
          )}
        </Field>
        <Field name="note" label={t("editor.bundles.note")}>
          {(control) => <input {...control} type="text" maxLength={200} />}
        </Field>
        <button type="submit" className="button" disabled={busy}>
          {t("editor.bundles.submit")}
        </button>
      </Form>
    </section>
  );
}
