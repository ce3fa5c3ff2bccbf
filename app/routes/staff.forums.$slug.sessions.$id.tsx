import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FileDrop } from "~/components/file-drop";
import { data, redirect, unstable_parseMultipartFormData, unstable_createMemoryUploadHandler } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import { SessionFields } from "~/features/forums/components/session-fields";
import { findSeries, findSession, sessionCancellationCounts, setAttended } from "~/models/forum.server";
import { recordAudit } from "~/platform/audit.server";
import { requireForumAccess, requireStaff } from "~/features/staff/auth.server";
import { cancelForumSession, importAttendance, saveSession, sessionSchema } from "~/features/forums/staff-page.server";
import { ConfirmStep } from "~/features/staff/components/confirm-step";
import { confirmationFor, confirmationStatus } from "~/platform/confirm";
import { availableLanguages, detectLanguage, languageInfo } from "~/platform/i18n.server";
import { zoneOptions } from "~/platform/time-zone-names.server";
import { publicOrigin } from "~/platform/urls.server";
import { env } from "~/platform/env.server";
import { parseForm, readForm } from "~/platform/forms.server";
import { isValidTimeZone, TIME_ZONE_COOKIE, utcToWallTime } from "~/platform/time-zone";
import { readCookie } from "~/platform/cookies.server";

const MAX_ATTENDANCE_FILE = 5 * 1024 * 1024;

async function load(request: Request, params: { slug?: string; id?: string }) {
  const user = await requireStaff(request, "forums.manage");
  const series = await findSeries(params.slug ?? "");
  const session = series && /^[0-9a-f-]{36}$/.test(params.id ?? "") ? await findSession(series.id, params.id!) : null;
  if (!series || !session) throw new Response("Not found", { status: 404 });
  await requireForumAccess(request, user, series.surveyId);
  return { user, series, session };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, series, session } = await load(request, params);
  const zone = readCookie(request, TIME_ZONE_COOKIE);
  const staffZone = isValidTimeZone(zone) ? zone : "UTC";
  const wall = (date: Date | null) => (date ? utcToWallTime(date, staffZone) : "");
  return {
    slug: series.slug,
    session: { ...session, startsAt: session.startsAt.toISOString(), cancelledAt: session.cancelledAt?.toISOString() ?? null },
    languageName: languageInfo(session.language).endonym,
    values: {
      zone: staffZone,
      startsAt: wall(session.startsAt),
      endsAt: wall(session.endsAt),
      language: session.language,
      capacity: String(session.capacity),
      meetingUrl: session.meetingUrl ?? "",
      registrationOpensAt: wall(session.registrationOpensAt),
      registrationClosesAt: wall(session.registrationClosesAt),
    },
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
    zones: zoneOptions(detectLanguage(request, user.language)),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, series, session } = await load(request, params);
  const here = `/staff/forums/${series.slug}/sessions/${session.id}`;
  // A cancelled session is kept for the record only: nothing on it changes any more.
  if (session.cancelledAt) return data({ kind: "locked" as const }, { status: 409 });
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_ATTENDANCE_FILE })).catch(() => null);
    const file = form?.get("file");
    if (!form || !(file instanceof File) || file.size === 0)
      return data({ kind: "attendance" as const, error: "staff:forums.attendance.noFile" }, { status: 400 });
    const result = await importAttendance(session.id, await file.text());
    if (!result.ok) return data({ kind: "attendance" as const, error: result.error }, { status: 400 });
    await recordAudit({ staffUserId: user.id, action: "forum.attendance.import", subject: session.id, detail: { marked: result.marked } });
    return { kind: "attendance" as const, marked: result.marked, unmatched: result.unmatched };
  }
  const form = await readForm(request);
  if (form.get("intent") === "cancelSession") {
    // First say what happens and to how many people; cancel only when the confirmation carries
    // the number of registrations (seats and waiting list) still counted now.
    const counts = await sessionCancellationCounts(session.id);
    const confirmation = confirmationFor(form, counts.confirmed + counts.waitlisted);
    if (confirmation) return data({ kind: "cancel" as const, ...counts, ...confirmation }, { status: confirmationStatus(confirmation) });
    const result = await cancelForumSession(session.id, counts.confirmed + counts.waitlisted, publicOrigin(request, env().PUBLIC_URL));
    if (!result.ok && result.reason === "changed") {
      const { confirmed, waitlisted } = result;
      return data({ kind: "cancel" as const, confirmed, waitlisted, count: confirmed + waitlisted, changed: true }, { status: 409 });
    }
    if (result.ok) {
      await recordAudit({
        staffUserId: user.id,
        action: "forum.session.cancel",
        subject: session.id,
        detail: { series: series.slug, startsAt: session.startsAt.toISOString(), emailed: { confirmed: result.confirmed, waitlisted: result.waitlisted } },
      });
    }
    return redirect(here, 303);
  }
  if (form.get("intent") === "attended") {
    const attended = form.get("attended") === "1";
    if (!(await setAttended(session.id, String(form.get("registrationId") ?? ""), attended))) throw new Response("Not found", { status: 404 });
    return redirect(here, 303);
  }
  const parsed = parseForm(sessionSchema, form);
  if (!parsed.ok)
    return data(
      { kind: "session" as const, errors: parsed.errors, values: Object.fromEntries([...form].map(([name, value]) => [name, String(value)])) },
      { status: 400 },
    );
  const saved = await saveSession(session.id, parsed.values, publicOrigin(request, env().PUBLIC_URL));
  await recordAudit({
    staffUserId: user.id,
    action: "forum.session.update",
    subject: session.id,
    detail: { capacity: saved.capacity, promoted: saved.promoted },
  });
  return redirect(here, 303);
}

