// Translators' workflow for survey texts over HTTP against the real server:
// fingerprints that mark a translation outdated when its English changes
// (on the Translations pages, in the side-by-side editor, in
// `npm run i18n:check` and in the languages offered to members), saving from
// the editor (published or draft, conflicts, the check's rules) and
// translators limited to their language.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLatestVersion, saveVersionOnto } from "~/models/survey-version.server";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase } from "../support/surveys";
import { xliffProblems } from "../support/xliff-rules";

const SLUG = "governance-review";
const KEY = "questions.transparency_minutes.label";
const OLD_ENGLISH = "The Governing Board should publish the minutes of its meetings within 30 days.";
const NEW_ENGLISH = "The Governing Board should publish the minutes of its meetings within 14 days.";
const PASSWORD = "a long enough password";

let database: TestDatabase;
let server: TestServer;
let surveyId = "";
let memberToken = "";
let editorId = "";
const cookies: Record<string, string> = {};

type Trees = Record<string, { questions: Record<string, { label: string }> } & Record<string, unknown>>;

/** A new version changing only English, as the structure editor saves one (other languages untouched). */
async function changeEnglish(label: string, publish = true): Promise<number> {
  const latest = (await findLatestVersion(surveyId))!;
  const trees = JSON.parse(latest.texts) as Trees;
  trees.en!.questions.transparency_minutes!.label = label;
  const outcome = await saveVersionOnto(
    surveyId,
    latest.number,
    { definition: latest.definition, texts: JSON.stringify(trees) },
    {
      publish,
      createdById: editorId,
      note: "test: English changed",
    },
  );
  if (!outcome.ok) throw new Error("conflict");
  return outcome.number;
}

async function page(path: string, who: string): Promise<{ status: number; html: string }> {
  const response = await get(`${server.url}${path}`, { headers: { cookie: cookies[who]! } });
  return { status: response.status, html: await response.text() };
}

/** Posts the editor's form for the section holding KEY (the survey is long enough to be edited a section at a time). */
function save(who: string, fields: Record<string, string>, language = "fr"): Promise<Response> {
  return postForm(`${server.url}/staff/translations/surveys/${SLUG}/${language}?page=transparency`, fields, {
    headers: { cookie: cookies[who]!, origin: server.url },
  });
}

/** The language a member's link opens in (their own, French, when the survey is offered in it). */
async function memberLanguage(): Promise<string> {
  const html = await (await get(`${server.url}/s/${memberToken}`)).text();
  return /<html lang="([^"]+)"/.exec(html)?.[1] ?? "";
}

type CheckReport = { languages: { language: string; files: { namespace: string; outdated: number }[] }[]; surveyTexts: string };

