// The staff Translations pages against two real servers sharing one locale
// folder (a temporary copy of locales/): the report, downloads for
// translators, uploads checked before they are written, a new language and a
// survey gaining a language without a restart.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNTRANSLATED_MARK } from "~/features/translations/locale-check";
import { LANGUAGE_COOKIE } from "~/platform/i18n";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

const SLUG = "governance-review";
let database: TestDatabase;
let servers: TestServer[] = [];
let localesDir = "";
let cookie = "";

const file = (language: string, namespace: string) => join(localesDir, language, `${namespace}.json`);
const readJson = (language: string, namespace: string) => JSON.parse(readFileSync(file(language, namespace), "utf8")) as Record<string, unknown>;
const english = (namespace: string) => readJson("en", namespace);

/** Every string of an English file passed through `change`, keys and placeholders untouched. */
function translated(data: unknown, change: (text: string) => string): unknown {
  if (typeof data === "string") return change(data);
  if (data && typeof data === "object") return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, translated(value, change)]));
  return data;
}

function upload(url: string, content: string | Uint8Array<ArrayBuffer>, fields: Record<string, string> = {}, server = servers[0]!): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set("file", new Blob([content], { type: "application/json" }), "upload.json");
  return fetch(`${server.url}${url}`, { method: "POST", body: form, headers: { cookie }, redirect: "manual" });
}

async function page(path: string, headers: Record<string, string> = {}, server = servers[0]!): Promise<{ status: number; html: string }> {
  const response = await get(`${server.url}${path}`, { headers: { cookie, ...headers } });
  return { status: response.status, html: await response.text() };
}

