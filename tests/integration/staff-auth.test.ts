import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
const password = "correct horse battery staple";

beforeAll(async () => {
  database = await createTestDatabase("staff-auth");
  for (const email of ["officer@example.org", "locked@example.org"]) {
    await database.db.staffUser.create({
      data: { grants: { create: { role: "administrator" } }, email, name: "Officer", passwordHash: await hashPassword(password) },
    });
  }
  server = await startServer(database.url);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

// Each test uses its own client address so the per-address limit of one
// test does not leak into another (the server trusts one proxy hop here).
const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });

describe("staff sign-in", () => {
  it("sends anonymous visitors of staff pages to the sign-in page", async () => {
    const response = await get(`${server.url}/staff`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/staff/login?next=%2Fstaff");
  });

  it("refuses a wrong password with a message in the reader's language", async () => {
    const response = await postForm(`${server.url}/staff/login`, { email: "officer@example.org", password: "wrong" }, { headers: { "accept-language": "en" } });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("The email address or password is not correct.");
  });

  it("shows field errors for an empty form, without storing anything", async () => {
    const response = await postForm(`${server.url}/staff/login`, {});
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("This field is required.");
  });

  it("signs in with a database session cookie (HttpOnly, SameSite=Lax) and signs out", async () => {
    const login = await postForm(`${server.url}/staff/login`, { email: "Officer@Example.org", password, next: "/staff" });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/staff");
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(await database.db.staffSession.count()).toBe(1);

    const cookie = cookiesFrom(login);
    const home = await get(`${server.url}/staff`, { headers: { cookie } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Surveys");

    const logout = await postForm(`${server.url}/staff/logout`, {}, { headers: { cookie } });
    expect(logout.status).toBe(302);
    expect(await database.db.staffSession.count()).toBe(0);
    expect((await get(`${server.url}/staff`, { headers: { cookie } })).status).toBe(302);
  });

  it("never redirects off-site after sign-in", async () => {
    const login = await postForm(`${server.url}/staff/login`, { email: "officer@example.org", password, next: "//evil.example" }, from("10.0.0.9"));
    expect(login.headers.get("location")).toBe("/staff");
  });

  it("locks an account after five failures, with a message saying for how long", async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await postForm(`${server.url}/staff/login`, { email: "locked@example.org", password: "nope" }, from("10.0.0.2"));
      expect(response.status).toBe(401);
    }
    const fifth = await postForm(`${server.url}/staff/login`, { email: "locked@example.org", password: "nope" }, from("10.0.0.2"));
    expect(fifth.status).toBe(429);
    expect(await fifth.text()).toContain("this account is locked. Try again in 15 minutes.");
    const correct = await postForm(`${server.url}/staff/login`, { email: "locked@example.org", password }, from("10.0.0.3"));
    expect(correct.status).toBe(429);
    const audit = await database.db.auditLog.findMany({ where: { action: "staff.locked" } });
    expect(audit).toHaveLength(1);
  });

  it("limits attempts per client address across accounts", async () => {
    let last: Response | undefined;
    for (let attempt = 0; attempt < 21; attempt++) {
      last = await postForm(`${server.url}/staff/login`, { email: `nobody${attempt}@example.org`, password: "x" }, from("10.0.0.4"));
    }
    expect(last?.status).toBe(429);
    expect(last?.headers.get("retry-after")).toMatch(/^\d+$/);
    // Twenty-one password checks (scrypt, deliberately slow): more than the default 5 s on a busy CI machine.
  }, 30_000);

  it("stores passwords as scrypt hashes", async () => {
    const user = await database.db.staffUser.findUniqueOrThrow({ where: { email: "officer@example.org" } });
    expect(user.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(user.passwordHash).not.toContain(password);
  });
});
