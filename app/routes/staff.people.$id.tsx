import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/form-errors";
import { LocalTime } from "~/components/local-time";
import { requireStaff } from "~/features/staff/auth.server";
import { GrantList, GrantsFieldset } from "~/features/staff/components/people";
import { changeRoles, deactivate, grantsSchema, personPage, reactivate, submittedGrants } from "~/features/staff/people.server";
import { ROLES } from "~/features/staff/permissions";
import { parseForm, readForm, submittedValues, type FieldErrors } from "~/platform/forms.server";
import { availableLanguages, detectLanguage, i18nBundle } from "~/platform/i18n.server";

export const meta: MetaFunction = () => [{ title: "Parley · People" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "people.manage");
  const locale = detectLanguage(request, user.language);
  const page = await personPage(params.id ?? "", locale);
  if (!page) throw new Response("Not found", { status: 404 });
  return {
    ...page,
    isSelf: page.person.id === user.id,
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
    locale,
    i18n: i18nBundle(locale, ["staff", "people"]),
  };
}

const GRANT_FIELDS = ROLES.map((role) => `scope-${role}`);

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request, "people.manage");
  const id = params.id ?? "";
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Response("Not found", { status: 404 });
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const values = submittedValues(form, GRANT_FIELDS, 100);
  const grants = submittedGrants(form);
  const answer = (errors: FieldErrors, status: number) => data({ intent, errors, values, grants }, { status });
  if (intent === "roles") {
    const parsed = parseForm(grantsSchema, form);
    if (!parsed.ok) return answer(parsed.errors, 400);
    const result = await changeRoles(user.id, id, parsed.values.grants);
    if (!result.ok) return answer(result.errors, result.status);
  } else if (intent === "deactivate" || intent === "reactivate") {
    const result = intent === "deactivate" ? await deactivate(user.id, id) : await reactivate(user.id, id);
    if (!result.ok) return answer(result.errors, result.status);
  } else {
    return answer({ form: ["people:errors.unknownAction"] }, 400);
  }
  return redirect(`/staff/people/${id}?done=${intent}`);
}

export default function Person() {
  const { person, surveys, languages, isSelf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("people");
  const errors: FieldErrors = actionData?.errors ?? {};
  const [searchParams] = useSearchParams();
  const done = actionData ? null : searchParams.get("done");
  const refusedRoles = actionData?.intent === "roles";
  const selected = refusedRoles ? actionData.grants : person.grants;
  const labels = { role: t("form.roles"), ...Object.fromEntries(ROLES.map((role) => [`scope-${role}`, t("form.scope", { role: t(`roles.${role}`) })])) };
  return (
    <section aria-labelledby="person-title" className="people">
      <p>
        <Link to="/staff/people">{t("person.back")}</Link>
      </p>
      <h1 id="person-title">
        <bdi>{person.name}</bdi>
      </h1>
      {done === "roles" || done === "deactivate" || done === "reactivate" ? (
        <p className="notice" role="status">
          {t(`person.done.${done}`)}
        </p>
      ) : null}
      <ErrorSummary errors={errors} labels={labels} />
      <dl className="facts">
        <dt>{t("staff.email")}</dt>
        <dd>
          <bdi>{person.email}</bdi>
        </dd>
        <dt>{t("staff.status")}</dt>
        <dd>{t(person.active ? "staff.active" : "staff.deactivated")}</dd>
        <dt>{t("staff.lastSignIn")}</dt>
        <dd>{person.lastSignInAt ? <LocalTime iso={person.lastSignInAt} /> : t("staff.never")}</dd>
        <dt>{t("staff.roles")}</dt>
        <dd>
          <GrantList grants={person.grants} languages={languages} />
        </dd>
      </dl>

      <h2 id="roles-title">{t("person.rolesTitle")}</h2>
      <Form method="post" noValidate aria-labelledby="roles-title">
        <input type="hidden" name="intent" value="roles" />
        <GrantsFieldset idPrefix="" surveys={surveys} languages={languages} selected={selected} errors={errors} />
        <button type="submit" className="button">
          {t("person.saveRoles")}
        </button>
      </Form>

      {isSelf ? null : (
        <>
          <h2 id="access-title">{t("person.accessTitle")}</h2>
          <Form method="post" aria-labelledby="access-title">
            <input type="hidden" name="intent" value={person.active ? "deactivate" : "reactivate"} />
            <p>{t(person.active ? "person.deactivateHint" : "person.reactivateHint")}</p>
            <button type="submit" className="button">
              {t(person.active ? "person.deactivate" : "person.reactivate")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
