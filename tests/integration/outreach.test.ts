import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { resumeAbandonedMailings } from "~/features/outreach/mailing-jobs.server";
import { formatDeadline, outreachTemplate, queueOutreach, renderOutreachEmail, unsubscribeLinkFor } from "~/features/outreach/emails.server";
import { emailOrganisation } from "~/features/branding/index.server";
import { surveyTexts } from "~/features/surveys/index.server";
import { generateToken, unsubscribeToken } from "~/platform/tokens.server";
import { db } from "~/platform/db.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { findPart, parseMime } from "../support/mime";
import { DAY, utcAt, utcDay } from "../support/dates";
import { startSmtp, type Received, type SmtpSink } from "../support/smtp";
import { syncDemoSurveys, useAsAppDatabase } from "../support/surveys";
import { solidPng } from "../support/images";

let database: TestDatabase;
let server: TestServer;
let smtp: SmtpSink;
let cookie = "";
const received: Received[] = [];
const SLUG = "governance-review";
const base = () => `${server.url}/staff/surveys/${SLUG}`;
/** The unsubscribe address of the Arabic invitation, for the unsubscribe tests. */
let arabicUnsubscribe = "";

beforeAll(async () => {
  database = await createTestDatabase("outreach");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email: "officer@example.org",
      name: "Officer",
      language: "fr",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  smtp = await startSmtp(received);
  server = await startServer(database.url, { OUTBOX_WORKER: "inline", SMTP_URL: smtp.url, LOG_LEVEL: "error" });
  const login = await postForm(`${server.url}/staff/login`, { email: "officer@example.org", password: "a long enough password" });
  cookie = cookiesFrom(login);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await smtp?.close();
  await database?.drop();
});

function upload(content: string | Uint8Array, fileName = "members.csv"): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([content as BlobPart], { type: "text/csv" }), fileName);
  return fetch(`${base()}/import`, { method: "POST", body: form, redirect: "manual", headers: { cookie } });
}

async function page(path: string): Promise<string> {
  const response = await get(`${base()}${path}`, { headers: { cookie } });
  expect(response.status, path).toBe(200);
  return response.text();
}

