import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { requireStaff } from "~/features/staff/auth.server";
import { organisationSettings } from "~/features/staff/settings.server";
import { accountSchema } from "~/features/staff/two-factor-forms.server";
import {
  confirmTwoFactorSetUp,
  disableTwoFactor,
  renewRecoveryCodes,
  startTwoFactorSetUp,
  twoFactorStatus,
  type CodeCheck,
} from "~/features/staff/two-factor.server";
import { parseForm, readForm, type FieldErrors } from "~/platform/forms.server";
import { detectLanguage, i18nBundle } from "~/platform/i18n.server";

/** The page shows a secret being set up and, once, the recovery codes: never cached. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers(actionHeaders);
  headers.set("Cache-Control", "no-store");
  return headers;
};

export const meta: MetaFunction = () => [{ title: "Parley · Staff" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "signedIn");
  const locale = detectLanguage(request, user.language);
  const status = await twoFactorStatus(user.id);
  const required =
    (await organisationSettings()).requireTwoFactor && user.grants.some((grant) => grant.role === "administrator" || grant.role === "survey_manager");
  return { locale, status, required, i18n: i18nBundle(locale, ["security"]) };
}

type Intent = "start" | "confirm" | "disable" | "renew";

function refused(intent: Intent | null, check: CodeCheck & { ok: false }) {
  if (check.reason === "invalid")
    return data(
      { intent, errors: { code: ["security:errors.codeWrong"] } as FieldErrors, retryAfterMinutes: 0, recoveryCodes: null, done: null },
      { status: 400 },
    );
  return data(
    {
      intent,
      errors: { form: ["security:errors.tooManyAttempts"] } as FieldErrors,
      retryAfterMinutes: Math.ceil(check.retryAfterSeconds / 60),
      recoveryCodes: null,
      done: null,
    },
    { status: 429, headers: { "Retry-After": String(check.retryAfterSeconds) } },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request, "signedIn");
  const form = await readForm(request);
  const parsed = parseForm(accountSchema, form);
  if (!parsed.ok) {
    const intent = String(form.get("intent") ?? "");
    const known = (["confirm", "disable", "renew"] as const).find((value) => value === intent) ?? null;
    return data(
      {
        intent: known,
        errors: known ? parsed.errors : ({ form: ["security:errors.badRequest"] } as FieldErrors),
        retryAfterMinutes: 0,
        recoveryCodes: null,
        done: null,
      },
      { status: 400 },
    );
  }
  const values = parsed.values;
  switch (values.intent) {
    case "start":
      await startTwoFactorSetUp(user.id);
      return redirect("/staff/account/two-factor");
    case "confirm": {
      const result = await confirmTwoFactorSetUp(user.id, values.code);
      if (!result.ok) return refused("confirm", result);
      return data({
        intent: "confirm" as Intent | null,
        errors: {} as FieldErrors,
        retryAfterMinutes: 0,
        recoveryCodes: result.recoveryCodes as string[] | null,
        done: "enabled" as string | null,
      });
    }
    case "renew": {
      const result = await renewRecoveryCodes(user.id, values.code);
      if (!result.ok) return refused("renew", result);
      return data({
        intent: "renew" as Intent | null,
        errors: {} as FieldErrors,
        retryAfterMinutes: 0,
        recoveryCodes: result.recoveryCodes as string[] | null,
        done: "renewed" as string | null,
      });
    }
    case "disable": {
      const result = await disableTwoFactor(user.id, values.code);
      if (!result.ok) return refused("disable", result);
      return data({
        intent: "disable" as Intent | null,
        errors: {} as FieldErrors,
        retryAfterMinutes: 0,
        recoveryCodes: null as string[] | null,
        done: "disabled" as string | null,
      });
    }
  }
}

function CodeForm({ intent, submit, errors, danger }: { intent: Intent; submit: string; errors?: string[]; danger?: boolean }) {
  const { t } = useTranslation("security");
  const id = `${intent}-code`;
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value={intent} />
      <Field name="code" id={id} label={t("account.code")} hint={t("account.codeHint")} errors={errors}>
        {(control) => <input {...control} type="text" inputMode="numeric" pattern="[0-9]*" dir="ltr" autoComplete="one-time-code" required maxLength={64} />}
      </Field>
      <button type="submit" className={danger ? "button secondary" : "button"}>
        {submit}
      </button>
    </Form>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation("security");
  return (
    <section className="notice warning" aria-labelledby="recovery-title">
      <h2 id="recovery-title">{t("recovery.title")}</h2>
      <p>{t("recovery.advice")}</p>
      <ol className="recovery-codes" dir="ltr">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>{t("recovery.once")}</p>
    </section>
  );
}

export default function TwoFactorAccount() {
  const { status, required } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("security");
  const errors: FieldErrors = actionData?.errors ?? {};
  const errorsFor = (intent: Intent) => (actionData?.intent === intent ? errors.code : undefined);
  return (
    <section aria-labelledby="two-factor-title">
      <h1 id="two-factor-title">{t("account.title")}</h1>
      <p>{t("account.intro")}</p>
      {required && !status.enabled ? (
        <p className="notice warning" role="status">
          {t("account.required")}
        </p>
      ) : null}
      <ErrorSummary errors={errors} labels={{ code: t("account.code") }} options={{ count: actionData?.retryAfterMinutes ?? 0 }} />
      {actionData?.done ? (
        <p className="notice success" role="status">
          {t(`account.done.${actionData.done}`)}
        </p>
      ) : null}
      {actionData?.recoveryCodes ? <RecoveryCodes codes={actionData.recoveryCodes} /> : null}
      <p>
        <strong>{status.enabled ? t("account.statusOn") : t("account.statusOff")}</strong>
      </p>
      {status.enabled ? (
        <>
          <p>{t("recovery.left", { count: status.recoveryCodesLeft })}</p>
          <h2>{t("account.renewTitle")}</h2>
          <p>{t("account.renewIntro")}</p>
          <CodeForm intent="renew" submit={t("account.renew")} errors={errorsFor("renew")} />
          <h2>{t("account.disableTitle")}</h2>
          <p>{t("account.disableIntro")}</p>
          <CodeForm intent="disable" submit={t("account.disable")} errors={errorsFor("disable")} danger />
        </>
      ) : status.pending ? (
        <>
          <h2>{t("setup.title")}</h2>
          <ol>
            <li>{t("setup.scan")}</li>
            <li>{t("setup.enterCode")}</li>
          </ol>
          {/* Generated here by the qrcode package from the otpauth: address: no outside content. */}
          <div className="qr-code" role="img" aria-label={t("setup.qrLabel")} dangerouslySetInnerHTML={{ __html: status.pending.qrSvg }} />
          <p>
            {t("setup.manual")}{" "}
            <bdi dir="ltr">
              <code className="totp-secret">{status.pending.secret}</code>
            </bdi>
          </p>
          <CodeForm intent="confirm" submit={t("setup.confirm")} errors={errorsFor("confirm")} />
        </>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="start" />
          <button type="submit" className="button">
            {t("setup.start")}
          </button>
        </Form>
      )}
    </section>
  );
}
