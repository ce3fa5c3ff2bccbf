// The People page and staff invitations against the built server: invite,
// the email in the invitee's language, accepting (password policy, sign-in,
// exactly the grants), single-use links (expired, used, revoked, resent → 410
// or 404), refusals that store nothing, deactivation across two instances,
// the last-administrator guard and `npm run staff:create`.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { childEnv } from "../support/child-env";
import { DAY } from "../support/dates";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ADMIN_PASSWORD = "correct horse battery staple";
const STRONG = "orbit lantern gravel tundra";

let database: TestDatabase;
let server: TestServer;
let second: TestServer;
let adminCookie = "";
let adminId = "";
let surveyId = "";
let ipCounter = 0;

/** A client address of its own for each call site, so wrong-link counters of one test do not reach another. */
const fresh = () => ({ "x-forwarded-for": `10.9.${Math.floor(++ipCounter / 200)}.${ipCounter % 200}` });

async function signIn(base: string, email: string, password: string): Promise<Response> {
  return postForm(`${base}/staff/login`, { email, password }, { headers: fresh() });
}

function asAdmin(extra: Record<string, string> = {}) {
  return { headers: { cookie: adminCookie, origin: server.url, ...extra } };
}

async function invite(fields: Record<string, string>, roles: string[] = [], cookie = adminCookie) {
  const body = new URLSearchParams({ intent: "invite", language: "en", ...fields });
  for (const role of roles) body.append("role", role);
  return postForm(`${server.url}/staff/people?index`, body, { headers: { cookie, origin: server.url, "accept-language": "en" } });
}

async function linkFor(email: string): Promise<string> {
  const message = await database.db.outboxMessage.findFirstOrThrow({ where: { toAddress: email }, orderBy: { createdAt: "desc" } });
  const link = /http:\/\/\S+\/staff\/invitation\/[A-Za-z0-9_-]+/.exec(message.textBody)?.[0];
  expect(link).toBeTruthy();
  // The server's own address stands in for PUBLIC_URL in these tests.
  return link!.replace(/^http:\/\/[^/]+/, server.url);
}

beforeAll(async () => {
  database = await createTestDatabase("people");
  useAsAppDatabase(database);
  await syncDemoSurveys();
  surveyId = (await database.db.survey.findUniqueOrThrow({ where: { slug: "governance-review" } })).id;
  const admin = await database.db.staffUser.create({
    data: { grants: { create: { role: "administrator" } }, email: "ada@example.org", name: "Ada Admin", passwordHash: await hashPassword(ADMIN_PASSWORD) },
  });
  adminId = admin.id;
  server = await startServer(database.url, { LOG_LEVEL: "error" });
  second = await startServer(database.url, { LOG_LEVEL: "error" });
  const login = await signIn(server.url, "ada@example.org", ADMIN_PASSWORD);
  expect(login.status).toBe(302);
  adminCookie = cookiesFrom(login);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await second?.stop();
  await database?.drop();
});

