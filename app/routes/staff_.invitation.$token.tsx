import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { startStaffSession } from "~/features/staff/auth.server";
import { GrantList } from "~/features/staff/components/people";
import { acceptInvitation, acceptSchema, invitationGrantViews, lookUpInvitation } from "~/features/staff/people.server";
import { parseForm, readForm, type FieldErrors } from "~/platform/forms.server";
import { availableLanguages, detectLanguage, i18nBundle } from "~/platform/i18n.server";

/** The token is in the path: nothing of this page is cached (Referrer-Policy no-referrer is set for every page). */
const NO_REFERRER = { "Cache-Control": "no-store" };

export const headers: HeadersFunction = ({ actionHeaders, errorHeaders }) => ({
  ...NO_REFERRER,
  ...Object.fromEntries(new Headers(errorHeaders ?? actionHeaders ?? {})),
});

export const meta: MetaFunction = () => [{ title: "Parley · Staff" }];

/**
 * A staff invitation: who invited the person and to which roles, and a form
 * to choose a password. An expired, revoked or used link answers 410 with a
 * page of its own; an unknown one 404, counted like wrong survey links.
 */
async function resolve(request: Request, token: string, clientIp: string | undefined) {
  const found = await lookUpInvitation(token, clientIp);
  if (found.state === "tooMany") {
    throw Response.json({ reason: "tooManyAttempts" }, { status: 429, headers: { "Retry-After": String(found.retryAfterSeconds), ...NO_REFERRER } });
  }
  if (found.state === "unknown") throw data({ reason: "invalidLink" }, { status: 404, headers: NO_REFERRER });
  return found;
}

function pageData(request: Request, invitation: { language: string } | null) {
  const locale = detectLanguage(request, invitation?.language);
  return { locale, languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })), i18n: i18nBundle(locale, ["staff", "people", "account"]) };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const found = await resolve(request, params.token ?? "", context.clientIp);
  if (found.state === "gone") return data({ ...pageData(request, null), gone: true as const, invitation: null }, { status: 410, headers: NO_REFERRER });
  const base = pageData(request, found.invitation);
  const { name, email, invitedBy } = found.invitation;
  const grants = await invitationGrantViews(found.invitation.grants, base.locale);
  return data({ ...base, gone: false as const, invitation: { name, email, invitedBy, grants } }, { headers: NO_REFERRER });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const found = await resolve(request, params.token ?? "", context.clientIp);
  if (found.state === "gone") return data({ gone: true, errors: { form: ["people:errors.linkGone"] } as FieldErrors }, { status: 410, headers: NO_REFERRER });
  const form = await readForm(request);
  const parsed = parseForm(acceptSchema, form);
  if (!parsed.ok) return data({ gone: false, errors: parsed.errors }, { status: 400, headers: NO_REFERRER });
  const result = await acceptInvitation(found.invitation, parsed.values);
  if (!result.ok) return data({ gone: result.status === 410, errors: result.errors }, { status: result.status, headers: NO_REFERRER });
  return startStaffSession(request, result.userId, "/staff");
}

export default function StaffInvitation() {
  const { gone, invitation, languages } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("people");
  if (gone || !invitation || actionData?.gone) {
    return (
      <section className="panel narrow" aria-labelledby="invitation-title">
        <h1 id="invitation-title">{t("accept.goneTitle")}</h1>
        <p>{t("accept.goneBody")}</p>
      </section>
    );
  }
  const errors: FieldErrors = actionData?.errors ?? {};
  return (
    <section className="panel narrow" aria-labelledby="invitation-title">
      <h1 id="invitation-title">{t("accept.title")}</h1>
      <p>
        {invitation.invitedBy ? (
          <>
            {t("accept.invitedBy")} <bdi>{invitation.invitedBy}</bdi>
          </>
        ) : (
          t("accept.invited")
        )}
      </p>
      <dl className="facts">
        <dt>{t("form.name")}</dt>
        <dd>
          <bdi>{invitation.name}</bdi>
        </dd>
        <dt>{t("form.email")}</dt>
        <dd>
          <bdi>{invitation.email}</bdi>
        </dd>
        <dt>{t("form.roles")}</dt>
        <dd>
          <GrantList grants={invitation.grants} languages={languages} />
        </dd>
      </dl>
      <ErrorSummary errors={errors} labels={{ password: t("accept.password"), repeat: t("accept.repeat") }} />
      <Form method="post" noValidate>
        <input type="text" name="username" autoComplete="username" value={invitation.email} readOnly hidden />
        <Field name="password" label={t("accept.password")} hint={t("accept.passwordHint")} errors={errors.password}>
          {(control) => <input {...control} type="password" autoComplete="new-password" required />}
        </Field>
        <Field name="repeat" label={t("accept.repeat")} errors={errors.repeat}>
          {(control) => <input {...control} type="password" autoComplete="new-password" required />}
        </Field>
        <button type="submit" className="button">
          {t("accept.submit")}
        </button>
      </Form>
    </section>
  );
}
