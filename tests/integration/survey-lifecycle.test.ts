// Issue 19, lifecycle: the overview's "Schedule and close" actions (open now,
// close now, change the deadline, reopen, archive, unarchive) as plain POSTs
// without JavaScript, seen as members see them (their link answers 200, 403
// before the opening, 410 once closed or archived); refusals change nothing;
// new dates are recorded as versions, so publishing a draft later keeps them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { hashPassword } from "~/platform/password.server";
import { utcToWallTime, wallTimeToUtc } from "~/platform/time-zone";
import { DAY, HOUR } from "../support/dates";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase, validSectionAnswers } from "../support/surveys";

const SLUG = "governance-review";
const ZONE = "Asia/Tokyo";
const PASSWORD = "a long enough password";
const PEOPLE = { manager: "survey_manager", viewer: "results_viewer", translator: "translator" } as const;
type Who = keyof typeof PEOPLE;

let database: TestDatabase;
let server: TestServer;
let surveyId = "";
let token = "";
const cookies: Record<Who, string> = { manager: "", viewer: "", translator: "" };

/** A lifecycle action as the overview's forms post it (an index route: ?index). */
const act = (fields: Record<string, string>, who: Who = "manager", slug = SLUG) =>
  postForm(`${server.url}/staff/surveys/${slug}?index`, fields, { headers: { cookie: `${cookies[who]}; tz=${ZONE}`, origin: server.url } });
const overview = async (who: Who = "manager") =>
  (await get(`${server.url}/staff/surveys/${SLUG}`, { headers: { cookie: `${cookies[who]}; tz=${ZONE}` } })).text();
/** What the member's link answers: 200 open, 403 not open yet, 410 closed or archived. */
const member = async () => {
  const response = await get(`${server.url}/s/${token}`);
  await response.arrayBuffer();
  return response.status;
};
const row = () =>
  database.db.survey.findUniqueOrThrow({ where: { id: surveyId }, select: { status: true, opensAt: true, closesAt: true, publishedVersion: true } });
/** Everything an action may change: the survey row, its versions, the lifecycle audit rows. */
const snapshot = async () => ({
  survey: await row(),
  versions: await database.db.surveyVersion.count({ where: { surveyId } }),
  audit: await database.db.auditLog.count({ where: { subject: SLUG, action: { startsWith: "surveys." } } }),
});
const definitionOf = async (number: number) =>
  JSON.parse((await database.db.surveyVersion.findUniqueOrThrow({ where: { surveyId_number: { surveyId, number } } })).definition) as {
    opensAt: string;
    closesAt: string;
  };
const lastAudit = async (action: string) =>
  JSON.parse((await database.db.auditLog.findFirstOrThrow({ where: { action, subject: SLUG }, orderBy: { createdAt: "desc" } })).detail!) as {
    from: { state: string };
    to: { state: string; closesAt?: string; status?: string };
    versions: number[];
  };
/** A wall-clock time in the staff member's zone, whole minutes, `ms` from now. */
const localIn = (ms: number) => utcToWallTime(new Date(Date.now() + ms), ZONE);
const utcOf = (local: string) => wallTimeToUtc(local, ZONE)!;

