import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import type { RootLoaderData } from "~/root";
import { forumPage } from "~/features/forums/public-page.server";
import { SIGN_UP_FIELDS, signUp, signUpErrorStatus, signUpSchema } from "~/features/forums/sign-up.server";
import { detectLanguage, languageInfo } from "~/platform/i18n.server";
import { publicOrigin } from "~/platform/urls.server";
import { preferenceCookie } from "~/platform/cookies.server";
import { env } from "~/platform/env.server";
import { parseForm, readForm, submittedValues } from "~/platform/forms.server";
import { canonicalZone, isValidTimeZone, TIME_ZONE_COOKIE } from "~/platform/time-zone";
import { ZonePicker } from "~/features/forums/components/zone-picker";
import forumPageScript from "~/features/forums/forum-page.js?url";
import type { PageHandle } from "~/features/respondent/page-handle";

/**
 * Sent as HTML with forum-page.js instead of React's scripts (about 110 KB
 * compressed, and the page's data again for hydration): the page needs no
 * React in the browser. Only plain links and forms lead here.
 */
export const handle: PageHandle = { hydrate: false, scripts: [forumPageScript] };

/** A forum series' public page: its sessions in the visitor's time zone and language, and sign-up. No account, no script needed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // The zone picker (a GET form) remembers the choice in a cookie, then shows the page without the parameter.
  const zone = url.searchParams.get("tz");
  if (zone !== null) {
    url.searchParams.delete("tz");
    const headers = isValidTimeZone(zone) ? { "Set-Cookie": preferenceCookie(TIME_ZONE_COOKIE, zone, url.protocol === "https:") } : undefined;
    return redirect(`${url.pathname}${url.search}`, { headers });
  }
  const locale = detectLanguage(request);
  const page = await forumPage(params.slug ?? "", locale, url.searchParams.get("session"));
  if (!page) throw new Response("Not found", { status: 404 });
  // No i18n bundle: the page is never rendered in the browser (see handle).
  return { ...page, locale };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const values = submittedValues(form, SIGN_UP_FIELDS);
  const parsed = parseForm(signUpSchema, form);
  if (!parsed.ok) return data({ result: "invalid" as const, errors: parsed.errors, values }, { status: signUpErrorStatus(parsed.errors) });
  const result = await signUp(params.slug ?? "", parsed.values, publicOrigin(request, env().PUBLIC_URL));
  if (!result.ok) return data({ result: "invalid" as const, errors: result.errors, values }, { status: result.status });
  const booked = { ...result.booked, languageName: languageInfo(result.booked.language).endonym };
  return { result: result.merged ? ("merged" as const) : result.status, booked, errors: {}, values: {} };
}

export default function ForumSeriesPage() {
  const { slug, title, description, sessions, chosen, languages, zoneOptionsHtml, zoneMatchMessages, regions, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const root = useRouteLoaderData<RootLoaderData>("root");
  const { t, i18n } = useTranslation("forums");
  const number = new Intl.NumberFormat(i18n.language);
  const timeZone = root?.timeZone ?? "UTC";

  const errors: Record<string, string[] | undefined> = actionData?.errors ?? {};
  const values = (actionData?.values ?? {}) as Record<string, string>;
  const labels = Object.fromEntries(
    ["name", "email", "language", "country", "region", "unit", "accessibilityNeeds"].map((field) => [field, t(`signUp.fields.${field}`)]),
  );
  const done = actionData && actionData.result !== "invalid" ? actionData.result : null;
  // A refused sign-up comes back to its session's form, with its values and problems, while that session is
  // still offered: sign-ups from the survey's confirmation page post without ?session=. Otherwise (the session
  // was cancelled, filled or closed meanwhile) the problems are said at the top of the page.
  const refusedFor = actionData?.result === "invalid" ? values.sessionId : undefined;
  const signUpSession =
    chosen ?? sessions.find((session) => session.id === refusedFor && (session.state === "open" || session.state === "waitingList")) ?? null;

  return (
    <div className="forum-page">
      <h1>
        <bdi>{title}</bdi>
      </h1>
      {description ? (
        <p className="lead" dir="auto">
          {description}
        </p>
      ) : null}

      {done ? (
        <div className="notice success" role="status">
          <p>{t(`signUp.done.${done}`)}</p>
          {actionData && "booked" in actionData ? (
            <p className="booked-session">
              <strong>{t("signUp.bookedSession")}</strong> <LocalTime iso={actionData.booked.startsAt} /> –{" "}
              <LocalTime iso={actionData.booked.endsAt} timeOnly /> · <span lang={actionData.booked.language}>{actionData.booked.languageName}</span>
            </p>
          ) : null}
        </div>
      ) : null}

      {!signUpSession ? <ErrorSummary errors={errors} labels={labels} /> : null}

      <ZonePicker optionsHtml={zoneOptionsHtml} selected={canonicalZone(timeZone)} drawnIn={timeZone} matchMessages={zoneMatchMessages} />

      <h2 id="sessions-title">{t("sessions.title")}</h2>
      {sessions.length === 0 ? <p>{t("sessions.none")}</p> : null}
      <ul className="forum-sessions" aria-labelledby="sessions-title">
        {sessions.map((session) => (
          <li key={session.id} className="forum-session">
            <p className="forum-time">
              <LocalTime iso={session.startsAt} /> – <LocalTime iso={session.endsAt} timeOnly />
            </p>
            <p>
              {t("sessions.language")} <span lang={session.language}>{session.languageName}</span>
            </p>
            <p>
              {session.state === "open"
                ? t("sessions.seatsLeft", { count: session.seatsLeft, formatted: number.format(session.seatsLeft) })
                : t(`sessions.states.${session.state}`)}
            </p>
            {session.state === "open" || session.state === "waitingList" ? (
              <Link to={`/forums/${slug}?session=${session.id}#sign-up`} className="button secondary">
                {session.state === "open" ? t("sessions.signUp") : t("sessions.joinWaitingList")}
              </Link>
            ) : null}
          </li>
        ))}
      </ul>

      {signUpSession && !done ? (
        <section id="sign-up" aria-labelledby="sign-up-title" className="panel">
          <h2 id="sign-up-title">{t("signUp.title")}</h2>
          <p>
            <LocalTime iso={signUpSession.startsAt} /> · <span lang={signUpSession.language}>{signUpSession.languageName}</span>
          </p>
          {signUpSession.state === "waitingList" ? <p className="notice">{t("signUp.waitingListNote")}</p> : null}
          <ErrorSummary errors={errors} labels={labels} />
          <Form method="post" noValidate>
            <input type="hidden" name="sessionId" value={signUpSession.id} />
            <input type="hidden" name="timeZone" value={timeZone} />
            {(["name", "email", "country", "unit"] as const).map((field) => (
              <Field
                key={field}
                name={field}
                label={
                  <>
                    {labels[field]}
                    {field === "country" || field === "unit" ? <span className="hint"> {t("signUp.optional")}</span> : null}
                  </>
                }
                errors={errors[field]}
              >
                {(control) => (
                  <input
                    {...control}
                    type={field === "email" ? "email" : "text"}
                    dir={field === "email" ? "ltr" : "auto"}
                    autoComplete={field === "name" ? "name" : field === "email" ? "email" : field === "country" ? "country-name" : "organization"}
                    required={field === "name" || field === "email"}
                    defaultValue={values[field] ?? ""}
                  />
                )}
              </Field>
            ))}
            <div className="field">
              <label htmlFor="language">{labels.language}</label>
              <select id="language" name="language" defaultValue={values.language || locale}>
                {languages.map((language) => (
                  <option key={language.code} value={language.code} lang={language.code}>
                    {language.endonym}
                  </option>
                ))}
              </select>
            </div>
            {regions.length > 0 ? (
              <div className="field">
                <label htmlFor="region">
                  {labels.region} <span className="hint">{t("signUp.optional")}</span>
                </label>
                <select id="region" name="region" defaultValue={values.region ?? ""}>
                  <option value="" />
                  {regions.map((region) => (
                    <option key={region} value={region}>
                      {region}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <Field
              name="accessibilityNeeds"
              label={
                <>
                  {labels.accessibilityNeeds} <span className="hint">{t("signUp.optional")}</span>
                </>
              }
              hint={t("signUp.accessibilityHint")}
              errors={errors.accessibilityNeeds}
            >
              {(control) => <textarea {...control} rows={3} maxLength={1000} dir="auto" defaultValue={values.accessibilityNeeds ?? ""} />}
            </Field>
            <p className="hint">{t("signUp.privacy")}</p>
            <button type="submit" className="button">
              {signUpSession.state === "open" ? t("signUp.submit") : t("signUp.submitWaitingList")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