export default function ForumSessionStaffPage() {
  const { slug, session, languageName, values, languages, zones } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("staff");
  const sessionErrors = actionData?.kind === "session" && "errors" in actionData ? actionData.errors : {};
  const heading = (
    <>
      <p>
        <Link to={`/staff/forums/${slug}`}>{t("forums.backToSeries")}</Link>
      </p>
      <h1 id="session-title">
        <LocalTime iso={session.startsAt} /> · {session.language}
      </h1>
    </>
  );
  if (session.cancelledAt) {
    return (
      <section aria-labelledby="session-title">
        {heading}
        <div className="notice" role="status">
          <p>{t("forums.cancelled.notice")}</p>
          <p>
            {t("forums.cancelled.when")} <LocalTime iso={session.cancelledAt} />
          </p>
        </div>
        <p>{t("forums.cancelled.kept")}</p>
      </section>
    );
  }
  if (actionData?.kind === "cancel") {
    const number = new Intl.NumberFormat(i18n.language);
    const people = (key: string, count: number) => t(key, { count, formatted: number.format(count) });
    return (
      <section aria-labelledby="session-title">
        {heading}
        <ConfirmStep
          title={t("forums.cancelSession.title")}
          count={actionData.count}
          changed={actionData.changed}
          fields={{ intent: "cancelSession" }}
          danger
          confirmLabel={t("forums.cancelSession.button")}
          cancelLabel={t("forums.cancelSession.keep")}
          cancelTo="."
        >
          <p className="confirm-subject">
            <LocalTime iso={session.startsAt} /> · <bdi lang={session.language}>{languageName}</bdi> ({session.language})
          </p>
          <p>{t("forums.cancelSession.public")}</p>
          {actionData.count > 0 ? (
            <>
              <p>{people("forums.cancelSession.who", actionData.count)}</p>
              <ul>
                <li>{people("forums.cancelSession.seated", actionData.confirmed)}</li>
                <li>{people("forums.cancelSession.waiting", actionData.waitlisted)}</li>
              </ul>
              <p>{t("forums.cancelSession.emailed")}</p>
              <p>{t("forums.cancelSession.noReminder")}</p>
            </>
          ) : (
            <p>{t("forums.cancelSession.nobody")}</p>
          )}
          <p>
            <strong>{t("forums.cancelSession.final")}</strong>
          </p>
        </ConfirmStep>
      </section>
    );
  }
  return (
    <section aria-labelledby="session-title">
      {heading}

      <h2 id="attendance-title">{t("forums.attendance.title")}</h2>
      <p className="hint">{t("forums.attendance.hint")}</p>
      <ul className="attendance" aria-labelledby="attendance-title">
        {session.registrations.map((registration) => (
          <li key={registration.id}>
            <Form method="post" className="attendance-row">
              <input type="hidden" name="intent" value="attended" />
              <input type="hidden" name="registrationId" value={registration.id} />
              <input type="hidden" name="attended" value={registration.attended ? "0" : "1"} />
              <span>
                <bdi>{registration.name}</bdi> <span className="hint">{registration.email}</span>
                {registration.status === "waitlisted" ? <span className="badge">{t("forums.columns.waitlisted")}</span> : null}
                {registration.accessibilityNeeds ? (
                  <span className="hint">
                    {" "}
                    · {t("forums.attendance.needs")}: {registration.accessibilityNeeds}
                  </span>
                ) : null}
              </span>
              <button type="submit" className={registration.attended ? "button" : "button secondary"} aria-pressed={registration.attended}>
                {registration.attended ? t("forums.attendance.present") : t("forums.attendance.markPresent")}
              </button>
            </Form>
          </li>
        ))}
      </ul>

      <h3 id="upload-title">{t("forums.attendance.uploadTitle")}</h3>
      {actionData?.kind === "attendance" ? (
        "error" in actionData ? (
          <p className="error-summary" role="alert">
            {t(actionData.error)}
          </p>
        ) : (
          <p className="notice" role="status">
            {t("forums.attendance.imported", { count: actionData.marked })}{" "}
            {actionData.unmatched.length ? t("forums.attendance.unmatched", { list: actionData.unmatched.join(", ") }) : null}
          </p>
        )
      ) : null}
      <Form method="post" encType="multipart/form-data" aria-labelledby="upload-title">
        <div className="field">
          <label htmlFor="file">{t("forums.attendance.file")}</label>
          <FileDrop id="file" name="file" accept=".csv,text/csv" />
        </div>
        <button type="submit" className="button secondary">
          {t("forums.attendance.upload")}
        </button>
      </Form>

      <h2 id="edit-title">{t("forums.editSession")}</h2>
      {actionData?.kind === "session" ? <ErrorSummary errors={sessionErrors} labels={{}} /> : null}
      <Form method="post" aria-labelledby="edit-title">
        <input type="hidden" name="intent" value="session" />
        <SessionFields
          languages={languages}
          zones={zones}
          zone={values.zone}
          values={actionData?.kind === "session" && "values" in actionData ? actionData.values : values}
          errors={sessionErrors}
        />
        <button type="submit" className="button">
          {t("forums.saveSession")}
        </button>
      </Form>

      <h2 id="cancel-title">{t("forums.cancelSession.heading")}</h2>
      <p>{t("forums.cancelSession.hint")}</p>
      <Form method="post" aria-labelledby="cancel-title">
        <input type="hidden" name="intent" value="cancelSession" />
        <button type="submit" className="button danger">
          {t("forums.cancelSession.start")}
        </button>
      </Form>
    </section>
  );
}