function surveyId() {
  return db()
    .survey.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true } })
    .then((survey) => survey.id);
}

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out; server logs:\n${server.logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("staff survey pages", () => {
  it("are only for signed-in staff, and 404 for an unknown survey", async () => {
    for (const path of ["", "/participants", "/import", "/mailings", "/links"]) {
      expect((await get(`${base()}${path}`)).status, path).toBe(302);
    }
    expect((await postForm(`${base()}/links/download`, {})).status).toBe(401);
    const getDownload = await get(`${base()}/links/download`, { headers: { cookie } });
    expect(getDownload.status).toBeGreaterThanOrEqual(400);
    expect(getDownload.status).toBeLessThan(500);
    expect((await get(`${server.url}/staff/surveys/no-such-survey`, { headers: { cookie } })).status).toBe(404);
    // The survey switcher in the header: a GET form to /staff, which forwards to the survey chosen.
    expect(await page("/participants")).toMatch(/<select id="switch-survey" name="survey">[\s\S]*<option value="interoperability-standards">/);
    const switched = await get(`${server.url}/staff?survey=interoperability-standards`, { headers: { cookie } });
    expect(switched.status).toBe(302);
    expect(switched.headers.get("location")).toBe("/staff/surveys/interoperability-standards");
    expect((await get(`${server.url}/staff?survey=..%2Fpeople`, { headers: { cookie } })).status).toBe(200);
    expect((await get(`${server.url}/staff/surveys/..%2F..%2Fetc`, { headers: { cookie } })).status).toBe(404);
  });
});

describe("participant import", () => {
  it("previews a file with bad rows line by line in the staff member's language and stores nothing until asked", async () => {
    const csv =
      "\uFEFFEmail;Name;Language;Region;Unit/Role\r\n" +
      "ana@example.org;Ana Lima;es;Latin America;Section officer\r\n" +
      "bad-address;Bad Row;fr;Europe;\r\n" +
      "li@example.org;李明;zh-CN;Asia and Oceania;Governing Board\r\n" +
      "ANA@example.org;Ana Again;es;;\r\n";
    const response = await upload(csv);
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/\/import\?staged=[0-9a-f-]{36}$/);
    const preview = await (await get(`${server.url}${location}`, { headers: { cookie } })).text();
    expect(preview).toContain("bad-address");
    expect(preview).toMatch(/Ligne 3/);
    expect(preview).toMatch(/Ligne 5/);
    expect(await db().participant.count()).toBe(0);

    const stagedId = location.split("=")[1]!;
    const refused = await postForm(`${base()}/import`, { staged: stagedId, intent: "import" }, { headers: { cookie } });
    expect(refused.status).toBe(409);
    expect(await db().participant.count()).toBe(0);

    const accepted = await postForm(`${base()}/import`, { staged: stagedId, intent: "importValid" }, { headers: { cookie } });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toContain("imported=2");
    const stored = await db().participant.findMany({ orderBy: { email: "asc" } });
    expect(stored.map((row) => [row.email, row.language, row.region, row.unit])).toEqual([
      ["ana@example.org", "es", "Latin America", "Section officer"],
      ["li@example.org", "zh", "Asia and Oceania", "Governing Board"],
    ]);
    expect(await db().auditLog.count({ where: { action: "participants.import" } })).toBe(1);
    // The staged file is gone: a second confirmation imports nothing twice.
    const again = await postForm(`${base()}/import`, { staged: stagedId, intent: "importValid" }, { headers: { cookie } });
    expect(again.status).toBe(302);
    expect(await db().participant.count()).toBe(2);
  });

  it("imports a clean file with right-to-left names and formula-looking cells as plain text", async () => {
    const response = await upload('name,email,language,country\nفاطمة الزهراء,fatima@example.org,ar,=HYPERLINK("http://evil")\n');
    const stagedId = response.headers.get("location")!.split("=")[1]!;
    expect((await postForm(`${base()}/import`, { staged: stagedId, intent: "import" }, { headers: { cookie } })).status).toBe(302);
    expect(await db().participant.findFirstOrThrow({ where: { email: "fatima@example.org" } })).toMatchObject({
      name: "فاطمة الزهراء",
      language: "ar",
      country: '=HYPERLINK("http://evil")',
    });
  });

  it("refuses binary files, other encodings, missing columns and oversized uploads with one clear message", async () => {
    const before = await db().participant.count();
    const binary = await upload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0]), "members.xlsx");
    expect(binary.status).toBe(422);
    expect(await binary.text()).toContain("CSV UTF-8");
    const latin1 = await upload(
      new Uint8Array([...new TextEncoder().encode("name,email\n"), 0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65, 0x2c, 0x6a, 0x40, 0x65, 0x2e, 0x6f, 0x0a]),
    );
    expect(latin1.status).toBe(422);
    expect(await latin1.text()).toMatch(/ligne 2/);
    const columns = await upload("nom,courriel\nA,a@example.org\n");
    expect(columns.status).toBe(422);
    expect(await columns.text()).toContain("name, email");
    const huge = await upload(new Uint8Array(21 * 1024 * 1024).fill(0x41));
    expect(huge.status).toBe(413);
    const junk = await upload("name,email\n" + 'x,\u0000,"\n'.repeat(1000));
    expect([302, 422]).toContain(junk.status);
    const notMultipart = await postForm(`${base()}/import`, { staged: "nope", intent: "import" }, { headers: { cookie } });
    expect(notMultipart.status).toBe(400);
    expect(await db().participant.count()).toBe(before);
  });
});

