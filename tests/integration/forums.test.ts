import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueForumReminders } from "~/features/forums/sign-up.server";
import { hashPassword } from "~/platform/password.server";
import { db } from "~/platform/db.server";
import { DAY, formatDay, HOUR, utcAt, utcDay } from "../support/dates";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

let database: TestDatabase;
let servers: TestServer[] = [];
let cookie = "";
const SLUG = "open-forum-2026";

// Two server processes on one database (on PostgreSQL in CI): sign-ups alternate between them.
const serverFor = (index: number) => servers[index % servers.length]!;

beforeAll(async () => {
  database = await createTestDatabase("forums");
  useAsAppDatabase(database);
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email: "events@example.org",
      name: "Events",
      language: "en",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  servers = await Promise.all([startServer(database.url, { LOG_LEVEL: "error" }), startServer(database.url, { LOG_LEVEL: "error" })]);
  cookie = cookiesFrom(await postForm(`${servers[0]!.url}/staff/login`, { email: "events@example.org", password: "a long enough password" }));
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database?.drop();
});

async function createSeriesWithSession(slug: string, capacity: number, startsAt: Date) {
  const series = await db().forumSeries.create({
    data: {
      slug,
      texts: JSON.stringify({
        en: { title: "Open forum on the governance review", description: "Ask the Governing Board." },
        fr: { title: "Forum ouvert sur la réforme", description: "" },
      }),
    },
  });
  const session = await db().forumSession.create({
    data: { seriesId: series.id, startsAt, endsAt: new Date(startsAt.getTime() + HOUR), language: "en", capacity, meetingUrl: "https://meet.example/forum-1" },
  });
  return { series, session };
}

function signUp(serverIndex: number, slug: string, fields: Record<string, string>) {
  return postForm(`${serverFor(serverIndex).url}/forums/${slug}`, { name: "Member", language: "en", timeZone: "Pacific/Auckland", ...fields });
}

describe("seats under concurrency", () => {
  it("gives 20 seats to 200 simultaneous sign-ups through two servers, and the first 5 on the waiting list move up when 5 cancel", async () => {
    const { session } = await createSeriesWithSession(SLUG, 20, new Date(Date.now() + 7 * 24 * HOUR));
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) => signUp(index, SLUG, { sessionId: session.id, email: `member${index}@example.org`, name: `Member ${index}` })),
    );
    const failed = responses.find((response) => response.status !== 200);
    const detail = failed ? `${failed.status}: ${(await failed.text()).slice(0, 500)}\n${servers.map((server) => server.logs().slice(-2500)).join("\n")}` : "";
    expect(
      responses.map((response) => response.status).filter((status) => status !== 200),
      detail,
    ).toEqual([]);
    const counts = await db().forumRegistration.groupBy({ by: ["status"], where: { sessionId: session.id }, _count: { _all: true } });
    expect(Object.fromEntries(counts.map((row) => [row.status, row._count._all]))).toEqual({ confirmed: 20, waitlisted: 180 });
    expect((await db().forumSession.findUniqueOrThrow({ where: { id: session.id } })).confirmedCount).toBe(20);
    // Most read 20 seats left before the first took one: their email was chosen again under the seat's lock.
    const registrations = await db().forumRegistration.findMany({ where: { sessionId: session.id }, select: { email: true, status: true } });
    const statusOf = new Map(registrations.map((row) => [row.email, row.status]));
    const emails = await db().outboxMessage.findMany({ where: { toAddress: { in: [...statusOf.keys()] } }, select: { template: true, toAddress: true } });
    expect(emails).toHaveLength(200);
    expect(emails.filter((email) => email.template !== `forum.${statusOf.get(email.toAddress)}`)).toEqual([]);

    // The same person again, at the same moment on both servers: merged, not counted twice.
    const again = await Promise.all([0, 1].map((index) => signUp(index, SLUG, { sessionId: session.id, email: "MEMBER0@example.org" })));
    expect(again.map((response) => response.status)).toEqual([200, 200]);
    expect(await db().forumRegistration.count({ where: { sessionId: session.id } })).toBe(200);

    // Cancel five confirmed seats through the links in their emails.
    const confirmations = await db().outboxMessage.findMany({ where: { template: "forum.confirmed" }, take: 5 });
    const waiting = await db().forumRegistration.findMany({
      where: { sessionId: session.id, status: "waitlisted" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: 5,
    });
    await Promise.all(
      confirmations.map((message, index) => {
        const link = /\/forums\/cancel\/([A-Za-z0-9_-]+)/.exec(message.textBody)![0];
        return postForm(`${serverFor(index).url}${link}`, {});
      }),
    );
    const promoted = await db().forumRegistration.findMany({ where: { id: { in: waiting.map((row) => row.id) } } });
    expect(promoted.every((row) => row.status === "confirmed")).toBe(true);
    expect(await db().forumRegistration.count({ where: { sessionId: session.id, status: "confirmed" } })).toBe(20);
    expect(await db().forumRegistration.count({ where: { sessionId: session.id, status: "cancelled" } })).toBe(5);
    expect(await db().outboxMessage.count({ where: { template: "forum.promoted" } })).toBe(5);
    expect((await db().forumSession.findUniqueOrThrow({ where: { id: session.id } })).confirmedCount).toBe(20);
  }, 120_000);
});

