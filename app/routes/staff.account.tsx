import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, LanguageSelect } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import {
  accountSessions,
  changeLanguage,
  changePassword,
  changePasswordSchema,
  currentSessionId,
  languageSchema,
  revokeOtherSessions,
} from "~/features/staff/account.server";
import { requireStaff } from "~/features/staff/auth.server";
import { LANGUAGE_COOKIE } from "~/platform/i18n";
import { availableLanguages, detectLanguage, i18nBundle } from "~/platform/i18n.server";
import { preferenceCookie } from "~/platform/cookies.server";
import { parseForm, readForm, type FieldErrors } from "~/platform/forms.server";
import { TableFrame } from "~/components/table-frame";

export const meta: MetaFunction = () => [{ title: "Parley · Account" }];

const SAVED = new Set(["language", "password", "sessions"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "signedIn");
  const locale = detectLanguage(request, user.language);
  const sessions = await accountSessions(user, await currentSessionId(request));
  return {
    locale,
    user: { name: user.name, email: user.email, language: user.language, roles: [...new Set(user.grants.map((grant) => grant.role))] },
    sessions,
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
    i18n: i18nBundle(locale, ["staff", "account"]),
  };
}

type ActionData = { form: "language" | "password" | "sessions" | "unknown"; errors: FieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request, "signedIn");
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "language") {
    const parsed = parseForm(languageSchema, form);
    if (!parsed.ok) return data<ActionData>({ form: "language", errors: parsed.errors }, { status: 400 });
    await changeLanguage(user, parsed.values.language);
    // The lng cookie is the explicit choice every page reads first: it follows the account's choice.
    const secure = new URL(request.url).protocol === "https:";
    return redirect("/staff/account?saved=language", {
      status: 303,
      headers: { "Set-Cookie": preferenceCookie(LANGUAGE_COOKIE, parsed.values.language, secure) },
    });
  }
  if (intent === "password") {
    const parsed = parseForm(changePasswordSchema, form);
    if (!parsed.ok) return data<ActionData>({ form: "password", errors: parsed.errors }, { status: 400 });
    const result = await changePassword(user, parsed.values, await currentSessionId(request));
    if (!result.ok) {
      const limited = result.retryAfterSeconds !== undefined;
      return data<ActionData>(
        { form: "password", errors: result.errors },
        { status: limited ? 429 : 400, headers: limited ? { "Retry-After": String(result.retryAfterSeconds) } : undefined },
      );
    }
    return redirect("/staff/account?saved=password", 303);
  }
  if (intent === "revoke-sessions") {
    const sessionId = await currentSessionId(request);
    if (sessionId) await revokeOtherSessions(user, sessionId);
    return redirect("/staff/account?saved=sessions", 303);
  }
  return data<ActionData>({ form: "unknown", errors: { form: ["errors.field.invalid"] } }, { status: 400 });
}

export default function Account() {
  const { user, sessions, languages } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation("account");
  const saved = searchParams.get("saved");
  const errorsOf = (name: ActionData["form"]): FieldErrors => (actionData?.form === name ? actionData.errors : {});
  const passwordErrors = errorsOf("password");
  const languageErrors = errorsOf("language");
  const otherSessions = sessions.filter((session) => !session.current).length;
  return (
    <section className="account" aria-labelledby="account-title">
      <h1 id="account-title">{t("title")}</h1>
      {saved && SAVED.has(saved) && !actionData ? (
        <div className="notice" role="status">
          <p>{t(`saved.${saved}`)}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errorsOf("unknown")} labels={{}} />

      <h2 id="profile-title">{t("profile.title")}</h2>
      <dl className="facts">
        <div>
          <dt>{t("profile.name")}</dt>
          <dd>
            <bdi>{user.name}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t("profile.email")}</dt>
          <dd>
            <bdi>{user.email}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t("profile.roles")}</dt>
          <dd>{user.roles.map((role) => t(`roles.${role}`)).join(", ") || t("profile.noRoles")}</dd>
        </div>
      </dl>
      <p className="hint">{t("profile.rolesHint")}</p>

      <h2 id="language-title">{t("language.title")}</h2>
      <ErrorSummary errors={languageErrors} labels={{ language: t("language.label") }} />
      <Form method="post" aria-labelledby="language-title" noValidate>
        <input type="hidden" name="intent" value="language" />
        <LanguageSelect label={t("language.label")} languages={languages} defaultValue={user.language} errors={languageErrors.language} />
        <button type="submit" className="button">
          {t("language.submit")}
        </button>
      </Form>

      <h2 id="password-title">{t("changePassword.title")}</h2>
      <ErrorSummary
        errors={passwordErrors}
        labels={{ current: t("changePassword.current"), password: t("changePassword.new"), confirm: t("changePassword.confirm") }}
      />
      <Form method="post" aria-labelledby="password-title" noValidate>
        <input type="hidden" name="intent" value="password" />
        <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
        <Field name="current" label={t("changePassword.current")} errors={passwordErrors.current}>
          {(control) => <input {...control} type="password" autoComplete="current-password" required />}
        </Field>
        <Field name="password" label={t("changePassword.new")} hint={t("password.hint")} errors={passwordErrors.password}>
          {(control) => <input {...control} type="password" autoComplete="new-password" required />}
        </Field>
        <Field name="confirm" label={t("changePassword.confirm")} errors={passwordErrors.confirm}>
          {(control) => <input {...control} type="password" autoComplete="new-password" required />}
        </Field>
        <button type="submit" className="button">
          {t("changePassword.submit")}
        </button>
      </Form>

      <h2 id="sessions-title">{t("sessions.title")}</h2>
      <TableFrame labelledBy="sessions-title" className="table-scroll">
        <table aria-labelledby="sessions-title">
          <thead>
            <tr>
              <th scope="col">{t("sessions.browser")}</th>
              <th scope="col">{t("sessions.started")}</th>
              <th scope="col">{t("sessions.lastSeen")}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id} data-session={session.current ? "current" : "other"}>
                <td>
                  {session.browser ? (
                    session.browser.os ? (
                      t("sessions.browserOn", { browser: session.browser.browser, os: session.browser.os })
                    ) : (
                      session.browser.browser
                    )
                  ) : session.userAgent ? (
                    <bdi dir="ltr">{session.userAgent}</bdi>
                  ) : (
                    t("sessions.unknownBrowser")
                  )}
                  {session.current ? (
                    <>
                      {" "}
                      <strong>({t("sessions.current")})</strong>
                    </>
                  ) : null}
                </td>
                <td>
                  <LocalTime iso={session.createdAt} />
                </td>
                <td>{session.lastSeenAt ? <LocalTime iso={session.lastSeenAt} /> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      {otherSessions > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="revoke-sessions" />
          <button type="submit" className="button secondary">
            {t("sessions.revoke")}
          </button>
        </Form>
      ) : (
        <p>{t("sessions.onlyThis")}</p>
      )}
    </section>
  );
}
