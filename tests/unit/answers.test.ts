import { describe, it, expect } from "vitest";
import {
  chosenFrom,
  cleanText,
  fieldName,
  hiddenQuestionKeys,
  LIKERT_KEYS,
  missingRequired,
  OTHER_TEXT_MAX,
  parseNumber,
  parseSectionAnswers,
  textLength,
  type AnswerValue,
  type QuestionView,
} from "../../app/domain/answers";
import type { ChosenOptions } from "../../app/domain/conditions";

// ---------------------------------------------------------------------------
// Helpers

function q(key: string, type: QuestionView["type"], extra: Partial<QuestionView> = {}): QuestionView {
  return { key, type, required: false, options: [], rows: [], allowOther: false, ...extra };
}

type Form = Record<string, string | string[]>;

/** A `read` function over a plain object of field name → value(s). */
function reader(form: Form): (field: string) => string[] {
  return (field) => {
    const value = form[field];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  };
}

const NONE: ChosenOptions = new Map();

/** The parse without `kept`, which has its own tests at the end. */
function parse(questions: QuestionView[], form: Form, before: ChosenOptions = NONE) {
  const { kept: _kept, ...rest } = parseSectionAnswers(questions, reader(form), before);
  return rest;
}

function parseKeeping(questions: QuestionView[], form: Form, before: ChosenOptions = NONE) {
  return parseSectionAnswers(questions, reader(form), before);
}

function chosen(entries: Record<string, string[]>): ChosenOptions {
  return new Map(Object.entries(entries).map(([key, values]) => [key, new Set(values)]));
}

const errorKeys = (result: ReturnType<typeof parse>, question: string) => (result.errors[question] ?? []).map((error) => error.key);

// ---------------------------------------------------------------------------

describe("fieldName", () => {
  it("names the main, other and row fields", () => {
    expect(fieldName("colour")).toBe("q.colour");
    expect(fieldName("colour", "other")).toBe("q.colour.other");
    expect(fieldName("grid", "speed")).toBe("q.grid.speed");
  });
});

describe("LIKERT_KEYS", () => {
  it("lists the six scale points in order", () => {
    expect(LIKERT_KEYS).toEqual(["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree", "no_opinion"]);
  });
});

describe("parseSectionAnswers — likert", () => {
  const likert = q("satisfied", "likert", { required: true });

  it.each(LIKERT_KEYS.map((key) => [key]))("accepts %s", (key) => {
    const result = parse([likert], { "q.satisfied": key });
    expect(result).toEqual({ answers: [{ question: "satisfied", option: key }], errors: {}, tampered: false });
  });

  it("marks an unknown key as tampered and stores nothing", () => {
    const result = parse([likert], { "q.satisfied": "very_agree" });
    expect(result.tampered).toBe(true);
    expect(result.answers).toEqual([]);
    expect(errorKeys(result, "satisfied")).toEqual(["respondent:errors.invalidChoice"]);
  });

  it("marks two different values as tampered", () => {
    const result = parse([likert], { "q.satisfied": ["agree", "disagree"] });
    expect(result.tampered).toBe(true);
    expect(result.answers).toEqual([]);
    expect(errorKeys(result, "satisfied")).toEqual(["respondent:errors.oneChoice"]);
  });

  it("collapses the same value sent twice into one answer", () => {
    const result = parse([likert], { "q.satisfied": ["agree", "agree"] });
    expect(result.tampered).toBe(false);
    expect(result.answers).toEqual([{ question: "satisfied", option: "agree" }]);
  });

  it("reports a missing required answer (not tampered)", () => {
    for (const form of [{}, { "q.satisfied": "" }, { "q.satisfied": "   " }] as Form[]) {
      const result = parse([likert], form);
      expect(result.tampered).toBe(false);
      expect(result.answers).toEqual([]);
      expect(result.errors).toEqual({ satisfied: [{ key: "respondent:errors.required" }] });
    }
  });

  it("accepts no answer to an optional question", () => {
    const result = parse([q("opt", "likert")], {});
    expect(result).toEqual({ answers: [], errors: {}, tampered: false });
  });

  it("does not accept a likert key sent with surrounding whitespace as anything but that key", () => {
    // cleanText trims, so a padded honest value is still accepted
    const result = parse([likert], { "q.satisfied": "  agree \n" });
    expect(result.answers).toEqual([{ question: "satisfied", option: "agree" }]);
  });
});

