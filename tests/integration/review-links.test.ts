// Issue 19, review links: staff who may edit a survey make a read-only link
// to one version for someone without an account (a Board member, an outside
// translator); the reviewer steps through the staff preview at
// /review/<token> in any of the version's languages, and nothing they do is
// stored. Revoked and expired links answer 410, unknown ones 404, and wrong
// guesses are rate-limited as members' links are.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertReviewLink } from "~/models/review-link.server";
import { hashPassword } from "~/platform/password.server";
import { generateToken, hashToken } from "~/platform/tokens.server";
import { allTableRows, createTestDatabase, rowsAsText, type TestDatabase } from "../support/database";
import { DAY } from "../support/dates";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

const SLUG = "governance-review";
const PASSWORD = "a long enough password";
let database: TestDatabase;
let server: TestServer;
let surveyId = "";
let draft = 0;
const staff = { manager: { id: "", cookie: "" }, viewer: { id: "", cookie: "" } };
/** The link made in the first test, used by the next ones. */
let token = "";

const page = (path: string, cookie?: string) => get(`${server.url}/staff/surveys/${SLUG}/${path}`, { headers: cookie ? { cookie } : {} });
const staffPost = (path: string, cookie: string, fields: Record<string, string>) =>
  postForm(`${server.url}/staff/surveys/${SLUG}/${path}`, fields, { headers: { cookie, origin: server.url } });
