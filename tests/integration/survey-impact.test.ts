// Issue 19, publishing a change to a survey that has answers: the impact
// report refuses what would lose or misread answers (and stores nothing),
// asks to confirm what changes how answers read, publishes the rest, and
// audits each publish with its summary. A retired question leaves the
// respondent pages and stays in the results.
import { readdirSync, readFileSync } from "node:fs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

const SLUG = "governance-review";
let database: TestDatabase;
let server: TestServer;
let cookie = "";
let surveyId = "";

interface RawQuestion {
  key: string;
  type: string;
  options?: string[];
  rows?: string[];
  [setting: string]: unknown;
}
type RawDefinition = { sections: { key: string; questions: RawQuestion[] }[]; [setting: string]: unknown };

function repoBundle(): Record<string, string> {
  const files: Record<string, string> = { [`surveys/${SLUG}.json`]: readFileSync(`surveys/${SLUG}.json`, "utf8") };
  for (const language of readdirSync("locales")) {
    try {
      files[`locales/${language}/survey.${SLUG}.json`] = readFileSync(`locales/${language}/survey.${SLUG}.json`, "utf8");
    } catch {
      // not every folder holds this survey's texts
    }
  }
  return files;
}

/** The repository's bundle with its definition changed. */
function changedBundle(
  change: (definition: RawDefinition, question: (key: string) => RawQuestion) => void,
  english: (texts: { questions: Record<string, { options?: Record<string, string> }> }) => void = () => {},
): Record<string, string> {
  const files = repoBundle();
  const texts = JSON.parse(files[`locales/en/survey.${SLUG}.json`]!) as Parameters<typeof english>[0];
  english(texts);
  files[`locales/en/survey.${SLUG}.json`] = `${JSON.stringify(texts, null, 2)}\n`;
  const definition = JSON.parse(files[`surveys/${SLUG}.json`]!) as RawDefinition;
  // Kept open (the repository's dates are past): publishing applies the definition's dates.
  definition.closesAt = new Date(Date.now() + 10 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
  change(definition, (key) => definition.sections.flatMap((section) => section.questions).find((question) => question.key === key)!);
  files[`surveys/${SLUG}.json`] = `${JSON.stringify(definition, null, 2)}\n`;
  return files;
}

async function upload(files: Record<string, string>): Promise<Response> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content, { createFolders: false });
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(await zip.generateAsync({ type: "uint8array" }))], { type: "application/zip" }), "bundle.zip");
  return fetch(`${server.url}/staff/bundles`, { method: "POST", body: form, headers: { cookie }, redirect: "manual" });
}

function publish(version: number, fields: Record<string, string> = {}): Promise<Response> {
  return postForm(`${server.url}/staff/surveys/${SLUG}/versions`, { intent: "publish", version: String(version), ...fields }, { headers: { cookie } });
}

const everything = async () => ({
  surveys: await database.db.survey.findMany({ select: { slug: true, mode: true, anonymityThreshold: true, publishedVersion: true, definitionHash: true } }),
  versions: await database.db.surveyVersion.count(),
  questions: await database.db.question.findMany({ where: { surveyId }, orderBy: { position: "asc" }, select: { key: true, type: true, settings: true } }),
  options: await database.db.option.count(),
  answers: await database.db.answer.count(),
  audit: await database.db.auditLog.count(),
});

/** One submitted response answering a question (with an option or a matrix row). */
async function answer(questionKey: string, part: { option?: string; row?: string; number?: number } = {}): Promise<void> {
  const question = await database.db.question.findFirstOrThrow({
    where: { surveyId, key: questionKey },
    select: { id: true, options: { select: { id: true, key: true, role: true } } },
  });
  const find = (role: string, key?: string) => (key ? question.options.find((option) => option.role === role && option.key === key)!.id : null);
  const response = await database.db.response.create({
    data: { surveyId, language: "en", status: "submitted", submittedAt: new Date() },
    select: { id: true },
  });
  await database.db.answer.create({
    data: {
      responseId: response.id,
      questionId: question.id,
      optionId: find("choice", part.option),
      rowId: find("row", part.row),
      numberValue: part.number ?? null,
    },
  });
}