describe("participants one by one", () => {
  it("adds, validates, edits and removes a participant", async () => {
    const invalid = await postForm(`${base()}/participants`, { name: "", email: "not-an-email", language: "xx" }, { headers: { cookie } });
    expect(invalid.status).toBe(400);
    const text = await invalid.text();
    expect(text).toContain('id="email-error"');
    expect(text).not.toContain("participants.errors");
    const taken = await postForm(`${base()}/participants`, { name: "Ana", email: "ANA@example.org", language: "es" }, { headers: { cookie } });
    expect(taken.status).toBe(400);

    const added = await postForm(
      `${base()}/participants`,
      { name: "Olga Petrova", email: "olga@example.org", language: "ru", region: "Europe", timeZone: "Europe/Moscow" },
      { headers: { cookie } },
    );
    expect(added.status).toBe(302);
    const olga = await db().participant.findFirstOrThrow({ where: { email: "olga@example.org" } });
    expect(olga).toMatchObject({ language: "ru", timeZone: "Europe/Moscow", region: "Europe" });
    expect(await page("/participants?q=olga")).toContain("Olga Petrova");
    expect(await page("/participants?q=PETROVA")).toContain("Olga Petrova");

    const edited = await postForm(
      `${base()}/participants/${olga.id}`,
      { name: "Olga Petrova", email: "olga.petrova@example.org", language: "ru", region: "Europe", timeZone: "" },
      { headers: { cookie } },
    );
    expect(edited.status).toBe(200);
    expect(await db().participant.findUniqueOrThrow({ where: { id: olga.id } })).toMatchObject({ email: "olga.petrova@example.org", timeZone: null });

    // Removing asks first, saying how many answered questions go with her; nothing is removed until confirmed.
    const survey = await db().survey.findUniqueOrThrow({
      where: { slug: SLUG },
      select: { id: true, sections: { select: { questions: { select: { id: true } } } } },
    });
    const [q1, q2, q3] = survey.sections.flatMap((section) => section.questions).map((question) => question.id);
    const response = await db().response.create({
      data: {
        surveyId: survey.id,
        participantId: olga.id,
        language: "ru",
        answers: {
          create: [
            { questionId: q1!, textValue: "Да" },
            { questionId: q2!, textValue: "Нет" },
          ],
        },
      },
    });
    const removeOlga = (fields: Record<string, string> = {}) =>
      postForm(`${base()}/participants/${olga.id}`, { intent: "delete", ...fields }, { headers: { cookie } });
    const asked = await removeOlga();
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain('name="confirmed" value="2"');
    expect(question).toMatch(/Retirer \u2068Olga Petrova\u2069 \?/);
    expect(question).toMatch(/réponse inachevée, qui porte pour l&#x27;instant sur 2 questions/);
    expect(question).toContain('class="button danger"');
    expect(await db().participant.count({ where: { id: olga.id } })).toBe(1);
    // She answers one more question before the staff member confirms: the confirmation is asked again with 3.
    await db().answer.create({ data: { responseId: response.id, questionId: q3!, textValue: "Может быть" } });
    const stale = await removeOlga({ confirmed: "2" });
    expect(stale.status).toBe(409);
    const again = await stale.text();
    expect(again).toContain('name="confirmed" value="3"');
    expect(again).toContain("Le nombre a changé");
    expect(await db().participant.count({ where: { id: olga.id } })).toBe(1);
    const removed = await removeOlga({ confirmed: "3" });
    expect(removed.status).toBe(302);
    expect(await db().participant.findUnique({ where: { id: olga.id } })).toBeNull();
    expect(await db().response.count({ where: { id: response.id } })).toBe(0);
    expect((await get(`${base()}/participants/${olga.id}`, { headers: { cookie } })).status).toBe(404);
    expect(await db().auditLog.count({ where: { action: { in: ["participant.create", "participant.update", "participant.delete"] } } })).toBe(3);
  });
});

describe("invitations and reminders", () => {
  it("previews each language's message and sends invitations the staff member confirmed, each in its reader's language with a working link", async () => {
    // The organisation's name (its own in Arabic) and logo, as an administrator sets them.
    const named = await postForm(
      `${server.url}/staff/settings`,
      {
        intent: "branding",
        accentBefore: "",
        accentPicker: "#0b5cad",
        accent: "",
        name: "Federation of Library Associations",
        "name.ar": "اتحاد جمعيات المكتبات",
      },
      { headers: { cookie } },
    );
    expect(named.status).toBeLessThan(400);
    const logo = solidPng(160, 40);
    const form = new FormData();
    form.set("intent", "logo");
    form.set("logo", new Blob([new Uint8Array(logo)], { type: "image/png" }), "logo.png");
    expect((await fetch(`${server.url}/staff/settings`, { method: "POST", body: form, redirect: "manual", headers: { cookie } })).status).toBeLessThan(400);

    const preview = await page("/mailings?preview=ar&kind=invitation");
    // The preview frame shows the logo from the site (it cannot show an inline part).
    expect(preview).toMatch(/src=&quot;\/branding\/logo\?v=[0-9a-f]{16}&quot;/);
    expect(preview).toContain("اتحاد جمعيات المكتبات");
    expect(preview).toMatch(/lang="ar" dir="rtl"/);
    expect(preview).toContain("/s/…");
    // The HTML part too, in a sandboxed frame (its markup escaped inside srcdoc).
    expect(preview).toMatch(/<iframe class="email-preview-html"[^>]* sandbox="" srcdoc="&lt;!DOCTYPE html&gt;[^"]*lang=&quot;ar&quot; dir=&quot;rtl&quot;/i);

    const count = await db().participant.count({ where: { invitedAt: null } });
    expect(count).toBe(3);
    // The page's button only asks: the answer states the count and carries it in the confirmation form.
    const asked = await postForm(`${base()}/mailings`, { kind: "invitation" }, { headers: { cookie } });
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain("Envoyer 3 invitations ?");
    expect(question).toContain('name="confirmed" value="3"');
    expect(question).toMatch(/<h3 id="confirm-title" tabindex="-1">/);
    expect(await db().outboxMessage.count()).toBe(0);
    expect(await db().participant.count({ where: { invitedAt: null } })).toBe(3);

    const stale = await postForm(`${base()}/mailings`, { kind: "invitation", confirmed: "99" }, { headers: { cookie } });
    expect(stale.status).toBe(409);
    const again = await stale.text();
    expect(again).toContain('name="confirmed" value="3"');
    expect(again).toMatch(/role="alert">Le nombre a changé/);
    expect(await db().outboxMessage.count()).toBe(0);

    const sent = await postForm(`${base()}/mailings`, { kind: "invitation", confirmed: String(count) }, { headers: { cookie } });
    expect(sent.status).toBe(200);
    expect(await db().participant.count({ where: { invitedAt: null } })).toBe(0);
    expect(await db().accessToken.count()).toBe(3);

    const messages = await waitFor(() => (received.length >= 3 ? received.slice() : undefined));
    expect(messages.map((message) => message.to[0]).sort()).toEqual(["ana@example.org", "fatima@example.org", "li@example.org"]);
    // Each email: multipart/alternative, the plain text and the HTML, in the reader's language and direction.
    const arabic = parseMime(messages.find((message) => message.to[0] === "fatima@example.org")!.raw);
    expect(arabic.contentType).toMatch(/^multipart\/alternative/);
    const arabicText = findPart(arabic, "text/plain")!.body;
    const arabicHtml = findPart(arabic, "text/html")!.body;
    expect(arabicText).toContain("فاطمة الزهراء");
    expect(arabicHtml).toContain("فاطمة الزهراء");
    expect(arabicHtml).toContain('<html lang="ar" dir="rtl">');
    expect(arabicHtml).toContain("افتح الاستبيان");
    // The organisation's Arabic name at the top, and its logo as an inline part of this very message (no remote image to block).
    expect(arabicHtml).toContain("اتحاد جمعيات المكتبات");
    const cid = /<img src="cid:(logo-[0-9a-f]{16}@parley)" alt="" height="40" width="160"/.exec(arabicHtml)?.[1];
    expect(cid, arabicHtml.slice(0, 3000)).toBeTruthy();
    const image = findPart(arabic, "image/png")!;
    expect(image.headers.get("content-id")).toBe(`<${cid}>`);
    expect(image.headers.get("content-disposition")).toMatch(/^inline/);
    // (The reader decodes every part as UTF-8 text: the same bytes decode to the same text.)
    expect(image.body).toBe(logo.toString("utf8"));
    // The button leads to the same personal link as the text.
    const personal = /http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22}/.exec(arabicText)![0];
    expect(arabicHtml).toMatch(new RegExp(`<a href="${personal}" style="display:inline-block;padding:14px 28px`));
    // One-click unsubscribe (RFC 8058): the header, the POST marker, and the same link in both parts.
    const listUnsubscribe = /^<(http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[A-Za-z0-9_-]{43})>$/.exec(arabic.headers.get("list-unsubscribe") ?? "");
    expect(listUnsubscribe, arabic.headers.get("list-unsubscribe")).toBeTruthy();
    arabicUnsubscribe = listUnsubscribe![1]!;
    expect(arabic.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(arabicText).toContain(arabicUnsubscribe);
    expect(arabicHtml).toContain(`href="${arabicUnsubscribe}"`);
    const spanish = parseMime(messages.find((message) => message.to[0] === "ana@example.org")!.raw);
    expect(findPart(spanish, "text/html")!.body).toContain('<html lang="es" dir="ltr">');
    // No Spanish name set: the organisation's default name.
    expect(findPart(spanish, "text/html")!.body).toContain("Federation of Library Associations");
    const link = /(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22})/.exec(findPart(spanish, "text/plain")!.body)?.[1];
    expect(link).toBeTruthy();
    const opened = await get(link!, { headers: { "x-forwarded-for": "10.1.2.3" } });
    expect(opened.status).toBe(200);
    expect(await opened.text()).toMatch(/<html[^>]*lang="es"/);
    expect(await db().auditLog.count({ where: { action: "invitations.send" } })).toBe(1);

    // Nobody left to invite.
    expect((await postForm(`${base()}/mailings`, { kind: "invitation", confirmed: "0" }, { headers: { cookie } })).status).toBe(409);
  });

  it("reminds only invited people who have not submitted and were not emailed within the gap", async () => {
    const id = await surveyId();
    expect((await postForm(`${base()}/mailings`, { kind: "reminder", confirmed: "0", gapDays: "3" }, { headers: { cookie } })).status).toBe(409);
    const fourDaysAgo = new Date(Date.now() - 4 * 86_400_000);
    await db().participant.updateMany({ where: { surveyId: id }, data: { lastContactedAt: fourDaysAgo } });
    await db().participant.update({ where: { surveyId_email: { surveyId: id, email: "li@example.org" } }, data: { respondedAt: new Date() } });
    expect(await page("/mailings?gap=3")).toMatch(/2/);
    received.length = 0;
    const asked = await postForm(`${base()}/mailings`, { kind: "reminder", gapDays: "3" }, { headers: { cookie } });
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain("Envoyer 2 relances ?");
    expect(question).toMatch(/depuis 3 jours ou plus/);
    expect(question).toContain('name="gapDays" value="3"');
    expect(question).toContain('name="confirmed" value="2"');
    // Confirmed with a wider gap than the one counted: another audience (nobody), so nothing is sent.
    expect((await postForm(`${base()}/mailings`, { kind: "reminder", gapDays: "5", confirmed: "2" }, { headers: { cookie } })).status).toBe(409);
    expect(await db().participant.count({ where: { remindersSent: 1 } })).toBe(0);
    const sent = await postForm(`${base()}/mailings`, { kind: "reminder", confirmed: "2", gapDays: "3" }, { headers: { cookie } });
    expect(sent.status).toBe(200);
    const messages = await waitFor(() => (received.length >= 2 ? received.slice() : undefined));
    expect(messages.map((message) => message.to[0]).sort()).toEqual(["ana@example.org", "fatima@example.org"]);
    expect(await db().participant.count({ where: { remindersSent: 1 } })).toBe(2);
  });
});