/** `npm run i18n:check -- --json --lang fr` on the test database; run asynchronously so the test's idle connections stay usable. */
async function i18nCheck(): Promise<CheckReport> {
  const { stdout } = await promisify(execFile)("node_modules/.bin/tsx", ["scripts/i18n-check.ts", "--json", "--lang", "fr"], {
    env: { ...process.env, DATABASE_URL: database.url, NO_COLOR: "1" },
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as CheckReport;
}

beforeAll(async () => {
  database = await createTestDatabase("survey-translations");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  surveyId = (await database.db.survey.findUniqueOrThrow({ where: { slug: SLUG } })).id;
  memberToken = (await createParticipant(SLUG, { language: "fr" })).token;
  const people: Record<string, { role: string; language: string | null }> = {
    manager: { role: "survey_manager", language: null },
    french: { role: "translator", language: "fr" },
    german: { role: "translator", language: "de" },
  };
  for (const [name, grant] of Object.entries(people)) {
    await database.db.staffUser.create({
      data: { email: `${name}@example.org`, name, passwordHash: await hashPassword(PASSWORD), grants: { create: grant } },
    });
  }
  editorId = (await database.db.staffUser.findUniqueOrThrow({ where: { email: "manager@example.org" } })).id;
  server = await startServer(database.url, { LOG_LEVEL: "error" });
  for (const name of Object.keys(people)) {
    cookies[name] = cookiesFrom(await postForm(`${server.url}/staff/login`, { email: `${name}@example.org`, password: PASSWORD }));
  }
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("outdated translations", { timeout: 60_000 }, () => {
  it("marks French outdated when English changes, and offers French again once the text is fixed", async () => {
    expect(await memberLanguage()).toBe("fr");
    const check = await i18nCheck();
    expect(check.surveyTexts).toBe("database");
    expect(check.languages[0]!.files.find((file) => file.namespace === `survey.${SLUG}`)!.outdated).toBe(0);

    await changeEnglish(NEW_ENGLISH);
    // Not silently kept: French is no longer offered, the member reads English.
    expect(await memberLanguage()).toBe("en");
    expect((await i18nCheck()).languages[0]!.files.find((file) => file.namespace === `survey.${SLUG}`)!.outdated).toBe(1);
    const overview = await page("/staff/translations", "french");
    expect(overview.html).toContain("1 outdated");
    const file = await page(`/staff/translations/fr/survey.${SLUG}`, "french");
    expect(file.html).toContain("English has changed since this was translated");

    // The editor shows the old and the new English beside the (kept, not wiped) French.
    const editor = await page(`/staff/translations/surveys/${SLUG}/fr?page=transparency`, "french");
    expect(editor.status).toBe(200);
    expect(editor.html).toContain(`<p lang="en" dir="ltr"><del>${OLD_ENGLISH}</del></p>`);
    expect(editor.html).toContain(NEW_ENGLISH);
    expect(editor.html).toContain("réunions dans un délai de 30 jours");
    expect(editor.html).toMatch(/<textarea[^>]*lang="fr"[^>]*dir="ltr"/);

    const base = (await findLatestVersion(surveyId))!.number;
    const response = await save("french", {
      base: String(base),
      page: "transparency",
      [`text:${KEY}`]: "Le Conseil devrait publier ses procès-verbaux dans un délai de 14 jours.",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/staff/translations/surveys/${SLUG}/fr?saved=${base + 1}&published=1&page=transparency`);
    const saved = (await findLatestVersion(surveyId))!;
    expect(saved.publishedAt).not.toBeNull();
    expect((await database.db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publishedVersion).toBe(saved.number);
    const trees = JSON.parse(saved.texts) as Trees;
    expect(trees.fr!.questions.transparency_minutes!.label).toContain("14 jours");
    // Only French changed.
    expect(trees.en!.questions.transparency_minutes!.label).toBe(NEW_ENGLISH);
    expect(await memberLanguage()).toBe("fr");
    expect((await i18nCheck()).languages[0]!.files.find((file) => file.namespace === `survey.${SLUG}`)!.outdated).toBe(0);
  });

  it("lets a translator confirm that an outdated text is still correct", async () => {
    await changeEnglish("The Governing Board should publish the minutes of its meetings within 14 days!");
    expect(await memberLanguage()).toBe("en");
    const latest = (await findLatestVersion(surveyId))!;
    const french = (JSON.parse(latest.texts) as Trees).fr!.questions.transparency_minutes!.label;
    const response = await save("french", { base: String(latest.number), page: "transparency", [`text:${KEY}`]: french, [`confirm:${KEY}`]: "on" });
    expect(response.status).toBe(302);
    expect(await memberLanguage()).toBe("fr");
  });
});

describe("the side-by-side editor", { timeout: 60_000 }, () => {
  it("refuses markup in a text with a message beside it, storing nothing", async () => {
    const before = (await findLatestVersion(surveyId))!;
    const response = await save("french", { base: String(before.number), page: "transparency", [`text:${KEY}`]: "Le <b>Conseil</b> devrait publier." });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Contains an HTML tag");
    expect(html).toContain("Le &lt;b&gt;Conseil&lt;/b&gt; devrait publier.");
    expect((await findLatestVersion(surveyId))!.number).toBe(before.number);
  });

  it("refuses a save made on an older version (conflict), overwriting nothing", async () => {
    const before = (await findLatestVersion(surveyId))!;
    const response = await save("french", { base: String(before.number - 1), page: "transparency", [`text:${KEY}`]: "Texte écrasé" });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain(`saved version ${before.number} of this survey while you were working`);
    expect((await findLatestVersion(surveyId))!.number).toBe(before.number);
  });

  it("keeps a draft a draft: saving on a draft adds a draft, members keep the published texts", async () => {
    const published = (await database.db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publishedVersion;
    const draft = await changeEnglish(NEW_ENGLISH, false);
    const response = await save("french", { base: String(draft), page: "transparency", [`text:${KEY}`]: "Brouillon : dans un délai de 14 jours." });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("published=0");
    const latest = (await findLatestVersion(surveyId))!;
    expect(latest.number).toBe(draft + 1);
    expect(latest.publishedAt).toBeNull();
    expect((await database.db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publishedVersion).toBe(published);
  });

  it("lets translators edit only their language; English is not edited here", async () => {
    expect((await page(`/staff/translations/surveys/${SLUG}/fr`, "german")).status).toBe(403);
    expect((await save("german", { base: "1", page: "transparency", [`text:${KEY}`]: "x" })).status).toBe(403);
    expect((await page(`/staff/translations/surveys/${SLUG}/de`, "german")).status).toBe(200);
    expect((await page(`/staff/translations/surveys/${SLUG}/de`, "manager")).status).toBe(200);
    expect((await page(`/staff/translations/surveys/${SLUG}/en`, "manager")).status).toBe(404);
    // The interface files' upload follows the same grant.
    const form = new FormData();
    form.set("file", new Blob(["{}"], { type: "application/json" }), "common.json");
    const upload = await fetch(`${server.url}/staff/translations/fr/common`, {
      method: "POST",
      body: form,
      headers: { cookie: cookies.german!, origin: server.url },
    });
    expect(upload.status).toBe(403);
  });
});

describe("XLIFF files", { timeout: 60_000 }, () => {
  async function download(version: "2.0" | "1.2", language = "fr"): Promise<Response> {
    return get(`${server.url}/staff/translations/surveys/${SLUG}/${language}/xliff/download?version=${version}`, { headers: { cookie: cookies.french! } });
  }

  function importFile(body: string, language = "fr", who = "french"): Promise<Response> {
    const form = new FormData();
    form.set("file", new Blob([body], { type: "application/xliff+xml" }), "survey.xlf");
    return fetch(`${server.url}/staff/translations/surveys/${SLUG}/${language}/xliff`, {
      method: "POST",
      body: form,
      headers: { cookie: cookies[who]!, origin: server.url },
      redirect: "manual",
    });
  }

  it("exports XLIFF 2.0 with text keys as ids, notes giving the context, and the French targets", async () => {
    const response = await download("2.0");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/xliff+xml");
    expect(response.headers.get("content-disposition")).toContain(`${SLUG}.fr.xlf`);
    const xml = await response.text();
    // Well-formed and shaped as XLIFF 2.0 core: the root's namespace and languages, one file, one unit per English text.
    expect(
      xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">'),
    ).toBe(true);
    const { xliff2js } = await import("xliff");
    const parsed = await xliff2js(xml);
    expect(Object.keys(parsed.resources)).toEqual([`survey.${SLUG}`]);
    const units = parsed.resources[`survey.${SLUG}`]!;
    const english = JSON.parse((await findLatestVersion(surveyId))!.texts).en as Record<string, unknown>;
    const countStrings = (node: unknown): number =>
      typeof node === "string" ? 1 : node && typeof node === "object" ? Object.values(node).reduce<number>((sum, value) => sum + countStrings(value), 0) : 0;
    expect(Object.keys(units).length).toBe(countStrings(english));
    expect(units[KEY]!.source).toBe((english.questions as Record<string, { label: string }>).transparency_minutes!.label);
    expect(units[KEY]!.note).toContain(`question (likert): ${(english.questions as Record<string, { label: string }>).transparency_minutes!.label}`);
    expect(xml).toMatch(/<note>section: Transparency and accountability<\/note>/);
    expect(xml).toMatch(/<unit id="questions\.transparency_minutes\.label">[\s\S]*?<segment state="translated">/);
    expect(xml).toMatch(/<unit id="sections\.transparency\.title">[\s\S]*?<segment state="translated">/);
    expect(await (await download("1.2")).text()).toMatch(/<trans-unit id="questions\.transparency_minutes\.label">[\s\S]*?<target state="translated">/);
    for (const unit of Object.values(units)) expect(typeof unit.target === "string" || unit.target === undefined).toBe(true);
  });

  it("writes files that keep the XLIFF 2.0 core and 1.2 schemas' rules, and the check sees a broken one", async () => {
    for (const version of ["2.0", "1.2"] as const) {
      const xml = await (await download(version)).text();
      expect(xliffProblems(xml), version).toEqual([]);
    }
    // The check can fail: a segment without its source, a state outside the list, a unit id used twice.
    const xml = await (await download("2.0")).text();
    const broken = xml
      .replace(/(<unit id="questions\.transparency_minutes\.label">[\s\S]*?<segment[^>]*>\s*)<source>[^<]*<\/source>/, "$1")
      .replace('<segment state="translated">', '<segment state="done">')
      .replace('<unit id="sections.transparency.title">', '<unit id="questions.transparency_minutes.label">');
    expect(xliffProblems(broken)).toEqual(
      expect.arrayContaining([expect.stringContaining("<source> missing"), expect.stringContaining('state "done"'), expect.stringContaining("id used twice")]),
    );
  });

  it("round-trips XLIFF 2.0 and 1.2: a changed target becomes the next version, the structure unchanged", async () => {
    for (const version of ["2.0", "1.2"] as const) {
      const before = (await findLatestVersion(surveyId))!;
      const xml = await (await download(version)).text();
      // The unit (2.0) or trans-unit (1.2) of KEY: its target's text replaced, its state kept.
      const unit = new RegExp(`(<(?:trans-)?unit id="${KEY.replaceAll(".", "\\.")}">[\\s\\S]*?<target[^>]*>)[^<]*(</target>)`);
      const changed = xml.replace(unit, `$1Version ${version} : publier dans les 14 jours.$2`);
      expect(changed).not.toBe(xml);
      const response = await importFile(changed);
      expect(response.status).toBe(302);
      const after = (await findLatestVersion(surveyId))!;
      expect(after.number).toBe(before.number + 1);
      expect(after.definition).toBe(before.definition);
      expect((JSON.parse(after.texts) as Trees).fr!.questions.transparency_minutes!.label).toBe(`Version ${version} : publier dans les 14 jours.`);
      expect((JSON.parse(after.texts) as Trees).en).toEqual((JSON.parse(before.texts) as Trees).en);
    }
  });

  it("refuses unknown ids, markup, another language and files that are not XLIFF, listing the problems and storing nothing", async () => {
    const before = (await findLatestVersion(surveyId))!.number;
    const xml = await (await download("2.0")).text();
    const unknown = await importFile(xml.replace(`<unit id="${KEY}">`, '<unit id="questions.not_a_question.label">'));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("questions.not_a_question.label");
    const markup = await importFile(xml.replace(/(<unit id="questions\.transparency_minutes\.label">[\s\S]*?<target>)/, '$1<pc id="1">gras</pc> '));
    expect(markup.status).toBe(400);
    expect(await markup.text()).toContain("Contains an HTML tag");
    expect((await importFile(xml, "de", "manager")).status).toBe(400);
    expect((await importFile("<xliff><file")).status).toBe(400);
    expect((await importFile(xml, "fr", "german")).status).toBe(403);
    expect((await findLatestVersion(surveyId))!.number).toBe(before);
  });
});