describe("parseSectionAnswers — single", () => {
  const single = q("role", "single", { required: true, options: ["staff", "member", "other"], allowOther: true });

  it("accepts a listed option without reading the other text", () => {
    const result = parse([single], { "q.role": "staff", "q.role.other": "ignored" });
    expect(result).toEqual({ answers: [{ question: "role", option: "staff" }], errors: {}, tampered: false });
  });

  it('accepts "other" with its text', () => {
    const result = parse([single], { "q.role": "other", "q.role.other": "  Volunteer  " });
    expect(result.errors).toEqual({});
    expect(result.answers).toEqual([{ question: "role", option: "other", text: "Volunteer" }]);
  });

  it('requires text with "other"', () => {
    for (const form of [{ "q.role": "other" }, { "q.role": "other", "q.role.other": "  \u0000 " }] as Form[]) {
      const result = parse([single], form);
      expect(result.tampered).toBe(false);
      expect(result.answers).toEqual([]);
      expect(result.errors).toEqual({ role: [{ key: "respondent:errors.otherRequired" }] });
    }
  });

  it("limits the other text to 500 code points", () => {
    const ok = parse([single], { "q.role": "other", "q.role.other": "😀".repeat(OTHER_TEXT_MAX) });
    expect(ok.errors).toEqual({});
    expect(ok.answers[0]?.text).toHaveLength(OTHER_TEXT_MAX * 2); // UTF-16 units

    const long = parse([single], { "q.role": "other", "q.role.other": "x".repeat(OTHER_TEXT_MAX + 1) });
    expect(long.answers).toEqual([]);
    expect(long.errors).toEqual({ role: [{ key: "respondent:errors.tooLong", params: { count: 500 } }] });
    expect(long.tampered).toBe(false);
  });

  it("marks an unlisted option as tampered", () => {
    const result = parse([single], { "q.role": "admin" });
    expect(result.tampered).toBe(true);
    expect(errorKeys(result, "role")).toEqual(["respondent:errors.invalidChoice"]);
  });

  it("marks two different options as tampered", () => {
    const result = parse([single], { "q.role": ["staff", "member"] });
    expect(result.tampered).toBe(true);
    expect(errorKeys(result, "role")).toEqual(["respondent:errors.oneChoice"]);
  });

  it('treats "other" as an ordinary option key when allowOther is off', () => {
    const plain = q("pick", "single", { options: ["a", "b"] });
    const result = parse([plain], { "q.pick": "other", "q.pick.other": "x" });
    expect(result.tampered).toBe(true);
    expect(result.answers).toEqual([]);
  });

  it("reports a missing required answer", () => {
    expect(parse([single], {}).errors).toEqual({ role: [{ key: "respondent:errors.required" }] });
  });
});