describe("emails and calendar entries", () => {
  // 21:00 UTC is the next morning in Auckland (UTC+12/+13) and the same day
  // in Honolulu (UTC-10), whatever the season. Fixed once, so a run that
  // crosses midnight still agrees with itself.
  const startsAt = utcAt(10, "21:00");

  it("sends a confirmation in the registrant's language and zone with an .ics in UTC and a stable UID", async () => {
    const { session } = await createSeriesWithSession("date-line", 5, startsAt);
    const response = await signUp(0, "date-line", {
      sessionId: session.id,
      email: "aroha@example.org",
      name: "Aroha",
      language: "fr",
      timeZone: "Pacific/Auckland",
    });
    expect(response.status, servers[0]!.logs().slice(-3000)).toBe(200);
    // The success message repeats the session booked: its date and time in the page's zone (UTC here), and its language.
    const booked = (await response.text()).match(/<p class="booked-session">(.*?)<\/p>/)?.[1] ?? "";
    expect(booked).toContain(formatDay(startsAt, "en", "UTC"));
    expect(booked).toContain("Coordinated Universal Time");
    expect(booked).toContain("English");
    const message = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: "aroha@example.org" } });
    expect(message.subject).toContain("Forum ouvert sur la réforme");
    const inAuckland = formatDay(startsAt, "fr", "Pacific/Auckland", true);
    expect(inAuckland).not.toBe(formatDay(startsAt, "fr", "UTC", true));
    expect(message.textBody).toContain(inAuckland);
    expect(message.textBody).toContain("https://meet.example/forum-1");
    // The HTML part beside the text: French, the same time, the meeting link as a button.
    expect(message.htmlBody).toContain('<html lang="fr" dir="ltr">');
    expect(message.htmlBody).toContain(inAuckland);
    expect(message.htmlBody).toMatch(/<a href="https:\/\/meet\.example\/forum-1" style="display:inline-block/);
    const [attachment] = JSON.parse(message.attachments!) as { filename: string; content: string }[];
    const registration = await db().forumRegistration.findFirstOrThrow({ where: { email: "aroha@example.org" } });
    const ics = attachment!.content;
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    expect(ics).toContain(`UID:${registration.id}@parley`);
    const compactDay = startsAt.toISOString().slice(0, 10).replaceAll("-", "");
    expect(ics).toContain(`DTSTART:${compactDay}T210000Z`);
    expect(ics).toContain(`DTEND:${compactDay}T220000Z`);
    expect(ics.replace(/\r\n /g, "")).toContain("URL:https://meet.example/forum-1");
  });

  it("takes back someone who had cancelled: the same registration and calendar entry, a seat, a new cancellation link", async () => {
    const { session } = await createSeriesWithSession("change-of-mind", 2, startsAt);
    const fields = { sessionId: session.id, email: "tane@example.org", name: "Tane" };
    expect((await signUp(0, "change-of-mind", fields)).status).toBe(200);
    const first = await db().outboxMessage.findFirstOrThrow({ where: { toAddress: "tane@example.org", template: "forum.confirmed" } });
    const cancelLink = (message: { textBody: string }) => /\/forums\/cancel\/[A-Za-z0-9_-]+/.exec(message.textBody)![0];
    expect((await postForm(`${servers[1]!.url}${cancelLink(first)}`, {})).status).toBe(200);
    expect((await db().forumSession.findUniqueOrThrow({ where: { id: session.id } })).confirmedCount).toBe(0);

    const again = await signUp(1, "change-of-mind", { ...fields, name: "Tāne Mahuta", language: "fr" });
    expect(again.status).toBe(200);
    const registrations = await db().forumRegistration.findMany({ where: { sessionId: session.id } });
    expect(registrations).toHaveLength(1);
    expect(registrations[0]).toMatchObject({ name: "Tāne Mahuta", language: "fr", status: "confirmed", attended: false });
    expect((await db().forumSession.findUniqueOrThrow({ where: { id: session.id } })).confirmedCount).toBe(1);
    const confirmations = await db().outboxMessage.findMany({
      where: { toAddress: "tane@example.org", template: "forum.confirmed" },
      orderBy: { createdAt: "asc" },
    });
    expect(confirmations).toHaveLength(2);
    const second = confirmations.find((message) => message.id !== first.id)!;
    expect(second.language).toBe("fr");
    // The calendar entry is the one sent before (the same UID), so a calendar updates it rather than adding another.
    expect(second.attachments).toContain(`UID:${registrations[0]!.id}@parley`);
    expect(first.attachments).toContain(`UID:${registrations[0]!.id}@parley`);
    // The old link no longer cancels; the new one does.
    expect(cancelLink(second)).not.toBe(cancelLink(first));
    expect((await get(`${servers[0]!.url}${cancelLink(first)}`)).status).toBe(404);
    expect((await postForm(`${servers[0]!.url}${cancelLink(second)}`, {})).status).toBe(200);
    expect((await db().forumRegistration.findUniqueOrThrow({ where: { id: registrations[0]!.id } })).status).toBe("cancelled");
    expect((await db().forumSession.findUniqueOrThrow({ where: { id: session.id } })).confirmedCount).toBe(0);
  });

  it("shows session times in the visitor's chosen zone on either side of the date line", async () => {
    const auckland = await get(`${servers[0]!.url}/forums/date-line`, { headers: { cookie: "tz=Pacific/Auckland; lng=en" } });
    const honolulu = await get(`${servers[0]!.url}/forums/date-line`, { headers: { cookie: "tz=Pacific/Honolulu; lng=en" } });
    expect(await auckland.text()).toContain(formatDay(startsAt, "en", "Pacific/Auckland"));
    expect(await honolulu.text()).toContain(formatDay(startsAt, "en", "Pacific/Honolulu"));
    // The zone picker without script: remembered in a cookie, then the page again.
    const picked = await get(`${servers[0]!.url}/forums/date-line?tz=Pacific%2FHonolulu`);
    expect(picked.status).toBe(302);
    expect(picked.headers.get("set-cookie")).toMatch(/tz=Pacific%2FHonolulu/);
  });

  it("offers zones by city, zone name and offset in the reader's language, with UTC itself and the browser's zone preselected", async () => {
    const selected = (html: string) => html.match(/<option value="([^"]+)" selected="">/)?.[1];
    const utc = await (await get(`${servers[0]!.url}/forums/date-line`, { headers: { cookie: "tz=UTC; lng=ar" } })).text();
    expect(selected(utc)).toBe("UTC");
    expect(utc).toContain("UTC — التوقيت العالمي المنسق");
    // Cities in the reader's language (CLDR), the zone's name from Intl, the offset today.
    const riyadh = utc.match(/<option value="Asia\/Riyadh">([^<]+)<\/option>/)?.[1];
    expect(riyadh).toBe("الرياض — التوقيت العربي الرسمي (\u2068UTC+03:00\u2069)");
    expect(utc).not.toContain(">Asmera");
    // A browser reports "Asia/Kolkata"; the list knows it as "Asia/Calcutta": the same zone is preselected.
    const kolkata = await (await get(`${servers[0]!.url}/forums/date-line`, { headers: { cookie: "tz=Asia%2FKolkata; lng=fr" } })).text();
    expect(selected(kolkata)).toBe("Asia/Calcutta");
    expect(kolkata).toMatch(/<option value="Asia\/Calcutta" selected="">Calcutta — heure de l’Inde \(\u2068UTC\+05:30\u2069\)<\/option>/);
  });
});

