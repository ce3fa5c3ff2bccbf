import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field, LanguageSelect } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import { requireStaff } from "~/features/staff/auth.server";
import { GrantList, GrantsFieldset } from "~/features/staff/components/people";
import { invite, inviteSchema, peoplePage, resendInvitation, revokeInvitation, submittedGrants } from "~/features/staff/people.server";
import { ROLES, type Grant } from "~/features/staff/permissions";
import { publicOrigin } from "~/platform/urls.server";
import { env } from "~/platform/env.server";
import { parseForm, readForm, submittedValues, type FieldErrors } from "~/platform/forms.server";
import { availableLanguages, detectLanguage, i18nBundle } from "~/platform/i18n.server";
import { TableFrame } from "~/components/table-frame";

export const meta: MetaFunction = () => [{ title: "Parley · People" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "people.manage");
  const locale = detectLanguage(request, user.language);
  const page = await peoplePage(locale, new Date());
  return {
    ...page,
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
    defaultLanguage: locale,
    locale,
    i18n: i18nBundle(locale, ["staff", "people"]),
  };
}

const INVITE_FIELDS = ["email", "name", "language", ...ROLES.map((role) => `scope-${role}`)];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request, "people.manage");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const origin = publicOrigin(request, env().PUBLIC_URL);
  if (intent === "resend" || intent === "revoke") {
    const id = String(form.get("invitation") ?? "");
    const done = intent === "resend" ? await resendInvitation(id, user, origin) : await revokeInvitation(id, user.id);
    return data(
      { intent, result: done ? "done" : "gone", errors: {} as FieldErrors, values: {} as Record<string, string>, grants: [] as Grant[], pendingId: null },
      { status: done ? 200 : 404 },
    );
  }
  if (intent !== "invite")
    return data(
      {
        intent,
        result: "invalid",
        errors: { form: ["people:errors.unknownAction"] } as FieldErrors,
        values: {} as Record<string, string>,
        grants: [] as Grant[],
        pendingId: null,
      },
      { status: 400 },
    );
  const values = submittedValues(form, INVITE_FIELDS, 320);
  const grants = submittedGrants(form);
  const parsed = parseForm(inviteSchema, form);
  if (!parsed.ok) return data({ intent, result: "invalid", errors: parsed.errors, values, grants, pendingId: null }, { status: 400 });
  const result = await invite(parsed.values, user, origin);
  if (!result.ok)
    return data({ intent, result: "invalid", errors: result.errors, values, grants, pendingId: result.pendingId ?? null }, { status: result.status });
  return data({
    intent,
    result: "invited",
    errors: {} as FieldErrors,
    values: { email: parsed.values.email } as Record<string, string>,
    grants: [] as Grant[],
    pendingId: null,
  });
}

