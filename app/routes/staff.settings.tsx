import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary } from "~/components/form-errors";
import { requireStaff } from "~/features/staff/auth.server";
import { organisationSettings, saveOrganisationSettings } from "~/features/staff/settings.server";
import { formText, parseForm, readForm, type FieldErrors } from "~/platform/forms.server";
import { detectLanguage, i18nBundle } from "~/platform/i18n.server";

export const meta: MetaFunction = () => [{ title: "Parley · Staff" }];

const settingsSchema = z.object({
  intent: formText(z.literal("save", "security:errors.badRequest")),
  requireTwoFactor: formText(z.enum(["", "on"], "security:errors.badRequest")),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "settings.manage");
  const locale = detectLanguage(request, user.language);
  return { locale, settings: await organisationSettings(), i18n: i18nBundle(locale, ["security"]) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request, "settings.manage");
  const parsed = parseForm(settingsSchema, await readForm(request));
  if (!parsed.ok) return data({ errors: { form: ["security:errors.badRequest"] } as FieldErrors, saved: false }, { status: 400 });
  await saveOrganisationSettings(user.id, { requireTwoFactor: parsed.values.requireTwoFactor === "on" });
  return data({ errors: {} as FieldErrors, saved: true });
}

export default function OrganisationSettings() {
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("security");
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t("settings.title")}</h1>
      <ErrorSummary errors={actionData?.errors ?? {}} labels={{}} />
      {actionData?.saved ? (
        <p className="notice success" role="status">
          {t("settings.saved")}
        </p>
      ) : null}
      <Form method="post">
        <input type="hidden" name="intent" value="save" />
        <div className="field">
          <label className="choice">
            <input type="checkbox" name="requireTwoFactor" aria-describedby="require-two-factor-hint" defaultChecked={settings.requireTwoFactor} />{" "}
            {t("settings.requireTwoFactor")}
          </label>
          <p className="hint" id="require-two-factor-hint">
            {t("settings.requireTwoFactorHint")}
          </p>
        </div>
        <button type="submit" className="button">
          {t("settings.save")}
        </button>
      </Form>
    </section>
  );
}