describe("from a survey's confirmation page", () => {
  it("offers the survey's forum sessions with the participant's details filled in, one click to sign up", async () => {
    await syncDemoSurveys({ open: ["governance-review"] });
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: "governance-review" } });
    const { series, session } = await createSeriesWithSession("after-survey", 10, new Date(Date.now() + 5 * 24 * HOUR));
    await db().forumSeries.update({ where: { id: series.id }, data: { surveyId: survey.id } });
    const participant = await createParticipant("governance-review", {
      name: "Olena Koval",
      email: "olena@example.org",
      language: "fr",
      country: "Ukraine",
      unit: "Regional Council",
    });
    await db().response.create({ data: { surveyId: survey.id, participantId: participant.id, status: "submitted", language: "fr", submittedAt: new Date() } });

    const page = await get(`${servers[1]!.url}/s/${participant.token}`, { headers: { "x-forwarded-for": "10.9.8.7" } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`action="/forums/after-survey"`);
    const form = /<form method="post" action="\/forums\/after-survey">([\s\S]*?)<\/form>/.exec(html)![1]!;
    const fields = Object.fromEntries(
      [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, name, value]) => [name!, value!.replace(/&#x27;/g, "'")]),
    );
    expect(fields).toMatchObject({
      name: "Olena Koval",
      email: "olena@example.org",
      language: "fr",
      country: "Ukraine",
      region: "Europe",
      unit: "Regional Council",
      sessionId: session.id,
    });

    expect((await postForm(`${servers[1]!.url}/forums/after-survey`, fields)).status).toBe(200);
    const registration = await db().forumRegistration.findFirstOrThrow({ where: { email: "olena@example.org" } });
    expect(registration).toMatchObject({ status: "confirmed", language: "fr", country: "Ukraine", region: "Europe", unit: "Regional Council" });
    // The series page counts it by language and region; one person is below the threshold.
    const staffPage = await (await get(`${servers[0]!.url}/staff/forums/after-survey`, { headers: { cookie } })).text();
    expect(staffPage).toContain("Confirmed registrations and attendance by region");
    expect(staffPage).toContain("&lt; 5");
  });
});