describe("parseSectionAnswers — multiple", () => {
  const multiple = q("topics", "multiple", { options: ["a", "b", "c", "d", "other"], allowOther: true, maxSelections: 3 });

  it("accepts several values in the order sent", () => {
    const result = parse([multiple], { "q.topics": ["c", "a"] });
    expect(result).toEqual({
      answers: [
        { question: "topics", option: "c" },
        { question: "topics", option: "a" },
      ],
      errors: {},
      tampered: false,
    });
  });

  it("collapses duplicates", () => {
    const result = parse([multiple], { "q.topics": ["a", "a", "b", "a"] });
    expect(result.tampered).toBe(false);
    expect(result.answers.map((answer) => answer.option)).toEqual(["a", "b"]);
  });

  it("duplicates do not count towards maxSelections", () => {
    const result = parse([multiple], { "q.topics": ["a", "b", "c", "c", "a"] });
    expect(result.errors).toEqual({});
    expect(result.answers).toHaveLength(3);
  });

  it("marks an unknown value as tampered and stores none of the others", () => {
    const result = parse([multiple], { "q.topics": ["a", "zzz"] });
    expect(result.tampered).toBe(true);
    expect(result.answers).toEqual([]);
    expect(errorKeys(result, "topics")).toEqual(["respondent:errors.invalidChoice"]);
  });

  it("rejects more than maxSelections with the count", () => {
    const result = parse([multiple], { "q.topics": ["a", "b", "c", "d"] });
    expect(result.tampered).toBe(false);
    expect(result.answers).toEqual([]);
    expect(result.errors).toEqual({ topics: [{ key: "respondent:errors.tooManyChoices", params: { count: 3 } }] });
  });

  it("has no limit without maxSelections", () => {
    const open = q("all", "multiple", { options: ["a", "b", "c", "d", "e"] });
    const result = parse([open], { "q.all": ["a", "b", "c", "d", "e"] });
    expect(result.answers).toHaveLength(5);
  });

  it('accepts "other" with text alongside other options', () => {
    const result = parse([multiple], { "q.topics": ["b", "other"], "q.topics.other": "Gardening" });
    expect(result.answers).toEqual([
      { question: "topics", option: "b" },
      { question: "topics", option: "other", text: "Gardening" },
    ]);
  });

  it('requires text with "other" and then stores nothing for the question', () => {
    const result = parse([multiple], { "q.topics": ["b", "other"] });
    expect(result.answers).toEqual([]);
    expect(result.errors).toEqual({ topics: [{ key: "respondent:errors.otherRequired" }] });
  });

  it("reports required when nothing is chosen", () => {
    const required = { ...multiple, required: true };
    expect(parse([required], { "q.topics": [] }).errors).toEqual({ topics: [{ key: "respondent:errors.required" }] });
  });
});

describe("parseSectionAnswers — matrix", () => {
  const matrix = q("grid", "matrix", { required: true, rows: ["speed", "price", "quality"] });

  it("accepts all rows", () => {
    const result = parse([matrix], { "q.grid.speed": "agree", "q.grid.price": "no_opinion", "q.grid.quality": "disagree" });
    expect(result).toEqual({
      answers: [
        { question: "grid", row: "speed", option: "agree" },
        { question: "grid", row: "price", option: "no_opinion" },
        { question: "grid", row: "quality", option: "disagree" },
      ],
      errors: {},
      tampered: false,
    });
  });

  it("reports partial rows on a required matrix with the number missing", () => {
    const result = parse([matrix], { "q.grid.speed": "agree" });
    expect(result.tampered).toBe(false);
    expect(result.answers).toEqual([]);
    expect(result.errors).toEqual({ grid: [{ key: "respondent:errors.matrixIncomplete", params: { count: 2 } }] });
  });

  it("accepts partial rows on an optional matrix", () => {
    const optional = { ...matrix, required: false };
    const result = parse([optional], { "q.grid.price": "agree" });
    expect(result.errors).toEqual({});
    expect(result.answers).toEqual([{ question: "grid", row: "price", option: "agree" }]);
  });

  it("marks an invalid key in a row as tampered", () => {
    const result = parse([matrix], { "q.grid.speed": "agree", "q.grid.price": "maybe", "q.grid.quality": "agree" });
    expect(result.tampered).toBe(true);
    expect(result.answers).toEqual([]);
    expect(errorKeys(result, "grid")).toEqual(["respondent:errors.invalidChoice"]);
  });

  it("marks two different values in a row as tampered", () => {
    const result = parse([matrix], { "q.grid.speed": ["agree", "disagree"], "q.grid.price": "agree", "q.grid.quality": "agree" });
    expect(result.tampered).toBe(true);
    expect(result.answers).toEqual([]);
  });

  it("reports required (not matrixIncomplete) when no row is answered", () => {
    const result = parse([matrix], {});
    expect(result.errors).toEqual({ grid: [{ key: "respondent:errors.required" }] });
  });

  it("ignores the main field and unknown rows", () => {
    const optional = { ...matrix, required: false };
    const result = parse([optional], { "q.grid": "agree", "q.grid.colour": "agree" });
    expect(result).toEqual({ answers: [], errors: {}, tampered: false });
  });
});

