/**
 * The survey editor's changes, pure: each takes a draft (the definition as the
 * file holds it, and its texts in every language) and a posted form, and gives
 * the next draft or the errors to show beside each field (i18n keys in the
 * staff namespace). The result always goes through the definition schema
 * before it is saved. Keys are generated once from the English title and never
 * change afterwards; other languages' texts are left as they are when English
 * changes (the translations side marks them outdated).
 */
import { parseSurveyDefinition, QUESTION_TYPES, SURVEY_MODES, type QuestionType } from "~/domain/survey-definition";
import type { TextTrees } from "~/features/surveys/index";

export interface RawQuestion {
  key: string;
  type: QuestionType;
  required?: boolean;
  showIf?: { question: string; anyOf: string[] };
  retired?: true;
  options?: string[];
  allowOther?: boolean;
  maxSelections?: number;
  rows?: string[];
  maxLength?: number;
  min?: number;
  max?: number;
  integer?: boolean;
}

export interface RawSection {
  key: string;
  questions: RawQuestion[];
}

export interface RawDefinition {
  slug: string;
  mode: string;
  opensAt: string;
  closesAt: string;
  allowEditAfterSubmit?: boolean;
  defaultLanguage: string;
  anonymityThreshold?: number;
  estimatedMinutes?: number;
  sections: RawSection[];
  [setting: string]: unknown;
}

export interface Draft {
  definition: RawDefinition;
  texts: TextTrees;
}

export type FieldErrors = Record<string, string[]>;
export type EditResult = { ok: true; draft: Draft } | { ok: false; errors: FieldErrors };

/** What the change needs to know beyond the form: which questions members answered, and the staff member's zone for dates. */
export interface EditContext {
  answered: ReadonlySet<string>;
  /** Wall-clock "YYYY-MM-DDTHH:mm" in the staff member's zone → UTC; null when not such a value. */
  toUtc(local: string): Date | null;
}

export const EDIT_INTENTS = [
  "settings",
  "addSection",
  "renameSection",
  "moveSection",
  "removeSection",
  "addQuestion",
  "editQuestion",
  "moveQuestion",
  "retireQuestion",
  "restoreQuestion",
  "removeQuestion",
] as const;
export type EditIntent = (typeof EDIT_INTENTS)[number];

export const TITLE_MAX = 500;
const CHOICES_MAX = 50;
const CLOSED_TYPES: readonly QuestionType[] = ["likert", "single", "multiple"];

/** A key from an English title: lowercase a-z, digits and _, starting with a letter, unique among `taken`. */
export function keyFromTitle(title: string, taken: ReadonlySet<string>, fallback: string): string {
  const base =
    title
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^[^a-z]+/, "")
      .slice(0, 40)
      .replace(/_+$/, "") || fallback;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** Rough reading and answering time per question (seconds), from the questions members see. */
export function estimateMinutes(definition: RawDefinition): number {
  const seconds = definition.sections
    .flatMap((section) => section.questions)
    .filter((question) => !question.retired)
    .reduce((total, question) => {
      switch (question.type) {
        case "likert":
          return total + 10;
        case "single":
          return total + 15;
        case "multiple":
          return total + 20;
        case "matrix":
          return total + 5 + 8 * (question.rows?.length ?? 0);
        case "text":
          return total + 60;
        default:
          return total + 10;
      }
    }, 0);
  return Math.min(240, Math.max(1, Math.ceil(seconds / 60)));
}

type Tree = Record<string, unknown>;

function node(tree: Tree, path: string[]): Tree {
  let current = tree;
  for (const part of path) {
    const next = current[part];
    if (!next || typeof next !== "object" || Array.isArray(next)) current[part] = {};
    current = current[part] as Tree;
  }
  return current;
}

/** The English text at a dot path, or "". */
export function englishText(texts: TextTrees, path: string): string {
  const value = path.split(".").reduce<unknown>((at, part) => (at && typeof at === "object" ? (at as Tree)[part] : undefined), texts.en);
  return typeof value === "string" ? value : "";
}

function setEnglish(draft: Draft, path: string, value: string): void {
  const parts = path.split(".");
  node((draft.texts.en ??= {}) as Tree, parts.slice(0, -1))[parts.at(-1)!] = value;
}

