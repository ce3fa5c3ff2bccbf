import { useTranslation } from "react-i18next";
import type { QuestionRender } from "~/features/surveys/index.server";

type Values = Record<string, string[]>;
type Errors = Record<string, { key: string; params?: Record<string, string | number> }[]>;

const field = (question: string, part?: string) => (part ? `q.${question}.${part}` : `q.${question}`);

/**
 * One question as a fieldset with its legend (WCAG 1.3.1), native inputs
 * only, the error text linked with aria-describedby, and every target at
 * least 44 px (styles). A matrix is one fieldset per row, which reads well
 * on a phone and to a screen reader, instead of a wide table.
 */
export function QuestionField({ question, values, errors }: { question: QuestionRender; values: Values; errors: Errors }) {
  const { t, i18n } = useTranslation("respondent");
  const questionErrors = errors[question.key] ?? [];
  const errorId = `${question.key}-error`;
  const hintId = `${question.key}-hint`;
  const hints = questionHints(question, t, i18n);
  const describedBy = [question.help || hints.length ? hintId : null, questionErrors.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  const selected = new Set(values[field(question.key)] ?? []);
  const invalid = questionErrors.length ? true : undefined;

  const legend = (
    <legend>
      <span className="question-label">{question.label}</span>
      {question.required ? <span className="required"> {t("question.required")}</span> : null}
    </legend>
  );
  const help =
    question.help || hints.length ? (
      <p className="question-help" id={hintId}>
        {[question.help, ...hints].filter(Boolean).join(" ")}
      </p>
    ) : null;
  const errorText = questionErrors.length ? (
    <p className="field-error" id={errorId}>
      {questionErrors.map((error) => t(error.key, error.params)).join(" ")}
    </p>
  ) : null;

  // Text and number questions have one input, so a <label> names both the input and its group.
  const singleLabel = (
    <label id={`${question.key}-label`} htmlFor={`${question.key}-input`} className="question-label-block">
      <span className="question-label">{question.label}</span>
      {question.required ? <span className="required"> {t("question.required")}</span> : null}
    </label>
  );

  const wrapperProps = {
    id: question.key,
    className: `question question-${question.type}${questionErrors.length ? " has-error" : ""}`,
    hidden: !question.visible,
    "data-show-if": question.showIf ? JSON.stringify(question.showIf) : undefined,
    tabIndex: -1,
  };

  switch (question.type) {
    case "likert":
    case "single":
    case "multiple": {
      const multiple = question.type === "multiple";
      const limit = multiple ? question.maxSelections : null;
      return (
        <fieldset {...wrapperProps} aria-describedby={describedBy}>
          {legend}
          {help}
          {errorText}
          {limit ? <ChoicesLeft questionKey={question.key} limit={limit} /> : null}
          <div className={`choices${question.type === "likert" ? " likert" : ""}`}>
            {question.options.map((option) => {
              const id = `${question.key}-${option.key}`;
              return (
                <div className="choice" key={option.key}>
                  <input
                    type={multiple ? "checkbox" : "radio"}
                    id={id}
                    name={field(question.key)}
                    value={option.key}
                    defaultChecked={selected.has(option.key)}
                    aria-invalid={invalid}
                  />
                  <label htmlFor={id}>{option.label}</label>
                </div>
              );
            })}
          </div>
          {question.otherLabel ? (
            <div className="field other-field">
              <label htmlFor={`${question.key}-other-text`}>{question.otherLabel}</label>
              <input
                type="text"
                id={`${question.key}-other-text`}
                name={field(question.key, "other")}
                defaultValue={values[field(question.key, "other")]?.[0] ?? ""}
                maxLength={500}
                dir="auto"
              />
            </div>
          ) : null}
        </fieldset>
      );
    }
    case "matrix":
      return (
        <fieldset {...wrapperProps} aria-describedby={describedBy}>
          {legend}
          {help}
          {errorText}
          {question.rows.map((row) => {
            const rowValue = values[field(question.key, row.key)]?.[0];
            return (
              <fieldset className="matrix-row" key={row.key}>
                <legend>
                  <bdi>{row.label}</bdi>
                </legend>
                <div className="choices likert">
                  {question.options.map((option) => {
                    const id = `${question.key}-${row.key}-${option.key}`;
                    return (
                      <div className="choice" key={option.key}>
                        <input type="radio" id={id} name={field(question.key, row.key)} value={option.key} defaultChecked={rowValue === option.key} />
                        <label htmlFor={id}>{option.label}</label>
                      </div>
                    );
                  })}
                </div>
              </fieldset>
            );
          })}
        </fieldset>
      );
    case "text":
      return (
        <div {...wrapperProps} role="group" aria-labelledby={`${question.key}-label`}>
          {singleLabel}
          {help}
          {errorText}
          <textarea
            id={`${question.key}-input`}
            name={field(question.key)}
            rows={5}
            maxLength={question.maxLength ?? undefined}
            defaultValue={values[field(question.key)]?.join("\n") ?? ""}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            dir="auto"
          />
        </div>
      );
    case "number":
      return (
        <div {...wrapperProps} role="group" aria-labelledby={`${question.key}-label`}>
          {singleLabel}
          {help}
          {errorText}
          <input
            type="text"
            inputMode={question.integer ? "numeric" : "decimal"}
            id={`${question.key}-input`}
            name={field(question.key)}
            defaultValue={values[field(question.key)]?.[0] ?? ""}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            size={10}
          />
        </div>
      );
  }
}

/**
 * With the page's script (features/respondent/enhance.js), a "choose up to N"
 * question says how many are left as the member ticks, instead of only
 * refusing after the page is sent. Empty in the HTML: without scripts the hint
 * and the server's check remain. The texts for every count come with it, in
 * the member's language and plural forms. A polite live region, so a screen
 * reader hears the count change.
 */
function ChoicesLeft({ questionKey, limit }: { questionKey: string; limit: number }) {
  const { t, i18n } = useTranslation("respondent");
  // Every count's message, for the page's script: made once per language and limit.
  const texts = madeOnce(i18n, `choicesLeft:${limit}`, () =>
    JSON.stringify({
      limit,
      left: Array.from({ length: limit }, (_, index) => t("question.choicesLeft", { count: index + 1 })),
      full: t("question.choicesFull"),
      over: t("errors.tooManyChoices", { count: limit }),
    }),
  );
  return <p className="choices-left" id={`${questionKey}-left`} aria-live="polite" data-testid="choices-left" data-question={questionKey} data-texts={texts} />;
}

/** A question's hints (how many to choose, the limits of a number or a text); they follow from its settings alone. */
function questionHints(question: QuestionRender, t: (key: string, options?: Record<string, unknown>) => string, i18n: { language: string }): string[] {
  const settings =
    question.type === "multiple"
      ? `${question.maxSelections}`
      : question.type === "text"
        ? `${question.maxLength}`
        : question.type === "number"
          ? `${question.min}:${question.max}`
          : null;
  if (settings === null) return [];
  return madeOnce(i18n, `hints:${question.type}:${settings}`, () => {
    const hints: string[] = [];
    if (question.type === "multiple")
      hints.push(question.maxSelections ? t("question.chooseUpTo", { count: question.maxSelections }) : t("question.chooseAny"));
    if (question.type === "text" && question.maxLength) hints.push(t("question.charLimit", { count: question.maxLength }));
    if (question.type === "number") {
      if (question.min !== null && question.max !== null) hints.push(t("question.numberBetween", { min: question.min, max: question.max }));
      else if (question.min !== null) hints.push(t("question.numberMin", { min: question.min }));
      else if (question.max !== null) hints.push(t("question.numberMax", { max: question.max }));
    }
    return hints;
  });
}

/**
 * Texts that follow from the language and a few settings, kept per i18n
 * instance and language: the server has an instance per language and
 * version of the texts (a translator's change makes a new one), so nothing
 * stale is reused.
 * Pages draw the same hints for every member; making them is a dozen
 * translations with plural rules each time.
 */
const madeTexts = new WeakMap<object, Map<string, unknown>>();

function madeOnce<T>(i18n: { language: string }, what: string, make: () => T): T {
  let texts = madeTexts.get(i18n);
  if (!texts) madeTexts.set(i18n, (texts = new Map()));
  // The language too: in a browser one instance changes language.
  const key = `${i18n.language}:${what}`;
  if (!texts.has(key)) texts.set(key, make());
  return texts.get(key) as T;
}