describe("inviting and accepting", () => {
  it("invites, emails the link in the invitee's language, accepts with a strong password and signs in with exactly the grants", async () => {
    const response = await invite(
      { email: "Zoe@Example.org", name: "Zoé Durand", language: "fr", [`scope-results_viewer`]: surveyId, "language-translator": "de" },
      ["results_viewer", "translator"],
    );
    expect(response.status).toBe(200);
    const invitation = await database.db.staffInvitation.findFirstOrThrow({ where: { email: "zoe@example.org" } });
    expect(invitation.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * DAY);
    expect(invitation.invitedById).toBe(adminId);
    const message = await database.db.outboxMessage.findFirstOrThrow({ where: { toAddress: "zoe@example.org" } });
    expect(message.language).toBe("fr");
    expect(message.subject).toContain("Votre invitation");
    expect(message.textBody).toContain("Ada Admin vous a invité");
    const link = await linkFor("zoe@example.org");
    expect(invitation.tokenHash).not.toContain(link.split("/").pop());

    const page = await get(link, { headers: fresh() });
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain('lang="fr"');
    expect(html).toContain("Ada Admin");
    expect(html).toContain("Lecteur des résultats");

    const weak = await postForm(
      link,
      { password: "password1234", repeat: "password1234" },
      { headers: { ...fresh(), "accept-language": "en", cookie: "lng=en" } },
    );
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("This password is too easy to guess");
    const mismatch = await postForm(link, { password: STRONG, repeat: `${STRONG}!` }, { headers: { ...fresh(), cookie: "lng=en" } });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("The two passwords are not the same.");
    expect(await database.db.staffUser.count({ where: { email: "zoe@example.org" } })).toBe(0);

    const accept = await postForm(link, { password: STRONG, repeat: STRONG }, { headers: fresh() });
    expect(accept.status).toBe(302);
    expect(accept.headers.get("location")).toBe("/staff");
    const home = await get(`${server.url}/staff/translations`, { headers: { cookie: cookiesFrom(accept) } });
    expect(home.status).toBe(200);

    const user = await database.db.staffUser.findUniqueOrThrow({ where: { email: "zoe@example.org" }, include: { grants: true } });
    expect(user.name).toBe("Zoé Durand");
    expect(user.language).toBe("fr");
    expect(user.grants.map(({ role, surveyId: survey, language }) => ({ role, survey, language })).sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      { role: "results_viewer", survey: surveyId, language: null },
      { role: "translator", survey: null, language: "de" },
    ]);
    expect((await database.db.staffInvitation.findUniqueOrThrow({ where: { id: invitation.id } })).acceptedAt).not.toBeNull();
    expect(await database.db.auditLog.count({ where: { action: "staff.invitation.accept", staffUserId: user.id } })).toBe(1);
    const signIn2 = await signIn(server.url, "zoe@example.org", STRONG);
    expect(signIn2.status).toBe(302);

    // A used link is gone: 410 with a page in the reader's language, and it makes no second account.
    const again = await get(link, { headers: { ...fresh(), cookie: "lng=de" } });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("Diese Einladung kann nicht mehr verwendet werden");
    const reuse = await postForm(link, { password: STRONG, repeat: STRONG }, { headers: fresh() });
    expect(reuse.status).toBe(410);
    expect(await database.db.staffUser.count({ where: { email: "zoe@example.org" } })).toBe(1);
  }, 30_000);

  it("answers 410 for an expired link and 404 for an unknown one", async () => {
    expect((await invite({ email: "late@example.org", name: "Late" }, ["forum_organiser"])).status).toBe(200);
    const link = await linkFor("late@example.org");
    await database.db.staffInvitation.updateMany({ where: { email: "late@example.org" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await get(link, { headers: { ...fresh(), cookie: "lng=en" } });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("This invitation can no longer be used");
    expect((await get(`${server.url}/staff/invitation/AAAAAAAAAAAAAAAAAAAAAA`, { headers: fresh() })).status).toBe(404);
  });

  it("limits wrong links per client address", async () => {
    const headers = { "x-forwarded-for": "10.99.0.1" };
    let last: Response | undefined;
    for (let attempt = 0; attempt < 21; attempt++) last = await get(`${server.url}/staff/invitation/wrong${attempt}wrongwrongwrongwrong`, { headers });
    expect(last?.status).toBe(429);
  });

  it("revokes an invitation: its link answers 410", async () => {
    expect((await invite({ email: "revoked@example.org", name: "Rev" }, ["translator"])).status).toBe(200);
    const link = await linkFor("revoked@example.org");
    const invitation = await database.db.staffInvitation.findFirstOrThrow({ where: { email: "revoked@example.org" } });
    const revoke = await postForm(`${server.url}/staff/people?index`, { intent: "revoke", invitation: invitation.id }, asAdmin());
    expect(revoke.status).toBe(200);
    expect((await get(link, { headers: fresh() })).status).toBe(410);
    expect(await database.db.auditLog.count({ where: { action: "staff.invitation.revoke", subject: invitation.id } })).toBe(1);
  });

  it("resends with a new link: the old one stops working, the new one works", async () => {
    expect((await invite({ email: "resend@example.org", name: "Re Send" }, ["results_viewer"])).status).toBe(200);
    const oldLink = await linkFor("resend@example.org");
    const invitation = await database.db.staffInvitation.findFirstOrThrow({ where: { email: "resend@example.org" } });
    await database.db.staffInvitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date(Date.now() + DAY) } });
    const resend = await postForm(`${server.url}/staff/people?index`, { intent: "resend", invitation: invitation.id }, asAdmin());
    expect(resend.status).toBe(200);
    expect(await database.db.outboxMessage.count({ where: { toAddress: "resend@example.org" } })).toBe(2);
    const newLink = await linkFor("resend@example.org");
    expect(newLink).not.toBe(oldLink);
    expect([404, 410]).toContain((await get(oldLink, { headers: fresh() })).status);
    expect((await get(newLink, { headers: fresh() })).status).toBe(200);
    const renewed = await database.db.staffInvitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(renewed.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * DAY);
    expect(await database.db.auditLog.count({ where: { action: "staff.invitation.resend", subject: invitation.id } })).toBe(1);
  });
});

