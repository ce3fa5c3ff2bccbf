// Security review points not covered where their feature is tested (see
// README, Privacy and security, for the whole list and where each is tested):
// Secure cookies behind HTTPS, personalised links stored only as hashes,
// downloads that are never rendered as pages, and staff-only exports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { allTableRows, createTestDatabase, rowsAsText, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase, validSectionAnswers } from "../support/surveys";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";

let database: TestDatabase;
let server: TestServer;
let cookie = "";
const SLUG = "governance-review";

beforeAll(async () => {
  database = await createTestDatabase("security");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email: "security@example.org",
      name: "Security",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  // As in production behind a TLS-terminating balancer.
  server = await startServer(database.url, { PUBLIC_URL: "https://consult.example.org" });
  const login = await postForm(`${server.url}/staff/login`, { email: "security@example.org", password: "a long enough password" });
  expect(login.status).toBe(302);
  cookie = cookiesFrom(login);
  const setCookie = login.headers.getSetCookie().join("\n");
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  expect(setCookie).toMatch(/;\s*Secure/i);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("security review", () => {
  it("marks the staff session cookie Secure when the public address is https", () => {
    // Checked on the sign-in response in beforeAll; the cookie works on the next request.
    expect(cookie).toMatch(/=/);
  });

  it("stores personalised links only as SHA-256 hashes: no table holds a raw token", async () => {
    const definition = loadSurveyDefinitions().definitions.find((candidate) => candidate.slug === SLUG)!;
    const participants = await Promise.all([0, 1, 2].map(() => createParticipant(SLUG)));
    for (const { token } of participants) {
      const first = definition.sections[0]!;
      expect((await postForm(`${server.url}/s/${token}/section/${first.key}`, { ...validSectionAnswers(definition, first.key), intent: "next" })).status).toBe(
        302,
      );
    }
    const everything = rowsAsText(await allTableRows(database));
    for (const { token } of participants) expect(everything.includes(token)).toBe(false);
    const stored = await database.db.accessToken.findMany({ select: { tokenHash: true } });
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.tokenHash))).toBe(true);
    // And the request log shows the path without them.
    for (const { token } of participants) expect(server.logs().includes(token)).toBe(false);
  });

  it("serves downloads as attachments that browsers will not sniff into pages", async () => {
    const translation = await get(`${server.url}/staff/translations/fr/common/download`, { headers: { cookie } });
    const exported = await postForm(`${server.url}/staff/surveys/${SLUG}/export`, { format: "csv" }, { headers: { cookie } });
    const participants = await database.db.participant.count({ where: { survey: { slug: SLUG } } });
    const links = await postForm(`${server.url}/staff/surveys/${SLUG}/links/download`, { confirmed: String(participants) }, { headers: { cookie } });
    for (const [name, response] of Object.entries({ translation, exported, links })) {
      if (response.status !== 200) continue;
      expect(response.headers.get("content-type"), name).not.toMatch(/html/);
      expect(response.headers.get("content-disposition"), name).toMatch(/^attachment/);
      expect(response.headers.get("x-content-type-options"), name).toBe("nosniff");
      await response.arrayBuffer();
    }
    expect(translation.status).toBe(200);
    expect(links.status).toBe(200);
    expect([200, 409]).toContain(exported.status);
  });

  it("refuses exports and downloads to anonymous and cross-site requests", async () => {
    expect((await postForm(`${server.url}/staff/surveys/${SLUG}/export`, { format: "csv" })).status).toBe(401);
    expect((await get(`${server.url}/staff/translations/fr/common/download`)).status).toBe(302);
    const crossSite = await postForm(
      `${server.url}/staff/surveys/${SLUG}/export`,
      { format: "csv" },
      { headers: { cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" } },
    );
    expect(crossSite.status).toBe(403);
  });

  it("gives staff a participant's data on request, and removing them removes their answers everywhere", async () => {
    const definition = loadSurveyDefinitions().definitions.find((candidate) => candidate.slug === SLUG)!;
    const person = await createParticipant(SLUG, { name: "Dana Request", email: "dana.request@members.example" });
    const section = definition.sections[0]!;
    const textQuestion = section.questions.find((question) => question.type === "text" && !question.showIf)!;
    const answers = { ...validSectionAnswers(definition, section.key), [`q.${textQuestion.key}`]: "A view only Dana holds 7f3c", intent: "next" };
    expect((await postForm(`${server.url}/s/${person.token}/section/${section.key}`, answers)).status).toBe(302);
    const series = await database.db.forumSeries.create({
      data: { slug: "request-forum", texts: JSON.stringify({ en: { title: "Forum", description: "" } }) },
    });
    const session = await database.db.forumSession.create({
      data: {
        seriesId: series.id,
        startsAt: new Date(Date.now() + 86_400_000 * 9),
        endsAt: new Date(Date.now() + 86_400_000 * 9 + 3_600_000),
        language: "en",
        capacity: 10,
        meetingUrl: "https://meet.example/x",
      },
    });
    expect(
      (
        await postForm(`${server.url}/forums/request-forum`, {
          sessionId: session.id,
          name: "Dana Request",
          email: "dana.request@members.example",
          language: "en",
          timeZone: "UTC",
        })
      ).status,
    ).toBe(200);

    const download = await get(`${server.url}/staff/surveys/${SLUG}/participants/${person.id}/data`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment/);
    const data = (await download.json()) as {
      participant: { email: string };
      response: { answers: { question: string; text: string | null }[] };
      forumRegistrations: { series: string }[];
      personalLinks: unknown[];
    };
    expect(data.participant.email).toBe("dana.request@members.example");
    expect(data.response.answers.find((answer) => answer.question === textQuestion.key)?.text).toBe("A view only Dana holds 7f3c");
    expect(data.forumRegistrations.map((registration) => registration.series)).toEqual(["request-forum"]);
    expect(JSON.stringify(data).includes(person.token)).toBe(false);
    expect(await database.db.auditLog.count({ where: { action: "participant.data-export", subject: person.id } })).toBe(1);
    expect((await get(`${server.url}/staff/surveys/${SLUG}/participants/${person.id}/data`)).status).toBe(302);

    // Removing asks first, stating the answered questions that go too; the confirmation carries that number.
    const asked = await postForm(`${server.url}/staff/surveys/${SLUG}/participants/${person.id}`, { intent: "delete" }, { headers: { cookie } });
    expect(asked.status).toBe(200);
    const answered = /name="confirmed" value="(\d+)"/.exec(await asked.text())?.[1];
    expect(Number(answered)).toBeGreaterThan(0);
    const removed = await postForm(
      `${server.url}/staff/surveys/${SLUG}/participants/${person.id}`,
      { intent: "delete", confirmed: answered! },
      { headers: { cookie } },
    );
    expect(removed.status).toBe(302);
    const everything = await allTableRows(database);
    // A forum sign-up (and its confirmation email) is the person's own, separate
    // request, with its own cancel link; everything from the survey goes.
    const survey = (rows: unknown[]) => rows.filter((row) => !String((row as { template?: unknown }).template ?? "").startsWith("forum."));
    for (const [table, rows] of Object.entries(everything)) {
      expect(rowsAsText(rows).includes("A view only Dana holds 7f3c"), `${table} still holds the answer`).toBe(false);
      if (table !== "ForumRegistration")
        expect(rowsAsText(survey(rows)).includes("dana.request@members.example"), `${table} still holds the address`).toBe(false);
    }
  });
});