describe("a mailing's messages", () => {
  it("fill each person's name and links into one rendering per language, exactly as rendering each message would", async () => {
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: SLUG } });
    const withTexts = { ...survey, texts: await surveyTexts(survey) };
    const organisation = await emailOrganisation();
    const participantId = "0b7c2c44-2f3e-4e7a-9d0e-5b0f5c1a2b3c";
    for (const [language, name] of [
      ["en", "Mary <b>Smith</b> & \"Co\" 'x'"],
      ["ar", "فاطمة الزهراء"],
      ["zh", "李明"],
      ["fr", "Élodie $& $1 {{name}}"],
    ] as const) {
      for (const kind of ["invitation", "reminder"] as const) {
        const deadline = formatDeadline(survey.closesAt, language, "Asia/Riyadh");
        const token = generateToken();
        const unsubscribe = unsubscribeToken(participantId);
        const filled = outreachTemplate(kind, withTexts, language, deadline, "https://consult.example", organisation).fill(name, token, unsubscribe);
        const rendered = renderOutreachEmail(
          kind,
          withTexts,
          { name, language, timeZone: "Asia/Riyadh" },
          `https://consult.example/s/${token}`,
          unsubscribeLinkFor("https://consult.example", participantId),
          organisation,
        );
        expect(filled).toEqual(rendered);
        expect(filled.html).toContain(token);
        expect(filled.html).not.toContain("\uE000");
      }
    }
  });
});

