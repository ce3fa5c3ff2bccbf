import { Form, useNavigation } from "@remix-run/react";
import { FileDrop } from "~/components/file-drop";
import { useTranslation } from "react-i18next";
import type { LocaleProblem } from "~/features/translations/locale-check";

export type UploadRefusal = {
  reason: "fields" | "english" | "encoding" | "tooLarge" | "problems" | "hasErrors" | "language";
  problems?: LocaleProblem[];
  language?: string;
  namespace?: string;
};

/** A check problem in the staff member's language; the key stays as written, inside <bdi>, since it is code. */
export function LocaleProblemText({ problem }: { problem: LocaleProblem }) {
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const params = {
    ...problem.params,
    line: problem.line === undefined ? "" : number.format(problem.line),
    column: problem.column === undefined ? "" : number.format(problem.column),
  };
  return (
    <>
      {problem.key ? (
        <>
          <code dir="ltr">
            <bdi>{problem.key}</bdi>
          </code>
          {": "}
        </>
      ) : null}
      {t(`translations.problem.${problem.kind === "placeholder" && problem.severity === "warning" ? "placeholder-count" : problem.kind}`, params)}
    </>
  );
}

export function UploadRefused({ refusal, maxKilobytes }: { refusal: UploadRefusal; maxKilobytes: number }) {
  const { t } = useTranslation("staff");
  const problems = refusal.problems ?? [];
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>{t("translations.refused.title")}</h2>
      <p>{t(`translations.refused.${refusal.reason}`, { count: problems.length, max: maxKilobytes })}</p>
      {problems.length > 0 ? (
        <ul className="problem-list">
          {problems.map((problem, index) => (
            <li key={index}>
              <LocaleProblemText problem={problem} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * Upload of one namespace file. On a file's own page the language and
 * namespace are fixed; on the overview they are picked (a new language
 * starts on its own page, reached from the overview's "start" form).
 */
export function TranslationUploadForm({
  action,
  choices,
}: {
  action: string;
  choices?: { languages: { code: string; endonym: string }[]; namespaces: string[] };
}) {
  const { t } = useTranslation("staff");
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formAction === action;
  return (
    <Form method="post" action={action} encType="multipart/form-data" className="panel">
      <input type="hidden" name="intent" value="upload" />
      {choices ? (
        <div className="filter-grid">
          <div className="field">
            <label htmlFor="upload-language">{t("translations.upload.language")}</label>
            <select id="upload-language" name="language">
              {choices.languages.map((language) => (
                <option key={language.code} value={language.code}>
                  {language.endonym} ({language.code})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="upload-namespace">{t("translations.upload.namespace")}</label>
            <select id="upload-namespace" name="namespace">
              {choices.namespaces.map((namespace) => (
                <option key={namespace} value={namespace}>
                  {namespace}.json
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="upload-file">{t("translations.upload.file")}</label>
        <FileDrop id="upload-file" name="file" accept=".json,application/json" describedBy="upload-file-hint" />
        <p id="upload-file-hint" className="hint">
          {t("translations.upload.fileHint")}
        </p>
      </div>
      <button type="submit" className="button" disabled={busy}>
        {t("translations.upload.submit")}
      </button>
    </Form>
  );
}
