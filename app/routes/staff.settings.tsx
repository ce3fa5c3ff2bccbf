import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { FileDrop } from "~/components/file-drop";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Field } from "~/components/field";
import { ErrorSummary } from "~/components/form-errors";
import { brandingForEditing, LOGO_PATH, removeLogo } from "~/features/branding/branding.server";
import { DEFAULT_ACCENT, LOGO_LIMITS, NAME_MAX_LENGTH, submitBranding, submitLogo } from "~/features/branding/settings-form.server";
import { requireStaff } from "~/features/staff/auth.server";
import { organisationSettings, saveOrganisationSettings } from "~/features/staff/settings.server";
import { formText, parseForm, readForm, type FieldErrors } from "~/platform/forms.server";
import { availableLanguages, detectLanguage, i18nBundle } from "~/platform/i18n.server";

export const meta: MetaFunction = () => [{ title: "Parley · Staff" }];

const settingsSchema = z.object({
  intent: formText(z.literal("save", "security:errors.badRequest")),
  requireTwoFactor: formText(z.enum(["", "on"], "security:errors.badRequest")),
});

const removeLogoSchema = z.object({ intent: formText(z.literal("removeLogo", "security:errors.badRequest")) });

type Section = "branding" | "logo" | "security";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "settings.manage");
  const locale = detectLanguage(request, user.language);
  const branding = await brandingForEditing();
  return {
    locale,
    settings: await organisationSettings(),
    branding: {
      names: branding.names,
      accent: branding.accent,
      logo: branding.logo ? { url: `${LOGO_PATH}?v=${branding.logo.version}`, width: branding.logo.width, height: branding.logo.height } : null,
    },
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
    defaultAccent: DEFAULT_ACCENT,
    nameMaxLength: NAME_MAX_LENGTH,
    logoLimits: LOGO_LIMITS,
    i18n: i18nBundle(locale, ["security"]),
  };
}

function answer(
  section: Section,
  outcome: { errors?: FieldErrors; options?: Record<string, string>; values?: Record<string, string>; saved?: boolean },
  status = 200,
) {
  return data(
    { section, errors: outcome.errors ?? ({} as FieldErrors), options: outcome.options ?? {}, values: outcome.values ?? {}, saved: outcome.saved ?? false },
    { status },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request, "settings.manage");
  const locale = detectLanguage(request, user.language);
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const outcome = await submitLogo(user.id, request);
    return outcome.ok ? answer("logo", { saved: true }) : answer("logo", outcome, outcome.status);
  }
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "branding") {
    const languages = availableLanguages().map((language) => language.code);
    const outcome = await submitBranding(user.id, form, languages, locale);
    return outcome.ok ? answer("branding", { saved: true }) : answer("branding", outcome, outcome.status);
  }
  if (intent === "removeLogo") {
    if (!parseForm(removeLogoSchema, form).ok) return answer("logo", { errors: { form: ["security:errors.badRequest"] } }, 400);
    await removeLogo(user.id);
    return answer("logo", { saved: true });
  }
  const parsed = parseForm(settingsSchema, form);
  if (!parsed.ok) return answer("security", { errors: { form: ["security:errors.badRequest"] } }, 400);
  await saveOrganisationSettings(user.id, { requireTwoFactor: parsed.values.requireTwoFactor === "on" });
  return answer("security", { saved: true });
}

const normalised = (value: string | undefined) => (value && /^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : undefined);

/** The colour picker and the text field show one value; with scripts each follows the other (without, the server picks the one changed). */
function AccentFields({
  stored,
  fallback,
  typed,
  errors,
  options,
}: {
  stored: string | null;
  fallback: string;
  typed?: string;
  errors?: string[];
  options: Record<string, string>;
}) {
  const { t } = useTranslation("security");
  const [text, setText] = useState(typed ?? stored ?? "");
  const [picked, setPicked] = useState(stored ?? fallback);
  // A new answer (a refusal, or the saved colour after revalidation) resets both controls.
  useEffect(() => {
    setText(typed ?? stored ?? "");
    setPicked(normalised(typed) ?? stored ?? fallback);
  }, [typed, stored, fallback]);
  return (
    <fieldset className="accent-fields">
      <legend>{t("settings.accent")}</legend>
      <p className="hint" id="accent-rule">
        {t("settings.accentHint")}
      </p>
      <input type="hidden" name="accentBefore" value={stored ?? ""} />
      <div className="accent-controls">
        <Field name="accentPicker" label={t("settings.accentPicker")}>
          {(control) => (
            <input
              {...control}
              type="color"
              value={picked}
              onChange={(event) => {
                setPicked(event.target.value);
                setText(event.target.value);
              }}
            />
          )}
        </Field>
        <Field name="accent" label={t("settings.accentText")} hint={t("settings.accentTextHint")} errors={errors} errorOptions={options}>
          {(control) => (
            <input
              {...control}
              type="text"
              dir="ltr"
              inputMode="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={7}
              pattern="#[0-9a-fA-F]{6}"
              placeholder={fallback}
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                if (/^#[0-9a-f]{6}$/i.test(event.target.value)) setPicked(event.target.value.toLowerCase());
              }}
            />
          )}
        </Field>
      </div>
    </fieldset>
  );
}