/** Removes a text in every language (its question, option or section is gone, so no language may keep it). */
function dropText(draft: Draft, path: string): void {
  const parts = path.split(".");
  for (const tree of Object.values(draft.texts)) {
    let at: unknown = tree;
    for (const part of parts.slice(0, -1)) at = at && typeof at === "object" ? (at as Tree)[part] : undefined;
    if (at && typeof at === "object") delete (at as Tree)[parts.at(-1)!];
  }
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * Moves one item of a list: "up" and "down" by one place (the buttons, without script), or "to:<n>" to place n
 * counted from 0 (drag and drop); anything else, or a move out of the list, is refused.
 */
function move<T>(list: T[], index: number, direction: string): boolean {
  const placed = /^to:(\d{1,4})$/.exec(direction);
  const to = placed ? Number(placed[1]) : direction === "up" ? index - 1 : direction === "down" ? index + 1 : -1;
  if (index < 0 || to < 0 || to >= list.length || to === index) return false;
  const [item] = list.splice(index, 1);
  list.splice(to, 0, item!);
  return true;
}

function allQuestions(definition: RawDefinition): RawQuestion[] {
  return definition.sections.flatMap((section) => section.questions);
}

function findQuestion(definition: RawDefinition, key: string): { section: RawSection; index: number; question: RawQuestion } | null {
  for (const section of definition.sections) {
    const index = section.questions.findIndex((question) => question.key === key);
    if (index >= 0) return { section, index, question: section.questions[index]! };
  }
  return null;
}

/** Optional whole numbers and decimals from a form; "" is absent, anything else unparseable is an error. */
function optionalNumber(form: FormData, name: string, errors: FieldErrors, integer: boolean): number | undefined | null {
  const raw = text(form, name);
  if (raw === "") return undefined;
  const value = Number(raw.replace(",", "."));
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    errors[name] = [integer ? "editor.edit.errors.wholeNumber" : "editor.edit.errors.number"];
    return null;
  }
  return value;
}

/** New choices (options or rows) from a textarea, one per line, each keyed from its label. */
function addChoices(draft: Draft, question: RawQuestion, kind: "options" | "rows", labels: string[]): void {
  const list = (question[kind] ??= []);
  const taken = new Set([...list, "other"]);
  for (const label of labels) {
    const key = keyFromTitle(label, taken, kind === "rows" ? "row" : "option");
    taken.add(key);
    list.push(key);
    setEnglish(draft, `questions.${question.key}.${kind}.${key}`, label.slice(0, TITLE_MAX));
  }
}

function newQuestion(draft: Draft, form: FormData, errors: FieldErrors, prefix = ""): RawQuestion | null {
  const title = text(form, `${prefix}title`);
  const type = text(form, `${prefix}type`) as QuestionType;
  const choices = lines(text(form, `${prefix}choices`));
  if (!title) errors[`${prefix}title`] = ["editor.edit.errors.titleRequired"];
  else if (title.length > TITLE_MAX) errors[`${prefix}title`] = ["editor.edit.errors.titleTooLong"];
  if (!QUESTION_TYPES.includes(type)) errors[`${prefix}type`] = ["editor.edit.errors.type"];
  if ((type === "single" || type === "multiple") && choices.length < 2) errors[`${prefix}choices`] = ["editor.edit.errors.twoOptions"];
  if (type === "matrix" && choices.length < 1) errors[`${prefix}choices`] = ["editor.edit.errors.oneRow"];
  if (choices.length > CHOICES_MAX) errors[`${prefix}choices`] = ["editor.edit.errors.tooManyChoices"];
  if (Object.keys(errors).length) return null;
  const key = keyFromTitle(title, new Set(allQuestions(draft.definition).map((question) => question.key)), "question");
  const question: RawQuestion = { key, type };
  setEnglish(draft, `questions.${key}.label`, title);
  if (type === "single" || type === "multiple") addChoices(draft, question, "options", choices);
  if (type === "matrix") addChoices(draft, question, "rows", choices);
  return question;
}

function editSettings(draft: Draft, form: FormData, context: EditContext, errors: FieldErrors): void {
  const definition = draft.definition;
  const mode = text(form, "mode");
  if (!(SURVEY_MODES as readonly string[]).includes(mode)) errors.mode = ["editor.edit.errors.mode"];
  else definition.mode = mode;
  const threshold = optionalNumber(form, "anonymityThreshold", errors, true);
  if (threshold === undefined || (threshold !== null && (threshold < 2 || threshold > 100))) errors.anonymityThreshold = ["editor.edit.errors.threshold"];
  else if (threshold !== null) definition.anonymityThreshold = threshold;
  definition.allowEditAfterSubmit = form.get("allowEditAfterSubmit") === "on";
  if (definition.mode === "anonymous" && definition.allowEditAfterSubmit) errors.allowEditAfterSubmit = ["editor.edit.errors.anonymousEdit"];
  for (const name of ["opensAt", "closesAt"] as const) {
    const date = context.toUtc(text(form, name));
    if (!date) errors[name] = ["editor.edit.errors.dateTime"];
    else definition[name] = date.toISOString().replace(/\.000Z$/, "Z");
  }
  if (!errors.opensAt && !errors.closesAt && Date.parse(definition.closesAt) <= Date.parse(definition.opensAt))
    errors.closesAt = ["editor.edit.errors.closesBeforeOpens"];
  const title = text(form, "title");
  if (!title) errors.title = ["editor.edit.errors.titleRequired"];
  else if (title.length > TITLE_MAX) errors.title = ["editor.edit.errors.titleTooLong"];
  else setEnglish(draft, "title", title);
  const description = text(form, "description");
  if (!description) errors.description = ["editor.edit.errors.descriptionRequired"];
  else if (description.length > 5000) errors.description = ["editor.edit.errors.titleTooLong"];
  else setEnglish(draft, "description", description);
}