describe("refusals store nothing", () => {
  async function refused(fields: Record<string, string>, roles: string[], status: number, message: string) {
    const invitations = await database.db.staffInvitation.count();
    const emails = await database.db.outboxMessage.count();
    const response = await invite(fields, roles);
    expect(response.status).toBe(status);
    expect(await response.text()).toContain(message);
    expect(await database.db.staffInvitation.count()).toBe(invitations);
    expect(await database.db.outboxMessage.count()).toBe(emails);
  }

  it("refuses an address already on staff", () =>
    refused({ email: "ADA@example.org", name: "Ada again" }, ["translator"], 409, "This address already belongs to a staff account."));

  it("refuses an address already invited and offers Resend", async () => {
    expect((await invite({ email: "pending@example.org", name: "Pending" }, ["translator"])).status).toBe(200);
    await refused({ email: "pending@example.org", name: "Pending" }, ["translator"], 409, "This address already has a pending invitation.");
    const html = await (await invite({ email: "pending@example.org", name: "Pending" }, ["translator"])).text();
    expect(html).toContain("You can send it again with a new link");
  });

  it("refuses an unknown role", () => refused({ email: "role@example.org", name: "Role" }, ["superuser"], 400, "This role does not exist."));

  it("refuses a survey that does not exist", () =>
    refused(
      { email: "survey@example.org", name: "Survey", "scope-results_viewer": "00000000-0000-4000-8000-000000000000" },
      ["results_viewer"],
      400,
      "This survey does not exist.",
    ));

  it("refuses an invitation without a role", () => refused({ email: "none@example.org", name: "None" }, [], 400, "Choose at least one role."));

  it("refuses a malformed email", () => refused({ email: "not an email", name: "Bad" }, ["translator"], 400, "Enter a valid email address"));
});

