import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { LIKERT_SCALE, parseSurveyDefinition, surveyOptionalTextKeys, surveyTextKeys, type SurveyDefinition } from "../../app/domain/survey-definition";

const SLUGS = ["governance-review", "interoperability-standards", "strategic-plan-2025"];
const LANGUAGES = ["ar", "en", "es", "fr", "de", "ru", "zh"];

function readJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(join(process.cwd(), ...parts), "utf8"));
}

function loadSurvey(slug: string): SurveyDefinition {
  const result = parseSurveyDefinition(readJson("surveys", `${slug}.json`), slug);
  if (!result.ok) throw new Error(`${slug}: ${result.errors.join("\n")}`);
  return result.definition;
}

/** Flattens nested texts to dot paths; non-string leaves are kept to be reported. */
function flatten(value: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      for (const [path, leaf] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(path, leaf);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

function validSurvey(): Record<string, unknown> {
  return {
    slug: "demo",
    mode: "confidential",
    opensAt: "2026-06-22T00:00:00Z",
    closesAt: "2026-07-14T23:59:59Z",
    defaultLanguage: "en",
    sections: [
      {
        key: "first",
        questions: [
          { key: "q_likert", type: "likert", required: true },
          { key: "q_single", type: "single", options: ["a", "b"], allowOther: true },
          { key: "q_text", type: "text" },
        ],
      },
      {
        key: "second",
        questions: [{ key: "q_why", type: "text", showIf: { question: "q_likert", anyOf: ["disagree"] } }],
      },
    ],
  };
}

function withQuestions(questions: unknown[]): Record<string, unknown> {
  return { ...validSurvey(), sections: [{ key: "only", questions }] };
}

function errorsOf(input: unknown, slug?: string): string[] {
  const result = parseSurveyDefinition(input, slug);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe("the demo surveys", () => {
  it.each(SLUGS)("%s parses", (slug) => {
    const def = loadSurvey(slug);
    expect(def.slug).toBe(slug);
    expect(def.sections.length).toBeGreaterThan(0);
  });

  it("the anonymous survey forbids editing after submission", () => {
    const def = loadSurvey("strategic-plan-2025");
    expect(def.mode).toBe("anonymous");
    expect(def.allowEditAfterSubmit).toBe(false);
  });

  describe.each(SLUGS)("texts of %s", (slug) => {
    const def = loadSurvey(slug);
    const required = surveyTextKeys(def);
    const allowed = new Set([...required, ...surveyOptionalTextKeys(def)]);

    it.each(LANGUAGES)("%s is complete, with no unknown keys and no empty texts", (lng) => {
      const texts = flatten(readJson("locales", lng, `survey.${slug}.json`));
      expect(
        required.filter((k) => !texts.has(k)),
        "missing keys",
      ).toEqual([]);
      expect(
        [...texts.keys()].filter((k) => !allowed.has(k)),
        "unknown keys",
      ).toEqual([]);
      const notText = [...texts].filter(([, v]) => typeof v !== "string" || v.trim() === "").map(([k]) => k);
      expect(notText, "empty or non-string texts").toEqual([]);
    });

    it("every language has the same optional keys as English", () => {
      const english = [...flatten(readJson("locales", "en", `survey.${slug}.json`)).keys()].sort();
      for (const lng of LANGUAGES) {
        expect([...flatten(readJson("locales", lng, `survey.${slug}.json`)).keys()].sort(), lng).toEqual(english);
      }
    });
  });
});

describe("parseSurveyDefinition", () => {
  it("applies defaults", () => {
    const result = parseSurveyDefinition(validSurvey());
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const { definition } = result;
    expect(definition.allowEditAfterSubmit).toBe(true);
    expect(definition.anonymityThreshold).toBe(5);
    const [likert, single, text] = definition.sections[0]?.questions ?? [];
    expect(likert?.required).toBe(true);
    expect(single?.required).toBe(false);
    expect(text?.type === "text" && text.maxLength).toBe(2000);
  });

  it("defaults allowEditAfterSubmit to false for anonymous surveys", () => {
    const result = parseSurveyDefinition({ ...validSurvey(), mode: "anonymous" });
    expect(result.ok && result.definition.allowEditAfterSubmit).toBe(false);
  });

  it("rejects a duplicate question key, even across sections", () => {
    const input = validSurvey();
    const sections = input.sections as { questions: unknown[] }[];
    sections[1]?.questions.push({ key: "q_single", type: "likert" });
    expect(errorsOf(input)).toContain('sections[1].questions[1].key: duplicate question key "q_single" (also sections[0].questions[1])');
  });

  it("rejects duplicate section, option and row keys", () => {
    const errors = errorsOf({
      ...validSurvey(),
      sections: [
        {
          key: "same",
          questions: [
            { key: "s", type: "single", options: ["a", "a"] },
            { key: "m", type: "matrix", rows: ["r", "r"] },
          ],
        },
        { key: "same", questions: [{ key: "t", type: "text" }] },
      ],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        'sections[1].key: duplicate section key "same" (also sections[0])',
        'sections[0].questions[0].options[1]: duplicate option key "a" (also options[0])',
        'sections[0].questions[1].rows[1]: duplicate row key "r" (also rows[0])',
      ]),
    );
  });

  it("rejects showIf pointing to a later question", () => {
    const errors = errorsOf(
      withQuestions([
        { key: "first", type: "text", showIf: { question: "second", anyOf: ["agree"] } },
        { key: "second", type: "likert" },
      ]),
    );
    expect(errors).toEqual(['sections[0].questions[0].showIf.question: "second" is not an earlier question']);
  });

  it("rejects showIf pointing to itself or to an unknown question", () => {
    const errors = errorsOf(
      withQuestions([
        { key: "self", type: "likert", showIf: { question: "self", anyOf: ["agree"] } },
        { key: "other_q", type: "text", showIf: { question: "nowhere", anyOf: ["agree"] } },
      ]),
    );
    expect(errors).toEqual([
      'sections[0].questions[0].showIf.question: "self" is not an earlier question',
      'sections[0].questions[1].showIf.question: "nowhere" is not an earlier question',
    ]);
  });

  it("rejects showIf pointing to a text question", () => {
    const errors = errorsOf(
      withQuestions([
        { key: "comment", type: "text" },
        { key: "follow_up", type: "text", showIf: { question: "comment", anyOf: ["agree"] } },
      ]),
    );
    expect(errors).toEqual(['sections[0].questions[1].showIf.question: "comment" is a text question; conditions need likert, single or multiple']);
  });

  it("rejects showIf values that are not options of the referenced question", () => {
    const errors = errorsOf(
      withQuestions([
        { key: "colour", type: "single", options: ["red", "blue"], allowOther: true },
        { key: "why_colour", type: "text", showIf: { question: "colour", anyOf: ["other", "green"] } },
        { key: "scale", type: "likert" },
        { key: "why_scale", type: "text", showIf: { question: "scale", anyOf: ["agree", "yes"] } },
      ]),
    );
    expect(errors).toEqual([
      'sections[0].questions[1].showIf.anyOf[1]: "green" is not an option of "colour" (expected one of: red, blue, other)',
      `sections[0].questions[3].showIf.anyOf[1]: "yes" is not an option of "scale" (expected one of: ${LIKERT_SCALE.map((s) => s.key).join(", ")})`,
    ]);
  });

  it("rejects closesAt before opensAt", () => {
    const errors = errorsOf({ ...validSurvey(), opensAt: "2026-07-14T00:00:00Z", closesAt: "2026-06-22T00:00:00Z" });
    expect(errors).toEqual(["closesAt: must be after opensAt (2026-07-14T00:00:00Z)"]);
  });

  it("rejects dates that are not UTC", () => {
    const errors = errorsOf({ ...validSurvey(), opensAt: "2026-06-22T00:00:00+02:00" });
    expect(errors).toEqual(["opensAt: must be an ISO 8601 date-time in UTC, e.g. 2026-06-22T00:00:00Z"]);
  });

  it("rejects an anonymous survey that allows editing after submission", () => {
    const errors = errorsOf({ ...validSurvey(), mode: "anonymous", allowEditAfterSubmit: true });
    expect(errors).toEqual(["allowEditAfterSubmit: must be false when mode is anonymous"]);
  });

  it('rejects the reserved option key "other"', () => {
    const errors = errorsOf(withQuestions([{ key: "pick", type: "multiple", options: ["a", "other"] }]));
    expect(errors).toEqual(['sections[0].questions[0].options[1]: "other" is reserved; use allowOther instead']);
  });

  it("rejects a slug that does not match the file name", () => {
    expect(errorsOf(validSurvey(), "governance-review")).toEqual(['slug: "demo" does not match the file name "governance-review"']);
  });

  it("rejects min greater than max and maxSelections beyond the options", () => {
    const errors = errorsOf(
      withQuestions([
        { key: "years", type: "number", min: 10, max: 5 },
        { key: "pick", type: "multiple", options: ["a", "b"], maxSelections: 3 },
      ]),
    );
    expect(errors).toEqual([
      "sections[0].questions[0].min: must not be greater than max (5)",
      "sections[0].questions[1].maxSelections: must not exceed the 2 available options",
    ]);
  });

  it("reports structural errors with their paths", () => {
    const errors = errorsOf(
      withQuestions([
        { key: "Bad-Key", type: "likert" },
        { key: "ok", type: "slider" },
        { key: "long", type: "text", maxLength: 20000 },
        { key: "typo", type: "likert", requried: true },
      ]),
    );
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^sections\[0\]\.questions\[0\]\.key: /);
    expect(errors[1]).toBe("sections[0].questions[1].type: type must be one of: likert, single, multiple, matrix, text, number");
    expect(errors[2]).toMatch(/^sections\[0\]\.questions\[2\]\.maxLength: /);
    expect(errors[3]).toMatch(/^sections\[0\]\.questions\[3\]: .*requried/);
  });
});

describe("surveyTextKeys", () => {
  it("lists titles, labels, options and rows in survey order", () => {
    const result = parseSurveyDefinition(
      withQuestions([
        { key: "pick", type: "single", options: ["a", "b"], allowOther: true },
        { key: "grid", type: "matrix", rows: ["r1", "r2"] },
        { key: "age", type: "number" },
      ]),
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(surveyTextKeys(result.definition)).toEqual([
      "title",
      "description",
      "sections.only.title",
      "questions.pick.label",
      "questions.pick.options.a",
      "questions.pick.options.b",
      "questions.grid.label",
      "questions.grid.rows.r1",
      "questions.grid.rows.r2",
      "questions.age.label",
    ]);
    expect(surveyOptionalTextKeys(result.definition)).toEqual([
      "sections.only.intro",
      "questions.pick.help",
      "questions.pick.otherLabel",
      "questions.grid.help",
      "questions.age.help",
    ]);
  });
});
