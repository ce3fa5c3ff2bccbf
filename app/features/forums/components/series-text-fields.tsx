import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";

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
          <Field name={`title.${language.code}`} label={t("forums.fields.title")} errors={errors[`title.${language.code}`]}>
            {(control) => <input {...control} dir="auto" maxLength={200} defaultValue={values[`title.${language.code}`] ?? ""} />}
          </Field>
          <Field name={`description.${language.code}`} label={t("forums.fields.description")} errors={errors[`description.${language.code}`]}>
            {(control) => <textarea {...control} dir="auto" rows={3} maxLength={4000} defaultValue={values[`description.${language.code}`] ?? ""} />}
          </Field>
        </fieldset>
      ))}
    </>
  );
}
