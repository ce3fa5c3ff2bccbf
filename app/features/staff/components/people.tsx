import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/form-errors";
import { ROLES, type Role } from "~/features/staff/permissions";

export interface GrantLabel {
  role: Role;
  surveyId: string | null;
  survey: string | null;
  language: string | null;
}

/** Roles with their scope as a short list: "Translator · All surveys · Français". */
export function GrantList({ grants, languages }: { grants: GrantLabel[]; languages: { code: string; endonym: string }[] }) {
  const { t } = useTranslation("people");
  if (grants.length === 0) return <span>{t("roles.none")}</span>;
  return (
    <ul className="plain-list">
      {grants.map((grant, index) => (
        <li key={index}>
          {t(`roles.${grant.role}`)} · {grant.survey ? <bdi>{grant.survey}</bdi> : t("scope.all")}
          {grant.language ? (
            <>
              {" · "}
              <span lang={grant.language}>{languages.find((language) => language.code === grant.language)?.endonym ?? grant.language}</span>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * One row per role: a checkbox, the surveys it covers (all or one) and, for
 * translators, the languages they may edit. Plain controls, so the form works without script.
 */
export function GrantsFieldset({
  idPrefix,
  surveys,
  languages,
  selected,
  errors,
}: {
  idPrefix: string;
  surveys: { id: string; title: string }[];
  languages: { code: string; endonym: string }[];
  selected: { role: string; surveyId: string | null; language: string | null }[];
  errors: Record<string, string[] | undefined>;
}) {
  const { t } = useTranslation("people");
  const invalid = Boolean(errors.role?.length);
  // A translator holds one grant per language they may edit (none: every language).
  const translatorLanguages = selected.flatMap((grant) => (grant.role === "translator" && grant.language ? [grant.language] : []));
  return (
    <fieldset className="grants" aria-describedby={invalid ? `${idPrefix}role-error` : undefined} id={`${idPrefix}role`} tabIndex={-1}>
      <legend>{t("form.roles")}</legend>
      <FieldError id={`${idPrefix}role-error`} messages={errors.role} />
      {ROLES.map((role: Role) => {
        const grant = selected.find((item) => item.role === role);
        const scopeErrors = errors[`scope-${role}`];
        return (
          <div className="grant-row" key={role}>
            <div className="check">
              <input
                type="checkbox"
                name="role"
                value={role}
                id={`${idPrefix}role-${role}`}
                defaultChecked={Boolean(grant)}
                aria-describedby={`${idPrefix}role-${role}-hint`}
              />
              <label htmlFor={`${idPrefix}role-${role}`}>{t(`roles.${role}`)}</label>
              <p className="hint" id={`${idPrefix}role-${role}-hint`}>
                {t(`roleHints.${role}`)}
              </p>
            </div>
            <div className="field">
              <label htmlFor={`${idPrefix}scope-${role}`}>{t("form.scope", { role: t(`roles.${role}`) })}</label>
              <select
                id={`${idPrefix}scope-${role}`}
                name={`scope-${role}`}
                defaultValue={grant?.surveyId ?? "all"}
                aria-invalid={scopeErrors?.length ? true : undefined}
                aria-describedby={scopeErrors?.length ? `${idPrefix}scope-${role}-error` : undefined}
              >
                <option value="all">{t("scope.all")}</option>
                {surveys.map((survey) => (
                  <option key={survey.id} value={survey.id}>
                    {survey.title}
                  </option>
                ))}
              </select>
              <FieldError id={`${idPrefix}scope-${role}-error`} messages={scopeErrors} />
            </div>
            {role === "translator" ? (
              <fieldset className="translator-languages" aria-describedby={`${idPrefix}language-translator-hint`}>
                <legend>{t("form.translatorLanguage")}</legend>
                <p className="hint" id={`${idPrefix}language-translator-hint`}>
                  {t("form.translatorLanguagesHint")}
                </p>
                <div className="language-checks">
                  {languages.map((language) => (
                    <div className="language-check" key={language.code}>
                      <input
                        type="checkbox"
                        name="language-translator"
                        value={language.code}
                        id={`${idPrefix}language-translator-${language.code}`}
                        defaultChecked={translatorLanguages.includes(language.code)}
                      />
                      <label htmlFor={`${idPrefix}language-translator-${language.code}`} lang={language.code}>
                        {language.endonym}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}