function editQuestion(draft: Draft, form: FormData, question: RawQuestion, errors: FieldErrors): void {
  const label = text(form, "title");
  if (!label) errors.title = ["editor.edit.errors.titleRequired"];
  else if (label.length > TITLE_MAX) errors.title = ["editor.edit.errors.titleTooLong"];
  else setEnglish(draft, `questions.${question.key}.label`, label);
  if (form.get("required") === "on") question.required = true;
  else delete question.required;

  for (const kind of ["options", "rows"] as const) {
    const list = question[kind];
    if (!list) continue;
    const singular = kind === "rows" ? "row" : "option";
    for (const key of [...list]) {
      if (form.get(`remove.${singular}.${key}`) === "on") {
        list.splice(list.indexOf(key), 1);
        dropText(draft, `questions.${question.key}.${kind}.${key}`);
        continue;
      }
      const value = text(form, `${singular}.${key}`);
      if (value) setEnglish(draft, `questions.${question.key}.${kind}.${key}`, value.slice(0, TITLE_MAX));
      else if (form.has(`${singular}.${key}`)) errors[`${singular}.${key}`] = ["editor.edit.errors.titleRequired"];
    }
    const added = lines(text(form, `new.${kind}`));
    if (list.length + added.length > CHOICES_MAX) errors[`new.${kind}`] = ["editor.edit.errors.tooManyChoices"];
    else addChoices(draft, question, kind, added);
    if (kind === "options" && list.length < 2) errors[`new.${kind}`] = ["editor.edit.errors.twoOptions"];
    if (kind === "rows" && list.length < 1) errors[`new.${kind}`] = ["editor.edit.errors.oneRow"];
  }
  if (question.type === "single" || question.type === "multiple") {
    if (form.get("allowOther") === "on") question.allowOther = true;
    else delete question.allowOther;
  }
  if (question.type === "multiple") {
    const max = optionalNumber(form, "maxSelections", errors, true);
    if (max === undefined) delete question.maxSelections;
    else if (max !== null) {
      const available = (question.options?.length ?? 0) + (question.allowOther ? 1 : 0);
      if (max < 1 || max > available) errors.maxSelections = ["editor.edit.errors.maxSelections"];
      else question.maxSelections = max;
    }
  }
  if (question.type === "text") {
    const max = optionalNumber(form, "maxLength", errors, true);
    if (max === undefined) delete question.maxLength;
    else if (max !== null && (max < 1 || max > 10000)) errors.maxLength = ["editor.edit.errors.maxLength"];
    else if (max !== null) question.maxLength = max;
  }
  if (question.type === "number") {
    const integer = form.get("integer") === "on";
    const min = optionalNumber(form, "min", errors, integer);
    const max = optionalNumber(form, "max", errors, integer);
    if (integer) question.integer = true;
    else delete question.integer;
    if (min === undefined) delete question.min;
    else if (min !== null) question.min = min;
    if (max === undefined) delete question.max;
    else if (max !== null) question.max = max;
    if (typeof min === "number" && typeof max === "number" && min > max) errors.min = ["editor.edit.errors.minAboveMax"];
  }
  editCondition(draft.definition, form, question, errors);
}

/** The condition pick-list sends "<question>:<option>" pairs; all must name one earlier closed question. */
function editCondition(definition: RawDefinition, form: FormData, question: RawQuestion, errors: FieldErrors): void {
  const picked = form.getAll("condition").filter((value): value is string => typeof value === "string" && value !== "");
  if (picked.length === 0) {
    delete question.showIf;
    return;
  }
  const earlier = conditionTargets(definition, question.key);
  const pairs = picked.map((value) => value.split(":"));
  const target = pairs[0]![0]!;
  const choices = earlier.find((candidate) => candidate.key === target)?.choices;
  if (!choices || pairs.some(([q, option]) => q !== target || !option || !choices.includes(option))) {
    errors.condition = ["editor.edit.errors.condition"];
    return;
  }
  question.showIf = { question: target, anyOf: [...new Set(pairs.map(([, option]) => option!))] };
}

