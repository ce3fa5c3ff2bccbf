import { useTranslation } from "react-i18next";
import { FieldError, LanguageSelect } from "~/components/form-errors";

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
    <div className="field" key={name}>
      <label htmlFor={name}>{t(`participants.fields.${name}`)}</label>
      {name === "timeZone" ? (
        <p className="hint" id="timeZone-hint">
          {t("participants.timeZoneHint")}
        </p>
      ) : null}
      <input
        id={name}
        name={name}
        type={name === "email" ? "email" : "text"}
        dir={name === "email" || name === "timeZone" ? "ltr" : "auto"}
        autoComplete="off"
        required={name === "name" || name === "email"}
        defaultValue={String(values[name] ?? "")}
        aria-invalid={errors[name]?.length ? true : undefined}
        aria-describedby={[name === "timeZone" ? "timeZone-hint" : "", errors[name]?.length ? `${name}-error` : ""].filter(Boolean).join(" ") || undefined}
      />
      <FieldError id={`${name}-error`} messages={errors[name]} />
    </div>
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
