import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { generateToken, hashToken } from "~/platform/tokens.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { HOUR } from "../support/dates";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
const oldPassword = "correct horse battery staple";
const newPassword = "violet anchor drifting lantern 47";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";

async function createUser(email: string, options: { language?: string; active?: boolean; name?: string } = {}) {
  return database.db.staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email,
      name: options.name ?? "Amira Haddad",
      language: options.language ?? "en",
      active: options.active ?? true,
      passwordHash: await hashPassword(oldPassword),
    },
  });
}

let ipCounter = 0;
/** A fresh client address per call, so the per-address limits of one test do not leak into another. */
const freshIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function signIn(email: string, password = oldPassword, userAgent = FIREFOX): Promise<string> {
  const response = await postForm(`${server.url}/staff/login`, { email, password }, { headers: { "x-forwarded-for": freshIp(), "user-agent": userAgent } });
  expect(response.status).toBe(302);
  return cookiesFrom(response);
}

async function requestReset(email: string, ip = freshIp(), language = "en"): Promise<Response> {
  return postForm(`${server.url}/staff/reset`, { email }, { headers: { "x-forwarded-for": ip, "accept-language": language } });
}

async function resetLinkFor(email: string): Promise<string> {
  const message = await database.db.outboxMessage.findFirstOrThrow({
    where: { toAddress: email, template: "staff-password-reset" },
    orderBy: { createdAt: "desc" },
  });
  const match = /\/staff\/reset\/[A-Za-z0-9_-]+/.exec(message.textBody);
  expect(match).not.toBeNull();
  return match![0];
}

const withoutNonce = (html: string) => html.replace(/nonce="[^"]*"/g, "");