describe("parseSectionAnswers — text", () => {
  const text = (extra: Partial<QuestionView> = {}) => q("comment", "text", { maxLength: 5, ...extra });

  it("stores trimmed text", () => {
    expect(parse([text()], { "q.comment": "  hi  " }).answers).toEqual([{ question: "comment", text: "hi" }]);
  });

  it("counts maxLength in code points: emoji", () => {
    const ok = parse([text()], { "q.comment": "😀😀😀😀😀" });
    expect(ok.errors).toEqual({});
    expect(ok.answers).toEqual([{ question: "comment", text: "😀😀😀😀😀" }]);

    const over = parse([text()], { "q.comment": "😀😀😀😀😀😀" });
    expect(over.answers).toEqual([]);
    expect(over.errors).toEqual({ comment: [{ key: "respondent:errors.tooLong", params: { count: 5 } }] });
    expect(over.tampered).toBe(false);
  });

  it("counts maxLength in code points: CJK (including astral ideographs)", () => {
    expect(parse([text()], { "q.comment": "意见反馈好" }).errors).toEqual({});
    expect(parse([text()], { "q.comment": "𠀀𠀁𠀂𠀃𠀄" }).errors).toEqual({}); // 5 code points, 10 UTF-16 units
    expect(parse([text()], { "q.comment": "意见反馈好吗" }).errors.comment?.[0]?.key).toBe("respondent:errors.tooLong");
  });

  it("counts after NFC normalisation", () => {
    // five "é" written as e + combining acute: 10 code points before NFC, 5 after
    const decomposed = "e\u0301".repeat(5);
    const result = parse([text()], { "q.comment": decomposed });
    expect(result.errors).toEqual({});
    expect(result.answers).toEqual([{ question: "comment", text: "\u00e9".repeat(5) }]);
  });

  it("uses a default limit of 2000 code points", () => {
    const noLimit = q("comment", "text");
    expect(parse([noLimit], { "q.comment": "a".repeat(2000) }).errors).toEqual({});
    expect(parse([noLimit], { "q.comment": "a".repeat(2001) }).errors).toEqual({
      comment: [{ key: "respondent:errors.tooLong", params: { count: 2000 } }],
    });
  });

  it("removes NUL and control characters but keeps tabs and newlines", () => {
    const result = parse([text({ maxLength: 100 })], { "q.comment": "a\u0000b\u0007c\u001bd\u007fe\nf\r\ng\th" });
    expect(result.answers).toEqual([{ question: "comment", text: "abcde\nf\r\ng\th" }]);
  });

  it("does not count removed control characters towards the limit", () => {
    expect(parse([text()], { "q.comment": "ab\u0000\u0000\u0000\u0000cde" }).errors).toEqual({});
  });

  it("stores nothing for whitespace only, and reports required if required", () => {
    expect(parse([text()], { "q.comment": " \n\t " })).toEqual({ answers: [], errors: {}, tampered: false });
    expect(parse([text({ required: true })], { "q.comment": " \n " }).errors).toEqual({
      comment: [{ key: "respondent:errors.required" }],
    });
  });

  it("keeps text in any script", () => {
    const arabic = "رأيي مهم";
    expect(parse([text({ maxLength: 50 })], { "q.comment": arabic }).answers).toEqual([{ question: "comment", text: arabic }]);
  });
});

