import { OTHER_OPTION_KEY, type QuestionDefinition, type SurveyDefinition } from "~/domain/survey-definition";

/**
 * The impact report of publishing a new definition over the published one,
 * judged against what members have already said. Three levels:
 * - safe: nothing members said changes meaning (texts, new optional questions
 *   or options, another order, a later closing date, retiring a question);
 * - confirm: existing answers stay but may read differently or no longer meet
 *   the rules (conditions, required, limits, an earlier closing date);
 * - refused: answers would be lost or misread (removing or retyping an
 *   answered question or option, changing the mode, lowering the anonymity
 *   threshold once anyone answered). Retire the question instead; a change of
 *   meaning is a new question with a new key.
 * Pure: the caller counts the answers (models/survey-answer-counts.server.ts).
 */

export interface AnswerCounts {
  /** Responses, drafts included. */
  responses: number;
  /** Answer rows per question key. */
  questions: Record<string, number>;
  /** Answer rows per "<question>/<role>/<option>" (role "choice" or "row"). */
  options: Record<string, number>;
}

export type ImpactLevel = "safe" | "confirm" | "refused";

export type ImpactChange =
  | { kind: "texts" }
  | { kind: "mode"; from: string; to: string }
  | { kind: "thresholdLowered" | "thresholdRaised"; from: number; to: number }
  | { kind: "editAfterSubmit"; to: boolean }
  | { kind: "closesLater" | "closesEarlier" | "opensChanged" | "estimatedMinutes" | "order" }
  | { kind: "defaultLanguage"; from: string; to: string }
  | { kind: "sectionAdded" | "sectionRemoved"; key: string }
  | { kind: "questionAdded"; key: string; required: boolean }
  | { kind: "questionRemoved" | "questionRetired" | "questionRestored" | "condition"; key: string; answers: number }
  | { kind: "questionRetyped"; key: string; from: string; to: string; answers: number }
  | { kind: "required"; key: string; to: boolean; answers: number }
  | { kind: "limit"; key: string; setting: string; answers: number }
  | { kind: "optionAdded" | "rowAdded" | "optionOrder"; key: string; option: string }
  | { kind: "optionRemoved" | "rowRemoved"; key: string; option: string; answers: number };

export interface ImpactItem {
  level: ImpactLevel;
  change: ImpactChange;
}

export interface ImpactReport {
  /** The highest level of any item; "safe" when nothing changed. */
  level: ImpactLevel;
  items: ImpactItem[];
}

const RANK: Record<ImpactLevel, number> = { safe: 0, confirm: 1, refused: 2 };

const LIMIT_SETTINGS = ["maxSelections", "maxLength", "min", "max", "integer"] as const;

function questionsByKey(definition: SurveyDefinition): Map<string, { section: string; question: QuestionDefinition }> {
  return new Map(definition.sections.flatMap((section) => section.questions.map((question) => [question.key, { section: section.key, question }] as const)));
}

/** The keys of a question's choices (with "other" when allowed) and of its matrix rows. */
function choices(question: QuestionDefinition): { role: "choice" | "row"; keys: string[] }[] {
  if (question.type === "single" || question.type === "multiple") {
    return [{ role: "choice", keys: question.allowOther ? [...question.options, OTHER_OPTION_KEY] : question.options }];
  }
  if (question.type === "matrix") return [{ role: "row", keys: question.rows }];
  return [];
}