describe("unsubscribing", () => {
  const participantRow = () =>
    db().participant.findFirstOrThrow({ where: { email: "fatima@example.org" }, select: { id: true, unsubscribedAt: true, name: true } });
  const oneClick = (url: string) =>
    fetch(url, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });

  it("asks on GET, unsubscribes on a one-click POST without a cookie, and refuses forged and reused links, changing nothing", async () => {
    // GET (what link scanners do): a page in the member's language with a button, and nothing changed.
    const asked = await get(arabicUnsubscribe, { headers: { "accept-language": "en" } });
    expect(asked.status).toBe(200);
    expect(asked.headers.get("referrer-policy")).toContain("no-referrer");
    const askPage = await asked.text();
    expect(askPage).toMatch(/<html lang="ar" dir="rtl"/);
    expect(askPage).toMatch(/<form method="post"[^>]*>[\s\S]*<button type="submit" class="button">إلغاء الاشتراك<\/button>/);
    expect((await participantRow()).unsubscribedAt).toBeNull();

    // A mail client's one-click POST: no cookie, no token but the link's own.
    const done = await oneClick(arabicUnsubscribe);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("تم إلغاء اشتراكك");
    const at = (await participantRow()).unsubscribedAt;
    expect(at).not.toBeNull();

    // Used again: a clear message, a 409, the first date kept.
    const again = await oneClick(arabicUnsubscribe);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("كنت قد ألغيت اشتراكك من قبل");
    expect((await participantRow()).unsubscribedAt).toEqual(at);
    const reopened = await (await get(arabicUnsubscribe)).text();
    expect(reopened).not.toContain('<form method="post"');

    // Forged: another participant's id with this signature, an altered signature, junk. 404 in the reader's language.
    const ana = await db().participant.findFirstOrThrow({ where: { email: "ana@example.org" }, select: { id: true } });
    const token = arabicUnsubscribe.split("/").pop()!;
    const otherId = Buffer.concat([Buffer.from(ana.id.replaceAll("-", ""), "hex"), Buffer.from(token, "base64url").subarray(16)]).toString("base64url");
    const altered = token.slice(0, 30) + (token[30] === "A" ? "B" : "A") + token.slice(31);
    for (const forged of [otherId, altered, "not-a-token", "A".repeat(43)]) {
      const url = `${server.url}/unsubscribe/${forged}`;
      const posted = await oneClick(url);
      expect(posted.status, forged).toBe(404);
      const shown = await get(url, { headers: { "accept-language": "fr" } });
      expect(shown.status).toBe(404);
      const text = await shown.text();
      expect(text).toMatch(/<html lang="fr"/);
      expect(text).toContain("Ce lien de désabonnement");
    }
    expect(await db().participant.count({ where: { unsubscribedAt: { not: null } } })).toBe(1);
  });

  it("skips the unsubscribed person in later reminders, says so on the mailings page and shows them as unsubscribed", async () => {
    const id = await surveyId();
    const fatima = await participantRow();
    await db().participant.updateMany({ where: { surveyId: id }, data: { lastContactedAt: new Date(Date.now() - 4 * 86_400_000) } });
    const mailings = await page("/mailings?gap=3");
    expect(mailings).toContain('id="unsubscribed-note"');
    const remindersBefore = await db().outboxMessage.count({ where: { participantId: fatima.id, template: "reminder" } });
    received.length = 0;
    expect((await postForm(`${base()}/mailings`, { kind: "reminder", confirmed: "2", gapDays: "3" }, { headers: { cookie } })).status).toBe(409);
    const sent = await postForm(`${base()}/mailings`, { kind: "reminder", confirmed: "1", gapDays: "3" }, { headers: { cookie } });
    expect(sent.status).toBe(200);
    const messages = await waitFor(() => (received.length >= 1 ? received.slice() : undefined));
    expect(messages.map((message) => message.to[0])).toEqual(["ana@example.org"]);
    const reminder = parseMime(messages[0]!.raw);
    expect(reminder.headers.get("list-unsubscribe")).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[A-Za-z0-9_-]{43}>$/);
    expect(findPart(reminder, "text/html")).toBeTruthy();
    expect(await db().outboxMessage.count({ where: { participantId: fatima.id, template: "reminder" } })).toBe(remindersBefore);

    const list = await page("/participants?status=unsubscribed");
    expect(list).toContain(fatima.name);
    expect(list).toContain('<span class="badge unsubscribed">Désabonné</span>');
    expect(await page(`/participants/${fatima.id}`)).toContain("Désabonné des courriels");
  });
});