/** Another instance notices changed files within its re-check interval (2 s). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error("not picked up in time");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  localesDir = mkdtempSync(join(tmpdir(), "parley-locales-"));
  cpSync("locales", localesDir, { recursive: true });
  database = await createTestDatabase("translations");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email: "translator@example.org",
      name: "Translator",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  servers = await Promise.all([startServer(database.url, { LOCALES_DIR: localesDir }), startServer(database.url, { LOCALES_DIR: localesDir })]);
  cookie = cookiesFrom(await postForm(`${servers[0]!.url}/staff/login`, { email: "translator@example.org", password: "a long enough password" }));
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database?.drop();
  rmSync(localesDir, { recursive: true, force: true });
});

describe("translations pages", { timeout: 30_000 }, () => {
  it("are only for signed-in staff", async () => {
    expect((await get(`${servers[0]!.url}/staff/translations`)).status).toBe(302);
    expect((await get(`${servers[0]!.url}/staff/translations/de/common/download`)).status).toBe(302);
    expect((await postForm(`${servers[0]!.url}/staff/translations?index`, { intent: "complete", language: "de" })).status).toBe(401);
    const form = new FormData();
    form.set("file", new Blob(["{}"]), "x.json");
    expect((await fetch(`${servers[0]!.url}/staff/translations/de/common`, { method: "POST", body: form, redirect: "manual" })).status).toBe(401);
  });

  it("show every language and file with its completion, in the staff member's language", async () => {
    const { status, html } = await page("/staff/translations", { cookie: `${cookie}; ${LANGUAGE_COOKIE}=fr` });
    expect(status).toBe(200);
    expect(html).toContain('<html lang="fr"');
    for (const code of ["ar", "de", "en", "es", "fr", "ru", "zh"]) expect(html).toContain(`href="/staff/translations/${code}/common"`);
    expect(html).toContain("survey.governance-review.json");
    expect(html).toContain("100");
    expect((await page("/staff/translations/xx-not-a-code!/common")).status).toBe(404);
    expect((await page("/staff/translations/de/no-such-file")).status).toBe(404);
    expect((await page("/staff/translations/de/..%2F..%2Fpackage")).status).toBe(404);
    expect((await page("/staff/translations?start=not+a+code")).status).toBe(400);
    expect((await get(`${servers[0]!.url}/staff/translations?start=pt-BR`, { headers: { cookie } })).headers.get("location")).toBe(
      "/staff/translations/pt-BR/common",
    );
  });

  it("download English, and a language's file with its gaps filled in English and marked", async () => {
    const de = readJson("de", "common");
    const layout = de.layout as Record<string, string>;
    const [firstKey] = Object.keys(layout);
    delete layout[firstKey!];
    writeFileSync(file("de", "common"), `${JSON.stringify(de, null, 2)}\n`);

    const response = await get(`${servers[0]!.url}/staff/translations/de/common/download`, { headers: { cookie } });
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="de-common.json"');
    const download = (await response.json()) as Record<string, Record<string, string>>;
    expect(download.layout![firstKey!]).toBe(`${UNTRANSLATED_MARK}${(english("common").layout as Record<string, string>)[firstKey!]}`);
    expect(Object.keys(download)).toEqual(Object.keys(english("common")));

    const detail = await page("/staff/translations/de/common");
    expect(detail.html).toContain(firstKey!);
    const englishFile = await get(`${servers[0]!.url}/staff/translations/en/common/download`, { headers: { cookie } });
    expect(await englishFile.json()).toEqual(english("common"));

    // The translator fills the gap and uploads the file back.
    download.layout![firstKey!] = "Übersetzt";
    const accepted = await upload("/staff/translations/de/common", JSON.stringify(download));
    expect(accepted.status).toBe(302);
    expect((readJson("de", "common").layout as Record<string, string>)[firstKey!]).toBe("Übersetzt");
    expect(await database.db.auditLog.count({ where: { action: "translations.upload", subject: "de/common" } })).toBe(1);
  });

  it("refuse a bad file with the reasons, in the staff member's language, changing nothing", async () => {
    const before = readFileSync(file("fr", "staff"), "utf8");
    const good = JSON.parse(before) as Record<string, unknown>;
    const refusals: [string | Uint8Array<ArrayBuffer>, number, string][] = [
      ['{\n  "nav": {\n    "surveys": "Enquêtes",\n  }\n}', 400, "JSON"],
      [JSON.stringify({ ...good, nav: { ...(good.nav as object), surveys: "<script>alert(1)</script>" } }), 400, "nav.surveys"],
      [JSON.stringify({ ...good, "<img src=x onerror=alert(1)>": "x" }), 400, "&lt;img src=x onerror=alert(1)&gt;"],
      [JSON.stringify({ ...good, nav: 42 }), 400, "nav"],
      [new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]), 400, "UTF-8"],
      ["[1, 2, 3]", 400, "JSON"],
    ];
    for (const [content, status, mention] of refusals) {
      const response = await upload("/staff/translations/fr/staff", content);
      const html = await response.text();
      expect(response.status, mention).toBe(status);
      expect(html).toContain(mention);
      expect(html).not.toContain("<script>alert(1)");
      expect(html).not.toContain("<img src=x");
    }
    const huge = JSON.stringify({ nav: { surveys: "x".repeat(1_200_000) } });
    expect((await upload("/staff/translations/fr/staff", huge)).status).toBe(413);
    expect((await upload("/staff/translations/en/staff", before)).status).toBe(400);
    expect((await upload("/staff/translations?index", before, { language: "fr", namespace: "../../package" })).status).toBe(400);
    expect((await upload("/staff/translations?index", before, { language: "../etc", namespace: "staff" })).status).toBe(400);
    expect(readFileSync(file("fr", "staff"), "utf8")).toBe(before);

    // The refusal is explained in French to a French-speaking staff member.
    const french = await fetch(`${servers[0]!.url}/staff/translations/fr/staff`, {
      method: "POST",
      body: (() => {
        const form = new FormData();
        form.set("file", new Blob(['{"nav": 3}']), "x.json");
        return form;
      })(),
      headers: { cookie: `${cookie}; ${LANGUAGE_COOKIE}=fr` },
    });
    expect(french.status).toBe(400);
    const frenchHtml = await french.text();
    expect(frenchHtml).toContain('<html lang="fr"');
    expect(frenchHtml).not.toContain("The file was not accepted");
  });

  it("start a new language from one uploaded file, used at once by both instances, English key by key elsewhere", async () => {
    const start = await page("/staff/translations/pt/common");
    expect(start.status).toBe(200);
    const download = JSON.parse(await (await get(`${servers[0]!.url}/staff/translations/pt/common/download`, { headers: { cookie } })).text()) as Record<
      string,
      Record<string, string>
    >;
    download.language!.endonym = "Português";
    download.layout = translated(english("common").layout, (text) => `${text} (pt)`) as Record<string, string>;
    const response = await upload("/staff/translations?index", JSON.stringify(download), { language: "pt", namespace: "common" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/staff\/translations\/pt\/common\?uploaded=\d+/);

    for (const server of servers) {
      await eventually(async () => (await page("/", { "accept-language": "pt" }, server)).html.includes('<html lang="pt"'));
      const { html } = await page("/", { "accept-language": "pt" }, server);
      expect(html).toContain("Português");
      // Untranslated keys show English, never a raw key.
      expect(html).toContain("(pt)");
      expect(html).not.toMatch(/>\s*(layout|home|errors)\.[a-zA-Z]+\s*</);
    }
  });

  it("offer a survey in a language once that language's survey file is complete", async () => {
    const participant = await createParticipant(SLUG, { language: "pt" });
    const survey = english(`survey.${SLUG}`);
    const before = await page(`/s/${participant.token}`);
    expect(before.html).not.toContain('<html lang="pt"');
    expect((await page(`/staff/surveys/${SLUG}`)).html).toMatch(/Português<\/span> \(0/);

    // Half the survey: accepted, but not offered yet.
    const half = translated(survey, (text) => `${text} [pt]`) as Record<string, unknown>;
    delete half.questions;
    expect((await upload(`/staff/translations/pt/survey.${SLUG}`, JSON.stringify(half))).status).toBe(302);
    expect((await page(`/s/${participant.token}`)).html).not.toContain('<html lang="pt"');

    expect((await upload(`/staff/translations/pt/survey.${SLUG}`, JSON.stringify(translated(survey, (text) => `${text} [pt]`)))).status).toBe(302);
    const after = await page(`/s/${participant.token}`);
    expect(after.html).toContain('<html lang="pt"');
    expect(after.html).toContain(`${String(survey.title)} [pt]`);
    expect((await page(`/staff/surveys/${SLUG}`)).html).toMatch(/Offered in:.*Português/s);
  });

  it("always escape translated texts, even one written to the folder by hand", async () => {
    const de = readJson("de", "common");
    (de.language as Record<string, string>).endonym = 'Deutsch<script>alert("x")</script>';
    writeFileSync(file("de", "common"), `${JSON.stringify(de, null, 2)}\n`);
    await eventually(async () => (await page("/", { "accept-language": "de" }, servers[1]!)).html.includes("Deutsch&lt;script&gt;"));
    expect((await page("/", { "accept-language": "de" }, servers[1]!)).html).not.toContain('<script>alert("x")');
  });

  it("mark a language complete only when it has no errors", async () => {
    expect((await postForm(`${servers[0]!.url}/staff/translations?index`, { intent: "complete", language: "pt" }, { headers: { cookie } })).status).toBe(409);
    const off = await postForm(`${servers[0]!.url}/staff/translations?index`, { intent: "incomplete", language: "ru" }, { headers: { cookie } });
    expect(off.status).toBe(302);
    const languagesFile = () => JSON.parse(readFileSync(join(localesDir, "languages.json"), "utf8")) as { _comment: string; complete: string[] };
    expect(languagesFile().complete).not.toContain("ru");
    // Marking complete asks first, saying what it means and the warnings that stay; the file is untouched until confirmed.
    const mark = (fields: Record<string, string> = {}) =>
      postForm(`${servers[0]!.url}/staff/translations?index`, { intent: "complete", language: "ru", ...fields }, { headers: { cookie } });
    const asked = await mark();
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain("Mark \u2068Русский\u2069 complete?");
    expect(question).toContain("has no errors and no warnings now");
    expect(question).toContain('name="confirmed" value="0"');
    expect(languagesFile().complete).not.toContain("ru");
    // A translator adds a stray key meanwhile (a warning): the confirmation of 0 warnings is asked again with 1.
    const russian = readFileSync(file("ru", "common"), "utf8");
    writeFileSync(file("ru", "common"), `${JSON.stringify({ ...readJson("ru", "common"), strayKey: "Лишний" }, null, 2)}\n`);
    const stale = await mark({ confirmed: "0" });
    expect(stale.status).toBe(409);
    const again = await stale.text();
    expect(again).toContain('name="confirmed" value="1"');
    expect(again).toMatch(/role="alert">The number has changed/);
    expect(again).toMatch(/Its 1 warning \(such as a text identical to English\) stays/);
    expect(languagesFile().complete).not.toContain("ru");
    const on = await mark({ confirmed: "1" });
    expect(on.status).toBe(302);
    writeFileSync(file("ru", "common"), russian);
    const settings = languagesFile();
    expect(settings.complete).toContain("ru");
    expect(settings._comment).toBeTruthy();
    expect((await postForm(`${servers[0]!.url}/staff/translations?index`, { intent: "complete", language: "en" }, { headers: { cookie } })).status).toBe(400);
  });
});
