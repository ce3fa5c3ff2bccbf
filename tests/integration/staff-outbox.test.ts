import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
let cookie = "";

beforeAll(async () => {
  database = await createTestDatabase("staff-outbox");
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email: "officer@example.org",
      name: "Officer",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  server = await startServer(database.url);
  const login = await postForm(`${server.url}/staff/login`, { email: "officer@example.org", password: "a long enough password" });
  cookie = cookiesFrom(login);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("staff outbox page", () => {
  it("is only for signed-in staff", async () => {
    expect((await get(`${server.url}/staff/outbox`)).status).toBe(302);
    expect((await postForm(`${server.url}/staff/outbox?index`, { retry: crypto.randomUUID() })).status).toBe(401);
  });

  it("lists messages by status, shows one as escaped text, and retries a failed one", async () => {
    const failed = await database.db.outboxMessage.create({
      data: {
        template: "receipt",
        toAddress: "member@example.org",
        language: "fr",
        subject: "Vos réponses",
        textBody: "<script>alert(1)</script> Bonjour",
        status: "failed",
        attempts: 3,
        lastError: "421 try later",
      },
    });
    await database.db.outboxMessage.create({
      data: {
        template: "receipt",
        toAddress: "other@example.org",
        language: "en",
        subject: "Your answers",
        textBody: "Hello",
        status: "sent",
        sentAt: new Date(),
      },
    });
    const list = await (await get(`${server.url}/staff/outbox`, { headers: { cookie } })).text();
    expect(list).toContain("member@example.org");
    expect(list).toContain("421 try later");

    const detail = await (await get(`${server.url}/staff/outbox/${failed.id}`, { headers: { cookie } })).text();
    expect(detail).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Bonjour");
    expect(detail).not.toContain("<script>alert(1)");

    const retry = await postForm(`${server.url}/staff/outbox?index`, { retry: failed.id }, { headers: { cookie } });
    expect(retry.status).toBe(200);
    const row = await database.db.outboxMessage.findUniqueOrThrow({ where: { id: failed.id } });
    expect(row.status).toBe("queued");
    expect(row.attempts).toBe(0);
    expect(await database.db.auditLog.count({ where: { action: "outbox.retry", subject: failed.id } })).toBe(1);

    const again = await postForm(`${server.url}/staff/outbox?index`, { retry: failed.id }, { headers: { cookie } });
    expect(again.status).toBe(409);
    const bogus = await postForm(`${server.url}/staff/outbox?index`, { retry: "../../etc" }, { headers: { cookie } });
    expect(bogus.status).toBe(400);
    expect((await get(`${server.url}/staff/outbox/not-an-id`, { headers: { cookie } })).status).toBe(404);
  });
});
