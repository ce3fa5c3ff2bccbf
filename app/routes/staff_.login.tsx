import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { getStaffUser, login, startSignIn } from "~/features/staff/auth.server";
import { detectLanguage, i18nBundle } from "~/platform/i18n.server";
import { parseForm, readForm, submittedValues, type FieldErrors } from "~/platform/forms.server";
import { safeRedirectPath } from "~/platform/safe-redirect";

// Retry-After from the action must reach the document response too.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = () => [{ title: "Parley · Staff" }];

const loginSchema = z.object({
  email: z.string({ error: "errors.field.required" }).trim().min(1, "errors.field.required").max(320, "errors.field.tooLong"),
  password: z.string({ error: "errors.field.required" }).min(1, "errors.field.required").max(1024, "errors.field.tooLong"),
  next: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getStaffUser(request)) throw redirect("/staff");
  const locale = detectLanguage(request);
  return { locale, i18n: i18nBundle(locale, ["staff", "account"]) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(loginSchema, form);
  const { email } = submittedValues(form, ["email"], 320);
  if (!parsed.ok) return data({ errors: parsed.errors, retryAfterMinutes: 0, email }, { status: 400 });
  const result = await login(parsed.values.email, parsed.values.password, context.clientIp ?? "unknown");
  if (result.ok) return startSignIn(request, result.user.id, safeRedirectPath(parsed.values.next, "/staff"));
  if (result.reason === "invalid") {
    return data({ errors: { form: ["staff:login.invalid"] }, retryAfterMinutes: 0, email }, { status: 401 });
  }
  const retryAfterMinutes = Math.ceil(result.retryAfterSeconds / 60);
  return data(
    { errors: { form: [result.reason === "locked" ? "staff:login.locked" : "staff:login.rateLimited"] }, retryAfterMinutes, email },
    { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
  );
}

export default function StaffLogin() {
  const { t } = useTranslation("staff");
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors: FieldErrors = actionData?.errors ?? {};
  const options = { count: actionData?.retryAfterMinutes ?? 0 };
  return (
    <section className="panel narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      {searchParams.get("reset") === "done" && !actionData ? (
        <div className="notice" role="status">
          <p>{t("account:resetLink.done")}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errors} labels={{ email: t("login.email"), password: t("login.password") }} options={options} />
      <Form method="post" noValidate>
        <input type="hidden" name="next" value={searchParams.get("next") ?? "/staff"} />
        <Field name="email" label={t("login.email")} errors={errors.email}>
          {(control) => <input {...control} type="email" autoComplete="username" defaultValue={actionData?.email} required />}
        </Field>
        <Field name="password" label={t("login.password")} errors={errors.password}>
          {(control) => <input {...control} type="password" autoComplete="current-password" required />}
        </Field>
        <button type="submit" className="button">
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/staff/reset">{t("account:reset.link")}</Link>
      </p>
    </section>
  );
}
