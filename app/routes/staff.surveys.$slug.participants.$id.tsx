import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { isolate } from "~/platform/bidi";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import { ParticipantFields } from "~/features/outreach/components/participant-fields";
import { deleteParticipant, findParticipant, participantRemoval, updateParticipant } from "~/models/participant.server";
import { recordAudit } from "~/platform/audit.server";
import { availableLanguages } from "~/platform/i18n.server";
import { checkParticipant, PARTICIPANT_FIELDS, participantSchema } from "~/features/outreach/participant-form.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { parseForm, readForm, submittedValues } from "~/platform/forms.server";
import { confirmationFor, confirmationStatus } from "~/platform/confirm";
import { ConfirmStep } from "~/features/staff/components/confirm-step";

const ID = /^[0-9a-f-]{36}$/;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "participants.manage");
  const participant = ID.test(params.id ?? "") ? await findParticipant(survey.id, params.id!) : null;
  if (!participant) throw new Response("Not found", { status: 404 });
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    slug: survey.slug,
    mode: survey.mode,
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
    participant: {
      ...participant,
      invitedAt: iso(participant.invitedAt),
      lastContactedAt: iso(participant.lastContactedAt),
      respondedAt: iso(participant.respondedAt),
      bouncedAt: iso(participant.bouncedAt),
      unsubscribedAt: iso(participant.unsubscribedAt),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "participants.manage");
  if (!ID.test(params.id ?? "")) throw new Response("Not found", { status: 404 });
  const id = params.id!;
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    // Removing takes their answers with it: first say so, with the number of questions
    // they answered; remove only when the confirmation carries that same number.
    const removal = await participantRemoval(survey.id, id);
    if (!removal) throw new Response("Not found", { status: 404 });
    const confirmation = confirmationFor(form, removal.response?.answered ?? 0);
    if (confirmation)
      return data({ remove: { ...removal, ...confirmation }, errors: {}, values: null, saved: false }, { status: confirmationStatus(confirmation) });
    if (!(await deleteParticipant(survey.id, id))) throw new Response("Not found", { status: 404 });
    await recordAudit({ staffUserId: user.id, action: "participant.delete", subject: id, detail: { survey: survey.slug } });
    return redirect(`/staff/surveys/${survey.slug}/participants`);
  }
  const parsed = parseForm(participantSchema, form);
  const result = parsed.ok ? await checkParticipant(parsed.values, survey.id, id) : parsed;
  if (!result.ok) return data({ remove: null, errors: result.errors, values: submittedValues(form, PARTICIPANT_FIELDS, 1000), saved: false }, { status: 400 });
  if (!(await updateParticipant(survey.id, id, result.values))) throw new Response("Not found", { status: 404 });
  await recordAudit({ staffUserId: user.id, action: "participant.update", subject: id, detail: { survey: survey.slug } });
  return { remove: null, errors: {}, values: null, saved: true };
}

export default function EditParticipant() {
  const { slug, mode, languages, participant } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("staff");
  const errors = actionData?.errors ?? {};
  const labels = Object.fromEntries(
    ["name", "email", "language", "region", "country", "unit", "timeZone"].map((field) => [field, t(`participants.fields.${field}`)]),
  );
  const when = (label: string, iso: string | null) =>
    iso ? (
      <div>
        <dt>{label}</dt>
        <dd>
          <LocalTime iso={iso} />
        </dd>
      </div>
    ) : null;
  const remove = actionData?.remove;
  if (remove) {
    const number = new Intl.NumberFormat(i18n.language);
    const name = isolate(remove.name);
    const answered = remove.response?.answered ?? 0;
    return (
      <section aria-labelledby="participant-title">
        <p>
          <Link to={`/staff/surveys/${slug}/participants`}>{t("participants.back")}</Link>
        </p>
        <h2 id="participant-title">
          <bdi>{participant.name}</bdi>
        </h2>
        <ConfirmStep
          headingLevel={3}
          title={t("participants.removeConfirm.title", { name })}
          count={answered}
          changed={remove.changed}
          fields={{ intent: "delete" }}
          danger
          confirmLabel={t("participants.removeConfirm.button", { name })}
          cancelTo="."
        >
          <p>
            {t("participants.removeConfirm.who", { name, email: isolate(remove.email) })}{" "}
            {mode === "anonymous"
              ? t("participants.removeConfirm.anonymous")
              : !remove.response
                ? t("participants.removeConfirm.noResponse")
                : t(remove.response.submitted ? "participants.removeConfirm.submitted" : "participants.removeConfirm.draft", {
                    count: answered,
                    formatted: number.format(answered),
                  })}
          </p>
          {remove.waitingEmails > 0 ? (
            <p>{t("participants.removeConfirm.waitingEmails", { count: remove.waitingEmails, formatted: number.format(remove.waitingEmails) })}</p>
          ) : null}
          <p>
            <strong>{t("participants.removeConfirm.final")}</strong>
          </p>
        </ConfirmStep>
      </section>
    );
  }
  return (
    <section aria-labelledby="participant-title">
      <p>
        <Link to={`/staff/surveys/${slug}/participants`}>{t("participants.back")}</Link>
      </p>
      <h2 id="participant-title">
        <bdi>{participant.name}</bdi>
      </h2>
      {actionData?.saved ? (
        <p className="notice" role="status">
          {t("participants.saved")}
        </p>
      ) : null}
      <dl className="facts">
        {when(t("participants.invitedAt"), participant.invitedAt)}
        {when(t("participants.lastContactedAt"), participant.lastContactedAt)}
        {participant.remindersSent > 0 ? (
          <div>
            <dt>{t("participants.reminders")}</dt>
            <dd>{new Intl.NumberFormat(i18n.language).format(participant.remindersSent)}</dd>
          </div>
        ) : null}
        {when(t("participants.respondedAt"), participant.respondedAt)}
        {when(t("participants.bouncedAt"), participant.bouncedAt)}
        {when(t("participants.unsubscribedAt"), participant.unsubscribedAt)}
      </dl>
      <ErrorSummary errors={errors} labels={labels} />
      <Form method="post" noValidate className="panel">
        <ParticipantFields values={actionData?.values ?? participant} errors={errors} languages={languages} />
        <button type="submit" className="button">
          {t("participants.save")}
        </button>
      </Form>
      <h3 id="data-title">{t("participants.dataTitle")}</h3>
      <p>{t(mode === "anonymous" ? "participants.dataAnonymous" : "participants.dataConfidential")}</p>
      <p>
        <a className="button secondary" href={`/staff/surveys/${slug}/participants/${participant.id}/data`} download>
          {t("participants.dataDownload")}
        </a>
      </p>

      <h3 id="remove-title">{t("participants.removeTitle")}</h3>
      <p>{t(mode === "anonymous" ? "participants.removeAnonymous" : "participants.removeConfidential")}</p>
      <Form method="post" aria-labelledby="remove-title">
        <input type="hidden" name="intent" value="delete" />
        <button type="submit" className="button danger">
          {t("participants.remove")}
        </button>
      </Form>
    </section>
  );
}
