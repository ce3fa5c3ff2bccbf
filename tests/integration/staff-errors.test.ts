import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
let cookie: string;
const password = "correct horse battery staple";

beforeAll(async () => {
  database = await createTestDatabase("staff-errors");
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email: "officer@example.org",
      name: "Officer",
      language: "en",
      passwordHash: await hashPassword(password),
    },
  });
  server = await startServer(database.url);
  const login = await postForm(`${server.url}/staff/login`, { email: "officer@example.org", password, next: "/staff" });
  expect(login.status).toBe(302);
  cookie = cookiesFrom(login);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("errors inside the staff pages", () => {
  it("answers an unknown survey with 404 and keeps the staff navigation", async () => {
    const response = await get(`${server.url}/staff/surveys/no-such-survey`, { headers: { cookie } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('href="/staff/outbox"');
    expect(html).toContain("Page not found");
    expect(html).toContain('dir="ltr"');
  });

  it("shows the page in the reader's language, right to left in Arabic", async () => {
    const response = await get(`${server.url}/staff/surveys/no-such-survey`, { headers: { cookie: `${cookie}; lng=ar` } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('href="/staff/outbox"');
    expect(html).toContain("الصفحة غير موجودة");
  });

  it("still sends signed-out visitors to the sign-in page", async () => {
    const response = await get(`${server.url}/staff/surveys/no-such-survey`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/staff\/login\?next=/);
  });
});