describe("parseSectionAnswers — number", () => {
  const number = (extra: Partial<QuestionView> = {}) => q("age", "number", extra);
  const one = (raw: string | string[], extra: Partial<QuestionView> = {}) => parse([number(extra)], { "q.age": raw });

  it("accepts integers", () => {
    expect(one("42").answers).toEqual([{ question: "age", number: 42 }]);
    expect(one(" -7 ").answers).toEqual([{ question: "age", number: -7 }]);
  });

  it("accepts a decimal comma or point", () => {
    expect(one("3,5").answers).toEqual([{ question: "age", number: 3.5 }]);
    expect(one("3.5").answers).toEqual([{ question: "age", number: 3.5 }]);
  });

  it("accepts Arabic-Indic and Persian digits", () => {
    expect(one("٤٢").answers).toEqual([{ question: "age", number: 42 }]);
    expect(one("۴۲").answers).toEqual([{ question: "age", number: 42 }]);
    expect(one("٣٫٥").answers).toEqual([{ question: "age", number: 3.5 }]);
  });

  it("enforces min and max", () => {
    expect(one("17", { min: 18, max: 120 }).errors).toEqual({ age: [{ key: "respondent:errors.min", params: { min: 18 } }] });
    expect(one("121", { min: 18, max: 120 }).errors).toEqual({ age: [{ key: "respondent:errors.max", params: { max: 120 } }] });
    expect(one("18", { min: 18, max: 120 }).answers).toEqual([{ question: "age", number: 18 }]);
    expect(one("120", { min: 18, max: 120 }).answers).toEqual([{ question: "age", number: 120 }]);
    expect(one("0", { min: 0, max: 0 }).answers).toEqual([{ question: "age", number: 0 }]);
    expect(one("-1", { min: 0 }).errors.age?.[0]?.key).toBe("respondent:errors.min");
  });

  it("requires a whole number when integer", () => {
    const result = one("3,5", { integer: true });
    expect(result.answers).toEqual([]);
    expect(result.errors).toEqual({ age: [{ key: "respondent:errors.wholeNumber" }] });
    expect(one("3,0", { integer: true }).answers).toEqual([{ question: "age", number: 3 }]);
  });

  it.each(["12abc", "1e5", "abc", "1..2", "--1", "Infinity", "NaN", "0x10", "1/2"])("rejects %j as notNumber", (raw) => {
    const result = one(raw);
    expect(result.tampered).toBe(false);
    expect(result.answers).toEqual([]);
    expect(result.errors).toEqual({ age: [{ key: "respondent:errors.notNumber" }] });
  });

  it("marks two values as tampered", () => {
    const result = one(["1", "2"]);
    expect(result.tampered).toBe(true);
    expect(result.answers).toEqual([]);
    expect(errorKeys(result, "age")).toEqual(["respondent:errors.notNumber"]);
  });

  it("stores nothing for an empty field, and reports required if required", () => {
    expect(one("")).toEqual({ answers: [], errors: {}, tampered: false });
    expect(one(" ", { required: true }).errors).toEqual({ age: [{ key: "respondent:errors.required" }] });
  });
});

describe("parseNumber", () => {
  it.each([
    ["0", 0],
    ["42", 42],
    ["+5", 5],
    ["-5", -5],
    ["3.5", 3.5],
    ["3,5", 3.5],
    [".5", 0.5],
    ["5.", 5],
    ["  12  ", 12],
    ["1 000", 1000],
    ["1\u00a0000", 1000],
    ["1\u202f000", 1000],
    ["٤٢", 42],
    ["۴۲", 42],
    ["۱۲٫۵", 12.5],
    ["١٬٠٠٠", 1000],
  ] as const)("parses %j as %d", (raw, expected) => {
    expect(parseNumber(raw)).toBe(expected);
  });

  it.each(["", " ", "12abc", "abc12", "1e5", "1E5", "Infinity", "-", ".", "1.2.3", "1,2,3", "0x1f", "٤a"])("rejects %j", (raw) => {
    expect(parseNumber(raw)).toBeNull();
  });

  it('reads a comma always as a decimal separator (so "1,000" is 1)', () => {
    // Documented behaviour ("3,5" = 3.5); noted because "1,000" written as a thousands separator becomes 1.
    expect(parseNumber("1,000")).toBe(1);
  });
});

describe("cleanText", () => {
  it("trims and normalises to NFC", () => {
    expect(cleanText("  Cafe\u0301 ")).toBe("Caf\u00e9");
    expect(cleanText("\u212b")).toBe("\u00c5"); // Angstrom sign → A with ring
  });

  it("removes NUL, C0 controls and DEL, keeps tab, LF and CR", () => {
    expect(cleanText("a\u0000\u0001\u0008b\u000b\u000c\u000e\u001fc\u007f")).toBe("abc");
    expect(cleanText("a\tb\nc\rd")).toBe("a\tb\nc\rd");
  });

  it("keeps letters from any script and emoji", () => {
    for (const value of ["日本語", "Привет", "مرحبا", "Ελληνικά", "👩🏽‍💻"]) expect(cleanText(value)).toBe(value);
  });

  it("does not apply NFKC (compatibility characters are kept)", () => {
    expect(cleanText("ﬁ")).toBe("ﬁ");
  });
});

describe("textLength", () => {
  it("counts code points", () => {
    expect(textLength("abc")).toBe(3);
    expect(textLength("😀")).toBe(1);
    expect(textLength("𠀀")).toBe(1);
    expect(textLength("")).toBe(0);
  });
});