describe("reminders", () => {
  it("queues one reminder per confirmed registration 24 hours before, even with two workers", async () => {
    const { session } = await createSeriesWithSession("tomorrow", 2, new Date(Date.now() + 10 * HOUR));
    for (const email of ["one@example.org", "two@example.org", "three@example.org"]) {
      expect((await signUp(0, "tomorrow", { sessionId: session.id, email })).status).toBe(200);
    }
    const [first, second] = await Promise.all([queueForumReminders(), queueForumReminders()]);
    expect(first + second).toBe(2);
    expect(await queueForumReminders()).toBe(0);
    const reminders = await db().outboxMessage.findMany({ where: { template: "forum.reminder" } });
    expect(reminders.map((message) => message.toAddress).sort()).toEqual(["one@example.org", "two@example.org"]);
    expect(reminders[0]!.textBody).toContain("https://meet.example/forum-1");
    expect(reminders[0]!.attachments).toContain("BEGIN:VCALENDAR");
  });
});

describe("bad input", () => {
  it("refuses invalid sign-ups with messages in the visitor's language and stores nothing", async () => {
    const { session } = await createSeriesWithSession("bad-input", 3, new Date(Date.now() + 24 * HOUR));
    const before = await db().forumRegistration.count();
    const invalid = await postForm(
      `${servers[0]!.url}/forums/bad-input`,
      { sessionId: session.id, name: "", email: "not-an-email", language: "xx" },
      { headers: { cookie: "lng=fr" } },
    );
    expect(invalid.status).toBe(400);
    const html = await invalid.text();
    expect(html).toContain('lang="fr"');
    expect(await db().forumRegistration.count()).toBe(before);
    expect((await signUp(0, "bad-input", { sessionId: "00000000-0000-0000-0000-000000000000", email: "a@example.org" })).status).toBe(404);
    expect((await signUp(0, "bad-input", { sessionId: "<script>", email: "a@example.org" })).status).toBe(404);
    // A session of another series.
    const other = await db().forumSession.findFirstOrThrow({ where: { series: { slug: SLUG } } });
    expect((await signUp(0, "bad-input", { sessionId: other.id, email: "a@example.org" })).status).toBe(404);
    await db().forumSession.update({ where: { id: session.id }, data: { registrationClosesAt: new Date(Date.now() - 1000) } });
    expect((await signUp(0, "bad-input", { sessionId: session.id, email: "late@example.org" })).status).toBe(409);
    expect(await db().forumRegistration.count()).toBe(before);
    expect((await get(`${servers[0]!.url}/forums/cancel/not-a-real-token-at-all-xyz`)).status).toBe(404);
    expect((await get(`${servers[0]!.url}/forums/no-such-series`)).status).toBe(404);
  });
});

