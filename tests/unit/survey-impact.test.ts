import { describe, expect, it } from "vitest";
import { parseSurveyDefinition, type SurveyDefinition } from "../../app/domain/survey-definition";
import { computeImpact, impactSummary, type AnswerCounts, type ImpactLevel } from "../../app/domain/survey-impact";

/** A definition as written in a file, loosely typed so tests can bend it. */
interface RawQuestion {
  key: string;
  type: string;
  options?: string[];
  rows?: string[];
  showIf?: { question: string; anyOf: string[] };
  [setting: string]: unknown;
}
type Raw = { sections: { key: string; questions: RawQuestion[] }[]; [setting: string]: unknown };
type Change = (raw: Raw) => void;

function definition(change: Change = () => {}): SurveyDefinition {
  const raw = {
    slug: "demo",
    mode: "confidential",
    opensAt: "2026-06-22T00:00:00Z",
    closesAt: "2026-07-14T23:59:59Z",
    defaultLanguage: "en",
    anonymityThreshold: 5,
    sections: [
      {
        key: "about",
        questions: [
          { key: "role", type: "single", options: ["chair", "member"], allowOther: true },
          { key: "topics", type: "multiple", options: ["a", "b", "c"], maxSelections: 2 },
          { key: "why", type: "text", showIf: { question: "role", anyOf: ["chair"] } },
        ],
      },
      {
        key: "views",
        questions: [
          { key: "agree", type: "likert", required: true },
          { key: "grid", type: "matrix", rows: ["x", "y"] },
          { key: "age", type: "number", min: 18, max: 120, integer: true },
        ],
      },
    ],
  } as unknown as Raw;
  change(raw);
  const parsed = parseSurveyDefinition(raw);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.definition;
}

const none: AnswerCounts = { responses: 0, questions: {}, options: {} };
const answered: AnswerCounts = {
  responses: 3,
  questions: { role: 3, topics: 2, why: 1, agree: 3, grid: 4, age: 2 },
  options: { "role/choice/chair": 1, "role/choice/member": 1, "role/choice/other": 1, "topics/choice/a": 2, "grid/row/x": 3, "grid/row/y": 1 },
};

const q = (raw: Raw, key: string): RawQuestion => raw.sections.flatMap((section) => section.questions).find((question) => question.key === key)!;

/** The level and kinds of the report of one change. */
function judge(change: Change, counts = answered): { level: ImpactLevel; kinds: string[] } {
  const report = computeImpact(definition(), definition(change), counts);
  return { level: report.level, kinds: report.items.map((item) => `${item.level}:${item.change.kind}`) };
}

