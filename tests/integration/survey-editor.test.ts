// Issue 19, the editor without JavaScript: every change a plain POST carrying
// the version it was read from, saved as the next draft version; concurrent
// saves conflict instead of overwriting; a draft is published through the
// impact report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSurveyDefinition, type SurveyDefinition } from "~/domain/survey-definition";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

const SLUG = "strategic-plan-2025";
let database: TestDatabase;
let server: TestServer;
let cookies: Record<"ana" | "ben", string> = { ana: "", ben: "" };
let surveyId = "";

async function latest(): Promise<{ number: number; definition: SurveyDefinition; texts: Record<string, Record<string, unknown>>; note: string }> {
  const version = await database.db.surveyVersion.findFirstOrThrow({ where: { surveyId }, orderBy: { number: "desc" } });
  const parsed = parseSurveyDefinition(JSON.parse(version.definition));
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return { number: version.number, definition: parsed.definition, texts: JSON.parse(version.texts), note: version.note };
}

/** One edit as the page's form posts it, on top of the latest version. */
async function edit(fields: Record<string, string | string[]>, who: "ana" | "ben" = "ana", base?: number): Promise<Response> {
  const body = new URLSearchParams();
  body.set("base", String(base ?? (await latest()).number));
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return fetch(`${server.url}/staff/surveys/${SLUG}/edit`, {
    method: "POST",
    body,
    headers: { cookie: cookies[who], "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
}

const questions = (definition: SurveyDefinition) => definition.sections.flatMap((section) => section.questions);
const english = (texts: Record<string, Record<string, unknown>>, path: string) =>
  path.split(".").reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], texts.en);

beforeAll(async () => {
  database = await createTestDatabase("editor");
  useAsAppDatabase(database);
  await syncDemoSurveys();
  surveyId = (await database.db.survey.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true } })).id;
  for (const [name, email] of [
    ["Ana", "ana@example.org"],
    ["Ben", "ben@example.org"],
  ] as const) {
    await database.db.staffUser.create({
      data: { grants: { create: { role: "survey_manager" } }, email, name, passwordHash: await hashPassword("a long enough password") },
    });
  }
  server = await startServer(database.url);
  const login = async (email: string) => cookiesFrom(await postForm(`${server.url}/staff/login`, { email, password: "a long enough password" }));
  cookies = { ana: await login("ana@example.org"), ben: await login("ben@example.org") };
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("survey editor without JavaScript", { timeout: 30_000 }, () => {
  it("shows the latest version as forms, linked from the survey's tabs", async () => {
    const response = await get(`${server.url}/staff/surveys/${SLUG}/edit`, { headers: { cookie: cookies.ana } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("Edit the survey");
    expect(page).toContain(`href="/staff/surveys/${SLUG}/edit"`);
    expect(page).toContain('name="base" value="1"');
  });

  it("adds a section with its first question; keys come from the English titles and stay", async () => {
    const before = await latest();
    const response = await edit({
      intent: "addSection",
      sectionTitle: "Café & Outreach",
      "question.title": "How often do you attend?",
      "question.type": "single",
      "question.choices": "Every year\nSometimes\nNever",
    });
    expect(response.status).toBe(302);
    const after = await latest();
    expect(after.number).toBe(before.number + 1);
    expect(after.note).toBe("editor: addSection");
    const section = after.definition.sections.at(-1)!;
    expect(section.key).toBe("cafe_outreach");
    expect(section.questions[0]).toMatchObject({ key: "how_often_do_you_attend", type: "single", options: ["every_year", "sometimes", "never"] });
    expect(english(after.texts, "sections.cafe_outreach.title")).toBe("Café & Outreach");
    expect(english(after.texts, "questions.how_often_do_you_attend.options.sometimes")).toBe("Sometimes");
    // Nothing changes for members until a draft is published.
    expect((await database.db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publishedVersion).toBe(1);

    // Renaming changes the English title only: the key stays, the other languages' texts stay as they were.
    const french = JSON.stringify(after.texts.fr);
    expect((await edit({ intent: "renameSection", section: "cafe_outreach", title: "Outreach" })).status).toBe(302);
    const renamed = await latest();
    expect(renamed.definition.sections.at(-1)!.key).toBe("cafe_outreach");
    expect(english(renamed.texts, "sections.cafe_outreach.title")).toBe("Outreach");
    expect(JSON.stringify(renamed.texts.fr)).toBe(french);
  });

  it("adds a question of every type with its settings", async () => {
    const cases: [string, Record<string, string>][] = [
      ["likert", {}],
      ["single", { choices: "Yes\nNo" }],
      ["multiple", { choices: "Red\nGreen\nBlue" }],
      ["matrix", { choices: "Speed\nQuality" }],
      ["text", {}],
      ["number", {}],
    ];
    for (const [type, extra] of cases) {
      const response = await edit({ intent: "addQuestion", section: "cafe_outreach", title: `A ${type} question`, type, ...extra });
      expect(response.status, type).toBe(302);
    }
    const keys = questions((await latest()).definition).map((question) => `${question.key}:${question.type}`);
    for (const [type] of cases) expect(keys).toContain(`a_${type}_question:${type}`);

    // Settings of each type, one form each.
    const settings: [string, Record<string, string | string[]>, Partial<Record<string, unknown>>][] = [
      [
        "a_multiple_question",
        { title: "Colours?", required: "on", allowOther: "on", maxSelections: "2", "option.red": "Crimson", "new.options": "Yellow" },
        {},
      ],
      ["a_matrix_question", { title: "Rate", "row.speed": "Speed", "row.quality": "Quality", "remove.row.quality": "on", "new.rows": "Price" }, {}],
      ["a_text_question", { title: "Why?", maxLength: "300" }, {}],
      ["a_number_question", { title: "How many?", min: "0", max: "40", integer: "on" }, {}],
    ];
    for (const [key, fields] of settings) {
      const response = await edit({ intent: "editQuestion", question: key, ...fields });
      expect(response.status, key).toBe(302);
    }
    const { definition, texts } = await latest();
    const byKey = new Map(questions(definition).map((question) => [question.key, question]));
    expect(byKey.get("a_multiple_question")).toMatchObject({ required: true, allowOther: true, maxSelections: 2, options: ["red", "green", "blue", "yellow"] });
    expect(english(texts, "questions.a_multiple_question.options.red")).toBe("Crimson");
    expect(english(texts, "questions.a_multiple_question.label")).toBe("Colours?");
    expect(byKey.get("a_matrix_question")).toMatchObject({ rows: ["speed", "price"] });
    expect(english(texts, "questions.a_matrix_question.rows.quality")).toBeUndefined();
    expect(byKey.get("a_text_question")).toMatchObject({ maxLength: 300 });
    expect(byKey.get("a_number_question")).toMatchObject({ min: 0, max: 40, integer: true });
  });

  it("shows errors beside the field and in a summary, and saves nothing", async () => {
    const before = await latest();
    const response = await edit({ intent: "editQuestion", question: "a_number_question", title: "How many?", min: "50", max: "40" });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("The minimum must not be greater than the maximum.");
    expect(page).toContain('aria-invalid="true"');
    const noOptions = await edit({ intent: "addQuestion", section: "cafe_outreach", title: "Pick", type: "single", choices: "Only one" });
    expect(noOptions.status).toBe(400);
    expect(await noOptions.text()).toContain("A choice question needs at least two options.");
    expect((await edit({ intent: "nonsense" })).status).toBe(400);
    expect((await latest()).number).toBe(before.number);
  });

  it("reorders with Up and Down buttons", async () => {
    const order = async () => (await latest()).definition.sections.at(-1)!.questions.map((question) => question.key);
    const before = await order();
    expect((await edit({ intent: "moveQuestion", question: before[1]!, direction: "up" })).status).toBe(302);
    expect(await order()).toEqual([before[1], before[0], ...before.slice(2)]);
    expect((await edit({ intent: "moveQuestion", question: before[1]!, direction: "up" })).status).toBe(400);
    const sections = (await latest()).definition.sections.map((section) => section.key);
    expect((await edit({ intent: "moveSection", section: "cafe_outreach", direction: "up" })).status).toBe(302);
    const moved = (await latest()).definition.sections.map((section) => section.key);
    expect(moved.at(-2)).toBe("cafe_outreach");
    expect(moved.length).toBe(sections.length);
  });

  it("moves to a place, as a drop does, and refuses places outside the list", async () => {
    const order = async () => (await latest()).definition.sections.at(-1)!.questions.map((question) => question.key);
    const before = await order();
    const last = before.length - 1;
    expect((await edit({ intent: "moveQuestion", question: before[0]!, direction: `to:${last}` })).status).toBe(302);
    expect(await order()).toEqual([...before.slice(1), before[0]]);
    for (const direction of [`to:${last + 1}`, "to:-1", "to:x", `to:${last}`]) {
      const refused = await edit({ intent: "moveQuestion", question: before[0]!, direction });
      expect(refused.status, direction).toBe(400);
    }
    expect(await order()).toEqual([...before.slice(1), before[0]]);
    const sections = (await latest()).definition.sections.map((section) => section.key);
    expect((await edit({ intent: "moveSection", section: sections.at(-1)!, direction: "to:0" })).status).toBe(302);
    expect((await latest()).definition.sections.map((section) => section.key)).toEqual([sections.at(-1), ...sections.slice(0, -1)]);
  });

  it("sets a condition from the pick-list and reads it back as a sentence", async () => {
    const response = await edit({
      intent: "editQuestion",
      question: "a_text_question",
      title: "Why?",
      maxLength: "300",
      condition: ["a_single_question:yes", "a_single_question:no"],
    });
    expect(response.status).toBe(302);
    const question = questions((await latest()).definition).find((candidate) => candidate.key === "a_text_question")!;
    expect(question.showIf).toEqual({ question: "a_single_question", anyOf: ["yes", "no"] });
    const page = await (await get(`${server.url}/staff/surveys/${SLUG}/edit`, { headers: { cookie: cookies.ana } })).text();
    expect(page).toContain("Shown only when the answer to “A single question” is “Yes” or “No”.");
    // A condition on a later question is refused.
    const forward = await edit({ intent: "editQuestion", question: "a_single_question", title: "A single question", condition: "a_text_question:x" });
    expect(forward.status).toBe(400);
  });

  it("refuses a save made on an older version, naming who saved which version, and overwrites nothing", async () => {
    const base = (await latest()).number;
    expect((await edit({ intent: "renameSection", section: "cafe_outreach", title: "Ben's title" }, "ben", base)).status).toBe(302);
    const response = await edit({ intent: "renameSection", section: "cafe_outreach", title: "Ana's title" }, "ana", base);
    expect(response.status).toBe(409);
    const page = await response.text();
    expect(page).toContain(`you were editing version ${base}, but Ben saved version ${base + 1}`);
    expect(page).toContain("What their versions changed:");
    expect(page).toContain("texts changed");
    const after = await latest();
    expect(after.number).toBe(base + 1);
    expect(english(after.texts, "sections.cafe_outreach.title")).toBe("Ben's title");
  });

  it("publishes the draft through the impact report", async () => {
    const { number } = await latest();
    const publish = (fields: Record<string, string>) =>
      postForm(`${server.url}/staff/surveys/${SLUG}/versions`, { intent: "publish", version: String(number), ...fields }, { headers: { cookie: cookies.ana } });
    // The editor's button shows the report first, even when every change is safe.
    const report = await publish({ review: "1" });
    expect(report.status).toBe(200);
    const page = await report.text();
    expect(page).toContain("Safe");
    expect(page).toContain("section “cafe_outreach” added");
    expect(page).toContain(`Publish version ${number}<`);
    expect((await database.db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publishedVersion).toBe(1);
    const response = await publish({ confirmed: "0" });
    expect(response.status).toBe(302);
    expect((await database.db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publishedVersion).toBe(number);
    expect(await database.db.question.count({ where: { surveyId, key: "a_matrix_question" } })).toBe(1);
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: "surveys.publish" }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(audit.detail!)).toMatchObject({ version: number, impact: { level: "safe" } });
  });

  it("retires a question and removes an unanswered one", async () => {
    expect((await edit({ intent: "retireQuestion", question: "a_likert_question" })).status).toBe(302);
    expect(questions((await latest()).definition).find((question) => question.key === "a_likert_question")!.retired).toBe(true);
    expect((await edit({ intent: "removeQuestion", question: "a_number_question" })).status).toBe(302);
    const { definition, texts } = await latest();
    expect(questions(definition).some((question) => question.key === "a_number_question")).toBe(false);
    expect(english(texts, "questions.a_number_question")).toBeUndefined();
  });

  it("creates a new survey, blank or as a copy with its translations, under a slug the user chooses", async () => {
    const create = (fields: Record<string, string>) => postForm(`${server.url}/staff/surveys/new`, fields, { headers: { cookie: cookies.ana } });
    const list = await (await get(`${server.url}/staff`, { headers: { cookie: cookies.ana } })).text();
    expect(list).toContain('href="/staff/surveys/new"');

    const blank = await create({ title: "Volunteer pulse", slug: "volunteer-pulse", source: "blank" });
    expect(blank.status).toBe(302);
    expect(blank.headers.get("location")).toBe("/staff/surveys/volunteer-pulse/edit");
    const made = await database.db.survey.findUniqueOrThrow({ where: { slug: "volunteer-pulse" }, select: { status: true, publishedVersion: true } });
    expect(made).toEqual({ status: "draft", publishedVersion: 1 });
    expect(await (await get(`${server.url}/staff/surveys/volunteer-pulse/edit`, { headers: { cookie: cookies.ana } })).text()).toContain("Volunteer pulse");

    const copy = await create({ title: "Governance review 2027", slug: "governance-review-2027", source: "governance-review" });
    expect(copy.status).toBe(302);
    const copied = await database.db.survey.findUniqueOrThrow({ where: { slug: "governance-review-2027" }, select: { id: true } });
    const version = await database.db.surveyVersion.findFirstOrThrow({ where: { surveyId: copied.id } });
    const texts = JSON.parse(version.texts) as Record<string, { title: string }>;
    expect(texts.en!.title).toBe("Governance review 2027");
    expect(Object.keys(texts).sort()).toEqual(["ar", "de", "en", "es", "fr", "ru", "zh"]);
    expect(await database.db.question.count({ where: { surveyId: copied.id } })).toBeGreaterThan(20);
    expect(Date.parse((JSON.parse(version.definition) as { opensAt: string }).opensAt)).toBeGreaterThan(Date.now());

    const before = await database.db.survey.count();
    for (const [fields, status, message] of [
      [{ title: "Again", slug: "volunteer-pulse", source: "blank" }, 409, "Another survey already uses this address name."],
      [{ title: "Bad", slug: "Bad Slug!", source: "blank" }, 400, "Use lowercase letters"],
      [{ title: "Reserved", slug: "new", source: "blank" }, 400, "Use lowercase letters"],
      [{ title: "", slug: "untitled", source: "blank" }, 400, "Enter a text."],
      [{ title: "Nowhere", slug: "from-nowhere", source: "no-such-survey" }, 400, "Choose a blank survey or a published survey to copy."],
    ] as const) {
      const response = await create(fields);
      expect(response.status, fields.slug).toBe(status);
      expect(await response.text(), fields.slug).toContain(message);
    }
    expect(await database.db.survey.count()).toBe(before);
  });

  it("creates one survey when two people create the same address at the same moment: the other is told it is taken", async () => {
    const create = (title: string) =>
      postForm(`${server.url}/staff/surveys/new`, { title, slug: "same-moment", source: "governance-review" }, { headers: { cookie: cookies.ana } });
    const answers = await Promise.all([create("First at the same moment"), create("Second at the same moment"), create("Third at the same moment")]);
    expect(answers.map((response) => response.status).sort()).toEqual([302, 409, 409]);
    const made = await database.db.survey.findUniqueOrThrow({ where: { slug: "same-moment" }, select: { id: true } });
    const versions = await database.db.surveyVersion.findMany({ where: { surveyId: made.id }, select: { number: true, texts: true } });
    expect(versions.map((version) => version.number)).toEqual([1]);
    const winner = answers.findIndex((response) => response.status === 302);
    expect((JSON.parse(versions[0]!.texts) as Record<string, { title: string }>).en!.title).toBe(["First", "Second", "Third"][winner] + " at the same moment");
  });
});
