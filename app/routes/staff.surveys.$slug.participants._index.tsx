import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import { ParticipantFields } from "~/features/outreach/components/participant-fields";
import { createParticipant, listParticipants, PARTICIPANTS_PER_PAGE } from "~/models/participant.server";
import { recordAudit } from "~/platform/audit.server";
import { availableLanguages } from "~/platform/i18n.server";
import { checkParticipant, PARTICIPANT_FIELDS, participantSchema } from "~/features/outreach/participant-form.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { parseForm, readForm, submittedValues } from "~/platform/forms.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "participants.manage");
  const url = new URL(request.url);
  const search = (url.searchParams.get("q") ?? "").slice(0, 200);
  const page = Math.max(1, Math.min(100_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const { total, rows } = await listParticipants(survey.id, { search, page });
  return {
    slug: survey.slug,
    defaultLanguage: survey.defaultLanguage,
    search,
    page,
    pages: Math.max(1, Math.ceil(total / PARTICIPANTS_PER_PAGE)),
    total,
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
    added: url.searchParams.get("added") === "1",
    participants: rows.map((row) => ({
      ...row,
      invitedAt: row.invitedAt?.toISOString() ?? null,
      respondedAt: row.respondedAt?.toISOString() ?? null,
      bouncedAt: row.bouncedAt?.toISOString() ?? null,
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "participants.manage");
  const form = await readForm(request);
  const parsed = parseForm(participantSchema, form);
  const result = parsed.ok ? await checkParticipant(parsed.values, survey.id) : parsed;
  if (!result.ok) return data({ errors: result.errors, values: submittedValues(form, PARTICIPANT_FIELDS, 1000) }, { status: 400 });
  const created = await createParticipant(survey.id, result.values);
  await recordAudit({ staffUserId: user.id, action: "participant.create", subject: created.id, detail: { survey: survey.slug } });
  return redirect(`/staff/surveys/${survey.slug}/participants?added=1`);
}

export default function Participants() {
  const { slug, defaultLanguage, search, page, pages, total, languages, added, participants } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const pageLink = (target: number) => {
    const next = new URLSearchParams(searchParams);
    next.set("page", String(target));
    next.delete("added");
    return `?${next.toString()}`;
  };
  const errors = actionData?.errors ?? {};
  const labels = Object.fromEntries(
    ["name", "email", "language", "region", "country", "unit", "timeZone"].map((field) => [field, t(`participants.fields.${field}`)]),
  );

  return (
    <section aria-labelledby="participants-title">
      <h2 id="participants-title">{t("participants.title")}</h2>
      {added ? (
        <p className="notice" role="status">
          {t("participants.added")}
        </p>
      ) : null}
      <p>
        {t("participants.count", { count: total, formatted: number.format(total) })}{" "}
        <Link to={`/staff/surveys/${slug}/import`}>{t("participants.importLink")}</Link>
      </p>
      <Form method="get" role="search" className="inline-form">
        <label htmlFor="q">{t("participants.search")}</label>
        <input id="q" name="q" type="search" defaultValue={search} dir="auto" />
        <button type="submit" className="button secondary">
          {t("participants.searchButton")}
        </button>
      </Form>
      {participants.length === 0 ? (
        <p>{search ? t("participants.noMatch") : t("participants.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("participants.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("participants.fields.name")}</th>
                <th scope="col">{t("participants.fields.email")}</th>
                <th scope="col">{t("participants.fields.language")}</th>
                <th scope="col">{t("participants.fields.region")}</th>
                <th scope="col">{t("participants.fields.unit")}</th>
                <th scope="col">{t("participants.status")}</th>
              </tr>
            </thead>
            <tbody>
              {participants.map((participant) => (
                <tr key={participant.id}>
                  <th scope="row">
                    <Link to={participant.id}>
                      <bdi>{participant.name}</bdi>
                    </Link>
                  </th>
                  <td>
                    <bdi>{participant.email}</bdi>
                  </td>
                  <td>{participant.language}</td>
                  <td>
                    <bdi>{participant.region ?? ""}</bdi>
                  </td>
                  <td>
                    <bdi>{participant.unit ?? ""}</bdi>
                  </td>
                  <td>
                    {participant.bouncedAt ? (
                      <span className="badge bounced">{t("participants.states.bounced")}</span>
                    ) : participant.respondedAt ? (
                      <span className="badge sent">{t("participants.states.responded")}</span>
                    ) : participant.invitedAt ? (
                      <>
                        {t("participants.states.invited")} <LocalTime iso={participant.invitedAt} dateOnly />
                      </>
                    ) : (
                      t("participants.states.notInvited")
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav aria-label={t("participants.pages")} className="pager">
          {page > 1 ? <Link to={pageLink(page - 1)}>{t("participants.previous")}</Link> : null}
          <span>{t("participants.pageOf", { page: number.format(page), pages: number.format(pages) })}</span>
          {page < pages ? <Link to={pageLink(page + 1)}>{t("participants.next")}</Link> : null}
        </nav>
      ) : null}

      <h2 id="add-title">{t("participants.addTitle")}</h2>
      <ErrorSummary errors={errors} labels={labels} />
      <Form method="post" noValidate aria-labelledby="add-title" className="panel">
        <ParticipantFields values={actionData?.values ?? { language: defaultLanguage }} errors={errors} languages={languages} />
        <button type="submit" className="button">
          {t("participants.add")}
        </button>
      </Form>
    </section>
  );
}