beforeAll(async () => {
  database = await createTestDatabase("impact");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  surveyId = (await database.db.survey.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true } })).id;
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "survey_manager" } },
      email: "manager@example.org",
      name: "Manager",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  server = await startServer(database.url);
  cookie = cookiesFrom(await postForm(`${server.url}/staff/login`, { email: "manager@example.org", password: "a long enough password" }));
  await answer("transparency_minutes", { option: "agree" });
  await answer("transparency_annual_report", { option: "agree" });
  await answer("transparency_channels", { option: "website" });
  await answer("regional_councils", { row: "clear_mandate", option: "agree" });
  await answer("participation_years", { number: 5 });
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("impact report on publishing", { timeout: 30_000 }, () => {
  it("refuses each change that would lose or misread answers, naming it, and stores nothing", async () => {
    const cases: [string, Record<string, string>, string][] = [
      [
        "an answered question removed",
        changedBundle((definition) => (definition.sections[0]!.questions = definition.sections[0]!.questions.filter((q) => q.key !== "transparency_channels"))),
        "question “transparency_channels” removed (1 answer)",
      ],
      [
        "an answered question retyped",
        changedBundle((definition) => {
          const section = definition.sections.find((candidate) => candidate.questions.some((q) => q.key === "participation_years"))!;
          section.questions = section.questions.map((q) => (q.key === "participation_years" ? { key: q.key, type: "likert" } : q));
        }),
        "changed type from number to likert",
      ],
      [
        "an answered option removed",
        changedBundle((_, question) => (question("transparency_channels").options = question("transparency_channels").options!.filter((o) => o !== "website"))),
        "option “website” removed from question “transparency_channels” (1 answer)",
      ],
      ["an answered matrix row removed", changedBundle((_, question) => question("regional_councils").rows!.shift()), "row “clear_mandate” removed"],
      [
        "the mode changed",
        changedBundle((definition) => Object.assign(definition, { mode: "anonymous", allowEditAfterSubmit: false })),
        "mode changed from Confidential to Anonymous",
      ],
      ["the anonymity threshold lowered", changedBundle((definition) => (definition.anonymityThreshold = 3)), "anonymity threshold lowered from 5 to 3"],
    ];
    const before = await everything();
    for (const [what, files, message] of cases) {
      const response = await upload(files);
      expect(response.status, what).toBe(409);
      expect(await response.text(), what).toContain(message);
    }
    expect(await everything()).toEqual(before);
  });

  it("refuses to publish a draft with a refused change, whatever brought it in, and stores nothing", async () => {
    const published = await database.db.surveyVersion.findFirstOrThrow({ where: { surveyId, publishedAt: { not: null } }, orderBy: { number: "desc" } });
    const definition = JSON.parse(published.definition) as RawDefinition;
    definition.anonymityThreshold = 2;
    const last = await database.db.surveyVersion.findFirstOrThrow({ where: { surveyId }, orderBy: { number: "desc" }, select: { number: true } });
    const number = last.number + 1;
    await database.db.surveyVersion.create({
      data: { surveyId, number, definition: JSON.stringify(definition), texts: published.texts, contentHash: `test-${number}` },
    });
    const before = await everything();
    for (const fields of [{}, { confirmed: "0" }, { confirmed: "1" }] as Record<string, string>[]) {
      const response = await publish(number, fields);
      expect(response.status).toBe(409);
      expect(await response.text()).toContain("anonymity threshold lowered from 5 to 2");
    }
    expect(await everything()).toEqual(before);
    await database.db.surveyVersion.delete({ where: { surveyId_number: { surveyId, number } } });
  });

  it("asks to confirm changes to rules, publishes once confirmed, and audits the summary", async () => {
    const imported = await upload(
      changedBundle(
        (_, question) => {
          question("transparency_comments").required = true;
          question("transparency_channels").options!.push("podcasts");
        },
        (texts) => (texts.questions.transparency_channels!.options!.podcasts = "Podcasts"),
      ),
    );
    expect(imported.status).toBe(302);
    const number = Number(new URL(imported.headers.get("location")!, server.url).searchParams.get("imported"));
    expect(number).toBeGreaterThan(1);

    const asked = await publish(number);
    expect(asked.status).toBe(200);
    const page = await asked.text();
    expect(page).toContain("Needs confirmation");
    expect(page).toContain("question “transparency_comments” is now required");
    expect(page).toContain("option “podcasts” added to question “transparency_channels”");
    expect(page).toContain(`Publish version ${number} with 1 change to confirm`);
    expect((await database.db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publishedVersion).not.toBe(number);

    const stale = await publish(number, { confirmed: "2" });
    expect(stale.status).toBe(409);
    expect((await database.db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publishedVersion).not.toBe(number);

    const confirmed = await publish(number, { confirmed: "1" });
    expect(confirmed.status).toBe(302);
    expect((await database.db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publishedVersion).toBe(number);
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: "surveys.publish" }, orderBy: { createdAt: "desc" } });
    const detail = JSON.parse(audit.detail!) as { version: number; impact: { level: string; confirm: number; changes: string[] } };
    expect(detail.version).toBe(number);
    expect(detail.impact.level).toBe("confirm");
    expect(detail.impact.changes).toEqual(expect.arrayContaining(["required:transparency_comments", "optionAdded:transparency_channels:podcasts"]));
  });

  it("retires an answered question: members no longer see it, its answers stay in the results", async () => {
    const participant = await createParticipant(SLUG, { language: "en" });
    const label = (JSON.parse(readFileSync(`locales/en/survey.${SLUG}.json`, "utf8")) as { questions: Record<string, { label: string }> }).questions
      .transparency_annual_report!.label;
    const sectionPage = () => get(`${server.url}/s/${participant.token}/section/transparency`).then((response) => response.text());
    expect(await sectionPage()).toContain(label);

    const answersBefore = await database.db.answer.count();
    const imported = await upload(changedBundle((_, question) => (question("transparency_annual_report").retired = true)));
    expect(imported.status).toBe(302);
    const number = Number(new URL(imported.headers.get("location")!, server.url).searchParams.get("imported"));
    // Retiring is safe; the repository's files also undo the previous test's required question, which is confirmed.
    const asked = await publish(number);
    expect(asked.status).toBe(200);
    const page = await asked.text();
    expect(page).toContain("question “transparency_annual_report” retired: members no longer see it; its answers (1 answer) stay in the results");
    expect(page).toContain("question “transparency_comments” is now optional");
    expect((await publish(number, { confirmed: "1" })).status).toBe(302);

    expect(await sectionPage()).not.toContain(label);
    expect(await database.db.answer.count()).toBe(answersBefore);
    const results = await (await get(`${server.url}/staff/surveys/${SLUG}/results`, { headers: { cookie } })).text();
    expect(results).toContain(label);
  });
});