describe("chosenFrom", () => {
  it("collects option keys per question, ignoring matrix rows, text and numbers", () => {
    const answers: AnswerValue[] = [
      { question: "a", option: "yes" },
      { question: "b", option: "x" },
      { question: "b", option: "y" },
      { question: "b", option: "other", text: "z" },
      { question: "grid", row: "speed", option: "agree" },
      { question: "t", text: "hello" },
      { question: "n", number: 3 },
    ];
    const result = chosenFrom(answers);
    expect([...result.keys()]).toEqual(["a", "b"]);
    expect([...result.get("a")!]).toEqual(["yes"]);
    expect([...result.get("b")!]).toEqual(["x", "y", "other"]);
  });

  it("is empty for no answers", () => {
    expect(chosenFrom([]).size).toBe(0);
  });
});

describe("parseSectionAnswers — conditions", () => {
  const gate = q("member", "single", { options: ["yes", "no"] });
  const follow = q("since", "number", { required: true, showIf: { question: "member", anyOf: ["yes"] } });

  it("drops the answer of a hidden question and does not require it", () => {
    const result = parse([gate, follow], { "q.member": "no", "q.since": "2010" });
    expect(result).toEqual({ answers: [{ question: "member", option: "no" }], errors: {}, tampered: false });
  });

  it("hides the question when the earlier question is unanswered", () => {
    const result = parse([gate, follow], { "q.since": "2010" });
    expect(result).toEqual({ answers: [], errors: {}, tampered: false });
  });

  it("does not even validate a hidden question's input (garbage is not tampering)", () => {
    const result = parse([gate, follow], { "q.member": "no", "q.since": ["x", "y"] });
    expect(result.tampered).toBe(false);
    expect(result.errors).toEqual({});
  });

  it("shows, validates and requires the question when the answer matches", () => {
    expect(parse([gate, follow], { "q.member": "yes", "q.since": "2010" }).answers).toEqual([
      { question: "member", option: "yes" },
      { question: "since", number: 2010 },
    ]);
    expect(parse([gate, follow], { "q.member": "yes" }).errors).toEqual({ since: [{ key: "respondent:errors.required" }] });
  });

  it("matches any of the listed keys, with multiple choice", () => {
    const topics = q("topics", "multiple", { options: ["a", "b", "c"] });
    const detail = q("detail", "text", { showIf: { question: "topics", anyOf: ["b", "c"] } });
    expect(parse([topics, detail], { "q.topics": ["a", "c"], "q.detail": "why" }).answers).toContainEqual({ question: "detail", text: "why" });
    expect(parse([topics, detail], { "q.topics": ["a"], "q.detail": "why" }).answers).toEqual([{ question: "topics", option: "a" }]);
  });

  it("hides the follow-up when the earlier question is itself in error", () => {
    const gateOther = q("member", "single", { options: ["yes", "other"], allowOther: true });
    const result = parse([gateOther, { ...follow, showIf: { question: "member", anyOf: ["other"] } }], { "q.member": "other", "q.since": "1" });
    expect(result.errors).toEqual({ member: [{ key: "respondent:errors.otherRequired" }] });
    expect(result.answers).toEqual([]);
  });

  it("follows a chain of conditions within the section", () => {
    const middle = q("kind", "single", { options: ["x", "y"], showIf: { question: "member", anyOf: ["yes"] } });
    const last = q("why", "text", { required: true, showIf: { question: "kind", anyOf: ["x"] } });
    // "kind" is answered "x" but hidden, so "why" is hidden too
    const result = parse([gate, middle, last], { "q.member": "no", "q.kind": "x" });
    expect(result).toEqual({ answers: [{ question: "member", option: "no" }], errors: {}, tampered: false });
  });

  it("evaluates a condition on a question of an earlier section through chosenBefore", () => {
    const later = q("since", "number", { required: true, showIf: { question: "member", anyOf: ["yes"] } });
    expect(parse([later], { "q.since": "5" }, chosen({ member: ["yes"] })).answers).toEqual([{ question: "since", number: 5 }]);
    expect(parse([later], {}, chosen({ member: ["yes"] })).errors).toEqual({ since: [{ key: "respondent:errors.required" }] });
    expect(parse([later], { "q.since": "5" }, chosen({ member: ["no"] }))).toEqual({ answers: [], errors: {}, tampered: false });
    expect(parse([later], { "q.since": "5" }, NONE)).toEqual({ answers: [], errors: {}, tampered: false });
  });

  it("replaces a stale chosenBefore entry for a question on this page with the new answer", () => {
    const result = parse([gate, follow], { "q.member": "no", "q.since": "5" }, chosen({ member: ["yes"] }));
    expect(result.answers).toEqual([{ question: "member", option: "no" }]);
    // …and an unanswered gate on this page also clears it
    expect(parse([gate, follow], { "q.since": "5" }, chosen({ member: ["yes"] })).answers).toEqual([]);
  });

  it("does not mutate chosenBefore", () => {
    const before = chosen({ member: ["yes"] });
    parse([gate, follow], { "q.member": "no" }, before);
    expect([...before.get("member")!]).toEqual(["yes"]);
    expect(before.size).toBe(1);
  });

  it("matrix answers never satisfy a condition", () => {
    const grid = q("grid", "matrix", { rows: ["r"] });
    const follow2 = q("f", "text", { showIf: { question: "grid", anyOf: ["agree"] } });
    expect(parse([grid, follow2], { "q.grid.r": "agree", "q.f": "t" }).answers).toEqual([{ question: "grid", row: "r", option: "agree" }]);
  });
});

