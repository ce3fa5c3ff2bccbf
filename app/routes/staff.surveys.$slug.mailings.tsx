import { surveyTexts } from "~/features/surveys/index.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { z } from "zod";
import { availableLanguages, isAvailableLanguage } from "~/platform/i18n.server";
import { recentMailings, startMailing } from "~/features/outreach/mailing-jobs.server";
import { emailOrganisation, organisationBranding } from "~/features/branding/index.server";
import { withLogoAddress } from "~/platform/email-branding.server";
import { countAudience, DEFAULT_REMINDER_GAP_DAYS, EMAIL_KINDS, renderOutreachEmail, type EmailKind } from "~/features/outreach/emails.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { countUnsubscribed } from "~/models/outreach.server";
import { publicOrigin } from "~/platform/urls.server";
import { env } from "~/platform/env.server";
import { parseValues, readForm } from "~/platform/forms.server";
import { confirmationFor, confirmationStatus } from "~/platform/confirm";
import { ConfirmStep } from "~/features/staff/components/confirm-step";
import { TableFrame } from "~/components/table-frame";

const sendSchema = z.object({
  kind: z.enum(EMAIL_KINDS),
  gapDays: z.coerce.number().int().min(1).max(60).default(DEFAULT_REMINDER_GAP_DAYS),
});

