import { useEffect, useState, type DragEvent, type ReactNode } from "react";
import { Form, useSearchParams, useSubmit } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { QUESTION_TYPES, SURVEY_MODES } from "~/domain/survey-definition";
import type { editorPage, EditOutcome } from "~/features/editor/edit.server";
import { impactText } from "./impact";

type Page = Awaited<ReturnType<typeof editorPage>>;
type Section = Page["sections"][number];
type Question = Section["questions"][number];
type Failure = Extract<EditOutcome, { status: 400 }>;

/**
 * The survey editor: every change is a plain form (POST, redirect) carrying
 * the version it was read from, so it works without JavaScript and two people
 * editing at once get a conflict instead of overwriting each other. Up/Down
 * buttons reorder; a question's settings open in a disclosure widget.
 */
export function EditorPage({
  page,
  failure,
  conflict,
}: {
  page: Page;
  failure: Failure | null;
  conflict: Extract<EditOutcome, { status: 409 }>["conflict"] | null;
}) {
  const { t, i18n } = useTranslation("staff");
  const date = (iso: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone: page.zone }).format(new Date(iso));
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const errorsFor = (intent: string, target = "") => (failure && failure.intent === intent && failure.target === target ? failure.errors : {});
  const sectionOrder = useReorder(page.base, "moveSection", "section");
  return (
    <section aria-labelledby="editor-title" className="survey-editor">
      <h2 id="editor-title">{t("editor.edit.title")}</h2>
      <p>
        {t(page.isDraft ? "editor.edit.basedOnDraft" : "editor.edit.basedOnPublished", { number: page.base, date: date(page.savedAt) })}
        {page.savedBy ? <bdi> · {page.savedBy}</bdi> : null}
      </p>
      <p className="hint">{t("editor.edit.intro")}</p>
      {saved && !failure && !conflict ? (
        <p className="notice" role="status">
          {t("editor.edit.saved", { number: saved })}
        </p>
      ) : null}
      {conflict ? (
        <div className="error-summary" role="alert">
          <p>
            {t("editor.edit.conflict", {
              base: conflict.base,
              latest: conflict.latest,
              by: conflict.by ?? t("editor.edit.someone"),
              date: conflict.at ? date(conflict.at) : "",
            })}
          </p>
          {conflict.changes.length ? (
            <>
              <p>{t("editor.edit.theirChanges")}</p>
              <ul>
                {conflict.changes.map((change, index) => (
                  <li key={index}>
                    <bdi>{impactText(t, change)}</bdi>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {failure ? <Summary errors={failure.errors} /> : null}
      {page.isDraft ? (
        <Form method="post" action={`/staff/surveys/${page.slug}/versions`} className="button-row">
          <input type="hidden" name="version" value={page.base} />
          <input type="hidden" name="review" value="1" />
          <button type="submit" name="intent" value="publish" className="button">
            {t("editor.edit.publish", { number: page.base })}
          </button>
        </Form>
      ) : null}

      <SettingsForm page={page} errors={errorsFor("settings")} />

      <h3>{t("editor.edit.sections")}</h3>
      <p>{t("editor.edit.estimated", { count: page.settings.estimatedMinutes ?? 1 })}</p>
      {page.sections.map((section, index) => (
        <SectionBlock
          key={section.key}
          page={page}
          section={section}
          first={index === 0}
          last={index === page.sections.length - 1}
          errorsFor={errorsFor}
          drag={{ handle: sectionOrder.handle(section.key), target: sectionOrder.target(section.key, index) }}
        />
      ))}

      <details className="panel" open={failure?.intent === "addSection"}>
        <summary>{t("editor.edit.addSection")}</summary>
        <EditForm base={page.base} intent="addSection">
          <TextField name="sectionTitle" label={t("editor.edit.sectionTitle")} errors={errorsFor("addSection").sectionTitle} />
          <p className="hint">{t("editor.edit.firstQuestion")}</p>
          <NewQuestionFields prefix="question." idPrefix="new-section-" errors={errorsFor("addSection")} />
          <button type="submit" className="button">
            {t("editor.edit.addSection")}
          </button>
        </EditForm>
      </details>
    </section>
  );
}

function Summary({ errors }: { errors: Record<string, string[]> }) {
  const { t } = useTranslation("staff");
  const messages = Object.values(errors).flat();
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <p>{t("editor.refused")}</p>
      <ul>
        {messages.map((message, index) => (
          <li key={index}>
            <ErrorText message={message} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** An error key, or a definition-schema message (its own English words: paths and keys are what the editor names too). */
function ErrorText({ message }: { message: string }) {
  const { t } = useTranslation("staff");
  if (message.startsWith("schema:")) return <bdi>{t("editor.edit.errors.schema", { detail: message.slice("schema:".length) })}</bdi>;
  return <>{t(message)}</>;
}

function FieldErrors({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <p className="field-error" id={id}>
      {messages.map((message, index) => (
        <ErrorText key={index} message={message} />
      ))}
    </p>
  );
}

function EditForm({
  base,
  intent,
  fields = {},
  children,
  className,
}: {
  base: number;
  intent: string;
  fields?: Record<string, string>;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Form method="post" className={className}>
      <input type="hidden" name="base" value={base} />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </Form>
  );
}

function TextField({
  name,
  label,
  errors,
  defaultValue,
  id = name,
  type = "text",
  multiline = false,
  hint,
}: {
  name: string;
  label: string;
  errors?: string[];
  defaultValue?: string | number;
  id?: string;
  type?: string;
  multiline?: boolean;
  hint?: string;
}) {
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? `${id}-hint` : "", invalid ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const props = { id, name, defaultValue, "aria-invalid": invalid || undefined, "aria-describedby": describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {multiline ? <textarea rows={4} {...props} /> : <input type={type} step={type === "number" ? "any" : undefined} {...props} />}
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

function Check({ name, label, defaultChecked, id = name, errors }: { name: string; label: string; defaultChecked: boolean; id?: string; errors?: string[] }) {
  return (
    <div className="field">
      <label className="choice">
        <input type="checkbox" id={id} name={name} defaultChecked={defaultChecked} aria-describedby={errors?.length ? `${id}-error` : undefined} /> {label}
      </label>
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

function SettingsForm({ page, errors }: { page: Page; errors: Record<string, string[]> }) {
  const { t } = useTranslation("staff");
  const s = page.settings;
  return (
    <details className="panel" open={Object.keys(errors).length > 0}>
      <summary>{t("editor.edit.settings")}</summary>
      <EditForm base={page.base} intent="settings">
        <TextField name="title" label={t("editor.edit.surveyTitle")} defaultValue={s.title} errors={errors.title} />
        <TextField name="description" label={t("editor.edit.description")} defaultValue={s.description} errors={errors.description} multiline />
        <div className="field">
          <label htmlFor="mode">{t("editor.edit.mode")}</label>
          <select id="mode" name="mode" defaultValue={s.mode}>
            {SURVEY_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {t(`surveys.modes.${mode}`)}
              </option>
            ))}
          </select>
          <FieldErrors id="mode-error" messages={errors.mode} />
        </div>
        <TextField
          name="anonymityThreshold"
          type="number"
          label={t("editor.edit.threshold")}
          hint={t("editor.edit.thresholdHint")}
          defaultValue={s.anonymityThreshold}
          errors={errors.anonymityThreshold}
        />
        <Check name="allowEditAfterSubmit" label={t("editor.edit.allowEdit")} defaultChecked={s.allowEditAfterSubmit} errors={errors.allowEditAfterSubmit} />
        <TextField
          name="opensAt"
          type="datetime-local"
          label={t("editor.edit.opensAt", { zone: page.zone })}
          defaultValue={s.opensAt}
          errors={errors.opensAt}
        />
        <TextField
          name="closesAt"
          type="datetime-local"
          label={t("editor.edit.closesAt", { zone: page.zone })}
          defaultValue={s.closesAt}
          errors={errors.closesAt}
        />
        <button type="submit" className="button">
          {t("editor.edit.saveSettings")}
        </button>
      </EditForm>
    </details>
  );
}

/**
 * Drag and drop to reorder the sections, or the questions of one section: an enhancement for a mouse or a finger. The
 * Up/Down buttons do the same without script and from the keyboard, so the handle is hidden from assistive
 * technology, and it appears only once the page runs script. A drop posts the same move as the buttons, with the
 * place it was dropped on ("to:<n>"), so the server's checks (conditions that would point forward, a conflicting
 * save) apply alike. Each list has its own hook: a question dragged into another section is not dropped there.
 */
function useReorder(base: number, intent: "moveSection" | "moveQuestion", field: "section" | "question") {
  const submit = useSubmit();
  const { t } = useTranslation("staff");
  const [enhanced, setEnhanced] = useState(false);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<number | null>(null);
  useEffect(() => setEnhanced(true), []);
  const handle = (key: string) =>
    enhanced ? (
      <span
        className="drag-handle"
        aria-hidden="true"
        draggable
        title={t("editor.edit.dragHint")}
        data-drag={key}
        onDragStart={(event: DragEvent) => {
          event.dataTransfer.setData("text/plain", key);
          event.dataTransfer.effectAllowed = "move";
          setDragging(key);
        }}
        onDragEnd={() => {
          setDragging(null);
          setOver(null);
        }}
      >
        ⠿
      </span>
    ) : null;
  const target = (key: string, index: number) =>
    dragging
      ? {
          onDragOver: (event: DragEvent) => {
            event.preventDefault();
            event.dataTransfer.dropEffect = "move";
            setOver(index);
          },
          onDrop: (event: DragEvent) => {
            event.preventDefault();
            const moved = dragging;
            setDragging(null);
            setOver(null);
            if (moved !== key) submit({ base: String(base), intent, [field]: moved, direction: `to:${index}` }, { method: "post" });
          },
          "data-drop-target": over === index ? "" : undefined,
        }
      : {};
  return { handle, target };
}

/** Only the moves that can happen: a disabled button would be announced and then do nothing. */
function MoveButtons({ label, first, last }: { label: string; first: boolean; last: boolean }) {
  const { t } = useTranslation("staff");
  return (
    <>
      {first ? null : (
        <button type="submit" name="direction" value="up" className="button secondary">
          {t("editor.edit.up", { name: label })}
        </button>
      )}
      {last ? null : (
        <button type="submit" name="direction" value="down" className="button secondary">
          {t("editor.edit.down", { name: label })}
        </button>
      )}
    </>
  );
}

function SectionBlock({
  page,
  section,
  first,
  last,
  errorsFor,
  drag,
}: {
  page: Page;
  section: Section;
  first: boolean;
  last: boolean;
  errorsFor: (intent: string, target?: string) => Record<string, string[]>;
  drag: { handle: ReactNode; target: object };
}) {
  const { t } = useTranslation("staff");
  const renameErrors = errorsFor("renameSection", section.key);
  const addErrors = errorsFor("addQuestion", section.key);
  const questionOrder = useReorder(page.base, "moveQuestion", "question");
  return (
    <section className="panel editor-section" aria-labelledby={`section-${section.key}`} {...drag.target}>
      <h4 id={`section-${section.key}`}>
        {drag.handle}
        <bdi>{section.title}</bdi>
      </h4>
      <div className="button-row">
        <EditForm base={page.base} intent="renameSection" fields={{ section: section.key }} className="inline-form">
          <TextField name="title" id={`rename-${section.key}`} label={t("editor.edit.rename")} defaultValue={section.title} errors={renameErrors.title} />
          <button type="submit" className="button secondary">
            {t("editor.edit.renameSubmit")}
          </button>
        </EditForm>
        {first && last ? null : (
          <EditForm base={page.base} intent="moveSection" fields={{ section: section.key }} className="inline-form">
            <MoveButtons label={section.title} first={first} last={last} />
          </EditForm>
        )}
        {section.removable && page.sections.length > 1 ? (
          <EditForm base={page.base} intent="removeSection" fields={{ section: section.key }} className="inline-form">
            <button type="submit" className="button danger">
              {t("editor.edit.removeSection", { name: section.title })}
            </button>
          </EditForm>
        ) : null}
      </div>
      <ol className="editor-questions">
        {section.questions.map((question, index) => (
          <QuestionBlock
            key={question.key}
            page={page}
            question={question}
            first={index === 0}
            last={index === section.questions.length - 1}
            errors={errorsFor("editQuestion", question.key)}
            only={section.questions.length === 1}
            drag={{ handle: questionOrder.handle(question.key), target: questionOrder.target(question.key, index) }}
          />
        ))}
      </ol>
      <details open={Object.keys(addErrors).length > 0}>
        <summary>{t("editor.edit.addQuestionIn", { name: section.title })}</summary>
        <EditForm base={page.base} intent="addQuestion" fields={{ section: section.key }}>
          <NewQuestionFields prefix="" idPrefix={`new-${section.key}-`} errors={addErrors} />
          <button type="submit" className="button">
            {t("editor.edit.addQuestion")}
          </button>
        </EditForm>
      </details>
    </section>
  );
}

function NewQuestionFields({ prefix, idPrefix, errors }: { prefix: string; idPrefix: string; errors: Record<string, string[]> }) {
  const { t } = useTranslation("staff");
  return (
    <>
      <TextField name={`${prefix}title`} id={`${idPrefix}title`} label={t("editor.edit.questionTitle")} errors={errors[`${prefix}title`]} />
      <div className="field">
        <label htmlFor={`${idPrefix}type`}>{t("editor.edit.type")}</label>
        <select id={`${idPrefix}type`} name={`${prefix}type`} defaultValue="likert">
          {QUESTION_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`editor.edit.types.${type}`)}
            </option>
          ))}
        </select>
      </div>
      <TextField
        name={`${prefix}choices`}
        id={`${idPrefix}choices`}
        label={t("editor.edit.choices")}
        hint={t("editor.edit.choicesHint")}
        errors={errors[`${prefix}choices`]}
        multiline
      />
    </>
  );
}

type Target = Page["conditionTargets"][number];

function useConditionSentence(question: Question, targets: Target[]): string | null {
  const { t, i18n } = useTranslation("staff");
  if (!question.showIf) return null;
  const target = targets.find((candidate) => candidate.key === question.showIf!.question);
  const choiceLabel = (key: string) => {
    const choice = target?.choices.find((candidate) => candidate.key === key);
    if (choice?.label) return choice.label;
    return key === "other" ? t("editor.edit.other") : t(`common:likert.${key}`, { defaultValue: key });
  };
  const answers = new Intl.ListFormat(i18n.language, { type: "disjunction" }).format(question.showIf.anyOf.map((key) => `“${choiceLabel(key)}”`));
  return t("editor.edit.conditionSentence", { question: target?.label ?? question.showIf.question, answers });
}

function QuestionBlock({
  page,
  question,
  first,
  last,
  errors,
  only,
  drag,
}: {
  page: Page;
  question: Question;
  first: boolean;
  last: boolean;
  errors: Record<string, string[]>;
  only: boolean;
  drag: { handle: ReactNode; target: object };
}) {
  const { t } = useTranslation("staff");
  const targets = page.conditionTargets.filter((target) => target.order < question.order);
  const sentence = useConditionSentence(question, targets);
  const id = (name: string) => `q-${question.key}-${name}`;
  const selected = new Set((question.showIf?.anyOf ?? []).map((option) => `${question.showIf!.question}:${option}`));
  return (
    <li className={question.retired ? "retired" : undefined} {...drag.target}>
      {drag.handle}
      <details open={Object.keys(errors).length > 0}>
        <summary>
          <bdi>{question.label}</bdi> ({t(`editor.edit.types.${question.type}`)}){question.required ? ` · ${t("editor.edit.required")}` : ""}
          {question.retired ? ` · ${t("editor.edit.retired")}` : ""}
          {sentence ? (
            <>
              {" "}
              · <bdi>{sentence}</bdi>
            </>
          ) : null}
        </summary>
        <EditForm base={page.base} intent="editQuestion" fields={{ question: question.key }}>
          <p className="hint question-key">{t("editor.edit.key", { key: question.key })}</p>
          <TextField name="title" id={id("title")} label={t("editor.edit.questionTitle")} defaultValue={question.label} errors={errors.title} />
          <Check name="required" id={id("required")} label={t("editor.edit.required")} defaultChecked={question.required ?? false} />
          {question.type === "single" || question.type === "multiple" ? <ChoiceFields kind="options" question={question} errors={errors} id={id} /> : null}
          {question.type === "matrix" ? <ChoiceFields kind="rows" question={question} errors={errors} id={id} /> : null}
          {question.type === "single" || question.type === "multiple" ? (
            <Check name="allowOther" id={id("other")} label={t("editor.edit.allowOther")} defaultChecked={question.allowOther ?? false} />
          ) : null}
          {question.type === "multiple" ? (
            <TextField
              name="maxSelections"
              id={id("maxSelections")}
              type="number"
              label={t("editor.edit.maxSelections")}
              defaultValue={question.maxSelections}
              errors={errors.maxSelections}
            />
          ) : null}
          {question.type === "text" ? (
            <TextField
              name="maxLength"
              id={id("maxLength")}
              type="number"
              label={t("editor.edit.maxLength")}
              defaultValue={question.maxLength}
              errors={errors.maxLength}
            />
          ) : null}
          {question.type === "number" ? (
            <>
              <TextField name="min" id={id("min")} type="number" label={t("editor.edit.min")} defaultValue={question.min} errors={errors.min} />
              <TextField name="max" id={id("max")} type="number" label={t("editor.edit.max")} defaultValue={question.max} errors={errors.max} />
              <Check name="integer" id={id("integer")} label={t("editor.edit.integer")} defaultChecked={question.integer ?? false} />
            </>
          ) : null}
          {targets.length ? (
            <div className="field">
              <label htmlFor={id("condition")}>{t("editor.edit.condition")}</label>
              <p className="hint" id={id("condition-hint")}>
                {t("editor.edit.conditionHint")}
              </p>
              <select id={id("condition")} name="condition" multiple size={6} defaultValue={[...selected]} aria-describedby={id("condition-hint")}>
                {targets.map((target) => (
                  <optgroup key={target.key} label={target.label}>
                    {target.choices.map((choice) => (
                      <option key={choice.key} value={`${target.key}:${choice.key}`}>
                        {choice.label || (choice.key === "other" ? t("editor.edit.other") : t(`common:likert.${choice.key}`, { defaultValue: choice.key }))}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
              <FieldErrors id={id("condition-error")} messages={errors.condition} />
            </div>
          ) : null}
          <button type="submit" className="button">
            {t("editor.edit.saveQuestion")}
          </button>
        </EditForm>
        <div className="button-row">
          {first && last ? null : (
            <EditForm base={page.base} intent="moveQuestion" fields={{ question: question.key }} className="inline-form">
              <MoveButtons label={question.label} first={first} last={last} />
            </EditForm>
          )}
          <EditForm
            base={page.base}
            intent={question.retired ? "restoreQuestion" : "retireQuestion"}
            fields={{ question: question.key }}
            className="inline-form"
          >
            <button type="submit" className="button secondary">
              {t(question.retired ? "editor.edit.restore" : "editor.edit.retire", { name: question.label })}
            </button>
          </EditForm>
          {!question.answered && !only ? (
            <EditForm base={page.base} intent="removeQuestion" fields={{ question: question.key }} className="inline-form">
              <button type="submit" className="button danger">
                {t("editor.edit.removeQuestion", { name: question.label })}
              </button>
            </EditForm>
          ) : null}
        </div>
      </details>
    </li>
  );
}

function ChoiceFields({
  kind,
  question,
  errors,
  id,
}: {
  kind: "options" | "rows";
  question: Question;
  errors: Record<string, string[]>;
  id: (name: string) => string;
}) {
  const { t } = useTranslation("staff");
  const singular = kind === "rows" ? "row" : "option";
  return (
    <fieldset>
      <legend>{t(`editor.edit.${kind}`)}</legend>
      {question[kind].map((choice) => (
        <div key={choice.key} className="choice-row">
          <TextField
            name={`${singular}.${choice.key}`}
            id={id(`${singular}-${choice.key}`)}
            label={t("editor.edit.choiceLabel", { key: choice.key })}
            defaultValue={choice.label}
            errors={errors[`${singular}.${choice.key}`]}
          />
          <Check
            name={`remove.${singular}.${choice.key}`}
            id={id(`remove-${singular}-${choice.key}`)}
            label={t("editor.edit.removeChoice", { name: choice.label || choice.key })}
            defaultChecked={false}
          />
        </div>
      ))}
      <TextField
        name={`new.${kind}`}
        id={id(`new-${kind}`)}
        label={t(`editor.edit.new.${kind}`)}
        hint={t("editor.edit.choicesHint")}
        errors={errors[`new.${kind}`]}
        multiline
      />
    </fieldset>
  );
}