export default function People() {
  const { people, invitations, surveys, languages, defaultLanguage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("people");
  const inviteErrors: FieldErrors = actionData?.intent === "invite" ? actionData.errors : {};
  const refused = actionData?.intent === "invite" && actionData.result === "invalid";
  const values: Record<string, string> = refused ? actionData.values : {};
  const selected = refused ? actionData.grants : [];
  const labels = {
    email: t("form.email"),
    name: t("form.name"),
    language: t("form.language"),
    role: t("form.roles"),
    ...Object.fromEntries(ROLES.map((role) => [`scope-${role}`, t("form.scope", { role: t(`roles.${role}`) })])),
  };
  return (
    <section aria-labelledby="people-title" className="people">
      <h1 id="people-title">{t("title")}</h1>
      <p>{t("intro")}</p>
      {actionData?.result === "invited" ? (
        <p className="notice" role="status">
          {t("notice.invited")} <bdi>{actionData.values.email ?? ""}</bdi>
        </p>
      ) : null}
      {actionData?.intent === "resend" || actionData?.intent === "revoke" ? (
        <p className="notice" role="status">
          {t(`notice.${actionData.intent}.${actionData.result}`)}
        </p>
      ) : null}

      <h2 id="staff-title">{t("staff.title")}</h2>
      <TableFrame labelledBy="staff-title">
        <table aria-labelledby="staff-title">
          <thead>
            <tr>
              <th scope="col">{t("staff.name")}</th>
              <th scope="col">{t("staff.email")}</th>
              <th scope="col">{t("staff.roles")}</th>
              <th scope="col">{t("staff.status")}</th>
              <th scope="col">{t("staff.lastSignIn")}</th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => (
              <tr key={person.id}>
                <td>
                  <Link to={`/staff/people/${person.id}`}>
                    <bdi>{person.name}</bdi>
                  </Link>
                </td>
                <td>
                  <bdi>{person.email}</bdi>
                </td>
                <td>
                  <GrantList grants={person.grants} languages={languages} />
                </td>
                <td>
                  <span className={`badge ${person.active ? "sent" : "failed"}`}>{t(person.active ? "staff.active" : "staff.deactivated")}</span>
                </td>
                <td>{person.lastSignInAt ? <LocalTime iso={person.lastSignInAt} /> : t("staff.never")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>

      <h2 id="invitations-title">{t("invitations.title")}</h2>
      {invitations.length === 0 ? (
        <p>{t("invitations.empty")}</p>
      ) : (
        <TableFrame labelledBy="invitations-title">
          <table aria-labelledby="invitations-title">
            <thead>
              <tr>
                <th scope="col">{t("invitations.email")}</th>
                <th scope="col">{t("invitations.roles")}</th>
                <th scope="col">{t("invitations.invitedBy")}</th>
                <th scope="col">{t("invitations.expires")}</th>
                <th scope="col">{t("invitations.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.id}>
                  <td>
                    <bdi>{invitation.email}</bdi>
                  </td>
                  <td>
                    <GrantList grants={invitation.grants} languages={languages} />
                  </td>
                  <td>{invitation.invitedBy ? <bdi>{invitation.invitedBy}</bdi> : t("invitations.commandLine")}</td>
                  <td>
                    <LocalTime iso={invitation.expiresAt} />
                  </td>
                  <td>
                    <InvitationActions id={invitation.id} email={invitation.email} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}

      <h2 id="invite-title">{t("form.title")}</h2>
      <ErrorSummary errors={inviteErrors} labels={labels} />
      {actionData?.pendingId ? (
        <div className="notice">
          <p>{t("form.offerResend")}</p>
          <InvitationActions id={actionData.pendingId} email={values.email ?? ""} />
        </div>
      ) : null}
      <Form method="post" noValidate aria-labelledby="invite-title" className="invite-form">
        <input type="hidden" name="intent" value="invite" />
        <Field name="email" label={t("form.email")} errors={inviteErrors.email}>
          {(control) => <input {...control} type="email" autoComplete="off" defaultValue={values.email} required dir="ltr" />}
        </Field>
        <Field name="name" label={t("form.name")} errors={inviteErrors.name}>
          {(control) => <input {...control} type="text" autoComplete="off" defaultValue={values.name} required />}
        </Field>
        <LanguageSelect label={t("form.language")} languages={languages} defaultValue={values.language || defaultLanguage} errors={inviteErrors.language} />
        <GrantsFieldset idPrefix="" surveys={surveys} languages={languages} selected={selected} errors={inviteErrors} />
        <button type="submit" className="button">
          {t("form.submit")}
        </button>
      </Form>
    </section>
  );
}

function InvitationActions({ id, email }: { id: string; email: string }) {
  const { t } = useTranslation("people");
  return (
    <div className="row-actions">
      <Form method="post">
        <input type="hidden" name="intent" value="resend" />
        <input type="hidden" name="invitation" value={id} />
        <button type="submit" className="button secondary small">
          {t("invitations.resend")}
          <span className="visually-hidden">
            {" "}
            <bdi>{email}</bdi>
          </span>
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="revoke" />
        <input type="hidden" name="invitation" value={id} />
        <button type="submit" className="button secondary small">
          {t("invitations.revoke")}
          <span className="visually-hidden">
            {" "}
            <bdi>{email}</bdi>
          </span>
        </button>
      </Form>
    </div>
  );
}
