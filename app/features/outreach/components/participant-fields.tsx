import { useTranslation } from "react-i18next";
import { Field, LanguageSelect } from "~/components/field";

export interface LanguageChoice {
  code: string;
  endonym: string;
}

type TextField = "name" | "email" | "region" | "country" | "unit" | "timeZone";

/** The fields of one participant, for the add form and the edit page. */
export function ParticipantFields({
  values,
  errors,
  languages,
}: {
  values: Partial<Record<string, string | number | null>>;
  errors: Record<string, string[] | undefined>;
  languages: LanguageChoice[];
}) {
  const { t } = useTranslation("staff");
  const field = (name: TextField) => (
    <Field
      key={name}
      name={name}
      label={t(`participants.fields.${name}`)}
      hint={name === "timeZone" ? t("participants.timeZoneHint") : undefined}
      errors={errors[name]}
    >
      {(control) => (
        <input
          {...control}
          type={name === "email" ? "email" : "text"}
          dir={name === "email" || name === "timeZone" ? "ltr" : "auto"}
          autoComplete="off"
          required={name === "name" || name === "email"}
          defaultValue={String(values[name] ?? "")}
        />
      )}
    </Field>
  );
  return (
    <>
      {field("name")}
      {field("email")}
      <LanguageSelect label={t("participants.fields.language")} languages={languages} defaultValue={String(values.language ?? "en")} errors={errors.language} />
      {field("region")}
      {field("country")}
      {field("unit")}
      {field("timeZone")}
    </>
  );
}