describe("parseSectionAnswers — whole section", () => {
  it("keeps valid answers of other questions when one has an error", () => {
    const result = parse([q("a", "likert"), q("b", "number", { max: 5 }), q("c", "text")], { "q.a": "agree", "q.b": "9", "q.c": "fine" });
    expect(result.answers).toEqual([
      { question: "a", option: "agree" },
      { question: "c", text: "fine" },
    ]);
    expect(Object.keys(result.errors)).toEqual(["b"]);
    expect(result.tampered).toBe(false);
  });

  it("ignores fields of questions not in the section", () => {
    expect(parse([q("a", "likert")], { "q.zzz": "agree", "q.a.other": "x" })).toEqual({ answers: [], errors: {}, tampered: false });
  });
});

describe("missingRequired", () => {
  const sections = [
    {
      key: "one",
      questions: [
        q("member", "single", { required: true, options: ["yes", "no"] }),
        q("since", "number", { required: true, showIf: { question: "member", anyOf: ["yes"] } }),
        q("note", "text"),
      ],
    },
    {
      key: "two",
      questions: [
        q("grid", "matrix", { required: true, rows: ["r1", "r2"] }),
        q("why", "text", { required: true, showIf: { question: "member", anyOf: ["yes"] } }),
      ],
    },
  ];

  it("lists every visible required question without an answer, in order", () => {
    expect(missingRequired(sections, [])).toEqual([
      { section: "one", question: "member" },
      { section: "two", question: "grid" },
    ]);
  });

  it("does not report hidden conditional required questions", () => {
    expect(missingRequired(sections, [{ question: "member", option: "no" }])).toEqual([{ section: "two", question: "grid" }]);
  });

  it("reports conditional required questions once they are visible", () => {
    expect(
      missingRequired(sections, [
        { question: "member", option: "yes" },
        { question: "grid", row: "r1", option: "agree" },
      ]),
    ).toEqual([
      { section: "one", question: "since" },
      { section: "two", question: "why" },
    ]);
  });

  it("is empty when everything required is answered", () => {
    const answers: AnswerValue[] = [
      { question: "member", option: "yes" },
      { question: "since", number: 3 },
      { question: "grid", row: "r1", option: "agree" },
      { question: "grid", row: "r2", option: "agree" },
      { question: "why", text: "because" },
    ];
    expect(missingRequired(sections, answers)).toEqual([]);
  });

  // Regression: visibility is evaluated against every stored answer, including the
  // stale answers of questions that are themselves hidden. With a chain
  // member → kind → reason, changing "member" to "no" hides "kind", but the
  // old "kind" answer still makes "reason" count as visible, so a required
  // question the respondent cannot see is reported missing (blocking submit).
  it("does not report a required question whose condition depends on a hidden question (chained)", () => {
    const chain = [
      { key: "s1", questions: [q("member", "single", { options: ["yes", "no"] })] },
      { key: "s2", questions: [q("kind", "single", { options: ["x", "y"], showIf: { question: "member", anyOf: ["yes"] } })] },
      { key: "s3", questions: [q("reason", "text", { required: true, showIf: { question: "kind", anyOf: ["x"] } })] },
    ];
    const answers: AnswerValue[] = [
      { question: "member", option: "no" },
      { question: "kind", option: "x" }, // stale: given while member was "yes"
    ];
    expect(missingRequired(chain, answers)).toEqual([]);
  });
});

