import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { newPasswordSchema, resetLink, resetPassword } from "~/features/staff/account.server";
import { parseForm, readForm, type FieldErrors } from "~/platform/forms.server";
import { detectLanguage, i18nBundle } from "~/platform/i18n.server";

/** The token is in the path: the page is not cached (Referrer-Policy no-referrer is set for every page). */
const PRIVATE = { "Cache-Control": "no-store" };

export const meta: MetaFunction = () => [{ title: "Parley · Password reset" }];

export function headers() {
  return PRIVATE;
}

type LinkState = "valid" | "unknown" | "expired" | "used";
const STATUS: Record<Exclude<LinkState, "valid">, number> = { unknown: 404, expired: 410, used: 410 };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLanguage(request);
  const link = await resetLink(params.token ?? "");
  const i18n = i18nBundle(locale, ["staff", "account"]);
  if (link.state !== "valid") return data({ locale, state: link.state as LinkState, i18n }, { status: STATUS[link.state], headers: PRIVATE });
  return data({ locale, state: link.state as LinkState, i18n }, { headers: PRIVATE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(newPasswordSchema, form);
  const result = parsed.ok ? await resetPassword(params.token ?? "", parsed.values) : parsed;
  if (result.ok) return redirect("/staff/login?reset=done", { status: 303, headers: PRIVATE });
  if ("link" in result) return data({ state: result.link as LinkState, errors: {} as FieldErrors }, { status: STATUS[result.link], headers: PRIVATE });
  return data({ state: "valid" as LinkState, errors: result.errors }, { status: 400, headers: PRIVATE });
}

export default function ResetPassword() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("account");
  const state = actionData?.state ?? loaderData.state;
  const errors = actionData?.errors ?? {};
  if (state !== "valid") {
    return (
      <section className="panel narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">{t(`resetLink.${state}.title`)}</h1>
        <p>{t(`resetLink.${state}.body`)}</p>
        <p>
          <Link to="/staff/reset">{t("resetLink.again")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="panel narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t("resetLink.title")}</h1>
      <ErrorSummary errors={errors} labels={{ password: t("changePassword.new"), confirm: t("changePassword.confirm") }} />
      <Form method="post" noValidate>
        <Field name="password" label={t("changePassword.new")} hint={t("password.hint")} errors={errors.password}>
          {(control) => <input {...control} type="password" autoComplete="new-password" required />}
        </Field>
        <Field name="confirm" label={t("changePassword.confirm")} errors={errors.confirm}>
          {(control) => <input {...control} type="password" autoComplete="new-password" required />}
        </Field>
        <button type="submit" className="button">
          {t("resetLink.submit")}
        </button>
      </Form>
    </section>
  );
}
