import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { requestPasswordReset, resetRequestSchema } from "~/features/staff/account.server";
import { publicOrigin } from "~/platform/urls.server";
import { env } from "~/platform/env.server";
import { parseForm, readForm, submittedValues, type FieldErrors } from "~/platform/forms.server";
import { detectLanguage, i18nBundle } from "~/platform/i18n.server";

// Retry-After from the action must reach the document response too.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = () => [{ title: "Parley · Password reset" }];

/** "Forgot your password?": public; the answer never says whether an account exists. */
export async function loader({ request }: LoaderFunctionArgs) {
  const locale = detectLanguage(request);
  return { locale, i18n: i18nBundle(locale, ["staff", "account"]) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(resetRequestSchema, form);
  const { email } = submittedValues(form, ["email"], 320);
  if (!parsed.ok) return data({ sent: false, errors: parsed.errors, email }, { status: 400 });
  const result = await requestPasswordReset(parsed.values.email, context.clientIp ?? "unknown", publicOrigin(request, env().PUBLIC_URL));
  if (!result.ok) {
    return data(
      { sent: false, errors: { form: ["account:errors.resetRateLimited"] }, email },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  return data({ sent: true, errors: {}, email: "" });
}

export default function ResetRequest() {
  const { t } = useTranslation("account");
  const actionData = useActionData<typeof action>();
  const errors: FieldErrors = actionData?.errors ?? {};
  return (
    <section className="panel narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t("reset.title")}</h1>
      {actionData?.sent ? (
        <div className="notice" role="status">
          <p>{t("reset.sent")}</p>
        </div>
      ) : (
        <>
          <p>{t("reset.intro")}</p>
          <ErrorSummary errors={errors} labels={{ email: t("reset.email") }} />
          <Form method="post" noValidate>
            <Field name="email" label={t("reset.email")} errors={errors.email}>
              {(control) => <input {...control} type="email" autoComplete="username" defaultValue={actionData?.email} required />}
            </Field>
            <button type="submit" className="button">
              {t("reset.submit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/staff/login">{t("reset.backToSignIn")}</Link>
      </p>
    </section>
  );
}