describe("mailings in the background", () => {
  it("finishes a mailing whose web process died, from any worker, without mailing anyone twice", async () => {
    const id = await surveyId();
    await db().participant.createMany({
      data: Array.from({ length: 30 }, (_, index) => ({ surveyId: id, name: `Late ${index}`, email: `late${index}@example.org`, language: "de" })),
    });
    // A job as the web process left it: running, ten people already done, its claim expired.
    const job = await db().mailingJob.create({
      data: {
        surveyId: id,
        kind: "invitation",
        gapDays: 3,
        origin: "https://consult.example",
        expected: 30,
        queued: 0,
        claimedBy: "dead-process",
        claimedUntil: new Date(Date.now() - 1000),
      },
    });
    const firstTen = await db().participant.findMany({
      where: { surveyId: id, email: { startsWith: "late" } },
      orderBy: { id: "asc" },
      take: 10,
      select: { id: true },
    });
    await db().participant.updateMany({ where: { id: { in: firstTen.map((row) => row.id) } }, data: { invitedAt: new Date() } });
    await db().outboxMessage.deleteMany();

    const [first, second] = await Promise.all([resumeAbandonedMailings("worker-a"), resumeAbandonedMailings("worker-b")]);
    expect(first + second).toBe(1);
    const done = await db().mailingJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "done", queued: 20, claimedBy: null });
    expect(await db().outboxMessage.count({ where: { template: "invitation" } })).toBe(20);
    expect(await db().participant.count({ where: { surveyId: id, invitedAt: null } })).toBe(0);
    expect(await page("/mailings")).toMatch(/class="numeric">20 \S+ 30</);
    await db().participant.deleteMany({ where: { surveyId: id, email: { startsWith: "late" } } });
  });
});

describe("two mailings at once", () => {
  it("mail each person once when two staff members send the same invitations at the same moment", async () => {
    const id = await surveyId();
    await db().participant.createMany({
      data: Array.from({ length: 1_200 }, (_, index) => ({ surveyId: id, name: `Twice ${index}`, email: `twice${index}@example.org`, language: "es" })),
    });
    await db().outboxMessage.deleteMany();
    const survey = await db().survey.findUniqueOrThrow({ where: { id } });
    // Two runs, each with its own connection, batches of 500 interleaving: a batch that finds some of
    // its people taken by the other run writes nothing and reads on.
    const [first, second] = await Promise.all([
      queueOutreach("invitation", survey, "https://consult.example", 3, new Date()),
      queueOutreach("invitation", survey, "https://consult.example", 3, new Date()),
    ]);
    expect(first + second).toBe(1_200);
    const messages = await db().outboxMessage.findMany({ where: { toAddress: { startsWith: "twice" } }, select: { toAddress: true } });
    expect(messages).toHaveLength(1_200);
    expect(new Set(messages.map((message) => message.toAddress)).size).toBe(1_200);
    expect(await db().accessToken.count({ where: { participant: { email: { startsWith: "twice" } } } })).toBe(1_200);
    await db().participant.deleteMany({ where: { surveyId: id, email: { startsWith: "twice" } } });
    await db().outboxMessage.deleteMany();
  });
});

