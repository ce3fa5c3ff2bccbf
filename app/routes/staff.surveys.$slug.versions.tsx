import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { publishDraft, versionsPage } from "~/features/editor/index.server";
import { ImpactReportView } from "~/features/editor/components/impact";
import { BundleProblemList } from "~/features/editor/components/problems";
import { ConfirmStep } from "~/features/staff/components/confirm-step";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { readForm } from "~/platform/forms.server";
import { TableFrame } from "~/components/table-frame";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "surveys.edit");
  return { slug: survey.slug, versions: await versionsPage(survey) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.edit");
  const form = await readForm(request);
  const number = String(form.get("version") ?? "");
  if (form.get("intent") !== "publish" || !/^[1-9][0-9]{0,8}$/.test(number)) return data({ problems: [{ code: "notDraft" as const }] }, { status: 400 });
  const outcome = await publishDraft(user, survey, Number(number), form);
  if (!outcome.ok && "confirm" in outcome) return data({ confirm: outcome.confirm }, { status: outcome.status });
  if (!outcome.ok) return data({ problems: outcome.problems }, { status: outcome.status });
  return redirect(`/staff/surveys/${survey.slug}/versions?published=${number}`);
}

export default function SurveyVersions() {
  const { slug, versions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation("staff");
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const published = params.get("published");
  const imported = params.get("imported");
  const confirm = actionData && "confirm" in actionData ? actionData.confirm : null;
  if (confirm) {
    return (
      <ConfirmStep
        title={t("editor.impact.title", { number: confirm.number })}
        count={confirm.confirmation.count}
        changed={confirm.confirmation.changed}
        fields={{ intent: "publish", version: String(confirm.number) }}
        confirmLabel={
          confirm.confirmation.count > 0
            ? t("editor.impact.confirm", { count: confirm.confirmation.count, number: confirm.number })
            : t("editor.impact.publishSafe", { number: confirm.number })
        }
        cancelTo={`/staff/surveys/${slug}/versions`}
      >
        <p>{t("editor.impact.intro")}</p>
        <ImpactReportView report={confirm.report} />
      </ConfirmStep>
    );
  }
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">{t("editor.versions.title")}</h2>
      {actionData && "problems" in actionData ? <BundleProblemList problems={actionData.problems} /> : null}
      {published ? (
        <p className="notice" role="status">
          {t("editor.versions.published", { number: published })}
        </p>
      ) : null}
      {imported ? (
        <p className="notice" role="status">
          {t("editor.versions.imported", { number: imported })}
        </p>
      ) : null}
      <p>{t("editor.versions.intro")}</p>
      <p>
        <Link to="/staff/bundles">{t("editor.versions.importLink")}</Link>
      </p>
      <TableFrame label={t("editor.versions.caption")}>
        <table>
          <caption>{t("editor.versions.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("editor.versions.number")}</th>
              <th scope="col">{t("editor.versions.state")}</th>
              <th scope="col">{t("editor.versions.created")}</th>
              <th scope="col">{t("editor.versions.note")}</th>
              <th scope="col">{t("editor.versions.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version.number}>
                <td className="numeric">{version.number}</td>
                <td>{version.current ? t("editor.versions.current") : version.publishedAt ? t("editor.versions.earlier") : t("editor.versions.draft")}</td>
                <td>
                  {date.format(new Date(version.createdAt))} (UTC){version.createdBy ? <bdi> · {version.createdBy}</bdi> : null}
                </td>
                <td>
                  <bdi>{version.note}</bdi>
                </td>
                <td>
                  <a href={`/staff/surveys/${slug}/bundle?version=${version.number}`} download>
                    {t("editor.versions.download", { number: version.number })}
                  </a>
                  {!version.publishedAt ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="version" value={version.number} />
                      <button type="submit" name="intent" value="publish" className="button">
                        {t("editor.versions.publish", { number: version.number })}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </section>
  );
}