const review = (suffix: string, headers: Record<string, string> = {}) => get(`${server.url}/review/${suffix}`, { headers });
/** A reviewer's step: a form post without any cookie. */
const step = (query: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return postForm(`${server.url}/review/${token}${query}`, body, { headers: { origin: server.url, ...headers } });
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
const createForm = (fields: Partial<Record<"label" | "days" | "version", string>> = {}) => ({
  intent: "create",
  label: "Governing Board",
  days: "14",
  version: String(draft),
  ...fields,
});

async function signIn(email: string, role: string, limitedToSurvey: boolean): Promise<{ id: string; cookie: string }> {
  const user = await database.db.staffUser.create({
    data: {
      email,
      name: email.split("@")[0]!,
      passwordHash: await hashPassword(PASSWORD),
      grants: { create: { role, surveyId: limitedToSurvey ? surveyId : null } },
    },
  });
  const response = await postForm(`${server.url}/staff/login`, { email, password: PASSWORD });
  expect(response.status, email).toBe(302);
  return { id: user.id, cookie: cookiesFrom(response) };
}

beforeAll(async () => {
  database = await createTestDatabase("review-links");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  const survey = await database.db.survey.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true, publishedVersion: true } });
  surveyId = survey.id;
  // A draft on top of the published version: another English section title, the other languages kept.
  const published = await database.db.surveyVersion.findUniqueOrThrow({ where: { surveyId_number: { surveyId, number: survey.publishedVersion } } });
  const texts = JSON.parse(published.texts) as Record<string, { sections: Record<string, { title: string }> }>;
  texts.en!.sections.transparency!.title = "Openness of the Board (draft title)";
  draft = survey.publishedVersion + 1;
  await database.db.surveyVersion.create({
    data: { surveyId, number: draft, definition: published.definition, texts: JSON.stringify(texts), contentHash: "draft-for-review", note: "draft" },
  });
  server = await startServer(database.url, { LOG_LEVEL: "error" });
  staff.manager = await signIn("maria@example.org", "survey_manager", true);
  staff.viewer = await signIn("rita@example.org", "results_viewer", false);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("review links", { timeout: 30_000 }, () => {
  it("are made by those who may edit the survey, for a version, and shown once", async () => {
    const preview = await (await page(`preview?version=${draft}`, staff.manager.cookie)).text();
    expect(preview).toContain(`/staff/surveys/${SLUG}/review-links?version=${draft}`);
    const form = await page(`review-links?version=${draft}`, staff.manager.cookie);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain("New review link");
    expect(html).toMatch(new RegExp(`<option value="${draft}" selected="">Version ${draft} \\(draft\\)</option>`));

    const created = await staffPost("review-links", staff.manager.cookie, createForm());
    expect(created.status).toBe(200);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const shown = await created.text();
    token = /\/review\/([A-Za-z0-9_-]{22,})"/.exec(shown)?.[1] ?? "";
    expect(token).not.toBe("");

    // Only the hash is kept; the link is for the draft, for 14 days, and the page never shows it again.
    const row = await database.db.reviewLink.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(row).toMatchObject({ surveyId, versionNumber: draft, label: "Governing Board", createdById: staff.manager.id, revokedAt: null });
    expect(Math.abs(row.expiresAt.getTime() - (Date.now() + 14 * DAY))).toBeLessThan(60_000);
    expect(rowsAsText(await allTableRows(database))).not.toContain(token);
    const listed = await (await page("review-links", staff.manager.cookie)).text();
    expect(listed).toContain("Governing Board");
    expect(listed).toContain(">Revoke<");
    expect(listed).not.toContain(token);

    const audit = await database.db.auditLog.findMany({ where: { action: "surveys.reviewLink.create" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ staffUserId: staff.manager.id, subject: SLUG });
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ link: row.id, version: draft, label: "Governing Board" });
  });

  it("refuses bad input with a message and stores nothing", async () => {
    const before = await database.db.reviewLink.count();
    for (const [fields, message] of [
      [{ days: "0" }, "Enter a whole number of days from 1 to 90."],
      [{ days: "91" }, "Enter a whole number of days from 1 to 90."],
      [{ days: "two" }, "Enter a whole number of days from 1 to 90."],
      [{ label: "   " }, "This field is required."],
      [{ label: "x".repeat(201) }, "This value is too long."],
      [{ version: "999" }, "Choose a version of this survey."],
      [{ version: "draft" }, "Choose a version of this survey."],
    ] as const) {
      const response = await staffPost("review-links", staff.manager.cookie, createForm(fields));
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(await response.text()).toContain(message);
    }
    const unknown = await staffPost("review-links", staff.manager.cookie, { intent: "share" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("This action is not known");
    expect((await staffPost("review-links", staff.manager.cookie, { intent: "revoke", link: "not-an-id" })).status).toBe(404);
    expect(await database.db.reviewLink.count()).toBe(before);
  });

  it("opens without an account and steps through the version, in Arabic too, storing nothing", async () => {
    const before = rowsAsText(await allTableRows(database));

    const opened = await review(token);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("x-robots-tag")).toBe("noindex");
    expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
    expect(opened.headers.get("cache-control")).toBe("no-store");
    expect(opened.headers.get("set-cookie")).toBeNull();
    const first = await opened.text();
    expect(first).toContain("Preview for review — answers are not stored");
    expect(first).toContain(`draft version ${draft}`);
    expect(first).toContain("Openness of the Board (draft title)");
    expect(first).toContain("Section 1 of");
    expect(first).toContain('<meta name="robots" content="noindex"/>');
    // As the member pages: HTML and their small script, no React (whose route discovery would send the token along).
    expect(first).not.toContain("__remixContext");
    expect(first).toMatch(/<script type="module" src="\/assets\/enhance-[^"]+\.js"/);
    expect(first).toContain('<button type="submit" name="intent" value="language:ar" formaction="?lang=ar" lang="ar" dir="rtl"');

    const missing = await step("", { section: "transparency", intent: "next", carried: "", shown: "" });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("error-summary");

    // An answer that reveals a question on the same page shows the page again with it, as for members.
    const revealed = await step("?lang=en", { ...firstSection, intent: "next", carried: "", shown: "transparency_minutes,transparency_annual_report" });
    expect(revealed.status).toBe(200);
    const again = await revealed.text();
    expect(again).toContain('id="transparency_minutes_why"');
    const shown = "transparency_minutes,transparency_minutes_why,transparency_annual_report,transparency_interests,transparency_channels,transparency_comments";
    const next = await step("?lang=en", { ...firstSection, intent: "next", carried: carried(again), shown });
    expect(next.status).toBe(200);
    const second = await next.text();
    expect(second).toContain("Section 2 of");

    // The language buttons post to the page in that language and keep the answers.
    const arabic = await step("?lang=ar", { section: "regional_representation", intent: "language:ar", carried: carried(second), shown: "" });
    expect(arabic.status).toBe(200);
    const rtl = await arabic.text();
    expect(rtl).toContain('<html lang="ar" dir="rtl"');
    expect(rtl).toContain("معاينة للمراجعة");
    expect(rtl).toContain('name="section" value="regional_representation"');
    expect(JSON.parse(carried(rtl))).toEqual(expect.arrayContaining([{ question: "transparency_minutes", option: "strongly_disagree" }]));
    const back = await step("?lang=ar", { section: "regional_representation", intent: "back", carried: carried(rtl), shown: "" });
    expect(await back.text()).toMatch(/value="strongly_disagree"[^>]*checked|checked[^>]*value="strongly_disagree"/);
    // The members' script saves typed text while typing pauses: here that only shows the same section again.
    const autosave = await step("?lang=ar", { section: "regional_representation", intent: "autosave", carried: carried(rtl), shown: "" });
    expect(autosave.status).toBe(200);
    expect(await autosave.text()).toContain('name="section" value="regional_representation"');
    // A language the version does not have is refused.
    expect((await step("?lang=en", { section: "transparency", intent: "language:xx", carried: "", shown: "" })).status).toBe(400);
    expect((await step("", { ...firstSection, intent: "next", carried: "{not json", shown: "" })).status).toBe(400);

    // Opened directly in Arabic, or in the visitor's own language.
    expect(await (await review(`${token}?lang=ar`)).text()).toContain('<html lang="ar" dir="rtl"');
    expect(await (await review(token, { "accept-language": "fr-CH, fr;q=0.9" })).text()).toContain('<html lang="fr"');

    expect(await database.db.response.count()).toBe(0);
    expect(await database.db.answer.count()).toBe(0);
    expect(rowsAsText(await allTableRows(database))).toBe(before);
  });

  it("keeps showing the version it was made for after a newer draft is saved", async () => {
    const published = await database.db.surveyVersion.findUniqueOrThrow({ where: { surveyId_number: { surveyId, number: draft } } });
    await database.db.surveyVersion.create({
      data: { surveyId, number: draft + 1, definition: published.definition, texts: published.texts.replace("(draft title)", "(newer)"), contentHash: "newer" },
    });
    const html = await (await review(token)).text();
    expect(html).toContain(`draft version ${draft}`);
    expect(html).toContain("Openness of the Board (draft title)");
  });

  it("is closed to a results viewer, who may preview but not share", async () => {
    expect((await page("review-links", staff.viewer.cookie)).status).toBe(403);
    const refused = await staffPost("review-links", staff.viewer.cookie, createForm({ label: "Viewer's link" }));
    expect(refused.status).toBe(403);
    expect(await database.db.reviewLink.count({ where: { label: "Viewer's link" } })).toBe(0);
    const link = await database.db.reviewLink.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect((await staffPost("review-links", staff.viewer.cookie, { intent: "revoke", link: link.id })).status).toBe(403);
    const preview = await page("preview", staff.viewer.cookie);
    expect(preview.status).toBe(200);
    expect(await preview.text()).not.toContain("review-links");
  });

  it("stops working once revoked: 410 in the visitor's language, audited", async () => {
    const link = await database.db.reviewLink.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    const revoked = await staffPost("review-links", staff.manager.cookie, { intent: "revoke", link: link.id });
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toContain("The review link was revoked");
    expect((await database.db.reviewLink.findUniqueOrThrow({ where: { id: link.id } })).revokedAt).not.toBeNull();
    const audit = await database.db.auditLog.findMany({ where: { action: "surveys.reviewLink.revoke" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ staffUserId: staff.manager.id, subject: SLUG });
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ link: link.id, version: draft });
    // Twice is "not found", and changes nothing.
    expect((await staffPost("review-links", staff.manager.cookie, { intent: "revoke", link: link.id })).status).toBe(404);
    expect(await database.db.auditLog.count({ where: { action: "surveys.reviewLink.revoke" } })).toBe(1);

    const gone = await review(token);
    expect(gone.status).toBe(410);
    expect(gone.headers.get("x-robots-tag")).toBe("noindex");
    expect(gone.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await gone.text()).toContain("This review link has ended");
    const french = await review(token, { cookie: "lng=fr" });
    expect(french.status).toBe(410);
    const text = await french.text();
    expect(text).toContain('<html lang="fr"');
    expect(text).toContain("Ce lien de relecture n’est plus valable");
    expect((await step("", { ...firstSection, intent: "next", carried: "", shown: "" })).status).toBe(410);

    const listed = await (await page("review-links", staff.manager.cookie)).text();
    expect(listed).toContain("Expired and revoked links");
    expect(listed).toContain("Revoked");
    expect(listed).toContain("No review link works at the moment.");
  });

  it("stops working once expired (410), and an unknown link is not valid (404)", async () => {
    const expired = generateToken();
    await insertReviewLink({
      surveyId,
      versionNumber: draft,
      tokenHash: hashToken(expired),
      label: "Translator",
      createdById: staff.manager.id,
      expiresAt: new Date(Date.now() - 1_000),
    });
    const response = await review(expired, { "accept-language": "ar" });
    expect(response.status).toBe(410);
    const html = await response.text();
    expect(html).toContain('dir="rtl"');
    expect(html).toContain("انتهت صلاحية رابط المراجعة هذا");
    expect(await (await page("review-links", staff.manager.cookie)).text()).toContain("Expired");

    // A link to a version that cannot be shown reads as not valid.
    const orphan = generateToken();
    await insertReviewLink({
      surveyId,
      versionNumber: 999,
      tokenHash: hashToken(orphan),
      label: "Nobody",
      createdById: null,
      expiresAt: new Date(Date.now() + DAY),
    });
    expect((await review(orphan)).status).toBe(404);

    for (const unknown of [generateToken(), "short", "%00"]) {
      const answer = await review(unknown);
      expect(answer.status, unknown).toBe(404);
      expect(answer.headers.get("x-robots-tag")).toBe("noindex");
      expect(await answer.text()).toContain("This review link is not valid");
    }
  });

  it("limits guessing per client address, refusing even a working link once over the limit", async () => {
    const working = generateToken();
    await insertReviewLink({
      surveyId,
      versionNumber: draft,
      tokenHash: hashToken(working),
      label: "Guess test",
      createdById: null,
      expiresAt: new Date(Date.now() + DAY),
    });
    const guesser = { "x-forwarded-for": "203.0.113.77" };
    for (let attempt = 0; attempt < 20; attempt++) expect((await review(generateToken(), guesser)).status).toBe(404);
    const refused = await review(working, guesser);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("x-robots-tag")).toBe("noindex");
    expect(await refused.text()).toContain("Too many attempts");
    expect((await review(working, { "x-forwarded-for": "203.0.113.78" })).status).toBe(200);
  });
});
