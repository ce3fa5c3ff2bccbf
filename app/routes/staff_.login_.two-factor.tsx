import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { completeSecondFactor, pendingSecondFactorUserId } from "~/features/staff/auth.server";
import { codeSchema } from "~/features/staff/two-factor-forms.server";
import { checkSecondFactor } from "~/features/staff/two-factor.server";
import { recordAudit } from "~/platform/audit.server";
import { parseForm, readForm, type FieldErrors } from "~/platform/forms.server";
import { detectLanguage, i18nBundle } from "~/platform/i18n.server";
import { safeRedirectPath } from "~/platform/safe-redirect";

/**
 * The second step of signing in (/staff/login/two-factor): public, since the
 * session is still pending, so outside the staff layout; "login_" keeps it
 * from nesting inside the sign-in page, which has no outlet.
 */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers(actionHeaders);
  headers.set("Cache-Control", "no-store");
  return headers;
};

export const meta: MetaFunction = () => [{ title: "Parley · Staff" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await pendingSecondFactorUserId(request))) throw redirect("/staff/login");
  const locale = detectLanguage(request);
  return { locale, i18n: i18nBundle(locale, ["security"]) };
}

export async function action({ request }: ActionFunctionArgs) {
  const userId = await pendingSecondFactorUserId(request);
  if (!userId) throw redirect("/staff/login");
  const parsed = parseForm(codeSchema, await readForm(request));
  if (!parsed.ok) return data({ errors: parsed.errors, retryAfterMinutes: 0 }, { status: 400 });
  const result = await checkSecondFactor(userId, parsed.values.code, true);
  if (result.ok) {
    await recordAudit({ staffUserId: userId, action: "staff.2fa.success", detail: { via: result.via } });
    return completeSecondFactor(request, userId, safeRedirectPath(parsed.values.next, "/staff"));
  }
  if (result.reason === "invalid") return data({ errors: { code: ["security:errors.codeWrong"] } as FieldErrors, retryAfterMinutes: 0 }, { status: 400 });
  const retryAfterMinutes = Math.ceil(result.retryAfterSeconds / 60);
  return data(
    { errors: { form: ["security:errors.tooManyAttempts"] } as FieldErrors, retryAfterMinutes },
    { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
  );
}

export default function SecondFactorStep() {
  const { t } = useTranslation("security");
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors: FieldErrors = actionData?.errors ?? {};
  return (
    <section className="panel narrow" aria-labelledby="second-step-title">
      <h1 id="second-step-title">{t("signIn.title")}</h1>
      <p>{t("signIn.intro")}</p>
      <ErrorSummary errors={errors} labels={{ code: t("signIn.code") }} options={{ count: actionData?.retryAfterMinutes ?? 0 }} />
      <Form method="post" noValidate>
        <input type="hidden" name="next" value={searchParams.get("next") ?? "/staff"} />
        <Field name="code" label={t("signIn.code")} hint={t("signIn.codeHint")} errors={errors.code}>
          {(control) => (
            <input {...control} type="text" dir="ltr" autoComplete="one-time-code" autoCapitalize="characters" spellCheck={false} required maxLength={64} />
          )}
        </Field>
        <button type="submit" className="button">
          {t("signIn.submit")}
        </button>
      </Form>
      <p>
        <Link to="/staff/login">{t("signIn.restart")}</Link>
      </p>
    </section>
  );
}