beforeAll(async () => {
  database = await createTestDatabase("lifecycle");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  surveyId = (await database.db.survey.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true } })).id;
  token = (await createParticipant(SLUG)).token;
  for (const [who, role] of Object.entries(PEOPLE)) {
    await database.db.staffUser.create({
      data: { email: `${who}@example.org`, name: who, passwordHash: await hashPassword(PASSWORD), grants: { create: { role } } },
    });
  }
  server = await startServer(database.url, { LOG_LEVEL: "error" });
  for (const [index, who] of (Object.keys(PEOPLE) as Who[]).entries()) {
    const login = await postForm(
      `${server.url}/staff/login`,
      { email: `${who}@example.org`, password: PASSWORD },
      { headers: { "x-forwarded-for": `10.9.0.${index + 1}` } },
    );
    expect(login.status, who).toBe(302);
    cookies[who] = cookiesFrom(login);
  }
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("survey lifecycle without JavaScript", { timeout: 30_000 }, () => {
  it("shows the state and dates on the overview, with the actions only to those who may edit", async () => {
    expect(await member()).toBe(200);
    const page = await overview();
    expect(page).toContain("Schedule and close");
    expect(page).toContain("Members can answer until the closing time.");
    expect(page).toContain(">Close now<");
    expect(page).toContain(`New closing time (${ZONE})`);
    expect(page).toContain(`value="${utcToWallTime((await row()).closesAt, ZONE)}"`);
    const seen = await overview("viewer");
    expect(seen).toContain("Schedule and close");
    expect(seen).not.toContain(">Close now<");
  });

  it("refuses results viewers and translators (403) and changes nothing", async () => {
    const before = await snapshot();
    for (const who of ["viewer", "translator"] as const) {
      for (const fields of [{ intent: "closeNow", confirmed: "0" } as Record<string, string>, { intent: "deadline", closesAt: localIn(30 * DAY) }]) {
        const response = await act(fields, who);
        expect(response.status, `${who} ${fields.intent}`).toBe(403);
      }
    }
    const after = await snapshot();
    expect(after.survey).toEqual(before.survey);
    expect(after.versions).toBe(before.versions);
  });

  it("refuses an unknown intent, a malformed or impossible date and an action of another state with a message, changing nothing", async () => {
    const before = await snapshot();
    const opensAt = utcToWallTime(before.survey.opensAt, ZONE);
    for (const [fields, status, message] of [
      [{ intent: "explode" }, 400, "This action could not be understood."],
      [{}, 400, "This action could not be understood."],
      [{ intent: "deadline", closesAt: "2031-13-45T99:00" }, 400, "Enter a date and time."],
      [{ intent: "deadline", closesAt: "next tuesday" }, 400, "Enter a date and time."],
      [{ intent: "deadline" }, 400, "Enter a date and time."],
      [{ intent: "deadline", closesAt: opensAt }, 400, "The closing time must be after the opening time."],
      [{ intent: "reopen", closesAt: localIn(30 * DAY) }, 409, "not possible in the survey&#x27;s current state"],
      [{ intent: "openNow" }, 409, "not possible in the survey&#x27;s current state"],
      [{ intent: "archive" }, 409, "not possible in the survey&#x27;s current state"],
      [{ intent: "unarchive" }, 409, "not possible in the survey&#x27;s current state"],
    ] as const) {
      const response = await act(fields);
      expect(response.status, JSON.stringify(fields)).toBe(status);
      expect(await response.text(), JSON.stringify(fields)).toContain(message);
    }
    expect(await snapshot()).toEqual(before);
    expect(await member()).toBe(200);
  });

  it("extends the deadline in the staff member's zone as a new published version; a later publish keeps it", async () => {
    const before = await row();
    // Someone is editing: a draft above the published version (another English title).
    const published = await database.db.surveyVersion.findUniqueOrThrow({ where: { surveyId_number: { surveyId, number: before.publishedVersion } } });
    const texts = JSON.parse(published.texts) as Record<string, { title: string }>;
    texts.en!.title = "Governance review (draft title)";
    const draft = before.publishedVersion + 1;
    await database.db.surveyVersion.create({
      data: { surveyId, number: draft, definition: published.definition, texts: JSON.stringify(texts), contentHash: "lifecycle-draft", note: "draft" },
    });

    const local = localIn(20 * DAY).slice(0, 11) + "18:30";
    const response = await act({ intent: "deadline", closesAt: local });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/staff/surveys/${SLUG}?done=deadline`);
    const after = await row();
    expect(after.closesAt.toISOString()).toBe(utcOf(local).toISOString());
    expect(after.opensAt).toEqual(before.opensAt);
    expect(await member()).toBe(200);
    // The published version carries the new dates; a new draft on top of the one being edited too.
    expect(after.publishedVersion).toBe(draft + 1);
    expect(Date.parse((await definitionOf(draft + 1)).closesAt)).toBe(after.closesAt.getTime());
    const latest = await database.db.surveyVersion.findFirstOrThrow({ where: { surveyId }, orderBy: { number: "desc" } });
    expect(latest).toMatchObject({ number: draft + 2, publishedAt: null });
    expect(Date.parse((await definitionOf(draft + 2)).closesAt)).toBe(after.closesAt.getTime());
    expect((JSON.parse(latest.texts) as Record<string, { title: string }>).en!.title).toBe("Governance review (draft title)");
    const again = await act({ intent: "deadline", closesAt: local });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("This is already the closing time.");
    expect(await lastAudit("surveys.deadline")).toMatchObject({ from: { state: "open" }, to: { state: "open" }, versions: [draft + 1, draft + 2] });
    expect(await (await get(`${server.url}/staff/surveys/${SLUG}?done=deadline`, { headers: { cookie: cookies.manager } })).text()).toContain(
      "The closing time has been changed.",
    );

    // The editor shows the new closing time, and publishing the draft changes no date.
    const editor = await (await get(`${server.url}/staff/surveys/${SLUG}/edit`, { headers: { cookie: `${cookies.manager}; tz=${ZONE}` } })).text();
    expect(editor).toContain(`value="${local}"`);
    const publish = await postForm(
      `${server.url}/staff/surveys/${SLUG}/versions`,
      { intent: "publish", version: String(draft + 2), confirmed: "0" },
      { headers: { cookie: cookies.manager, origin: server.url } },
    );
    expect(publish.status).toBe(302);
    const republished = await row();
    expect(republished.publishedVersion).toBe(draft + 2);
    expect(republished.closesAt).toEqual(after.closesAt);
    expect(republished.opensAt).toEqual(after.opensAt);
  });

  it("closes now only once confirmed with the number of responses started and not submitted", async () => {
    // A member answers the first section and stops: one response started, not submitted.
    const definition = loadSurveyDefinitions().definitions.find((candidate) => candidate.slug === SLUG)!;
    const first = definition.sections[0]!.key;
    const started = await postForm(`${server.url}/s/${token}/section/${first}`, { ...validSectionAnswers(definition, first), intent: "next" });
    expect(started.status).toBe(302);

    const before = await snapshot();
    const ask = await act({ intent: "closeNow" });
    expect(ask.status).toBe(200);
    const page = await ask.text();
    expect(page).toContain("Close the survey?");
    expect(page).toContain("1 response was started and not submitted");
    expect(page).toContain('name="confirmed" value="1"');
    // A figure other than the one counted now asks again (409).
    const stale = await act({ intent: "closeNow", confirmed: "0" });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("The number has changed since this was shown.");
    expect(await snapshot()).toEqual(before);
    expect(await member()).toBe(200);

    const done = await act({ intent: "closeNow", confirmed: "1" });
    expect(done.status).toBe(302);
    expect(await member()).toBe(410);
    const after = await row();
    expect(after.closesAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(Date.parse((await definitionOf(after.publishedVersion)).closesAt)).toBe(after.closesAt.getTime());
    expect(await lastAudit("surveys.closeNow")).toMatchObject({ from: { state: "open" }, to: { state: "closed" } });
  });

  it("reopens a closed survey only until a time in the future", async () => {
    const before = await snapshot();
    for (const [fields, status, message] of [
      [{ intent: "reopen", closesAt: localIn(-2 * HOUR) }, 400, "choose a closing time in the future"],
      [{ intent: "reopen", closesAt: "2031-02-30T10:00" }, 400, "Enter a date and time."],
      [{ intent: "deadline", closesAt: localIn(5 * DAY) }, 409, "current state"],
      [{ intent: "closeNow", confirmed: "1" }, 409, "current state"],
    ] as const) {
      const response = await act(fields);
      expect(response.status, JSON.stringify(fields)).toBe(status);
      expect(await response.text(), JSON.stringify(fields)).toContain(message);
    }
    expect(await snapshot()).toEqual(before);
    expect(await member()).toBe(410);

    const local = localIn(3 * DAY);
    expect((await act({ intent: "reopen", closesAt: local })).status).toBe(302);
    expect(await member()).toBe(200);
    expect((await row()).closesAt.toISOString()).toBe(utcOf(local).toISOString());
    expect(await lastAudit("surveys.reopen")).toMatchObject({ from: { state: "closed" }, to: { state: "open" } });
  });

  it("brings the deadline before now as a closing: confirmed first", async () => {
    const local = localIn(-HOUR);
    const ask = await act({ intent: "deadline", closesAt: local });
    expect(ask.status).toBe(200);
    const page = await ask.text();
    expect(page).toContain("Close the survey?");
    expect(page).toContain(`name="closesAt" value="${local}"`);
    expect(await member()).toBe(200);
    expect((await act({ intent: "deadline", closesAt: local, confirmed: "1" })).status).toBe(302);
    expect(await member()).toBe(410);
    expect((await row()).closesAt.toISOString()).toBe(utcOf(local).toISOString());
  });

  it("archives a closed survey (members get 410, results stay readable) and unarchives it as closed", async () => {
    expect((await act({ intent: "archive" })).status).toBe(302);
    expect((await row()).status).toBe("archived");
    expect(await member()).toBe(410);
    expect((await get(`${server.url}/staff/surveys/${SLUG}/results`, { headers: { cookie: cookies.manager } })).status).toBe(200);
    expect(await overview()).toContain(">Unarchive<");
    const before = await snapshot();
    for (const intent of ["archive", "reopen", "closeNow", "openNow"]) {
      expect((await act({ intent, closesAt: localIn(3 * DAY), confirmed: "1" })).status, intent).toBe(409);
    }
    expect(await snapshot()).toEqual(before);

    expect((await act({ intent: "unarchive" })).status).toBe(302);
    expect((await row()).status).toBe("published");
    expect(await member()).toBe(410);
    expect(await lastAudit("surveys.archive")).toMatchObject({ from: { state: "closed" }, to: { state: "archived", status: "archived" } });
    expect(await lastAudit("surveys.unarchive")).toMatchObject({ from: { state: "archived" }, to: { state: "closed", status: "published" } });
  });

  it("opens a scheduled survey now", async () => {
    // Scheduled: reopened until later, its opening moved ahead (as a definition published with later dates would).
    expect((await act({ intent: "reopen", closesAt: localIn(10 * DAY) })).status).toBe(302);
    await database.db.survey.update({ where: { id: surveyId }, data: { opensAt: new Date(Date.now() + 2 * DAY) } });
    expect(await member()).toBe(403);
    expect(await overview()).toContain(">Open now<");
    const closesAt = (await row()).closesAt;
    expect((await act({ intent: "openNow" })).status).toBe(302);
    expect(await member()).toBe(200);
    const after = await row();
    expect(after.opensAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(after.closesAt).toEqual(closesAt);
    expect(await lastAudit("surveys.openNow")).toMatchObject({ from: { state: "scheduled" }, to: { state: "open" } });
  });

  it("offers nothing on a draft survey but the way to publish it; publishing it opens it to its dates", async () => {
    const created = await postForm(
      `${server.url}/staff/surveys/new`,
      { title: "Lifecycle pulse", slug: "lifecycle-pulse", source: SLUG },
      { headers: { cookie: cookies.manager, origin: server.url } },
    );
    expect(created.status).toBe(302);
    const page = await (await get(`${server.url}/staff/surveys/lifecycle-pulse`, { headers: { cookie: cookies.manager } })).text();
    expect(page).toContain("Publish a version from the editor first");
    expect(page).toContain('href="/staff/surveys/lifecycle-pulse/versions"');
    expect(page).not.toContain(">Open now<");
    const refused = await act({ intent: "openNow" }, "manager", "lifecycle-pulse");
    expect(refused.status).toBe(409);
    const pulse = await database.db.survey.findUniqueOrThrow({ where: { slug: "lifecycle-pulse" } });
    expect(pulse.status).toBe("draft");

    // A draft version published from the Versions tab makes it a published survey, opening on its dates.
    const first = await database.db.surveyVersion.findUniqueOrThrow({ where: { surveyId_number: { surveyId: pulse.id, number: 1 } } });
    const texts = JSON.parse(first.texts) as Record<string, { title: string }>;
    texts.en!.title = "Lifecycle pulse, checked";
    await database.db.surveyVersion.create({
      data: { surveyId: pulse.id, number: 2, definition: first.definition, texts: JSON.stringify(texts), contentHash: "pulse-draft", note: "draft" },
    });
    const publish = await postForm(
      `${server.url}/staff/surveys/lifecycle-pulse/versions`,
      { intent: "publish", version: "2", confirmed: "0" },
      { headers: { cookie: cookies.manager, origin: server.url } },
    );
    expect(publish.status).toBe(302);
    expect((await database.db.survey.findUniqueOrThrow({ where: { slug: "lifecycle-pulse" } })).status).toBe("published");
    const now = await (await get(`${server.url}/staff/surveys/lifecycle-pulse`, { headers: { cookie: cookies.manager } })).text();
    expect(now).toContain(">Open now<");
  });
});
