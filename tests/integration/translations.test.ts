// The staff Translations pages against two real servers that share the
// database but not a locale folder (each has its own read-only copy of
// locales/): the report, downloads for translators, uploads checked before
// they are stored as overrides in the database, served by the other instance
// within seconds, a new language and a survey gaining a language without a
// restart, reverting an override, exporting them, and npm run i18n:check
// reading them.
import { spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
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
/** One folder per server, neither written by the app. */
let localesDirs: string[] = [];
let cookie = "";

const file = (language: string, namespace: string, dir = localesDirs[0]!) => join(dir, language, `${namespace}.json`);
const readJson = (language: string, namespace: string, dir = localesDirs[0]!) =>
  JSON.parse(readFileSync(file(language, namespace, dir), "utf8")) as Record<string, unknown>;
const english = (namespace: string) => readJson("en", namespace);

/** Files read-only, folders closed to new entries: the app must not need to write here. */
function makeReadOnly(path: string): void {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path)) makeReadOnly(join(path, entry));
    chmodSync(path, 0o555);
  } else chmodSync(path, 0o444);
}

/** An operator's hand edit of one instance's folder (the file is made writable for it only). */
function editByHand(path: string, text: string): void {
  chmodSync(path, 0o644);
  writeFileSync(path, text);
  chmodSync(path, 0o444);
}