describe("impact report", () => {
  it("finds nothing when nothing changed, and reports a text change as safe", () => {
    expect(computeImpact(definition(), definition(), answered)).toEqual({ level: "safe", items: [] });
    expect(computeImpact(definition(), definition(), answered, { textsChanged: true }).items).toEqual([{ level: "safe", change: { kind: "texts" } }]);
  });

  describe("safe", () => {
    it.each<[string, Change, string]>([
      ["a new optional question", (raw) => raw.sections[1]!.questions.push({ key: "more", type: "text" }), "questionAdded"],
      ["a new option", (raw) => q(raw, "topics").options!.push("d"), "optionAdded"],
      ["a new matrix row", (raw) => q(raw, "grid").rows!.push("z"), "rowAdded"],
      ["a new section", (raw) => raw.sections.push({ key: "extra", questions: [{ key: "extra_q", type: "likert" }] }), "sectionAdded"],
      ["questions in another order", (raw) => raw.sections[1]!.questions.reverse(), "order"],
      ["sections in another order", (raw) => raw.sections.reverse(), "order"],
      ["options in another order", (raw) => q(raw, "topics").options!.reverse(), "optionOrder"],
      ["a later closing date", (raw) => (raw.closesAt = "2026-08-01T00:00:00Z"), "closesLater"],
      ["a higher anonymity threshold", (raw) => (raw.anonymityThreshold = 10), "thresholdRaised"],
      ["a retired question", (raw) => (q(raw, "age").retired = true), "questionRetired"],
      ["an unanswered option removed", (raw) => q(raw, "topics").options!.pop(), "optionRemoved"],
    ])("%s", (_name, change, kind) => {
      const result = judge(change);
      expect(result.level).toBe("safe");
      expect(result.kinds[0]).toBe(`safe:${kind}`);
      expect(result.kinds.every((entry) => entry.startsWith("safe:"))).toBe(true);
    });

    it("a question moved to another section", () => {
      const result = judge((raw) => raw.sections[1]!.questions.push(raw.sections[0]!.questions.splice(1, 1)[0]!));
      expect(result).toEqual({ level: "safe", kinds: ["safe:order"] });
    });

    it("anything, before anyone answered", () => {
      const change: Change = (raw) => {
        raw.mode = "anonymous";
        raw.anonymityThreshold = 3;
        raw.sections[1]!.questions.pop();
        q(raw, "role").type = "multiple";
        q(raw, "agree").required = false;
      };
      expect(judge(change, none).level).toBe("safe");
    });
  });

  describe("needs confirmation", () => {
    it.each<[string, Change, string]>([
      ["a condition added", (raw) => (q(raw, "age").showIf = { question: "agree", anyOf: ["agree"] }), "condition"],
      ["a condition changed", (raw) => (q(raw, "why").showIf!.anyOf = ["member"]), "condition"],
      ["a condition removed", (raw) => delete q(raw, "why").showIf, "condition"],
      ["required turned off", (raw) => (q(raw, "agree").required = false), "required"],
      ["required turned on", (raw) => (q(raw, "age").required = true), "required"],
      ["maximum selections", (raw) => (q(raw, "topics").maxSelections = 1), "limit"],
      ["character limit", (raw) => (q(raw, "why").maxLength = 100), "limit"],
      ["minimum", (raw) => (q(raw, "age").min = 21), "limit"],
      ["maximum", (raw) => (q(raw, "age").max = 99), "limit"],
      ["integer", (raw) => (q(raw, "age").integer = false), "limit"],
      ["an earlier closing date", (raw) => (raw.closesAt = "2026-07-01T00:00:00Z"), "closesEarlier"],
      ["changes after submit", (raw) => (raw.allowEditAfterSubmit = false), "editAfterSubmit"],
      ["a new required question", (raw) => raw.sections[1]!.questions.push({ key: "more", type: "likert", required: true }), "questionAdded"],
      ["a question back from retirement", () => {}, "questionRestored"],
    ])("%s", (name, change, kind) => {
      const before = name.includes("retirement") ? definition((raw) => (q(raw, "age").retired = true)) : definition();
      const report = computeImpact(before, definition(change), answered);
      expect(report.items.map((item) => `${item.level}:${item.change.kind}`)).toEqual([`confirm:${kind}`]);
      expect(report.level).toBe("confirm");
    });

    it("an earlier closing date needs confirmation even without answers; a limit does not", () => {
      expect(judge((raw) => (raw.closesAt = "2026-07-01T00:00:00Z"), none).level).toBe("confirm");
      expect(judge((raw) => (q(raw, "age").max = 99), none).level).toBe("safe");
    });
  });

  describe("refused", () => {
    it.each<[string, Change, string]>([
      ["an answered question removed", (raw) => raw.sections[1]!.questions.pop(), "questionRemoved"],
      ["an answered question retyped", (raw) => (q(raw, "role").type = "multiple"), "questionRetyped"],
      ["an answered option removed", (raw) => q(raw, "topics").options!.shift(), "optionRemoved"],
      ["an answered Other removed", (raw) => (q(raw, "role").allowOther = false), "optionRemoved"],
      ["an answered matrix row removed", (raw) => q(raw, "grid").rows!.pop(), "rowRemoved"],
      ["the mode changed", (raw) => (raw.mode = "anonymous"), "mode"],
      ["the anonymity threshold lowered", (raw) => (raw.anonymityThreshold = 3), "thresholdLowered"],
    ])("%s", (_name, change, kind) => {
      const result = judge(change);
      expect(result.level).toBe("refused");
      expect(result.kinds).toContain(`refused:${kind}`);
    });

    it("names the answers a removal would lose", () => {
      const report = computeImpact(
        definition(),
        definition((raw) => q(raw, "grid").rows!.pop()),
        answered,
      );
      expect(report.items[0]!.change).toEqual({ kind: "rowRemoved", key: "grid", option: "y", answers: 1 });
    });
  });

  it("summarises a report for the audit log", () => {
    const report = computeImpact(
      definition(),
      definition((raw) => {
        q(raw, "topics").options!.push("d");
        q(raw, "agree").required = false;
        raw.sections[1]!.questions.pop();
      }),
      answered,
    );
    const summary = impactSummary(report);
    expect(summary).toMatchObject({ level: "refused", safe: 1, confirm: 1, refused: 1 });
    expect([...summary.changes].sort()).toEqual(["optionAdded:topics:d", "questionRemoved:age", "required:agree"]);
  });
});

describe("retired questions in the definition", () => {
  it("refuses a condition on a retired question, and a survey with nothing left to answer", () => {
    const retiredTarget = JSON.parse(JSON.stringify(definition())) as Raw;
    q(retiredTarget, "role").retired = true;
    const conditioned = parseSurveyDefinition(retiredTarget);
    expect(conditioned.ok).toBe(false);
    if (!conditioned.ok) expect(conditioned.errors.join("\n")).toContain('"role" is retired');
    const raw = JSON.parse(JSON.stringify(definition((def) => delete q(def, "why").showIf))) as Raw;
    for (const section of raw.sections) for (const question of section.questions) question.retired = true;
    const parsed = parseSurveyDefinition(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join("\n")).toContain("at least one question that is not retired");
  });

  it("keeps retired out of a definition that does not retire anything, so existing hashes stay", () => {
    expect(JSON.stringify(definition())).not.toContain("retired");
  });
});