describe("link export and response rates", () => {
  it("asks before replacing every link, counting again on confirmation", async () => {
    const id = await surveyId();
    const live = () => db().accessToken.findMany({ where: { revokedAt: null }, select: { id: true }, orderBy: { id: "asc" } });
    const before = await live();
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(await page("/links")).toMatch(/<form method="get"[^>]*><input type="hidden" name="confirm" value="1"\/>/);
    // A post without the confirmed count replaces nothing: it sends the staff member to the question.
    const unconfirmed = await postForm(`${base()}/links/download`, {}, { headers: { cookie } });
    expect(unconfirmed.status).toBe(303);
    expect(unconfirmed.headers.get("location")).toBe(`/staff/surveys/${SLUG}/links?confirm=1`);
    const question = await page("/links?confirm=1");
    expect(question).toContain("Remplacer 3 liens personnels ?");
    expect(question).toContain("3 liens valides envoyés auparavant");
    expect(question).toMatch(/<form method="post" action="\/staff\/surveys\/governance-review\/links\/download"/);
    expect(question).toContain('name="confirmed" value="3"');
    expect(await live()).toEqual(before);
    // Someone is added meanwhile: the confirmation of 3 is refused and the question comes back with 4.
    const late = await db().participant.create({ data: { surveyId: id, name: "Late Comer", email: "late.comer@example.org", language: "en" } });
    const stale = await postForm(`${base()}/links/download`, { confirmed: "3" }, { headers: { cookie } });
    expect(stale.status).toBe(303);
    expect(stale.headers.get("location")).toBe(`/staff/surveys/${SLUG}/links?confirm=changed`);
    const again = await page("/links?confirm=changed");
    expect(again).toContain('name="confirmed" value="4"');
    expect(again).toContain("Le nombre a changé");
    expect(await live()).toEqual(before);
    expect(await db().auditLog.count({ where: { action: "links.export" } })).toBe(0);
    await db().participant.delete({ where: { id: late.id } });
  });

  it("exports a CSV with a BOM and new links, revoking the old ones, with formulas neutralised", async () => {
    const response = await fetch(`${base()}/links/download`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "confirmed=3",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("name,email,language,region,country,unit,link");
    expect(lines).toHaveLength(4);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(await db().accessToken.count({ where: { revokedAt: null } })).toBe(3);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22})/.exec(lines.find((line) => line.includes("ana@example.org"))!)![1]!;
    expect((await get(link, { headers: { "x-forwarded-for": "10.1.2.4" } })).status).toBe(200);
    expect(await db().auditLog.count({ where: { action: "links.export" } })).toBe(1);
  });

  it("shows invited, started and submitted per segment, hiding groups below the threshold", async () => {
    const html = await page("");
    expect(html).toContain("&lt; 5");
    expect(html).toMatch(/Latin America/);
    const id = await surveyId();
    await db().participant.createMany({
      data: Array.from({ length: 6 }, (_, index) => ({
        surveyId: id,
        name: `Europe ${index}`,
        email: `europe${index}@example.org`,
        language: "fr",
        region: "Europe",
        invitedAt: new Date(),
        respondedAt: index < 5 ? new Date() : null,
      })),
    });
    const after = await page("");
    // Europe: 6 participants, 6 invited, 5 submitted: shown as numbers, rate 83.3 %.
    expect(after).toMatch(/Europe[\s\S]*?83,3/);
  });

  it("lists every day from the first invitation to the last submission, quiet days at zero, as the chart draws them", async () => {
    const id = await surveyId();
    await db().participant.createMany({
      data: Array.from({ length: 3 }, (_, index) => ({
        surveyId: id,
        name: `Early ${index}`,
        email: `early${index}@example.org`,
        language: "fr",
        invitedAt: utcAt(-6, "23:30"),
        respondedAt: index === 0 ? utcAt(-4, "00:10") : null,
      })),
    });
    const html = await page("");
    const table = html.slice(html.indexOf('aria-labelledby="timeline-title"'), html.indexOf("</table>", html.indexOf('aria-labelledby="timeline-title"')));
    const rows = [...table.matchAll(/<time dateTime="(\d{4}-\d{2}-\d{2})">([^<]+)<\/time><\/th>((?:<td[^>]*>[^<]*<\/td>)+)/g)].map(([, day, label, cells]) => ({
      day: day!,
      label: label!,
      cells: [...cells!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((cell) => cell[1]),
    }));
    // Consecutive UTC days from six days ago (to today when earlier tests invited people today).
    expect(rows.slice(0, 3).map((row) => row.day)).toEqual([utcDay(-6), utcDay(-5), utcDay(-4)]);
    rows.slice(1).forEach((row, index) => expect(Date.parse(row.day) - Date.parse(rows[index]!.day), row.day).toBe(DAY));
    // The staff member reads French: the days as Intl prints them in French, in UTC (23:30 UTC six days ago is still that day).
    const french = new Intl.DateTimeFormat("fr", { dateStyle: "medium", timeZone: "UTC" });
    expect(rows.map((row) => row.label)).toEqual(rows.map((row) => french.format(new Date(`${row.day}T00:00:00Z`))));
    // Invited, submitted that day, submitted so far.
    expect(rows[0]!.cells).toEqual(["3", "0", "0"]);
    expect(rows[1]!.cells).toEqual(["0", "0", "0"]);
    expect(rows[2]!.cells).toEqual(["0", "1", "1"]);
    await db().participant.deleteMany({ where: { surveyId: id, email: { startsWith: "early" } } });
  });
});