export function computeImpact(before: SurveyDefinition, after: SurveyDefinition, counts: AnswerCounts, options: { textsChanged?: boolean } = {}): ImpactReport {
  const items: ImpactItem[] = [];
  const answered = counts.responses > 0;
  const add = (level: ImpactLevel, change: ImpactChange) => items.push({ level, change });
  /** Changes that only matter once someone answered: confirm then, safe before. */
  const ifAnswered = (n: number): ImpactLevel => (n > 0 ? "confirm" : "safe");

  if (options.textsChanged) add("safe", { kind: "texts" });
  if (before.mode !== after.mode) add(answered ? "refused" : "safe", { kind: "mode", from: before.mode, to: after.mode });
  if (after.anonymityThreshold < before.anonymityThreshold) {
    add(answered ? "refused" : "safe", { kind: "thresholdLowered", from: before.anonymityThreshold, to: after.anonymityThreshold });
  } else if (after.anonymityThreshold > before.anonymityThreshold) {
    add("safe", { kind: "thresholdRaised", from: before.anonymityThreshold, to: after.anonymityThreshold });
  }
  if (before.allowEditAfterSubmit !== after.allowEditAfterSubmit)
    add(ifAnswered(counts.responses), { kind: "editAfterSubmit", to: after.allowEditAfterSubmit });
  const [closedBefore, closesNow] = [Date.parse(before.closesAt), Date.parse(after.closesAt)];
  if (closesNow > closedBefore) add("safe", { kind: "closesLater" });
  // An earlier deadline cuts short members who have not answered yet, answers or not.
  if (closesNow < closedBefore) add("confirm", { kind: "closesEarlier" });
  if (Date.parse(before.opensAt) !== Date.parse(after.opensAt)) add(ifAnswered(counts.responses), { kind: "opensChanged" });
  if (before.defaultLanguage !== after.defaultLanguage) add("safe", { kind: "defaultLanguage", from: before.defaultLanguage, to: after.defaultLanguage });
  if (before.estimatedMinutes !== after.estimatedMinutes) add("safe", { kind: "estimatedMinutes" });

  const sectionsBefore = before.sections.map((section) => section.key);
  const sectionsAfter = after.sections.map((section) => section.key);
  for (const key of sectionsAfter) if (!sectionsBefore.includes(key)) add("safe", { kind: "sectionAdded", key });
  // A section can only go once its questions have moved or gone; those are judged one by one below.
  for (const key of sectionsBefore) if (!sectionsAfter.includes(key)) add("safe", { kind: "sectionRemoved", key });

  const [was, now] = [questionsByKey(before), questionsByKey(after)];
  for (const [key, { question }] of now) {
    if (was.has(key)) continue;
    // Responses already submitted lack an answer to a new required question.
    add(question.required ? ifAnswered(counts.responses) : "safe", { kind: "questionAdded", key, required: question.required });
  }
  for (const [key, { question: old }] of was) {
    const answers = counts.questions[key] ?? 0;
    const next = now.get(key)?.question;
    if (!next) {
      add(answers > 0 ? "refused" : "safe", { kind: "questionRemoved", key, answers });
      continue;
    }
    if (next.type !== old.type) {
      add(answers > 0 ? "refused" : "safe", { kind: "questionRetyped", key, from: old.type, to: next.type, answers });
      continue;
    }
    if (!old.retired && next.retired) add("safe", { kind: "questionRetired", key, answers });
    if (old.retired && !next.retired) add(ifAnswered(counts.responses), { kind: "questionRestored", key, answers });
    if (old.required !== next.required) add(ifAnswered(answers || counts.responses), { kind: "required", key, to: next.required, answers });
    if (JSON.stringify(old.showIf ?? null) !== JSON.stringify(next.showIf ?? null)) add(ifAnswered(answers), { kind: "condition", key, answers });
    for (const setting of LIMIT_SETTINGS) {
      const [a, b] = [(old as Record<string, unknown>)[setting], (next as Record<string, unknown>)[setting]];
      if (a !== b) add(ifAnswered(answers), { kind: "limit", key, setting, answers });
    }
    const nextChoices = choices(next);
    for (const { role, keys: oldKeys } of choices(old)) {
      const newKeys = nextChoices.find((entry) => entry.role === role)?.keys ?? [];
      const removed = role === "row" ? "rowRemoved" : "optionRemoved";
      const added = role === "row" ? "rowAdded" : "optionAdded";
      for (const option of oldKeys) {
        if (newKeys.includes(option)) continue;
        const optionAnswers = counts.options[`${key}/${role}/${option}`] ?? 0;
        add(optionAnswers > 0 ? "refused" : "safe", { kind: removed, key, option, answers: optionAnswers });
      }
      for (const option of newKeys) if (!oldKeys.includes(option)) add("safe", { kind: added, key, option });
      const kept = (list: string[], other: string[]) => list.filter((option) => other.includes(option)).join("\u0000");
      if (kept(oldKeys, newKeys) !== kept(newKeys, oldKeys)) add("safe", { kind: "optionOrder", key, option: role });
    }
  }

  // Another order of the sections and questions both versions share (a question moved to another section counts too).
  const order = (from: SurveyDefinition, other: Map<string, unknown>, otherSections: string[]) =>
    JSON.stringify(
      from.sections
        .filter((section) => otherSections.includes(section.key))
        .map((section) => [section.key, section.questions.filter((question) => other.has(question.key)).map((question) => question.key)]),
    );
  const sectionOf = (map: Map<string, { section: string }>, key: string) => map.get(key)?.section;
  const movedSection = [...was.keys()].some((key) => now.has(key) && sectionOf(was, key) !== sectionOf(now, key));
  if (movedSection || order(before, now, sectionsAfter) !== order(after, was, sectionsBefore)) add("safe", { kind: "order" });

  const level = items.reduce<ImpactLevel>((highest, item) => (RANK[item.level] > RANK[highest] ? item.level : highest), "safe");
  return { level, items };
}

/** The report in a few figures and keys, for the audit log. */
export function impactSummary(report: ImpactReport): { level: ImpactLevel; safe: number; confirm: number; refused: number; changes: string[] } {
  const count = (level: ImpactLevel) => report.items.filter((item) => item.level === level).length;
  const describe = ({ change }: ImpactItem) =>
    [change.kind, "key" in change ? change.key : null, "option" in change ? change.option : null].filter(Boolean).join(":");
  return { level: report.level, safe: count("safe"), confirm: count("confirm"), refused: count("refused"), changes: report.items.slice(0, 50).map(describe) };
}
