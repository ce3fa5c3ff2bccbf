// Issue 19, preview: any version (a draft above all) rendered as members
// would answer it, in any of its languages, stepping through its conditions
// with the member pages' own checks, and storing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

const SLUG = "governance-review";
let database: TestDatabase;
let server: TestServer;
let cookie = "";
let draft = 0;

const preview = (query: string) => get(`${server.url}/staff/surveys/${SLUG}/preview${query}`, { headers: { cookie } });
const step = (query: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return fetch(`${server.url}/staff/surveys/${SLUG}/preview${query}`, {
    method: "POST",
    body,
    headers: { cookie, origin: server.url, "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
};
/** The page's hidden field holding the answers carried from step to step. */
const carried = (html: string) => {
  const match = /name="carried" value="([^"]*)"/.exec(html);
  return (match?.[1] ?? "").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
};
const firstSection = {
  section: "transparency",
  "q.transparency_minutes": "strongly_disagree",
  "q.transparency_annual_report": "agree",
  "q.transparency_interests": "agree",
};

beforeAll(async () => {
  database = await createTestDatabase("preview");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  const survey = await database.db.survey.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true, publishedVersion: true } });
  // A draft on top of the published version: another English section title, the French texts kept.
  const published = await database.db.surveyVersion.findUniqueOrThrow({ where: { surveyId_number: { surveyId: survey.id, number: survey.publishedVersion } } });
  const texts = JSON.parse(published.texts) as Record<string, { sections: Record<string, { title: string }> }>;
  texts.en!.sections.transparency!.title = "Openness of the Board (draft title)";
  draft = survey.publishedVersion + 1;
  await database.db.surveyVersion.create({
    data: {
      surveyId: survey.id,
      number: draft,
      definition: published.definition,
      texts: JSON.stringify(texts),
      contentHash: "draft-for-preview",
      note: "draft",
    },
  });
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "results_viewer" } },
      email: "rita@example.org",
      name: "Rita",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  server = await startServer(database.url);
  cookie = cookiesFrom(await postForm(`${server.url}/staff/login`, { email: "rita@example.org", password: "a long enough password" }));
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("survey preview", { timeout: 30_000 }, () => {
  it("shows the newest version, a draft, as members would see it, and any version or language on request", async () => {
    const page = await (await preview("")).text();
    expect(page).toContain(`Draft version ${draft}`);
    expect(page).toContain("Openness of the Board (draft title)");
    expect(page).toContain("Section 1 of");
    const published = await (await preview(`?version=${draft - 1}`)).text();
    expect(published).toContain("Transparency and accountability");
    const french = await preview(`?version=${draft}&lang=fr&width=phone`);
    const html = await french.text();
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('class="preview-frame phone"');
    const arabic = await (await preview("?lang=ar")).text();
    expect(arabic).toContain('dir="rtl"');
    // Without ?lang=, the staff member's own language.
    const own = await get(`${server.url}/staff/surveys/${SLUG}/preview`, { headers: { cookie: `${cookie}; lng=de` } });
    expect(await own.text()).toContain('<html lang="de"');
    expect((await preview("?version=999")).status).toBe(404);
  });

  it("checks a section as the member page does and shows a question its answers reveal before moving on", async () => {
    const missing = await step("", { section: "transparency", intent: "next", carried: "", shown: "" });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("error-summary");

    const revealed = await step("", { ...firstSection, intent: "next", carried: "", shown: "transparency_minutes,transparency_annual_report" });
    expect(revealed.status).toBe(200);
    const again = await revealed.text();
    expect(again).toContain('id="transparency_minutes_why"');
    expect(again).not.toMatch(/id="transparency_minutes_why"[^>]*hidden/);
    expect(again).toContain("Openness of the Board (draft title)");

    const shown = "transparency_minutes,transparency_minutes_why,transparency_annual_report,transparency_interests,transparency_channels,transparency_comments";
    const next = await step("", { ...firstSection, intent: "next", carried: carried(again), shown });
    const second = await next.text();
    expect(next.status).toBe(200);
    expect(second).toContain("Section 2 of");
    expect(JSON.parse(carried(second))).toEqual(expect.arrayContaining([{ question: "transparency_minutes", option: "strongly_disagree" }]));

    // Back keeps the answers.
    const back = await step("", { section: "regional_representation", intent: "back", carried: carried(second), shown: "" });
    expect(await back.text()).toMatch(/value="strongly_disagree"[^>]*checked|checked[^>]*value="strongly_disagree"/);
  });

  it("stores nothing, and refuses a form whose carried answers do not read", async () => {
    await step("", { ...firstSection, intent: "next", carried: "", shown: "transparency_minutes" });
    expect(await database.db.response.count()).toBe(0);
    expect(await database.db.answer.count()).toBe(0);
    expect((await step("", { ...firstSection, intent: "next", carried: "{not json", shown: "" })).status).toBe(400);
    expect((await step("", { ...firstSection, intent: "next", carried: '[{"question":1}]', shown: "" })).status).toBe(400);
    expect((await step("", { section: "nowhere", intent: "next", carried: "", shown: "" })).status).toBe(400);
  });
});