describe("the participants list", () => {
  const OTHER = "interoperability-standards";
  const list = async (query: string) => {
    const response = await get(`${server.url}/staff/surveys/${OTHER}/participants?${query}`, { headers: { cookie } });
    expect(response.status, query).toBe(200);
    return response.text();
  };
  const names = (html: string) => [...html.matchAll(/<th scope="row"><a [^>]*><bdi>([^<]+)<\/bdi>/g)].map((match) => match[1]);

  it("filters by status, language and region, sorts by name, status and last email, and names languages", async () => {
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: OTHER }, select: { id: true } });
    const day = (days: number) => new Date(Date.now() - days * 86_400_000);
    const people = [
      { name: "Ana Not-invited", language: "es", region: "Americas" },
      { name: "Bo Invited", language: "zh", region: "Asia", invitedAt: day(5), lastContactedAt: day(5) },
      { name: "Cy Started", language: "en", region: "Europe", invitedAt: day(6), lastContactedAt: day(1) },
      { name: "Di Submitted", language: "ar", region: "Africa", invitedAt: day(7), lastContactedAt: day(3), respondedAt: day(2) },
      { name: "Ed Bounced", language: "fr", region: "Europe", invitedAt: day(8), lastContactedAt: day(8), bouncedAt: day(8) },
    ];
    for (const [index, person] of people.entries()) {
      const created = await db().participant.create({ data: { surveyId: survey.id, email: `list${index}@members.example`, ...person } });
      if (person.name === "Cy Started") await db().response.create({ data: { surveyId: survey.id, participantId: created.id, language: "en" } });
      if (person.name === "Di Submitted") {
        await db().response.create({ data: { surveyId: survey.id, participantId: created.id, language: "ar", status: "submitted", submittedAt: day(2) } });
      }
    }
    for (const [status, name] of [
      ["notInvited", "Ana Not-invited"],
      ["invited", "Bo Invited"],
      ["started", "Cy Started"],
      ["submitted", "Di Submitted"],
      ["bounced", "Ed Bounced"],
    ]) {
      expect(names(await list(`status=${status}`)), status).toEqual([name]);
    }
    expect(names(await list("region=Europe"))).toEqual(["Cy Started", "Ed Bounced"]);
    expect(names(await list("language=zh"))).toEqual(["Bo Invited"]);
    expect(names(await list("region=Europe&status=bounced"))).toEqual(["Ed Bounced"]);
    expect(names(await list("sort=emailed"))).toEqual(["Cy Started", "Di Submitted", "Bo Invited", "Ed Bounced", "Ana Not-invited"]);
    const byStatus = names(await list("sort=status"));
    expect(byStatus[0]).toBe("Ana Not-invited");
    expect(byStatus.slice(-2)).toEqual(["Di Submitted", "Ed Bounced"]);
    // An unknown filter value is ignored, not an error; languages read as names in the staff member's language (French here).
    // A control character in a filter (PostgreSQL refuses a NUL in a query) makes it no filter, not a 500.
    expect(names(await list("region=a%00b&language=e%00s"))).toEqual(names(await list("")));
    const all = await list("status=nonsense&sort=nonsense");
    expect(names(all)).toEqual(["Ana Not-invited", "Bo Invited", "Cy Started", "Di Submitted", "Ed Bounced"]);
    expect(all).toContain("<td>chinois</td>");
    expect(all).toContain('<option value="ar">arabe</option>');
    // The add form comes before the list.
    expect(all.indexOf('id="add-title"')).toBeLessThan(all.indexOf("<table"));
    // Column headings sort by their column, keeping the filters; the sorted one says so.
    const europe = await list("region=Europe&sort=emailed");
    expect(europe).toContain('participants?region=Europe&amp;sort=status"');
    expect(europe).toMatch(/<th scope="col" aria-sort="descending"><a class="sort-link"[^>]*participants\?region=Europe&amp;sort=emailed">/);
  });
});
