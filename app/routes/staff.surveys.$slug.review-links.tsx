import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import { TableFrame } from "~/components/table-frame";
import { createReviewLink, reviewLinkAddress, reviewLinkSchema, reviewLinksPage, revokeReviewLink } from "~/features/editor/index.server";
import { REVIEW_LINK_DAYS, type ReviewLinkStatus } from "~/features/editor/review-links";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { env } from "~/platform/env.server";
import { parseForm, readForm, submittedValues, type FieldErrors } from "~/platform/forms.server";
import { publicOrigin } from "~/platform/urls.server";

/** A new link is shown once, in the answer to the post that made it: never cached. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers(actionHeaders);
  headers.set("Cache-Control", "no-store");
  return headers;
};

/** Read-only links to one version of the survey for reviewers without a staff account: make, list, revoke. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "surveys.edit");
  const page = await reviewLinksPage(survey, new Date());
  // ?version=N: the version the Preview tab was showing ("Share this version with a reviewer").
  const asked = Number(new URL(request.url).searchParams.get("version"));
  const version = page.versions.some((entry) => entry.number === asked) ? asked : (page.versions[0]?.number ?? null);
  return { ...page, slug: survey.slug, version };
}

type ActionData =
  | { intent: "create"; result: "created"; link: string; label: string; version: number; expiresAt: string }
  | { intent: "create"; result: "invalid"; errors: FieldErrors; values: Record<string, string> }
  | { intent: "revoke"; result: "revoked" | "gone" }
  | { intent: "unknown"; result: "invalid"; errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.edit");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "revoke") {
    const done = await revokeReviewLink(user, survey, String(form.get("link") ?? ""));
    return data<ActionData>({ intent: "revoke", result: done ? "revoked" : "gone" }, { status: done ? 200 : 404 });
  }
  if (intent !== "create") {
    return data<ActionData>(
      { intent: "unknown", result: "invalid", errors: { form: ["staff:editor.reviewLinks.errors.unknownAction"] }, values: {} },
      { status: 400 },
    );
  }
  const values = submittedValues(form, ["label", "days", "version"], 200);
  const parsed = parseForm(reviewLinkSchema, form);
  const created = parsed.ok ? await createReviewLink(user, survey, parsed.values) : parsed;
  if (!created.ok) return data<ActionData>({ intent: "create", result: "invalid", errors: created.errors, values }, { status: 400 });
  return data<ActionData>({
    intent: "create",
    result: "created",
    link: reviewLinkAddress(publicOrigin(request, env().PUBLIC_URL), created.token),
    label: parsed.ok ? parsed.values.label : "",
    version: parsed.ok ? parsed.values.version : 0,
    expiresAt: created.expiresAt.toISOString(),
  });
}

export default function ReviewLinks() {
  const { versions, active, ended, version } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("staff");
  const refused = actionData && "errors" in actionData ? actionData : null;
  const errors: FieldErrors = refused?.errors ?? {};
  const values = refused?.values ?? {};
  const labels = { label: t("editor.reviewLinks.label"), version: t("editor.reviewLinks.version"), days: t("editor.reviewLinks.days") };
  const versionName = (number: number) => {
    const entry = versions.find((candidate) => candidate.number === number);
    return t(entry?.current ? "editor.reviewLinks.versionCurrent" : entry?.draft ? "editor.reviewLinks.versionDraft" : "editor.reviewLinks.versionNumber", {
      number,
    });
  };
  return (
    <section aria-labelledby="review-links-title">
      <h2 id="review-links-title">{t("editor.reviewLinks.title")}</h2>
      <p>{t("editor.reviewLinks.intro")}</p>
      {actionData?.intent === "revoke" ? (
        <p className="notice" role="status">
          {t(`editor.reviewLinks.${actionData.result}`)}
        </p>
      ) : null}
      {actionData && "link" in actionData ? (
        <div className="notice success" role="status">
          <p>
            <strong>{t("editor.reviewLinks.created", { version: actionData.version })}</strong> <bdi>{actionData.label}</bdi>
          </p>
          <Field name="new-link" label={t("editor.reviewLinks.newLink")} hint={t("editor.reviewLinks.shownOnce")}>
            {(control) => <input {...control} type="url" readOnly value={actionData.link} dir="ltr" />}
          </Field>
          <p>
            {t("editor.reviewLinks.validUntil")} <LocalTime iso={actionData.expiresAt} />
          </p>
        </div>
      ) : null}

      <h3 id="review-links-create">{t("editor.reviewLinks.createTitle")}</h3>
      {versions.length === 0 ? (
        <p>{t("editor.reviewLinks.noVersion")}</p>
      ) : (
        <>
          <ErrorSummary errors={errors} labels={labels} options={{ min: REVIEW_LINK_DAYS.min, max: REVIEW_LINK_DAYS.max }} />
          <Form method="post" noValidate aria-labelledby="review-links-create">
            <input type="hidden" name="intent" value="create" />
            <Field name="label" label={labels.label} hint={t("editor.reviewLinks.labelHint")} errors={errors.label}>
              {(control) => <input {...control} type="text" autoComplete="off" maxLength={200} defaultValue={values.label} required />}
            </Field>
            <Field name="version" label={labels.version} errors={errors.version}>
              {(control) => (
                <select {...control} defaultValue={values.version || String(version ?? "")}>
                  {versions.map((entry) => (
                    <option key={entry.number} value={entry.number}>
                      {versionName(entry.number)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              name="days"
              label={labels.days}
              hint={t("editor.reviewLinks.daysHint", { min: REVIEW_LINK_DAYS.min, max: REVIEW_LINK_DAYS.max })}
              errors={errors.days}
              errorOptions={{ min: REVIEW_LINK_DAYS.min, max: REVIEW_LINK_DAYS.max }}
            >
              {(control) => (
                <input
                  {...control}
                  type="number"
                  inputMode="numeric"
                  min={REVIEW_LINK_DAYS.min}
                  max={REVIEW_LINK_DAYS.max}
                  step={1}
                  defaultValue={values.days || String(REVIEW_LINK_DAYS.default)}
                  required
                />
              )}
            </Field>
            <button type="submit" className="button">
              {t("editor.reviewLinks.create")}
            </button>
          </Form>
        </>
      )}

      <h3 id="review-links-active">{t("editor.reviewLinks.activeTitle")}</h3>
      {active.length === 0 ? (
        <p>{t("editor.reviewLinks.noneActive")}</p>
      ) : (
        <LinkTable labelledBy="review-links-active" links={active} versionName={versionName} />
      )}
      <h3 id="review-links-ended">{t("editor.reviewLinks.endedTitle")}</h3>
      {ended.length === 0 ? <p>{t("editor.reviewLinks.noneEnded")}</p> : <LinkTable labelledBy="review-links-ended" links={ended} versionName={versionName} />}
    </section>
  );
}

interface LinkRow {
  id: string;
  label: string;
  version: number;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  status: ReviewLinkStatus;
}

function LinkTable({ labelledBy, links, versionName }: { labelledBy: string; links: LinkRow[]; versionName: (number: number) => string }) {
  const { t } = useTranslation("staff");
  const working = links.some((link) => link.status === "active");
  return (
    <TableFrame labelledBy={labelledBy}>
      <table aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">{t("editor.reviewLinks.label")}</th>
            <th scope="col">{t("editor.reviewLinks.version")}</th>
            <th scope="col">{t("editor.reviewLinks.createdBy")}</th>
            <th scope="col">{working ? t("editor.reviewLinks.expires") : t("editor.reviewLinks.ended")}</th>
            {working ? <th scope="col">{t("editor.reviewLinks.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {links.map((link) => (
            <tr key={link.id}>
              <td>
                <bdi>{link.label}</bdi>
              </td>
              <td>{versionName(link.version)}</td>
              <td>
                {link.createdBy ? <bdi>{link.createdBy}</bdi> : t("editor.reviewLinks.unknownPerson")}
                {", "}
                <LocalTime iso={link.createdAt} />
              </td>
              <td>
                {link.status === "active" ? null : `${t(`editor.reviewLinks.status.${link.status}`)} `}
                <LocalTime iso={link.revokedAt ?? link.expiresAt} />
              </td>
              {working ? (
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="link" value={link.id} />
                    <button type="submit" className="button secondary small">
                      {t("editor.reviewLinks.revoke")}
                      <span className="visually-hidden">
                        {" "}
                        <bdi>{link.label}</bdi>
                      </span>
                    </button>
                  </Form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