describe("hiddenQuestionKeys", () => {
  const sections = [
    { questions: [q("member", "single", { options: ["yes", "no"] }), q("since", "number", { showIf: { question: "member", anyOf: ["yes"] } })] },
    { questions: [q("why", "text", { showIf: { question: "member", anyOf: ["yes"] } }), q("other", "text")] },
  ];

  it("lists conditional questions whose condition does not hold, across sections", () => {
    expect(hiddenQuestionKeys(sections, [{ question: "member", option: "no" }])).toEqual(["since", "why"]);
    expect(hiddenQuestionKeys(sections, [])).toEqual(["since", "why"]);
  });

  it("is empty when every condition holds", () => {
    expect(hiddenQuestionKeys(sections, [{ question: "member", option: "yes" }])).toEqual([]);
  });

  // Regression: same cause as in missingRequired above. "kind" is hidden (member is
  // "no") but its stale answer keeps "reason" visible, so submitResponse
  // deletes the "kind" answers and keeps the "reason" answers of a question
  // that was never shown under the final answers.
  it("includes questions hidden transitively through a hidden question (chained)", () => {
    const chain = [
      { questions: [q("member", "single", { options: ["yes", "no"] })] },
      { questions: [q("kind", "single", { options: ["x", "y"], showIf: { question: "member", anyOf: ["yes"] } })] },
      { questions: [q("reason", "text", { showIf: { question: "kind", anyOf: ["x"] } })] },
    ];
    const answers: AnswerValue[] = [
      { question: "member", option: "no" },
      { question: "kind", option: "x" },
      { question: "reason", text: "stale" },
    ];
    expect(hiddenQuestionKeys(chain, answers)).toEqual(["kind", "reason"]);
  });
});

describe("parseSectionAnswers — what a draft keeps when the member leaves", () => {
  const matrix = q("m", "matrix", { required: true, rows: ["a", "b", "c"] });
  const choice = q("c", "multiple", { options: ["x", "y", "z", "other"], allowOther: true, maxSelections: 2 });
  const single = q("s", "single", { options: ["p", "other"], allowOther: true, required: true });
  const number = q("n", "number", { min: 0, max: 10 });
  const text = q("t", "text", { maxLength: 5 });

  it("keeps a half-rated matrix's rated rows", () => {
    const parsed = parseKeeping([matrix], { "q.m.a": "agree" });
    expect(parsed.errors.m).toBeDefined();
    expect(parsed.answers).toEqual([]);
    expect(parsed.kept).toEqual([{ question: "m", row: "a", option: "agree" }]);
  });

  it("keeps chosen options but not an 'other' without its text", () => {
    const parsed = parseKeeping([choice, single], { "q.c": ["x", "other"], "q.s": "other" });
    expect(parsed.kept).toEqual([{ question: "c", option: "x" }]);
  });

  it("keeps nothing of a choice over the maximum, a word for a number or a text over its limit", () => {
    const parsed = parseKeeping([choice, number, text], { "q.c": ["x", "y", "z"], "q.n": "many", "q.t": "far too long" });
    expect(Object.keys(parsed.errors).sort()).toEqual(["c", "n", "t"]);
    expect(parsed.kept).toEqual([]);
  });

  it("keeps whole valid answers too, and nothing at all from tampered input", () => {
    expect(parseKeeping([number, matrix], { "q.n": "4", "q.m.a": "agree" }).kept).toEqual([
      { question: "n", number: 4 },
      { question: "m", row: "a", option: "agree" },
    ]);
    const tampered = parseKeeping([number, matrix], { "q.n": "4", "q.m.a": "agree", "q.m.b": "not-a-point" });
    expect(tampered.tampered).toBe(true);
    expect(tampered.kept).toEqual([]);
  });
});
