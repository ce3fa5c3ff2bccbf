import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { resumeAbandonedMailings } from "~/features/outreach/mailing-jobs.server";
import { db } from "~/platform/db.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { DAY, utcAt, utcDay } from "../support/dates";
import { startSmtp, type Received, type SmtpSink } from "../support/smtp";
import { syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

let database: TestDatabase;
let server: TestServer;
let smtp: SmtpSink;
let cookie = "";
const received: Received[] = [];
const SLUG = "governance-review";
const base = () => `${server.url}/staff/surveys/${SLUG}`;

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

    const removed = await postForm(`${base()}/participants/${olga.id}`, { intent: "delete" }, { headers: { cookie } });
    expect(removed.status).toBe(302);
    expect(await db().participant.findUnique({ where: { id: olga.id } })).toBeNull();
    expect((await get(`${base()}/participants/${olga.id}`, { headers: { cookie } })).status).toBe(404);
    expect(await db().auditLog.count({ where: { action: { in: ["participant.create", "participant.update", "participant.delete"] } } })).toBe(3);
  });
});

describe("invitations and reminders", () => {
  it("previews each language's message and sends invitations the staff member confirmed, each in its reader's language with a working link", async () => {
    const preview = await page("/mailings?preview=ar&kind=invitation");
    expect(preview).toMatch(/lang="ar" dir="rtl"/);
    expect(preview).toContain("/s/…");

    const count = await db().participant.count({ where: { invitedAt: null } });
    expect(count).toBe(3);
    const stale = await postForm(`${base()}/mailings`, { kind: "invitation", expected: "99" }, { headers: { cookie } });
    expect(stale.status).toBe(409);
    expect(await db().outboxMessage.count()).toBe(0);

    const sent = await postForm(`${base()}/mailings`, { kind: "invitation", expected: String(count) }, { headers: { cookie } });
    expect(sent.status).toBe(200);
    expect(await db().participant.count({ where: { invitedAt: null } })).toBe(0);
    expect(await db().accessToken.count()).toBe(3);

    const messages = await waitFor(() => (received.length >= 3 ? received.slice() : undefined));
    expect(messages.map((message) => message.to[0]).sort()).toEqual(["ana@example.org", "fatima@example.org", "li@example.org"]);
    const arabic = messages.find((message) => message.to[0] === "fatima@example.org")!;
    const decoded = Buffer.from(
      arabic.raw
        .split(/\r?\n\r?\n/)
        .slice(1)
        .join("\n")
        .replace(/\s+/g, ""),
      "base64",
    ).toString("utf8");
    expect(decoded).toContain("فاطمة الزهراء");
    const spanish = messages.find((message) => message.to[0] === "ana@example.org")!;
    const link = /(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22})/.exec(spanish.raw.replace(/=\r?\n/g, ""))?.[1];
    expect(link, spanish.raw).toBeTruthy();
    const opened = await get(link!, { headers: { "x-forwarded-for": "10.1.2.3" } });
    expect(opened.status).toBe(200);
    expect(await opened.text()).toMatch(/<html[^>]*lang="es"/);
    expect(await db().auditLog.count({ where: { action: "invitations.send" } })).toBe(1);

    // Nobody left to invite.
    expect((await postForm(`${base()}/mailings`, { kind: "invitation", expected: "0" }, { headers: { cookie } })).status).toBe(409);
  });

  it("reminds only invited people who have not submitted and were not emailed within the gap", async () => {
    const id = await surveyId();
    expect((await postForm(`${base()}/mailings`, { kind: "reminder", expected: "0", gapDays: "3" }, { headers: { cookie } })).status).toBe(409);
    const fourDaysAgo = new Date(Date.now() - 4 * 86_400_000);
    await db().participant.updateMany({ where: { surveyId: id }, data: { lastContactedAt: fourDaysAgo } });
    await db().participant.update({ where: { surveyId_email: { surveyId: id, email: "li@example.org" } }, data: { respondedAt: new Date() } });
    expect(await page("/mailings?gap=3")).toMatch(/2/);
    received.length = 0;
    const sent = await postForm(`${base()}/mailings`, { kind: "reminder", expected: "2", gapDays: "3" }, { headers: { cookie } });
    expect(sent.status).toBe(200);
    const messages = await waitFor(() => (received.length >= 2 ? received.slice() : undefined));
    expect(messages.map((message) => message.to[0]).sort()).toEqual(["ana@example.org", "fatima@example.org"]);
    expect(await db().participant.count({ where: { remindersSent: 1 } })).toBe(2);
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

describe("link export and response rates", () => {
  it("exports a CSV with a BOM and new links, revoking the old ones, with formulas neutralised", async () => {
    const response = await fetch(`${base()}/links/download`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "",
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