/** `npm run i18n:check -- [--json]` against one folder and the test database. */
function runCheck(dir: string, json = true): Promise<{ code: number; out: string; report: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/i18n-check.ts", ...(json ? ["--json"] : []), "--dir", dir], {
      env: { ...process.env, DATABASE_URL: database.url, NO_COLOR: "1" },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolve({ code: code ?? -1, out, report: json ? (JSON.parse(out) as Record<string, unknown>) : {} });
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

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

/** Another instance notices changed files or overrides within its re-check interval (2 s). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error("not picked up in time");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  localesDirs = [0, 1].map(() => {
    const dir = mkdtempSync(join(tmpdir(), "parley-locales-"));
    cpSync("locales", dir, { recursive: true });
    makeReadOnly(dir);
    return dir;
  });
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
  servers = await Promise.all(localesDirs.map((dir) => startServer(database.url, { LOCALES_DIR: dir })));
  cookie = cookiesFrom(await postForm(`${servers[0]!.url}/staff/login`, { email: "translator@example.org", password: "a long enough password" }));
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database?.drop();
  for (const dir of localesDirs) {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir)) if (statSync(join(dir, entry)).isDirectory()) chmodSync(join(dir, entry), 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
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
    editByHand(file("de", "common"), `${JSON.stringify(de, null, 2)}\n`);

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

    // The translator fills the gap and uploads the file back: it is stored in the database, the folders stay as shipped.
    const shipped = localesDirs.map((dir) => readFileSync(file("de", "common", dir), "utf8"));
    download.layout![firstKey!] = "Übersetzt";
    download.layout!.footer = "Parley · Fußzeile (de)";
    const accepted = await upload("/staff/translations/de/common", JSON.stringify(download));
    expect(accepted.status).toBe(302);
    const stored = await database.db.interfaceTextOverride.findUnique({ where: { language_namespace: { language: "de", namespace: "common" } } });
    expect((JSON.parse(stored!.texts) as { layout: Record<string, string> }).layout[firstKey!]).toBe("Übersetzt");
    expect(localesDirs.map((dir) => readFileSync(file("de", "common", dir), "utf8"))).toEqual(shipped);
    expect(await database.db.auditLog.count({ where: { action: "translations.upload", subject: "de/common" } })).toBe(1);
    expect(
      ((await (await get(`${servers[0]!.url}/staff/translations/de/common/download`, { headers: { cookie } })).json()) as typeof download).layout![firstKey!],
    ).toBe("Übersetzt");
    // The instance that took the upload serves it at once; the other, sharing only the database, within seconds.
    expect((await page("/", { "accept-language": "de" }, servers[0]!)).html).toContain("Fußzeile (de)");
    const started = Date.now();
    await eventually(async () => (await page("/", { "accept-language": "de" }, servers[1]!)).html.includes("Fußzeile (de)"), 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await page("/staff/translations/de/common", {}, servers[1]!)).html).toContain("Revert to the shipped file");
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
    expect(await database.db.interfaceTextOverride.count({ where: { language: "fr" } })).toBe(0);

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
    // The language exists only in the database.
    for (const dir of localesDirs) expect(existsSync(join(dir, "pt"))).toBe(false);
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
    // Spanish has no override, so the second instance's own folder is what it serves; hand edits are still noticed.
    const es = readJson("es", "common", localesDirs[1]);
    (es.language as Record<string, string>).endonym = 'Español<script>alert("x")</script>';
    editByHand(file("es", "common", localesDirs[1]), `${JSON.stringify(es, null, 2)}\n`);
    await eventually(async () => (await page("/", { "accept-language": "es" }, servers[1]!)).html.includes("Español&lt;script&gt;"));
    expect((await page("/", { "accept-language": "es" }, servers[1]!)).html).not.toContain('<script>alert("x")');
  });

  it("mark a language complete only when it has no errors", async () => {
    expect((await postForm(`${servers[0]!.url}/staff/translations?index`, { intent: "complete", language: "pt" }, { headers: { cookie } })).status).toBe(409);
    const off = await postForm(`${servers[0]!.url}/staff/translations?index`, { intent: "incomplete", language: "ru" }, { headers: { cookie } });
    expect(off.status).toBe(302);
    const shippedSettings = readFileSync(join(localesDirs[0]!, "languages.json"), "utf8");
    const marks = async () => Object.fromEntries((await database.db.interfaceLanguageStatus.findMany()).map((status) => [status.language, status.complete]));
    const languagesFile = async () => ({ complete: Object.entries(await marks()).flatMap(([code, complete]) => (complete ? [code] : [])) });
    expect(await marks()).toEqual({ ru: false });
    expect((await languagesFile()).complete).not.toContain("ru");
    // Marking complete asks first, saying what it means and the warnings that stay; the file is untouched until confirmed.
    const mark = (fields: Record<string, string> = {}) =>
      postForm(`${servers[0]!.url}/staff/translations?index`, { intent: "complete", language: "ru", ...fields }, { headers: { cookie } });
    const asked = await mark();
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain("Mark \u2068Русский\u2069 complete?");
    expect(question).toContain("has no errors and no warnings now");
    expect(question).toContain('name="confirmed" value="0"');
    expect((await languagesFile()).complete).not.toContain("ru");
    // A translator adds a stray key meanwhile (a warning): the confirmation of 0 warnings is asked again with 1.
    const russian = readFileSync(file("ru", "common"), "utf8");
    editByHand(file("ru", "common"), `${JSON.stringify({ ...readJson("ru", "common"), strayKey: "Лишний" }, null, 2)}\n`);
    const stale = await mark({ confirmed: "0" });
    expect(stale.status).toBe(409);
    const again = await stale.text();
    expect(again).toContain('name="confirmed" value="1"');
    expect(again).toMatch(/role="alert">The number has changed/);
    expect(again).toMatch(/Its 1 warning \(such as a text identical to English\) stays/);
    expect((await languagesFile()).complete).not.toContain("ru");
    const on = await mark({ confirmed: "1" });
    expect(on.status).toBe(302);
    editByHand(file("ru", "common"), russian);
    const settings = await languagesFile();
    expect(settings.complete).toContain("ru");
    expect(await database.db.auditLog.count({ where: { action: "translations.complete", subject: "ru" } })).toBe(1);
    // The shipped list is not written: the mark lives in the database.
    expect(readFileSync(join(localesDirs[0]!, "languages.json"), "utf8")).toBe(shippedSettings);
    expect((await postForm(`${servers[0]!.url}/staff/translations?index`, { intent: "complete", language: "en" }, { headers: { cookie } })).status).toBe(400);
  });

  it("export the overrides as the locale folder's layout, to commit them", async () => {
    expect((await get(`${servers[1]!.url}/staff/translations/export`)).status).toBe(302);
    const response = await get(`${servers[1]!.url}/staff/translations/export`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="parley-translations.zip"');
    const zip = await JSZip.loadAsync(await response.arrayBuffer());
    expect(
      Object.keys(zip.files)
        .filter((name) => !zip.files[name]!.dir)
        .sort(),
    ).toEqual(["locales/de/common.json", "locales/languages.json", "locales/pt/common.json"]);
    const portuguese = await zip.file("locales/pt/common.json")!.async("string");
    expect(portuguese.endsWith("}\n")).toBe(true);
    expect((JSON.parse(portuguese) as { language: { endonym: string } }).language.endonym).toBe("Português");
    const settings = JSON.parse(await zip.file("locales/languages.json")!.async("string")) as { _comment: string; complete: string[] };
    expect(settings.complete).toContain("ru");
    expect(settings._comment).toBeTruthy();
    expect((await page("/staff/translations")).html).toContain('href="/staff/translations/export"');
  });

  it("let npm run i18n:check read the overrides from the database and name them", async () => {
    // The first instance's folder: its hand edits left no errors (the second's Spanish endonym has an HTML tag).
    const { code, report } = await runCheck(localesDirs[0]!);
    expect(code).toBe(0);
    expect(report.interfaceOverrides).toEqual(["de/common.json", "pt/common.json"]);
    expect(report.languageMarks).toEqual([{ language: "ru", complete: true }]);
    const languages = report.languages as { language: string; complete: boolean }[];
    expect(languages.map((language) => language.language)).toContain("pt");
    expect(languages.find((language) => language.language === "ru")?.complete).toBe(true);
    const text = await runCheck(localesDirs[0]!, false);
    expect(text.code).toBe(0);
    expect(text.out).toContain("Interface files read from the database (translated in the browser");
    expect(text.out).toContain("de/common.json, pt/common.json");
    expect(text.out).toContain("Marked complete in the browser (database): ru");
  }, 60_000);

  it("revert an override to the shipped file on every instance", async () => {
    const revert = (path: string) => postForm(`${servers[0]!.url}${path}`, { intent: "revert" }, { headers: { cookie } });
    expect((await postForm(`${servers[0]!.url}/staff/translations/de/common`, { intent: "revert" })).status).toBe(401);
    const reverted = await revert("/staff/translations/de/common");
    expect(reverted.status).toBe(302);
    expect(reverted.headers.get("location")).toBe("/staff/translations/de/common?reverted=1");
    expect(await database.db.interfaceTextOverride.count({ where: { language: "de" } })).toBe(0);
    expect(await database.db.auditLog.count({ where: { action: "translations.revert", subject: "de/common" } })).toBe(1);
    expect((await page("/staff/translations/de/common?reverted=1")).html).toContain("the shipped file is in use again");
    expect((await revert("/staff/translations/de/common")).status).toBe(409);
    expect((await revert("/staff/translations/fr/no-such-file")).status).toBe(404);
    expect((await postForm(`${servers[0]!.url}/staff/translations/de/common`, { intent: "other" }, { headers: { cookie } })).status).toBe(400);
    expect((await page("/", { "accept-language": "de" }, servers[0]!)).html).not.toContain("Fußzeile (de)");
    await eventually(async () => !(await page("/", { "accept-language": "de" }, servers[1]!)).html.includes("Fußzeile (de)"));

    // Without its common.json override, Portuguese leaves the menus of both instances again.
    expect((await revert("/staff/translations/pt/common")).status).toBe(302);
    for (const server of servers) await eventually(async () => !(await page("/", { "accept-language": "pt" }, server)).html.includes('<html lang="pt"'));
  });
});
