import { useTranslation } from "react-i18next";
import { Field, LanguageSelect } from "~/components/field";
import { canonicalZone } from "~/platform/time-zone";

/** A time zone as the session form offers it (zoneOptions). */
type ZoneOption = { value: string; label: string };

/** A session's fields; times are entered as wall-clock times in the zone shown (the staff member's, by default). */
export function SessionFields({
  languages,
  zones,
  zone,
  values,
  errors,
}: {
  languages: { code: string; endonym: string }[];
  /** Every zone by city, zone name and offset in the staff member's language (zoneChoices). */
  zones: ZoneOption[];
  zone: string;
  values: Record<string, string>;
  errors: Record<string, string[] | undefined>;
}) {
  const { t } = useTranslation("staff");
  const input = (name: string, type: string, extra: Record<string, string | number | boolean> = {}) => (
    <Field key={name} name={name} label={t(`forums.fields.${name}`)} errors={errors[name]}>
      {(control) => <input {...control} type={type} dir="ltr" defaultValue={values[name] ?? ""} {...extra} />}
    </Field>
  );
  return (
    <>
      <div className="field">
        <label htmlFor="zone">{t("forums.fields.zone")}</label>
        <select id="zone" name="zone" defaultValue={canonicalZone(values.zone ?? zone)}>
          {zones.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      {input("startsAt", "datetime-local", { required: true })}
      {input("endsAt", "datetime-local", { required: true })}
      <LanguageSelect label={t("forums.fields.language")} languages={languages} defaultValue={values.language ?? "en"} errors={errors.language} />
      {input("capacity", "number", { min: 1, max: 100000, required: true, inputMode: "numeric" })}
      {input("meetingUrl", "url")}
      {input("registrationOpensAt", "datetime-local")}
      {input("registrationClosesAt", "datetime-local")}
    </>
  );
}
