// Every staff route of the build, requested as every role: allowed or 403 as
// features/staff/permissions.ts's ROUTE_PERMISSIONS says. A route that is not
// in that table fails here, so no staff page can appear without a declared
// permission.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_PERMISSIONS, can, canManageForum, ROUTE_PERMISSIONS, surveysAllowed, type Grant } from "~/features/staff/permissions";
import { hashPassword } from "~/platform/password.server";
import { utcAt } from "../support/dates";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { builtRoutes, type RouteInfo } from "../support/routes";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

const SURVEY = "governance-review";
const OTHER_SURVEY = "interoperability-standards";
const PASSWORD = "a long enough password";

let database: TestDatabase;
let server: TestServer;
let surveyId = "";
const fixtures = { participantId: "", sessionId: "", outboxId: "", staffUserId: "" };

interface Person {
  name: string;
  grants: Omit<Grant, "language">[];
  cookie: string;
}
const people: Person[] = [
  { name: "administrator", grants: [{ role: "administrator", surveyId: null }], cookie: "" },
  { name: "survey manager of this survey", grants: [{ role: "survey_manager", surveyId: "this" }], cookie: "" },
  { name: "survey manager of another survey", grants: [{ role: "survey_manager", surveyId: "other" }], cookie: "" },
  { name: "results viewer", grants: [{ role: "results_viewer", surveyId: null }], cookie: "" },
  { name: "translator", grants: [{ role: "translator", surveyId: null }], cookie: "" },
  { name: "forum organiser", grants: [{ role: "forum_organiser", surveyId: null }], cookie: "" },
  {
    name: "viewer and translator",
    grants: [
      { role: "results_viewer", surveyId: "this" },
      { role: "translator", surveyId: null },
    ],
    cookie: "",
  },
  { name: "no role", grants: [], cookie: "" },
];

beforeAll(async () => {
  database = await createTestDatabase("permissions");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SURVEY] });
  surveyId = (await database.db.survey.findUniqueOrThrow({ where: { slug: SURVEY } })).id;
  const otherId = (await database.db.survey.findUniqueOrThrow({ where: { slug: OTHER_SURVEY } })).id;
  for (const person of people) {
    person.grants = person.grants.map((grant) => ({ ...grant, surveyId: grant.surveyId === "this" ? surveyId : grant.surveyId === "other" ? otherId : null }));
    await database.db.staffUser.create({
      data: {
        email: `${person.name.replaceAll(" ", ".")}@example.org`,
        name: person.name,
        passwordHash: await hashPassword(PASSWORD),
        grants: { create: person.grants.map((grant) => ({ role: grant.role, surveyId: grant.surveyId })) },
      },
    });
  }
  fixtures.participantId = (await createParticipant(SURVEY)).id;
  fixtures.staffUserId = (await database.db.staffUser.findUniqueOrThrow({ where: { email: "no.role@example.org" } })).id;
  const series = await database.db.forumSeries.create({
    data: { slug: "roles-forum", surveyId, texts: JSON.stringify({ en: { title: "Forum", description: "" } }) },
  });
  fixtures.sessionId = (
    await database.db.forumSession.create({
      data: { seriesId: series.id, startsAt: utcAt(9, "12:00"), endsAt: utcAt(9, "13:00"), language: "en", capacity: 5 },
    })
  ).id;
  fixtures.outboxId = (
    await database.db.outboxMessage.create({
      data: { template: "test", toAddress: "a@example.org", language: "en", subject: "Receipt", textBody: "Your answers: yes, no, maybe." },
    })
  ).id;
  server = await startServer(database.url, { LOG_LEVEL: "error" });
  for (const person of people) {
    const response = await postForm(
      `${server.url}/staff/login`,
      { email: `${person.name.replaceAll(" ", ".")}@example.org`, password: PASSWORD },
      { headers: { "x-forwarded-for": `10.7.0.${people.indexOf(person) + 1}` } },
    );
    expect(response.status, person.name).toBe(302);
    person.cookie = cookiesFrom(response);
  }
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/** A concrete address for a route pattern, with fixtures for its parameters. */
function concretePath(route: RouteInfo): string {
  return route.pattern
    .replace(":slug", route.pattern.startsWith("/staff/forums") ? "roles-forum" : SURVEY)
    .replace(
      ":id",
      route.pattern.startsWith("/staff/forums")
        ? fixtures.sessionId
        : route.pattern.startsWith("/staff/outbox")
          ? fixtures.outboxId
          : route.pattern.startsWith("/staff/people")
            ? fixtures.staffUserId
            : fixtures.participantId,
    )
    .replace(":lang", "fr")
    .replace(":ns", "common");
}

