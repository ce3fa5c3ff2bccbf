import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import { SeriesTextFields } from "~/features/forums/components/series-text-fields";
import { SessionFields } from "~/features/forums/components/session-fields";
import { createSession, updateSeriesTexts } from "~/models/forum.server";
import type { RootLoaderData } from "~/root";
import { recordAudit } from "~/platform/audit.server";
import { requireForumAccess, requireStaff } from "~/features/staff/auth.server";
import { forumSeriesPage } from "~/features/forums/series-page.server";
import { seriesSchema, sessionSchema } from "~/features/forums/staff-page.server";
import { detectLanguage } from "~/platform/i18n.server";
import { zoneOptions } from "~/platform/time-zone-names.server";
import { parseForm, readForm } from "~/platform/forms.server";
import { TableFrame } from "~/components/table-frame";

async function load(request: Request, slug: string | undefined) {
  const user = await requireStaff(request, "forums.manage");
  const page = await forumSeriesPage(slug ?? "", detectLanguage(request, user.language));
  if (!page) throw new Response("Not found", { status: 404 });
  await requireForumAccess(request, user, page.surveyId);
  return { user, page };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, page } = await load(request, params.slug);
  return { ...page, zones: zoneOptions(detectLanguage(request, user.language)) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, page } = await load(request, params.slug);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].map(([name, value]) => [name, String(value)]));
  if (form.get("intent") === "texts") {
    const parsed = parseForm(seriesSchema(false), form);
    if (!parsed.ok) return data({ intent: "texts", errors: parsed.errors, values }, { status: 400 });
    await updateSeriesTexts(page.id, parsed.values.texts);
    await recordAudit({ staffUserId: user.id, action: "forum.update", subject: page.slug });
    return redirect(`/staff/forums/${page.slug}`, 303);
  }
  const session = parseForm(sessionSchema, form);
  if (!session.ok) return data({ intent: "session", errors: session.errors, values }, { status: 400 });
  const created = await createSession(page.id, session.values);
  await recordAudit({ staffUserId: user.id, action: "forum.session.create", subject: created.id, detail: { series: page.slug } });
  return redirect(`/staff/forums/${page.slug}`, 303);
}

export default function ForumSeriesStaffPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const root = useRouteLoaderData<RootLoaderData>("root");
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const count = (value: number | null) => (value === null ? t("results.below", { threshold: page.threshold }) : number.format(value));
  const errors = actionData?.errors ?? {};
  const textValues =
    actionData?.intent === "texts"
      ? actionData.values
      : Object.fromEntries(
          Object.entries(page.texts).flatMap(([code, text]) => [
            [`title.${code}`, text.title],
            [`description.${code}`, text.description],
          ]),
        );
  const columns = ["confirmed", "waitlisted", "cancelled", "attended"] as const;
  return (
    <section aria-labelledby="series-title">
      <h1 id="series-title">
        <bdi>{page.title}</bdi>
      </h1>
      <p>
        {t("forums.publicPage")} <a href={`/forums/${page.slug}`}>/forums/{page.slug}</a>
      </p>

      <h2 id="sessions-title">{t("forums.sessions")}</h2>
      <TableFrame labelledBy="sessions-title">
        <table aria-labelledby="sessions-title">
          <thead>
            <tr>
              <th scope="col">{t("forums.columns.session")}</th>
              <th scope="col">{t("forums.columns.language")}</th>
              <th scope="col" className="numeric">
                {t("forums.columns.capacity")}
              </th>
              {columns.map((column) => (
                <th scope="col" className="numeric" key={column}>
                  {t(`forums.columns.${column}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.sessions.map((session) => (
              <tr key={session.id}>
                <th scope="row">
                  <Link to={`/staff/forums/${page.slug}/sessions/${session.id}`}>
                    <LocalTime iso={session.startsAt} />
                  </Link>
                  {session.cancelledAt ? (
                    <>
                      {" "}
                      <span className="badge closed">{t("forums.cancelled.badge")}</span>
                    </>
                  ) : null}
                </th>
                <td>{session.language}</td>
                <td className="numeric">{number.format(session.capacity)}</td>
                {columns.map((column) => (
                  <td className="numeric" key={column}>
                    {number.format(session[column])}
                  </td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">{t("forums.total")}</th>
              <td />
              <td />
              {columns.map((column) => (
                <td className="numeric" key={column}>
                  {number.format(page.totals[column])}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </TableFrame>

      {(["language", "region"] as const).map((segment) =>
        page.bySegment[segment].length > 0 ? (
          <div key={segment}>
            <h2 id={`by-${segment}`}>{t(`forums.by.${segment}`)}</h2>
            <div className="table-wrap" tabIndex={0} role="group" aria-labelledby={`by-${segment}`}>
              <table aria-labelledby={`by-${segment}`}>
                <thead>
                  <tr>
                    <th scope="col">{t(`forums.columns.${segment}`)}</th>
                    <th scope="col" className="numeric">
                      {t("forums.columns.confirmed")}
                    </th>
                    <th scope="col" className="numeric">
                      {t("forums.columns.attended")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.bySegment[segment].map((row) => (
                    <tr key={row.value}>
                      <th scope="row">
                        <bdi>{row.value || t("forums.notGiven")}</bdi>
                      </th>
                      <td className="numeric">{count(row.registered)}</td>
                      <td className="numeric">{count(row.attended)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ) : null,
      )}

      <form method="post" action={`/staff/forums/${page.slug}/export`} className="export-form">
        <span>{t("forums.export")}</span>{" "}
        <button type="submit" name="format" value="csv" className="button secondary">
          CSV
        </button>{" "}
        <button type="submit" name="format" value="xlsx" className="button secondary">
          XLSX
        </button>
      </form>

      <h2 id="new-session">{t("forums.newSession")}</h2>
      {actionData?.intent === "session" ? <ErrorSummary errors={errors} labels={{}} /> : null}
      <Form method="post" aria-labelledby="new-session">
        <input type="hidden" name="intent" value="session" />
        <SessionFields
          languages={page.languages}
          zones={page.zones}
          zone={root?.timeZone ?? "UTC"}
          values={actionData?.intent === "session" ? actionData.values : {}}
          errors={actionData?.intent === "session" ? errors : {}}
        />
        <button type="submit" className="button">
          {t("forums.addSession")}
        </button>
      </Form>

      <h2 id="texts-title">{t("forums.texts")}</h2>
      {actionData?.intent === "texts" ? <ErrorSummary errors={errors} labels={{}} /> : null}
      <Form method="post" aria-labelledby="texts-title">
        <input type="hidden" name="intent" value="texts" />
        <SeriesTextFields languages={page.languages} values={textValues} errors={actionData?.intent === "texts" ? errors : {}} />
        <button type="submit" className="button">
          {t("forums.saveTexts")}
        </button>
      </Form>
    </section>
  );
}