/** Questions a condition of `key` may point at: earlier, closed, not retired, with their answer keys. */
export function conditionTargets(definition: RawDefinition, key: string): { key: string; type: QuestionType; choices: string[] }[] {
  const targets: { key: string; type: QuestionType; choices: string[] }[] = [];
  for (const question of allQuestions(definition)) {
    if (question.key === key) break;
    if (question.retired || !CLOSED_TYPES.includes(question.type)) continue;
    const choices =
      question.type === "likert"
        ? ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree", "no_opinion"]
        : [...(question.options ?? []), ...(question.allowOther ? ["other"] : [])];
    targets.push({ key: question.key, type: question.type, choices });
  }
  return targets;
}

/** Applies one posted change to a copy of the draft and checks the result with the definition schema. */
export function applyEdit(current: Draft, form: FormData, context: EditContext): EditResult {
  const draft: Draft = structuredClone(current);
  const definition = draft.definition;
  const errors: FieldErrors = {};
  const intent = text(form, "intent") as EditIntent;
  const sectionKey = text(form, "section");
  const sectionIndex = definition.sections.findIndex((section) => section.key === sectionKey);
  const section = definition.sections[sectionIndex];
  const found = findQuestion(definition, text(form, "question"));
  const needSection = ["renameSection", "moveSection", "removeSection", "addQuestion"].includes(intent);
  const needQuestion = ["editQuestion", "moveQuestion", "retireQuestion", "restoreQuestion", "removeQuestion"].includes(intent);
  if (!EDIT_INTENTS.includes(intent) || (needSection && !section) || (needQuestion && !found))
    return { ok: false, errors: { form: ["editor.edit.errors.unknown"] } };

  switch (intent) {
    case "settings":
      editSettings(draft, form, context, errors);
      break;
    case "addSection": {
      const title = text(form, "sectionTitle");
      if (!title) errors.sectionTitle = ["editor.edit.errors.titleRequired"];
      else if (title.length > TITLE_MAX) errors.sectionTitle = ["editor.edit.errors.titleTooLong"];
      const question = newQuestion(draft, form, errors, "question.");
      if (!question || Object.keys(errors).length) break;
      const key = keyFromTitle(title, new Set(definition.sections.map((candidate) => candidate.key)), "section");
      definition.sections.push({ key, questions: [question] });
      setEnglish(draft, `sections.${key}.title`, title);
      break;
    }
    case "renameSection": {
      const title = text(form, "title");
      if (!title) errors.title = ["editor.edit.errors.titleRequired"];
      else if (title.length > TITLE_MAX) errors.title = ["editor.edit.errors.titleTooLong"];
      else setEnglish(draft, `sections.${sectionKey}.title`, title);
      break;
    }
    case "moveSection":
      if (!move(definition.sections, sectionIndex, text(form, "direction"))) errors.form = ["editor.edit.errors.cannotMove"];
      break;
    case "removeSection":
      // Answered questions go by retiring them, never with their section.
      if (section!.questions.some((question) => context.answered.has(question.key))) errors.form = ["editor.edit.errors.sectionAnswered"];
      else if (definition.sections.length === 1) errors.form = ["editor.edit.errors.lastSection"];
      else {
        definition.sections.splice(sectionIndex, 1);
        dropText(draft, `sections.${sectionKey}`);
        for (const question of section!.questions) dropText(draft, `questions.${question.key}`);
      }
      break;
    case "addQuestion": {
      const question = newQuestion(draft, form, errors);
      if (question) section!.questions.push(question);
      break;
    }
    case "editQuestion":
      editQuestion(draft, form, found!.question, errors);
      break;
    case "moveQuestion":
      if (!move(found!.section.questions, found!.index, text(form, "direction"))) errors.form = ["editor.edit.errors.cannotMove"];
      break;
    case "retireQuestion":
      found!.question.retired = true;
      break;
    case "restoreQuestion":
      delete found!.question.retired;
      break;
    case "removeQuestion":
      if (context.answered.has(found!.question.key)) errors.form = ["editor.edit.errors.questionAnswered"];
      else if (found!.section.questions.length === 1) errors.form = ["editor.edit.errors.lastQuestion"];
      else {
        found!.section.questions.splice(found!.index, 1);
        dropText(draft, `questions.${found!.question.key}`);
      }
      break;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  definition.estimatedMinutes = estimateMinutes(definition);
  const parsed = parseSurveyDefinition(definition);
  if (!parsed.ok) return { ok: false, errors: { form: parsed.errors.slice(0, 10).map((detail) => `schema:${detail}`) } };
  return { ok: true, draft };
}