describe("staff routes × roles", () => {
  it("declares a permission for every staff route of the build", async () => {
    const staffRoutes = (await builtRoutes()).filter((route) => route.staff);
    expect(staffRoutes.length).toBeGreaterThan(20);
    const undeclared = staffRoutes.filter((route) => !(route.id in ROUTE_PERMISSIONS)).map((route) => route.id);
    expect(undeclared, "staff routes without an entry in ROUTE_PERMISSIONS").toEqual([]);
    const stale = Object.keys(ROUTE_PERMISSIONS).filter((id) => !staffRoutes.some((route) => route.id === id));
    expect(stale, "ROUTE_PERMISSIONS entries for routes that do not exist").toEqual([]);
    const noAction = Object.keys(ACTION_PERMISSIONS).filter((id) => !staffRoutes.some((route) => route.id === id && route.hasAction));
    expect(noAction, "ACTION_PERMISSIONS entries for routes without an action").toEqual([]);
    // The first test to import the server build: over 5 s on a busy machine.
  }, 30_000);

  it("lets each role in where the table allows it and answers 403 everywhere else, for pages and actions", async () => {
    const staffRoutes = (await builtRoutes()).filter((route) => route.staff);
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of staffRoutes) {
      const path = concretePath(route);
      for (const person of people) {
        const grants = person.grants.map((grant) => ({ ...grant, language: null }));
        const methods = [route.hasLoader ? "GET" : null, route.hasAction ? "POST" : null].filter(Boolean) as string[];
        for (const method of methods) {
          const permission = (method === "POST" ? ACTION_PERMISSIONS[route.id] : undefined) ?? ROUTE_PERMISSIONS[route.id]!;
          // Forum series are managed per linked survey (canManageForum): the fixture series is linked to SURVEY,
          // and creating a series (POST /staff/forums) is for those who manage every series.
          // Importing a bundle (/staff/bundles) is not about the fixture survey: the page is for anyone who may edit some
          // survey, and the import then checks the bundle's own survey (features/editor/versions.server.ts importBundle).
          // Creating a survey (/staff/surveys/new) needs the permission for every survey.
          const allowed =
            permission === "signedIn" ||
            (route.pattern === "/staff/bundles"
              ? can(grants, permission)
              : route.pattern === "/staff/surveys/new"
                ? surveysAllowed(grants, permission) === "all" && can(grants, permission)
                : route.pattern.startsWith("/staff/forums/")
                  ? canManageForum(grants, surveyId)
                  : route.pattern === "/staff/forums" && method === "POST"
                    ? canManageForum(grants, null)
                    : can(grants, permission, surveyId));
          const headers = { cookie: person.cookie, origin: server.url };
          const response =
            method === "GET"
              ? await get(`${server.url}${path}`, { headers })
              : await postForm(`${server.url}${path}${route.index ? "?index" : ""}`, { intent: "permission-check" }, { headers });
          await response.arrayBuffer();
          checked++;
          const refused = response.status === 403;
          if (refused === allowed) mismatches.push(`${method} ${path} as ${person.name}: ${response.status} (expected ${allowed ? "allowed" : "403"})`);
          if (response.status >= 500) mismatches.push(`${method} ${path} as ${person.name}: ${response.status}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  }, 120_000);

  it("refuses with a page in the reader's language and writes the refusal to the audit log", async () => {
    const translator = people.find((person) => person.name === "translator")!;
    const response = await get(`${server.url}/staff/surveys/${SURVEY}/results`, { headers: { cookie: `${translator.cookie}; lng=fr` } });
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain('lang="fr"');
    expect(html).toContain("accès à cette page");
    // The survey layout (surveys.view) and the results page (results.view) load in parallel and both refuse,
    // so either may be written last: the page's own refusal must be among them.
    const refusals = await database.db.auditLog.findMany({
      where: { action: "staff.refused", subject: `/staff/surveys/${SURVEY}/results` },
    });
    expect(refusals.map((row) => row.detail).join("\n")).toContain("results.view");
  });

  it("shows message text only to administrators", async () => {
    const admin = people.find((person) => person.name === "administrator")!;
    const manager = people.find((person) => person.name === "survey manager of this survey")!;
    expect(await (await get(`${server.url}/staff/outbox/${fixtures.outboxId}`, { headers: { cookie: admin.cookie } })).text()).toContain(
      "Your answers: yes, no, maybe.",
    );
    const seen = await (await get(`${server.url}/staff/outbox/${fixtures.outboxId}`, { headers: { cookie: manager.cookie } })).text();
    expect(seen).toContain("a@example.org");
    expect(seen).not.toContain("yes, no, maybe");
  });

  it("sends people without any survey to their own area, and lists only the surveys a grant names", async () => {
    const translator = people.find((person) => person.name === "translator")!;
    const home = await get(`${server.url}/staff`, { headers: { cookie: translator.cookie } });
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("/staff/translations");
    const other = people.find((person) => person.name === "survey manager of another survey")!;
    const list = await (await get(`${server.url}/staff`, { headers: { cookie: other.cookie } })).text();
    expect(list).toContain(`/staff/surveys/${OTHER_SURVEY}`);
    expect(list).not.toContain(`/staff/surveys/${SURVEY}"`);
  });
});
