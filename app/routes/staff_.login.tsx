import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, FieldError } from "~/components/form-errors";
import { getStaffUser, login, startStaffSession } from "~/features/staff/auth.server";
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
  return { locale, i18n: i18nBundle(locale, ["staff"]) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(loginSchema, form);
  const { email } = submittedValues(form, ["email"], 320);
  if (!parsed.ok) return data({ errors: parsed.errors, retryAfterMinutes: 0, email }, { status: 400 });
  const result = await login(parsed.values.email, parsed.values.password, context.clientIp ?? "unknown");
  if (result.ok) return startStaffSession(request, result.user.id, safeRedirectPath(parsed.values.next, "/staff"));
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
      <ErrorSummary errors={errors} labels={{ email: t("login.email"), password: t("login.password") }} options={options} />
      <Form method="post" noValidate>
        <input type="hidden" name="next" value={searchParams.get("next") ?? "/staff"} />
        <div className="field">
          <label htmlFor="email">{t("login.email")}</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            defaultValue={actionData?.email}
            required
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? "email-error" : undefined}
          />
          <FieldError id="email-error" messages={errors.email} />
        </div>
        <div className="field">
          <label htmlFor="password">{t("login.password")}</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "password-error" : undefined}
          />
          <FieldError id="password-error" messages={errors.password} />
        </div>
        <button type="submit" className="button">
          {t("login.submit")}
        </button>
      </Form>
    </section>
  );
}