describe("staff", () => {
  it("creates a series and a session in the staff member's zone, marks attendance and exports registrations", async () => {
    // Nairobi keeps UTC+3 all year: 15:00 there is 12:00 UTC on any day.
    const day = utcDay(20);
    const created = await postForm(
      `${servers[0]!.url}/staff/forums`,
      { slug: "regional-council", "title.en": "Regional Council forum", "description.en": "For members in Africa." },
      { headers: { cookie } },
    );
    expect(created.status).toBe(303);
    const session = await postForm(
      `${servers[0]!.url}/staff/forums/regional-council`,
      {
        intent: "session",
        zone: "Africa/Nairobi",
        startsAt: `${day}T15:00`,
        endsAt: `${day}T16:30`,
        language: "fr",
        capacity: "2",
        meetingUrl: "https://meet.example/rc",
      },
      { headers: { cookie } },
    );
    expect(session.status).toBe(303);
    const row = await db().forumSession.findFirstOrThrow({ where: { series: { slug: "regional-council" } } });
    expect(row.startsAt.toISOString()).toBe(`${day}T12:00:00.000Z`);
    const bad = await postForm(
      `${servers[0]!.url}/staff/forums/regional-council`,
      { intent: "session", zone: "UTC", startsAt: `${day}T15:00`, endsAt: `${day}T14:00`, language: "fr", capacity: "0", meetingUrl: "javascript:alert(1)" },
      { headers: { cookie } },
    );
    expect(bad.status).toBe(400);

    for (const [index, email] of ["ama@example.org", "kofi@example.org", "-cmd@example.org", "zola@example.org"].entries()) {
      await signUp(index, "regional-council", { sessionId: row.id, email, name: index === 2 ? "=HYPERLINK(1)" : `Person ${index}` });
    }
    // Raising capacity promotes the first on the waiting list.
    const raised = await postForm(
      `${servers[0]!.url}/staff/forums/regional-council/sessions/${row.id}`,
      {
        intent: "session",
        zone: "Africa/Nairobi",
        startsAt: `${day}T15:00`,
        endsAt: `${day}T16:30`,
        language: "fr",
        capacity: "3",
        meetingUrl: "https://meet.example/rc",
      },
      { headers: { cookie } },
    );
    expect(raised.status).toBe(303);
    expect(await db().forumRegistration.count({ where: { sessionId: row.id, status: "confirmed" } })).toBe(3);

    const upload = new FormData();
    upload.append(
      "file",
      new Blob(["Name,User Email,Duration\nAma,AMA@example.org,55\nStranger,stranger@example.org,10\n"], { type: "text/csv" }),
      "attendees.csv",
    );
    const imported = await fetch(`${servers[0]!.url}/staff/forums/regional-council/sessions/${row.id}`, { method: "POST", body: upload, headers: { cookie } });
    expect(imported.status).toBe(200);
    expect(await imported.text()).toContain("stranger@example.org");
    expect((await db().forumRegistration.findFirstOrThrow({ where: { email: "ama@example.org" } })).attended).toBe(true);

    const page = await get(`${servers[0]!.url}/staff/forums/regional-council`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const csv = await postForm(`${servers[0]!.url}/staff/forums/regional-council/export`, { format: "csv" }, { headers: { cookie, origin: servers[0]!.url } });
    expect(csv.status).toBe(200);
    const text = (await csv.text()).replace(/^\uFEFF/, "");
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe("name,email,language,country,unit,session,status,registered_at,attended");
    expect(lines).toHaveLength(5);
    expect(text).toContain("'=HYPERLINK(1)");
    expect(text).toContain("'-cmd@example.org");
    expect(text).toMatch(new RegExp(`ama@example\\.org,en,,,${day}T12:00:00\\.000Z \\(fr\\),confirmed,\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z,yes`));
    expect((await get(`${servers[0]!.url}/staff/forums/regional-council`)).status).toBe(302);
  });

  it("cancels a session only after a confirmation whose count is still current, emailing everyone signed up in their language", async () => {
    // Within 24 hours: its reminders would be due, so the test also shows they are not sent.
    const startsAt = new Date(Date.now() + 10 * HOUR);
    const { series, session } = await createSeriesWithSession("cancel-me", 2, startsAt);
    const empty = await db().forumSession.create({
      data: { seriesId: series.id, startsAt: new Date(Date.now() + 3 * DAY), endsAt: new Date(Date.now() + 3 * DAY + HOUR), language: "fr", capacity: 5 },
    });
    const people = [
      { email: "amelie@example.org", language: "fr", timeZone: "Europe/Paris" },
      { email: "salma@example.org", language: "ar", timeZone: "Asia/Riyadh" },
      { email: "wei@example.org", language: "zh", timeZone: "Asia/Shanghai" },
    ];
    for (const person of people)
      expect((await signUp(0, "cancel-me", { sessionId: session.id, name: person.email.split("@")[0]!, ...person })).status).toBe(200);
    const url = `${servers[0]!.url}/staff/forums/cancel-me/sessions/${session.id}`;
    const cancelled = () => db().outboxMessage.findMany({ where: { template: "forum.sessionCancelled" }, orderBy: { toAddress: "asc" } });

    // The first step only asks, with the figures.
    const asked = await postForm(url, { intent: "cancelSession" }, { headers: { cookie } });
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain("Cancel this session?");
    expect(question).toContain("3 people have signed up for it");
    expect(question).toContain("2 people with a seat");
    expect(question).toContain("1 person on the waiting list");
    expect(question).toContain('name="confirmed" value="3"');
    expect((await db().forumSession.findUniqueOrThrow({ where: { id: session.id } })).cancelledAt).toBeNull();

    // Someone signs up between the two steps: the old figure acts on nothing and the page shows the new one.
    expect((await signUp(1, "cancel-me", { sessionId: session.id, name: "Late", email: "late@example.org", language: "en" })).status).toBe(200);
    const stale = await postForm(url, { intent: "cancelSession", confirmed: "3" }, { headers: { cookie } });
    expect(stale.status).toBe(409);
    const again = await stale.text();
    expect(again).toContain("4 people have signed up for it");
    expect(again).toContain("2 people on the waiting list");
    expect(again).toContain('name="confirmed" value="4"');
    expect((await db().forumSession.findUniqueOrThrow({ where: { id: session.id } })).cancelledAt).toBeNull();
    expect(await cancelled()).toHaveLength(0);

    const done = await postForm(url, { intent: "cancelSession", confirmed: "4" }, { headers: { cookie } });
    expect(done.status).toBe(303);
    const row = await db().forumSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.cancelledAt).not.toBeNull();
    expect(row.confirmedCount).toBe(0);
    expect(await db().forumRegistration.count({ where: { sessionId: session.id, status: { not: "cancelled" } } })).toBe(0);
    const emails = await cancelled();
    expect(emails.map((email) => [email.toAddress, email.language])).toEqual([
      ["amelie@example.org", "fr"],
      ["late@example.org", "en"],
      ["salma@example.org", "ar"],
      ["wei@example.org", "zh"],
    ]);
    const french = emails[0]!;
    expect(french.subject).toBe("Annulée : Forum ouvert sur la réforme");
    expect(french.textBody).toContain(formatDay(startsAt, "fr", "Europe/Paris", true));
    expect(french.textBody).toContain(`${servers[0]!.url}/forums/cancel-me`);
    expect(french.textBody).not.toContain("https://meet.example/forum-1");
    // Those with a seat get the calendar entry withdrawn; those on the waiting list never had one.
    expect(JSON.parse(french.attachments!)[0].content).toMatch(/METHOD:CANCEL[\s\S]*STATUS:CANCELLED/);
    expect(emails[1]!.attachments).toBeNull();
    expect(emails[2]!.textBody).toContain("\u2068Open forum on the governance review\u2069");
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "forum.session.cancel", subject: session.id } });
    expect(JSON.parse(audit.detail!)).toMatchObject({ emailed: { confirmed: 2, waitlisted: 2 } });

    // Gone from the public page, sign-up refused, no reminder.
    const publicPage = await (await get(`${servers[1]!.url}/forums/cancel-me`)).text();
    expect(publicPage).not.toContain(session.id);
    expect(publicPage).toContain(empty.id);
    const refused = await signUp(1, "cancel-me", { sessionId: session.id, email: "after@example.org" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("This session has been cancelled.");
    await queueForumReminders();
    expect(
      await db().outboxMessage.count({ where: { template: "forum.reminder", toAddress: { in: [...people.map((p) => p.email), "late@example.org"] } } }),
    ).toBe(0);

    // The staff pages say so, and nothing more happens to it.
    expect(await (await get(url, { headers: { cookie } })).text()).toContain("This session has been cancelled");
    expect(await (await get(`${servers[0]!.url}/staff/forums/cancel-me`, { headers: { cookie } })).text()).toContain('class="badge closed">Cancelled');
    expect((await postForm(url, { intent: "cancelSession", confirmed: "0" }, { headers: { cookie } })).status).toBe(409);

    // With nobody signed up it still asks, then sends nothing.
    const emptyUrl = `${servers[0]!.url}/staff/forums/cancel-me/sessions/${empty.id}`;
    const nobody = await postForm(emptyUrl, { intent: "cancelSession" }, { headers: { cookie } });
    expect(await nobody.text()).toContain("Nobody has signed up for it, so nobody is emailed.");
    expect((await postForm(emptyUrl, { intent: "cancelSession", confirmed: "0" }, { headers: { cookie } })).status).toBe(303);
    expect(await cancelled()).toHaveLength(4);
    expect(await (await get(`${servers[0]!.url}/forums/cancel-me`)).text()).not.toContain(empty.id);
  }, 30_000);
});