export default function OrganisationSettings() {
  const { settings, branding, languages, defaultAccent, nameMaxLength, logoLimits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("security");
  const errorsOf = (section: Section): FieldErrors => (actionData?.section === section ? actionData.errors : {});
  const savedHere = (section: Section) =>
    actionData?.section === section && actionData.saved ? (
      <p className="notice success" role="status">
        {t("settings.saved")}
      </p>
    ) : null;
  const brandingErrors = errorsOf("branding");
  const logoErrors = errorsOf("logo");
  const typed = actionData?.section === "branding" ? actionData.values : {};
  const hasOtherNames = languages.some((language) => branding.names[language.code]);
  const labels: Record<string, string> = {
    name: t("settings.name"),
    accent: t("settings.accentText"),
    logo: t("settings.logo"),
    ...Object.fromEntries(languages.map((language) => [`name.${language.code}`, t("settings.nameIn", { language: language.endonym })])),
  };
  const limits = { kilobytes: logoLimits.kilobytes, side: logoLimits.side };
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t("settings.title")}</h1>
      <ErrorSummary errors={actionData?.errors ?? {}} labels={labels} options={{ ...limits, ...(actionData?.options ?? {}) }} />

      <h2 id="branding-title">{t("settings.brandingTitle")}</h2>
      {savedHere("branding")}
      <Form method="post" className="panel" aria-labelledby="branding-title">
        <input type="hidden" name="intent" value="branding" />
        <Field name="name" label={t("settings.name")} hint={t("settings.nameHint", { max: nameMaxLength })} errors={brandingErrors.name}>
          {(control) => (
            <input {...control} type="text" maxLength={nameMaxLength} defaultValue={typed.name ?? branding.names["*"] ?? ""} autoComplete="organization" />
          )}
        </Field>
        <details className="other-names" open={hasOtherNames || Object.keys(brandingErrors).some((field) => field.startsWith("name."))}>
          <summary>{t("settings.otherNames")}</summary>
          {languages.map((language) => (
            <Field
              key={language.code}
              name={`name.${language.code}`}
              label={t("settings.nameIn", { language: language.endonym })}
              errors={brandingErrors[`name.${language.code}`]}
            >
              {(control) => (
                <input {...control} type="text" lang={language.code} maxLength={nameMaxLength} defaultValue={branding.names[language.code] ?? ""} />
              )}
            </Field>
          ))}
        </details>
        <AccentFields
          stored={branding.accent}
          fallback={defaultAccent}
          typed={typed.accent}
          errors={brandingErrors.accent}
          options={actionData?.options ?? {}}
        />
        <button type="submit" className="button">
          {t("settings.saveBranding")}
        </button>
      </Form>

      <h2 id="logo-title">{t("settings.logo")}</h2>
      {savedHere("logo")}
      <div className="panel">
        {branding.logo ? (
          <figure className="logo-preview">
            <img src={branding.logo.url} width={branding.logo.width} height={branding.logo.height} alt={t("settings.currentLogo")} />
          </figure>
        ) : (
          <p>{t("settings.noLogo")}</p>
        )}
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="logo" />
          <Field name="logo" label={t("settings.logoFile")} hint={t("settings.logoHint", limits)} errors={logoErrors.logo} errorOptions={limits}>
            {(control) => (
              <FileDrop
                id={control.id}
                name={control.name}
                accept="image/png,image/jpeg,image/webp"
                describedBy={control["aria-describedby"]}
                invalid={control["aria-invalid"]}
              />
            )}
          </Field>
          <button type="submit" className="button">
            {t("settings.uploadLogo")}
          </button>
        </Form>
        {branding.logo ? (
          <Form method="post" className="logo-remove">
            <input type="hidden" name="intent" value="removeLogo" />
            <button type="submit" className="button secondary">
              {t("settings.removeLogo")}
            </button>
          </Form>
        ) : null}
      </div>

      <h2 id="security-title">{t("settings.securityTitle")}</h2>
      {savedHere("security")}
      <Form method="post" className="panel" aria-labelledby="security-title">
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
