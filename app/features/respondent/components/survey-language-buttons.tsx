import { useTranslation } from "react-i18next";
import type { LanguageInfo } from "~/platform/i18n";

/**
 * The survey's own language switcher: submit buttons of the page's form, so
 * switching language saves what was typed first and works without
 * JavaScript. Placed after the navigation buttons: the first submit button
 * of a form is the one Enter presses, and that must be "Next".
 */
export function SurveyLanguageButtons({
  languages,
  current,
  form,
  formAction,
}: {
  languages: LanguageInfo[];
  current: string;
  form?: string;
  /** Where each button posts, when the language is part of the address (a survey preview's ?lang=). */
  formAction?: (code: string) => string;
}) {
  const { t } = useTranslation("respondent");
  if (languages.length < 2) return null;
  return (
    <fieldset className="survey-languages">
      <legend>{t("language.legend")}</legend>
      <div className="survey-languages-list">
        {languages.map((language) => (
          <button
            key={language.code}
            type="submit"
            name="intent"
            value={`language:${language.code}`}
            form={form}
            formAction={formAction?.(language.code)}
            lang={language.code}
            dir={language.dir}
            className="link-button"
            aria-current={language.code === current ? "true" : undefined}
            formNoValidate
          >
            {language.endonym}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
