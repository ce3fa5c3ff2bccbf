import { useState } from "react";
import { useTranslation } from "react-i18next";
import { liveProblems, type LiveProblem } from "~/features/translations/live-check";
import { LocaleProblemText } from "~/features/translations/components/translation-upload";
import type { LocaleProblem } from "~/features/translations/locale-check";

export interface EditorTextView {
  key: string;
  kind: string;
  required: boolean;
  english: string;
  value: string;
  outdated: { oldEnglish: string } | null;
  placeholders: string[];
}

/** A safe id from a text key (keys hold letters, digits, _ and dots). */
function idOf(key: string): string {
  return `text-${key.replaceAll(".", "-")}`;
}

/**
 * One text side by side: English (read-only, lang="en") and the translation
 * in its own language and direction, so a screen reader pronounces each side
 * correctly and Arabic runs right to left only in its own column (WCAG 3.1.2).
 */
export function TextPair({
  text,
  language,
  dir,
  endonym,
  context,
  problems,
  submitted,
}: {
  text: EditorTextView;
  language: string;
  dir: "ltr" | "rtl";
  endonym: string;
  context: string;
  problems: LocaleProblem[];
  submitted: string | undefined;
}) {
  const { t } = useTranslation("staff");
  const id = idOf(text.key);
  // As-you-type hints (an enhancement: without JavaScript the server's check on save is the same).
  const [live, setLive] = useState<LiveProblem[]>([]);
  const invalid = problems.length > 0;
  const describedBy = [
    `${id}-source`,
    text.outdated ? `${id}-outdated` : "",
    text.placeholders.length ? `${id}-keep` : "",
    invalid ? `${id}-error` : "",
    live.length ? `${id}-live` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={`text-pair${text.outdated ? " outdated" : ""}`}>
      <div className="text-source">
        <p className="text-context">
          {context}
          {text.required ? null : <> · {t("surveyTexts.optional")}</>}
        </p>
        <p id={`${id}-source`} lang="en" dir="ltr" className="source-text">
          {text.english}
        </p>
        {text.outdated ? (
          <div id={`${id}-outdated`} className="outdated-note">
            <p>
              <span className="badge failed">{t("surveyTexts.outdated")}</span> {t("surveyTexts.outdatedHint")}
            </p>
            {text.outdated.oldEnglish ? (
              <>
                <p>{t("surveyTexts.oldEnglish")}</p>
                <p lang="en" dir="ltr">
                  <del>{text.outdated.oldEnglish}</del>
                </p>
              </>
            ) : null}
          </div>
        ) : null}
      </div>
      <div className="text-target field">
        <label htmlFor={id}>{t("surveyTexts.translationLabel", { language: endonym })}</label>
        <textarea
          id={id}
          name={`text:${text.key}`}
          lang={language}
          dir={dir}
          rows={text.english.length > 90 ? 4 : 2}
          defaultValue={submitted ?? text.value}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => setLive(liveProblems(event.currentTarget.value, text.english))}
        />
        <div id={`${id}-live`} aria-live="polite">
          {live.length && !invalid ? (
            <ul className="field-error">
              {live.map((problem, index) => (
                <li key={index}>{t(`translations.problem.${problem.kind}`, problem.kind === "placeholder" ? problem : {})}</li>
              ))}
            </ul>
          ) : null}
        </div>
        {text.placeholders.length ? (
          <p id={`${id}-keep`} className="hint">
            {t("surveyTexts.keepPlaceholders")}{" "}
            <code dir="ltr">
              <bdi>{text.placeholders.join(" ")}</bdi>
            </code>
          </p>
        ) : null}
        {text.outdated ? (
          <div className="checkbox">
            <input type="checkbox" id={`${id}-confirm`} name={`confirm:${text.key}`} />
            <label htmlFor={`${id}-confirm`}>{t("surveyTexts.stillCorrect")}</label>
          </div>
        ) : null}
        {invalid ? (
          <ul id={`${id}-error`} className="field-error">
            {problems.map((problem, index) => (
              <li key={index}>
                <LocaleProblemText problem={{ ...problem, key: undefined }} />
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
