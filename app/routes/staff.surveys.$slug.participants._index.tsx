import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import { ParticipantFields } from "~/features/outreach/components/participant-fields";
import { createParticipant, listParticipants, participantFacets, PARTICIPANTS_PER_PAGE } from "~/models/participant.server";
import { PARTICIPANT_SORTS, PARTICIPANT_STATUSES } from "~/domain/participant-status";
import { recordAudit } from "~/platform/audit.server";
import { availableLanguages } from "~/platform/i18n.server";
import { checkParticipant, PARTICIPANT_FIELDS, participantSchema } from "~/features/outreach/participant-form.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { parseForm, readForm, submittedValues } from "~/platform/forms.server";
import { SortHeader } from "~/components/sort-header";
import { TableFrame } from "~/components/table-frame";

/** A filter value as text a database can compare: control characters (a NUL is refused by PostgreSQL) make it no filter at all. */
const plainParam = (url: URL, name: string, maxLength: number): string | undefined => {
  const value = (url.searchParams.get(name) ?? "").slice(0, maxLength);
  return value && !/\p{Cc}/u.test(value) ? value : undefined;
};
const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined => values.find((candidate) => candidate === value);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "participants.manage");
  const url = new URL(request.url);
  const search = (url.searchParams.get("q") ?? "").slice(0, 200);
  const page = Math.max(1, Math.min(100_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  // Filters from the address bar: an unknown value is ignored rather than refused, so an old bookmark still opens the list.
  const filters = {
    status: oneOf(PARTICIPANT_STATUSES, url.searchParams.get("status")),
    language: plainParam(url, "language", 20),
    region: plainParam(url, "region", 200),
    sort: oneOf(PARTICIPANT_SORTS, url.searchParams.get("sort")) ?? "name",
  };
  const [{ total, rows }, facets] = await Promise.all([listParticipants(survey.id, { search, page, ...filters }), participantFacets(survey.id)]);
  return {
    slug: survey.slug,
    anonymous: survey.mode === "anonymous",
    defaultLanguage: survey.defaultLanguage,
    search,
    filters,
    filtered: Boolean(search || filters.status || filters.language || filters.region),
    facets,
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
      unsubscribedAt: row.unsubscribedAt?.toISOString() ?? null,
      lastContactedAt: row.lastContactedAt?.toISOString() ?? null,
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

const STATUS_BADGE = { notInvited: "", invited: "", started: "draft", unsubscribed: "unsubscribed", submitted: "sent", bounced: "bounced" } as const;

export default function Participants() {
  const { slug, anonymous, defaultLanguage, search, filters, filtered, facets, page, pages, total, languages, added, participants } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  // Languages by their names in the reader's language ("Arabic", "arabe"), never as bare codes.
  const languageNames = new Intl.DisplayNames([i18n.language], { type: "language", fallback: "code" });
  const languageName = (code: string) => languageNames.of(code) ?? code;
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
  // A survey that keeps no link between people and answers cannot say who has started.
  const statuses = PARTICIPANT_STATUSES.filter((status) => !(anonymous && status === "started"));

  return (
    <section aria-labelledby="participants-title">
      <h2 id="participants-title">{t("participants.title")}</h2>
      {added ? (
        <p className="notice" role="status">
          {t("participants.added")}
        </p>
      ) : null}
      <p>
        {t("participants.count", { count: facets.total, formatted: number.format(facets.total) })}{" "}
        <Link to={`/staff/surveys/${slug}/import`}>{t("participants.importLink")}</Link>
      </p>

      <details className="panel add-participant" open={Boolean(actionData?.errors)}>
        <summary>
          <h3 id="add-title">{t("participants.addTitle")}</h3>
        </summary>
        <ErrorSummary errors={errors} labels={labels} />
        <Form method="post" noValidate aria-labelledby="add-title">
          <ParticipantFields values={actionData?.values ?? { language: defaultLanguage }} errors={errors} languages={languages} />
          <button type="submit" className="button">
            {t("participants.add")}
          </button>
        </Form>
      </details>

      <Form method="get" role="search" className="filters" aria-label={t("participants.filters.title")}>
        <div className="field search">
          <label htmlFor="q">{t("participants.search")}</label>
          <input id="q" name="q" type="search" defaultValue={search} dir="auto" />
        </div>
        <div className="field">
          <label htmlFor="status">{t("participants.filters.status")}</label>
          <select id="status" name="status" defaultValue={filters.status ?? ""}>
            <option value="">{t("participants.filters.any")}</option>
            {statuses.map((status) => (
              <option key={status} value={status}>
                {t(`participants.states.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="language">{t("participants.filters.language")}</label>
          <select id="language" name="language" defaultValue={filters.language ?? ""}>
            <option value="">{t("participants.filters.any")}</option>
            {facets.languages.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
          </select>
        </div>
        {facets.regions.length > 0 ? (
          <div className="field">
            <label htmlFor="region">{t("participants.filters.region")}</label>
            <select id="region" name="region" defaultValue={filters.region ?? ""}>
              <option value="">{t("participants.filters.any")}</option>
              {facets.regions.map((region) => (
                <option key={region} value={region}>
                  {region}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="sort">{t("participants.filters.sort")}</label>
          <select id="sort" name="sort" defaultValue={filters.sort}>
            {PARTICIPANT_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {t(`participants.sorts.${sort}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button secondary">
            {t("participants.filters.apply")}
          </button>
          {filtered ? <Link to={`/staff/surveys/${slug}/participants`}>{t("participants.filters.clear")}</Link> : null}
        </div>
      </Form>

      {filtered ? <p role="status">{t("participants.matching", { count: total, formatted: number.format(total) })}</p> : null}
      {participants.length === 0 ? (
        <p>{filtered ? t("participants.noMatch") : t("participants.empty")}</p>
      ) : (
        <TableFrame label={t("participants.title")}>
          <table>
            <caption className="visually-hidden">{t("participants.title")}</caption>
            <thead>
              <tr>
                <SortHeader label={t("participants.fields.name")} sortKey="name" current={filters.sort} direction="ascending" />
                <th scope="col">{t("participants.fields.email")}</th>
                <th scope="col">{t("participants.fields.language")}</th>
                <th scope="col">{t("participants.fields.region")}</th>
                <th scope="col">{t("participants.fields.unit")}</th>
                <SortHeader label={t("participants.status")} sortKey="status" current={filters.sort} direction="ascending" />
                <SortHeader label={t("participants.lastContactedAt")} sortKey="emailed" current={filters.sort} direction="descending" />
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
                  <td>{languageName(participant.language)}</td>
                  <td>
                    <bdi>{participant.region ?? ""}</bdi>
                  </td>
                  <td>
                    <bdi>{participant.unit ?? ""}</bdi>
                  </td>
                  <td className="nowrap">
                    {STATUS_BADGE[participant.status] ? (
                      <span className={`badge ${STATUS_BADGE[participant.status]}`}>{t(`participants.states.${participant.status}`)}</span>
                    ) : (
                      t(`participants.states.${participant.status}`)
                    )}
                    {participant.status === "invited" && participant.invitedAt ? (
                      <>
                        {" "}
                        <LocalTime iso={participant.invitedAt} dateOnly />
                      </>
                    ) : null}
                    {participant.status === "unsubscribed" && participant.unsubscribedAt ? (
                      <>
                        {" "}
                        <LocalTime iso={participant.unsubscribedAt} dateOnly />
                      </>
                    ) : null}
                  </td>
                  <td className="nowrap">{participant.lastContactedAt ? <LocalTime iso={participant.lastContactedAt} dateOnly /> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      {pages > 1 ? (
        <nav aria-label={t("participants.pages")} className="pager">
          {page > 1 ? <Link to={pageLink(page - 1)}>{t("participants.previous")}</Link> : null}
          <span>{t("participants.pageOf", { page: number.format(page), pages: number.format(pages) })}</span>
          {page < pages ? <Link to={pageLink(page + 1)}>{t("participants.next")}</Link> : null}
        </nav>
      ) : null}
    </section>
  );
}