beforeAll(async () => {
  database = await createTestDatabase("account");
  server = await startServer(database.url);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("password reset", () => {
  it("emails a link in the account's language, sets the new password, and ends every session", async () => {
    const user = await createUser("reset@example.org", { language: "fr" });
    const otherSession = await signIn("reset@example.org");
    expect((await get(`${server.url}/staff`, { headers: { cookie: otherSession } })).status).toBe(200);

    const login = await get(`${server.url}/staff/login`, { headers: { "accept-language": "en" } });
    expect(await login.text()).toContain('href="/staff/reset"');

    const answer = await requestReset("Reset@Example.org");
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("If an account exists for this address, we have sent a link to it.");

    const message = await database.db.outboxMessage.findFirstOrThrow({ where: { toAddress: "reset@example.org" } });
    expect(message.language).toBe("fr");
    expect(message.subject).toBe("Réinitialiser votre mot de passe Parley");
    expect(message.textBody).toContain("Le lien est valable une heure");
    const link = await resetLinkFor("reset@example.org");
    expect(message.textBody).toContain(`${server.url}${link}`);
    const stored = await database.db.staffPasswordReset.findFirstOrThrow({ where: { staffUserId: user.id } });
    expect(stored.tokenHash).toBe(hashToken(link.split("/").pop()!));
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(0.9 * HOUR);
    expect(stored.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(HOUR);

    const page = await get(`${server.url}${link}`, { headers: { "accept-language": "de" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(await page.text()).toContain("Neues Passwort wählen");

    const mismatch = await postForm(`${server.url}${link}`, { password: newPassword, confirm: "something else entirely 99" });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("The two new passwords are not the same.");

    const done = await postForm(`${server.url}${link}`, { password: newPassword, confirm: newPassword });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/staff/login?reset=done");
    const notice = await get(`${server.url}/staff/login?reset=done`, { headers: { "accept-language": "en" } });
    expect(await notice.text()).toContain("Your password has been changed. Please sign in with it.");

    expect((await get(`${server.url}/staff`, { headers: { cookie: otherSession } })).status).toBe(302);
    expect(await database.db.staffSession.count({ where: { staffUserId: user.id } })).toBe(0);
    const oldFails = await postForm(
      `${server.url}/staff/login`,
      { email: "reset@example.org", password: oldPassword },
      { headers: { "x-forwarded-for": freshIp() } },
    );
    expect(oldFails.status).toBe(401);
    await signIn("reset@example.org", newPassword);

    const used = await get(`${server.url}${link}`, { headers: { "accept-language": "en" } });
    expect(used.status).toBe(410);
    expect(await used.text()).toContain("This link can no longer be used");
    expect(await database.db.auditLog.count({ where: { action: "staff.password.reset", staffUserId: user.id } })).toBe(1);
  }, 30_000);

  it("gives an unknown or deactivated address the identical page, storing nothing and queueing no email", async () => {
    await createUser("known@example.org");
    await createUser("former@example.org", { active: false });
    const known = withoutNonce(await (await requestReset("known@example.org")).text());
    const resets = await database.db.staffPasswordReset.count();
    const emails = await database.db.outboxMessage.count();
    for (const email of ["nobody@example.org", "former@example.org"]) {
      const started = Date.now();
      const response = await requestReset(email);
      expect(response.status).toBe(200);
      expect(withoutNonce(await response.text())).toBe(known);
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    }
    expect(await database.db.staffPasswordReset.count()).toBe(resets);
    expect(await database.db.outboxMessage.count()).toBe(emails);
  });

  it("refuses expired, unknown and superseded links in the reader's language", async () => {
    const user = await createUser("expired@example.org");
    const token = generateToken();
    await database.db.staffPasswordReset.create({ data: { staffUserId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() - 60_000) } });
    const expired = await get(`${server.url}/staff/reset/${token}`, { headers: { "accept-language": "es" } });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("Este enlace ha caducado");
    const post = await postForm(`${server.url}/staff/reset/${token}`, { password: newPassword, confirm: newPassword });
    expect(post.status).toBe(410);
    const after = await database.db.staffUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.passwordHash).toBe(user.passwordHash);

    const unknown = await get(`${server.url}/staff/reset/${generateToken()}`, { headers: { "accept-language": "ar" } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("هذا الرابط غير صالح");

    await requestReset("expired@example.org");
    const first = await resetLinkFor("expired@example.org");
    await requestReset("expired@example.org");
    const second = await resetLinkFor("expired@example.org");
    expect(second).not.toBe(first);
    expect((await postForm(`${server.url}${first}`, { password: newPassword, confirm: newPassword })).status).toBe(410);
    expect((await get(`${server.url}${second}`)).status).toBe(200);
  });

  it("limits requests per email address and per client address, with a message", async () => {
    await createUser("limited@example.org");
    for (let attempt = 0; attempt < 3; attempt++) expect((await requestReset("limited@example.org")).status).toBe(200);
    const perEmail = await requestReset("limited@example.org", freshIp(), "en");
    expect(perEmail.status).toBe(429);
    expect(perEmail.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await perEmail.text()).toContain("Too many reset requests.");
    expect(await database.db.outboxMessage.count({ where: { toAddress: "limited@example.org" } })).toBe(3);

    const ip = freshIp();
    for (let attempt = 0; attempt < 10; attempt++) expect((await requestReset(`someone${attempt}@example.org`, ip)).status).toBe(200);
    const perAddress = await requestReset("someone-else@example.org", ip, "fr");
    expect(perAddress.status).toBe(429);
    expect(await perAddress.text()).toContain("Trop de demandes de réinitialisation.");
  }, 30_000);
});

describe("the account page", () => {
  it("changes the password: wrong current and weak new refused, success ends the other sessions only", async () => {
    const user = await createUser("changer@example.org", { name: "Changer Person" });
    const other = await signIn("changer@example.org", oldPassword, SAFARI);
    const mine = await signIn("changer@example.org");
    const headers = { cookie: mine, "accept-language": "en" };

    const wrong = await postForm(
      `${server.url}/staff/account`,
      { intent: "password", current: "not my password", password: newPassword, confirm: newPassword },
      { headers },
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("The current password is not correct.");

    const weak = await postForm(
      `${server.url}/staff/account`,
      { intent: "password", current: oldPassword, password: "password1234", confirm: "password1234" },
      { headers },
    );
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("This password is too easy to guess");
    const short = await postForm(`${server.url}/staff/account`, { intent: "password", current: oldPassword, password: "short", confirm: "short" }, { headers });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("at least 12 characters");
    const named = await postForm(
      `${server.url}/staff/account`,
      { intent: "password", current: oldPassword, password: "changerperson", confirm: "changerperson" },
      { headers },
    );
    expect(await named.text()).toContain("This password is too easy to guess");
    expect((await database.db.staffUser.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(user.passwordHash);

    const done = await postForm(
      `${server.url}/staff/account`,
      { intent: "password", current: oldPassword, password: newPassword, confirm: newPassword },
      { headers },
    );
    expect(done.status).toBe(303);
    const page = await get(`${server.url}/staff/account?saved=password`, { headers });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Your password has been changed.");
    expect((await get(`${server.url}/staff`, { headers: { cookie: other } })).status).toBe(302);
    expect(await database.db.staffSession.count({ where: { staffUserId: user.id } })).toBe(1);
    expect(await database.db.auditLog.count({ where: { action: "staff.password.change", staffUserId: user.id } })).toBe(1);
    await signIn("changer@example.org", newPassword);
  }, 30_000);

  it("lists the member's sessions and signs out everywhere else", async () => {
    const user = await createUser("sessions@example.org");
    const other = await signIn("sessions@example.org", oldPassword, SAFARI);
    const mine = await signIn("sessions@example.org", oldPassword, FIREFOX);
    const html = await (await get(`${server.url}/staff/account`, { headers: { cookie: mine, "accept-language": "en" } })).text();
    expect(html.match(/data-session="/g)).toHaveLength(2);
    expect(html).toContain("Firefox on Windows");
    expect(html).toContain("Safari on macOS");
    expect(html).toMatch(/data-session="current"><td>Firefox on Windows/);
    expect(html).toContain("(<!-- -->this session<!-- -->)");
    const rows = await database.db.staffSession.findMany({ where: { staffUserId: user.id } });
    expect(rows.every((row) => row.lastSeenAt !== null && row.userAgent)).toBe(true);
    // "Last active" is written at most every few minutes, not on every request.
    const current = rows.find((row) => row.userAgent === FIREFOX)!;
    await get(`${server.url}/staff`, { headers: { cookie: mine } });
    expect((await database.db.staffSession.findUniqueOrThrow({ where: { id: current.id } })).lastSeenAt).toEqual(current.lastSeenAt);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await database.db.staffSession.update({ where: { id: current.id }, data: { lastSeenAt: tenMinutesAgo } });
    await get(`${server.url}/staff`, { headers: { cookie: mine } });
    expect((await database.db.staffSession.findUniqueOrThrow({ where: { id: current.id } })).lastSeenAt!.getTime()).toBeGreaterThan(
      tenMinutesAgo.getTime() + 60_000,
    );

    const revoke = await postForm(`${server.url}/staff/account`, { intent: "revoke-sessions" }, { headers: { cookie: mine } });
    expect(revoke.status).toBe(303);
    expect((await get(`${server.url}/staff`, { headers: { cookie: other } })).status).toBe(302);
    expect((await get(`${server.url}/staff`, { headers: { cookie: mine } })).status).toBe(200);
    const after = await (await get(`${server.url}/staff/account`, { headers: { cookie: mine, "accept-language": "en" } })).text();
    expect(after.match(/data-session="/g)).toHaveLength(1);
    expect(after).toContain("You are not signed in anywhere else.");
    expect(await database.db.auditLog.count({ where: { action: "staff.sessions.revoke", staffUserId: user.id } })).toBe(1);
  });

  it("shows name, email and roles, and its language choice changes the staff pages", async () => {
    const user = await createUser("linguist@example.org", { name: "Li Wei" });
    const cookie = await signIn("linguist@example.org");
    const page = await get(`${server.url}/staff/account`, { headers: { cookie, "accept-language": "en" } });
    const html = await page.text();
    expect(html).toContain("<bdi>Li Wei</bdi>");
    expect(html).toContain("<bdi>linguist@example.org</bdi>");
    expect(html).toContain("Administrator");
    expect(html).toContain('lang="ar"');

    const bad = await postForm(`${server.url}/staff/account`, { intent: "language", language: "xx" }, { headers: { cookie } });
    expect(bad.status).toBe(400);

    // An earlier choice in the site's switcher (lng=fr) gives way to the one made here.
    const saved = await postForm(`${server.url}/staff/account`, { intent: "language", language: "de" }, { headers: { cookie: `${cookie}; lng=fr` } });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("set-cookie")).toMatch(/lng=de/);
    expect((await database.db.staffUser.findUniqueOrThrow({ where: { id: user.id } })).language).toBe("de");
    expect(await database.db.auditLog.count({ where: { action: "staff.language.change", staffUserId: user.id } })).toBe(1);

    const withCookie = await (await get(`${server.url}/staff`, { headers: { cookie: `${cookie}; ${cookiesFrom(saved)}`, "accept-language": "en" } })).text();
    expect(withCookie).toContain('<html lang="de"');
    expect(withCookie).toContain("Umfragen");
    // Another browser, without the cookie: the account's language still applies to staff pages.
    const elsewhere = await signIn("linguist@example.org");
    const fresh = await (await get(`${server.url}/staff/account`, { headers: { cookie: elsewhere, "accept-language": "en" } })).text();
    expect(fresh).toContain('<html lang="de"');
    expect(fresh).toContain("Ihr Konto");
  });
});