describe("deactivation and roles", () => {
  it("ends a live session on a second instance at once, and the person cannot sign in", async () => {
    const person = await database.db.staffUser.create({
      data: { grants: { create: { role: "translator" } }, email: "leaving@example.org", name: "Leaving", passwordHash: await hashPassword(STRONG) },
    });
    const login = await signIn(second.url, "leaving@example.org", STRONG);
    expect(login.status).toBe(302);
    const cookie = cookiesFrom(login);
    expect((await get(`${second.url}/staff/translations`, { headers: { cookie } })).status).toBe(200);

    const deactivate = await postForm(`${server.url}/staff/people/${person.id}`, { intent: "deactivate" }, asAdmin());
    expect(deactivate.status).toBe(302);
    expect(await database.db.staffSession.count({ where: { staffUserId: person.id } })).toBe(0);
    const after = await get(`${second.url}/staff/translations`, { headers: { cookie } });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toContain("/staff/login");
    expect((await signIn(second.url, "leaving@example.org", STRONG)).status).toBe(401);
    expect(await database.db.auditLog.count({ where: { action: "staff.deactivate", subject: person.id } })).toBe(1);

    const reactivate = await postForm(`${server.url}/staff/people/${person.id}`, { intent: "reactivate" }, asAdmin());
    expect(reactivate.status).toBe(302);
    expect((await signIn(second.url, "leaving@example.org", STRONG)).status).toBe(302);
    expect(await database.db.auditLog.count({ where: { action: "staff.reactivate", subject: person.id } })).toBe(1);
  }, 30_000);

  it("replaces a person's grants", async () => {
    const person = await database.db.staffUser.create({
      data: { grants: { create: { role: "translator" } }, email: "roles@example.org", name: "Roles", passwordHash: "x" },
    });
    const body = new URLSearchParams({ intent: "roles", "scope-survey_manager": surveyId, "scope-forum_organiser": "all" });
    body.append("role", "survey_manager");
    body.append("role", "forum_organiser");
    const response = await postForm(`${server.url}/staff/people/${person.id}`, body, asAdmin());
    expect(response.status).toBe(302);
    const grants = await database.db.staffGrant.findMany({ where: { staffUserId: person.id }, orderBy: { role: "asc" } });
    expect(grants.map(({ role, surveyId: survey }) => ({ role, survey }))).toEqual([
      { role: "forum_organiser", survey: null },
      { role: "survey_manager", survey: surveyId },
    ]);
    expect(await database.db.auditLog.count({ where: { action: "staff.roles.change", subject: person.id } })).toBe(1);
  });

  it("gives a translator several languages, one grant each, and shows them ticked again when the form is refused", async () => {
    const person = await database.db.staffUser.create({
      data: { grants: { create: { role: "translator", language: "fr" } }, email: "polyglot@example.org", name: "Polyglot", passwordHash: "x" },
    });
    const body = new URLSearchParams({ intent: "roles", "scope-translator": "all" });
    body.append("role", "translator");
    for (const language of ["ar", "ru", "ar"]) body.append("language-translator", language);
    expect((await postForm(`${server.url}/staff/people/${person.id}`, body, asAdmin())).status).toBe(302);
    const grants = await database.db.staffGrant.findMany({ where: { staffUserId: person.id }, orderBy: { language: "asc" } });
    expect(grants.map(({ role, language }) => ({ role, language }))).toEqual([
      { role: "translator", language: "ar" },
      { role: "translator", language: "ru" },
    ]);
    // The language checkboxes ticked on a page (React writes `checked` before `value`).
    const ticked = (html: string) =>
      [...html.matchAll(/<input[^>]*name="language-translator"[^>]*>/g)].flatMap(([tag]) => (/\bchecked\b/.test(tag) ? [/value="([^"]+)"/.exec(tag)![1]] : []));
    expect(ticked(await (await get(`${server.url}/staff/people/${person.id}`, asAdmin())).text())).toEqual(["ar", "ru"]);

    // An unknown language among them: refused, nothing changed, the ticked ones shown again.
    const refused = new URLSearchParams({ intent: "roles", "scope-translator": "all" });
    refused.append("role", "translator");
    for (const language of ["de", "xx-nowhere"]) refused.append("language-translator", language);
    const response = await postForm(`${server.url}/staff/people/${person.id}`, refused, asAdmin({ cookie: `${adminCookie}; lng=en` }));
    expect(response.status).toBe(400);
    expect(ticked(await response.text())).toEqual(["de"]);
    expect(await database.db.staffGrant.count({ where: { staffUserId: person.id } })).toBe(2);

    // None ticked: every language, as one grant.
    const every = new URLSearchParams({ intent: "roles", "scope-translator": "all", role: "translator" });
    expect((await postForm(`${server.url}/staff/people/${person.id}`, every, asAdmin())).status).toBe(302);
    expect(await database.db.staffGrant.findMany({ where: { staffUserId: person.id }, select: { language: true } })).toEqual([{ language: null }]);
  });

  it("never deactivates or demotes the last active administrator, nor lets administrators lock themselves out", async () => {
    const self = await postForm(`${server.url}/staff/people/${adminId}`, { intent: "deactivate" }, asAdmin({ cookie: `${adminCookie}; lng=en` }));
    expect(self.status).toBe(409);
    expect(await self.text()).toContain("You cannot deactivate your own account.");
    const demote = new URLSearchParams({ intent: "roles" });
    demote.append("role", "translator");
    const ownRole = await postForm(`${server.url}/staff/people/${adminId}`, demote, asAdmin({ cookie: `${adminCookie}; lng=en` }));
    expect(ownRole.status).toBe(409);
    expect(await ownRole.text()).toContain("You cannot remove your own administrator role.");

    // An administrator for one survey may manage people but is not an administrator of the whole organisation.
    await database.db.staffUser.create({
      data: { grants: { create: { role: "administrator", surveyId } }, email: "deputy@example.org", name: "Deputy", passwordHash: await hashPassword(STRONG) },
    });
    const deputy = cookiesFrom(await signIn(server.url, "deputy@example.org", STRONG));
    const last = await postForm(
      `${server.url}/staff/people/${adminId}`,
      { intent: "deactivate" },
      { headers: { cookie: `${deputy}; lng=en`, origin: server.url } },
    );
    expect(last.status).toBe(409);
    expect(await last.text()).toContain("This is the last active administrator");
    const lastRoles = await postForm(`${server.url}/staff/people/${adminId}`, demote, { headers: { cookie: `${deputy}; lng=en`, origin: server.url } });
    expect(lastRoles.status).toBe(409);
    const admin = await database.db.staffUser.findUniqueOrThrow({ where: { id: adminId }, include: { grants: true } });
    expect(admin.active).toBe(true);
    expect(admin.grants.map((grant) => grant.role)).toEqual(["administrator"]);
  }, 30_000);

  it("lists people and invitations on the People page", async () => {
    const response = await get(`${server.url}/staff/people`, asAdmin({ cookie: `${adminCookie}; lng=en` }));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<bdi>ada@example.org</bdi>");
    expect(html).toContain("pending@example.org");
    expect(html).toContain("Invite a colleague");
  });
});

describe("npm run staff:create", () => {
  it("prints a one-time link that works, with its expiry", async () => {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/staff-create.ts", "--email", "first@example.org", "--name", "First Admin", "--role", "administrator", "--language", "fr"],
      {
        cwd: root,
        env: childEnv({ DATABASE_URL: database.url, PUBLIC_URL: server.url }),
        encoding: "utf8",
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const link = /(http:\/\/\S+\/staff\/invitation\/\S+)/.exec(run.stdout)?.[1];
    expect(link).toBeTruthy();
    expect(run.stdout).toMatch(/Expires: \d{4}-\d\d-\d\dT/);
    const invitation = await database.db.staffInvitation.findFirstOrThrow({ where: { email: "first@example.org" } });
    expect(invitation.invitedById).toBeNull();
    expect((await get(link!, { headers: fresh() })).status).toBe(200);
    const accept = await postForm(link!, { password: STRONG, repeat: STRONG }, { headers: fresh() });
    expect(accept.status).toBe(302);
    const user = await database.db.staffUser.findUniqueOrThrow({ where: { email: "first@example.org" }, include: { grants: true } });
    expect(user.grants.map((grant) => [grant.role, grant.surveyId])).toEqual([["administrator", null]]);
  }, 30_000);
});
