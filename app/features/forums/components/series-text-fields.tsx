import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/form-errors";

/** Title and description of a forum series in every language; English is required, the others show when filled. */
export function SeriesTextFields({
  languages,
  values,
  errors,
}: {
  languages: { code: string; endonym: string }[];
  values: Record<string, string>;
  errors: Record<string, string[] | undefined>;
}) {
  const { t } = useTranslation("staff");
  return (
    <>
      {languages.map((language) => (
        <fieldset key={language.code} className="series-texts" lang={language.code}>
          <legend>{language.endonym}</legend>
          <div className="field">
            <label htmlFor={`title.${language.code}`}>{t("forums.fields.title")}</label>
            <input id={`title.${language.code}`} name={`title.${language.code}`} dir="auto" maxLength={200} defaultValue={values[`title.${language.code}`] ?? ""} />
            <FieldError id={`title.${language.code}-error`} messages={errors[`title.${language.code}`]} />
          </div>
          <div className="field">
            <label htmlFor={`description.${language.code}`}>{t("forums.fields.description")}</label>
            <textarea id={`description.${language.code}`} name={`description.${language.code}`} dir="auto" rows={3} maxLength={4000} defaultValue={values[`description.${language.code}`] ?? ""} />
          </div>
        </fieldset>
      ))}
    </>
  );
}