function readGap(value: string | null): number {
  const days = Number.parseInt(value ?? "", 10);
  return Number.isInteger(days) && days >= 1 && days <= 60 ? days : DEFAULT_REMINDER_GAP_DAYS;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "mailings.send");
  const url = new URL(request.url);
  const requested = url.searchParams.get("preview");
  const previewLanguage = isAvailableLanguage(requested) ? requested : survey.defaultLanguage;
  const previewKind: EmailKind = url.searchParams.get("kind") === "reminder" ? "reminder" : "invitation";
  const gapDays = readGap(url.searchParams.get("gap"));
  const now = new Date();
  const origin = publicOrigin(request, env().PUBLIC_URL);
  const organisation = await emailOrganisation();
  const rendered = renderOutreachEmail(
    previewKind,
    { ...survey, texts: await surveyTexts(survey) },
    { name: "Amina Diallo", language: previewLanguage, timeZone: "UTC" },
    `${origin}/s/…`,
    `${origin}/unsubscribe/…`,
    organisation,
  );
  // The preview frame cannot show an inline part: it shows the logo from this site instead (a frame's srcdoc resolves
  // addresses against the page's own).
  const sample = { ...rendered, html: withLogoAddress(rendered.html, organisation, (await organisationBranding()).logoUrl) };
  return {
    languages: availableLanguages().map(({ code, endonym, dir }) => ({ code, endonym, dir })),
    kinds: EMAIL_KINDS,
    previewLanguage,
    previewKind,
    preview: sample,
    gapDays,
    invitations: await countAudience("invitation", survey.id, gapDays, now),
    reminders: await countAudience("reminder", survey.id, gapDays, now),
    unsubscribed: await countUnsubscribed(survey.id),
    mailings: (await recentMailings(survey.id)).map((job) => ({
      ...job,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "mailings.send");
  const form = await readForm(request);
  // Object.fromEntries: a repeated field counts with its last value, as it always has.
  const parsed = parseValues(sendSchema, Object.fromEntries(form));
  if (!parsed.ok) return data({ result: "invalid" as const, count: 0 }, { status: 400 });
  const { kind, gapDays } = parsed.values;
  const now = new Date();
  const current = await countAudience(kind, survey.id, gapDays, now);
  if (current === 0) return data({ result: "nobody" as const, count: 0 }, { status: 409 });
  // First the page asks, stating the count; the confirmation sends that count back and
  // goes ahead only if it is still the count (otherwise it asks again with the new one).
  const confirmation = confirmationFor(form, current);
  if (confirmation) return data({ result: "confirm" as const, kind, gapDays, ...confirmation }, { status: confirmationStatus(confirmation) });
  const outcome = await startMailing({
    survey,
    kind,
    gapDays,
    origin: publicOrigin(request, env().PUBLIC_URL),
    expected: current,
    staffUserId: user.id,
  });
  if (!outcome.finished) return data({ result: "background" as const, count: current }, { status: 202 });
  return { result: kind === "invitation" ? ("invited" as const) : ("reminded" as const), count: outcome.queued };
}

export default function Mailings() {
  const { kinds, languages, previewLanguage, previewKind, preview, gapDays, invitations, reminders, unsubscribed, mailings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const busy = navigation.state === "submitting";
  const previewDir = languages.find((language) => language.code === previewLanguage)?.dir ?? "ltr";

  if (actionData?.result === "confirm") {
    const { kind, count, changed } = actionData;
    const figures = { count, formatted: number.format(count), days: actionData.gapDays };
    return (
      <section aria-labelledby="mailings-title">
        <h2 id="mailings-title">{t("mailings.title")}</h2>
        <ConfirmStep
          headingLevel={3}
          title={t(`mailings.confirm.${kind}.title`, figures)}
          count={count}
          changed={changed}
          fields={{ kind, gapDays: String(actionData.gapDays) }}
          confirmLabel={t(kind === "invitation" ? "mailings.sendInvitations" : "mailings.sendReminders", figures)}
          cancelTo={`?gap=${actionData.gapDays}`}
        >
          <p>{t(`mailings.confirm.${kind}.body`, figures)}</p>
          <p>{t("mailings.confirm.final")}</p>
        </ConfirmStep>
      </section>
    );
  }

  return (
    <section aria-labelledby="mailings-title">
      <h2 id="mailings-title">{t("mailings.title")}</h2>
      <p>{t("mailings.intro")}</p>
      {unsubscribed > 0 ? <p id="unsubscribed-note">{t("mailings.unsubscribed", { count: unsubscribed, formatted: number.format(unsubscribed) })}</p> : null}
      {actionData ? (
        <p
          className={["invited", "reminded", "background"].includes(actionData.result) ? "notice" : "error-summary"}
          role={["invited", "reminded", "background"].includes(actionData.result) ? "status" : "alert"}
        >
          {t(`mailings.result.${actionData.result}`, { count: actionData.count, formatted: number.format(actionData.count) })}
        </p>
      ) : null}

      <div className="mailing-actions">
        <Form method="post" className="panel">
          <h3>{t("mailings.invitationsTitle")}</h3>
          <p>{t("mailings.invitationsAudience", { count: invitations, formatted: number.format(invitations) })}</p>
          <input type="hidden" name="kind" value="invitation" />
          <button type="submit" className="button" disabled={busy || invitations === 0}>
            {t("mailings.sendInvitations", { count: invitations, formatted: number.format(invitations) })}
          </button>
        </Form>

        <div className="panel">
          <h3>{t("mailings.remindersTitle")}</h3>
          <Form method="get" className="inline-form">
            <input type="hidden" name="preview" value={previewLanguage} />
            <input type="hidden" name="kind" value={previewKind} />
            <label htmlFor="gap">{t("mailings.gap")}</label>
            <input id="gap" name="gap" type="number" min={1} max={60} defaultValue={gapDays} inputMode="numeric" />
            <button type="submit" className="button secondary">
              {t("mailings.recount")}
            </button>
          </Form>
          <p>{t("mailings.remindersAudience", { count: reminders, formatted: number.format(reminders), days: gapDays })}</p>
          <Form method="post">
            <input type="hidden" name="kind" value="reminder" />
            <input type="hidden" name="gapDays" value={gapDays} />
            <button type="submit" className="button" disabled={busy || reminders === 0}>
              {t("mailings.sendReminders", { count: reminders, formatted: number.format(reminders) })}
            </button>
          </Form>
        </div>
      </div>

      {mailings.length > 0 ? (
        <>
          <h3 id="jobs-title">{t("mailings.jobs.title")}</h3>
          <TableFrame labelledBy="jobs-title">
            <table aria-labelledby="jobs-title">
              <thead>
                <tr>
                  <th scope="col">{t("mailings.jobs.started")}</th>
                  <th scope="col">{t("mailings.jobs.kind")}</th>
                  <th scope="col" className="numeric">
                    {t("mailings.jobs.queued")}
                  </th>
                  <th scope="col">{t("mailings.jobs.status")}</th>
                </tr>
              </thead>
              <tbody>
                {mailings.map((job) => (
                  <tr key={job.id}>
                    <td>
                      <LocalTime iso={job.createdAt} />
                    </td>
                    <td>{t(`mailings.kinds.${job.kind}`)}</td>
                    <td className="numeric">{t("mailings.jobs.progress", { queued: number.format(job.queued), expected: number.format(job.expected) })}</td>
                    <td>{t(`mailings.jobs.states.${job.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
          {mailings.some((job) => job.status === "running") ? (
            <p>
              <Link to=".">{t("mailings.jobs.refresh")}</Link>
            </p>
          ) : null}
        </>
      ) : null}

      <h3 id="preview-title">{t("mailings.previewTitle")}</h3>
      <Form method="get" className="inline-form">
        <input type="hidden" name="gap" value={gapDays} />
        <label htmlFor="preview-kind">{t("mailings.previewKind")}</label>
        <select id="preview-kind" name="kind" defaultValue={previewKind}>
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`mailings.kinds.${kind}`)}
            </option>
          ))}
        </select>
        <label htmlFor="preview-language">{t("mailings.previewLanguage")}</label>
        <select id="preview-language" name="preview" defaultValue={previewLanguage}>
          {languages.map((language) => (
            <option key={language.code} value={language.code} lang={language.code}>
              {language.endonym}
            </option>
          ))}
        </select>
        <button type="submit" className="button secondary">
          {t("mailings.showPreview")}
        </button>
      </Form>
      <article className="email-preview" aria-labelledby="preview-title" lang={previewLanguage} dir={previewDir}>
        <p className="email-subject">
          <strong>{preview.subject}</strong>
        </p>
        <pre>{preview.text}</pre>
      </article>
      <h4 id="preview-html-title">{t("mailings.previewHtml")}</h4>
      {/* Sandboxed without scripts: the message as mail programs show its HTML part. */}
      <iframe className="email-preview-html" title={t("mailings.previewHtml")} sandbox="" srcDoc={preview.html} />
    </section>
  );
}
