import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SurveyDefinition } from "~/domain/survey-definition";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { queueEmail } from "~/platform/outbox.server";
import { queueOutreach } from "~/features/outreach/emails.server";
import { backoffMs, claimBatch, deliver, startOutboxWorker, smtpTransport, type OutboxTransport } from "~/platform/outbox-worker.server";
import { db } from "~/platform/db.server";
import { childEnv } from "../support/child-env";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { get, postForm, startServer, type TestServer } from "../support/server";
import { startSmtp, type Received, type SmtpSink } from "../support/smtp";
import { createParticipant, syncDemoSurveys, useAsAppDatabase, validSectionAnswers } from "../support/surveys";

// -------------------------------------------------------------------- setup

let database: TestDatabase;
let smtp: SmtpSink;
let transport: OutboxTransport;
const received: Received[] = [];
const outboxDir = mkdtempSync(join(tmpdir(), "parley-outbox-"));

beforeAll(async () => {
  // Before the first env() call: no SMTP by default, files under a temp folder.
  delete process.env.SMTP_URL;
  process.env.OUTBOX_DIR = outboxDir;
  process.env.LOG_LEVEL = "silent";
  database = await createTestDatabase("outbox");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: ["governance-review"] });
  smtp = await startSmtp(received);
  transport = smtpTransport(smtp.url);
}, 60_000);

afterAll(async () => {
  transport?.close();
  await smtp?.close();
  await database?.drop();
  rmSync(outboxDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db().outboxMessage.deleteMany();
  received.length = 0;
});

function email(to: string, extra: Partial<Parameters<typeof queueEmail>[0]> = {}) {
  return queueEmail({ template: "test", to, language: "en", subject: `Hello ${to}`, text: `Dear ${to},\nthis is a test.`, ...extra });
}

/** `npm run worker` as its own process, against the test database and the SMTP sink. */
function startWorkerProcess(): { stop(): Promise<void>; output(): string } {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: fileURLToPath(new URL("../../", import.meta.url)),
    env: childEnv({
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      LOG_LEVEL: "info",
      SESSION_SECRET: "worker-test-secret-worker-test-secret-0123",
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return {
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** One worker's loop, in process: claim and deliver until nothing is due at `now`. */
async function drain(workerId: string, now: Date): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  for (;;) {
    const batch = await claimBatch(workerId, 20, now);
    if (batch.length === 0) return outcomes;
    for (const message of batch) {
      const outcome = await deliver(message, transport, { now: () => now });
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  }
}

// -------------------------------------------------------------------- tests

describe("outbox worker", () => {
  it("delivers a queued message once, to the right recipient, and marks it sent", async () => {
    const { id } = await email("ada@members.example", { toName: "Ada Lovelace", subject: "Your answers", text: "Thank you for answering." });
    const batch = await claimBatch("worker-a", 10);
    expect(batch.map((message) => message.id)).toEqual([id]);
    expect(batch[0]).toMatchObject({ status: "sending", claimedBy: "worker-a" });
    expect(await deliver(batch[0]!, transport)).toBe("sent");

    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(["ada@members.example"]);
    expect(received[0]!.raw).toMatch(/^To: Ada Lovelace <ada@members\.example>$/m);
    expect(received[0]!.raw).toMatch(/^From: Parley <no-reply@localhost>$/m);
    expect(received[0]!.raw).toMatch(/^Subject: Your answers$/m);
    expect(received[0]!.raw).toContain("Thank you for answering.");

    const row = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "sent", attempts: 1, claimedBy: null, claimedUntil: null, lastError: null });
    expect(row.sentAt).not.toBeNull();
    expect(await claimBatch("worker-a", 10)).toEqual([]);
  });

  it("retries 200 invitations with back-off through an SMTP outage, then delivers each exactly once", async () => {
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: "governance-review" } });
    await db().participant.createMany({
      data: Array.from({ length: 200 }, (_, index) => ({
        surveyId: survey.id,
        name: `Member ${index}`,
        email: `member${index}@members.example`,
        language: "fr",
      })),
    });
    const addresses = Array.from({ length: 200 }, (_, index) => `member${index}@members.example`);
    expect(await queueOutreach("invitation", survey, "https://consult.example", 3, new Date())).toBe(200);
    // The clock of the deliveries starts once everything is queued (queuing may take more than a second on a busy machine).
    const start = new Date(Date.now() + 1000);
    // The outage: the relay goes away with the pool's open connections (closing the listener alone would
    // let those connections carry on for its 30 s grace period).
    transport.close();
    await smtp.close();
    transport = smtpTransport(smtp.url);
    try {
      expect(await drain("worker-a", start)).toEqual({ failed: 200 });
      const rows = await db().outboxMessage.findMany();
      expect(rows).toHaveLength(200);
      for (const row of rows) {
        expect(row).toMatchObject({ status: "failed", attempts: 1, claimedBy: null, template: "invitation", language: "fr" });
        expect(row.nextAttemptAt.getTime()).toBe(start.getTime() + backoffMs(1));
        expect(row.lastError).toBeTruthy();
      }
      // Not due again before the back-off has passed.
      expect(await claimBatch("worker-a", 20, new Date(start.getTime() + backoffMs(1) - 1000))).toEqual([]);
    } finally {
      smtp = await startSmtp(received, smtp.port);
    }

    const later = new Date(start.getTime() + backoffMs(1));
    expect(await drain("worker-a", later)).toEqual({ sent: 200 });
    expect(await drain("worker-a", new Date(later.getTime() + 3_600_000))).toEqual({});
    const delivered = new Set(received.map((message) => message.to.join()));
    console.log(
      `outbox across an SMTP outage: messages ${addresses.length}, delivered ${received.length}, duplicates ${received.length - delivered.size}, lost ${addresses.filter((address) => !delivered.has(address)).length}`,
    );
    expect(received.map((message) => message.to.join()).sort()).toEqual([...addresses].sort());
    expect(received.every((message) => /https:\/\/consult\.example\/s\/[A-Za-z0-9_-]{22}/.test(message.raw))).toBe(true);
    expect(await db().outboxMessage.count({ where: { status: "sent", attempts: 2 } })).toBe(200);
  }, 60_000);

  it("backs off exponentially up to an hour and gives up after 10 attempts", async () => {
    expect([1, 2, 3, 8, 20].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 3_600_000, 3_600_000]);
    const { id } = await email("given-up@members.example");
    await db().outboxMessage.update({ where: { id }, data: { status: "failed", attempts: 10 } });
    expect(await claimBatch("worker-a", 10, new Date(Date.now() + 86_400_000))).toEqual([]);
  });

  it("marks a message bounced and its participant bouncedAt on a 5xx rejection", async () => {
    const participant = await createParticipant("governance-review", { email: "nobody@bounce.example" });
    const { id } = await email(participant.email, { participantId: participant.id });
    expect(await drain("worker-a", new Date())).toEqual({ bounced: 1 });
    const row = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "bounced", attempts: 1, claimedBy: null, sentAt: null });
    expect(row.lastError).toContain("550");
    expect((await db().participant.findUniqueOrThrow({ where: { id: participant.id } })).bouncedAt).not.toBeNull();
    expect(received).toHaveLength(0);
    expect(await claimBatch("worker-a", 10, new Date(Date.now() + 86_400_000))).toEqual([]);
  });

  it("never hands one row to two workers claiming at the same time", async () => {
    await db().outboxMessage.createMany({
      data: Array.from({ length: 100 }, (_, index) => ({
        template: "test",
        toAddress: `bulk${index}@members.example`,
        language: "en",
        subject: "Bulk",
        textBody: "Bulk",
      })),
    });
    const now = new Date(Date.now() + 1000);
    async function claimAll(workerId: string): Promise<string[]> {
      const ids: string[] = [];
      for (;;) {
        const batch = await claimBatch(workerId, 7, now);
        if (batch.length === 0) return ids;
        for (const message of batch) expect(message.claimedBy).toBe(workerId);
        ids.push(...batch.map((message) => message.id));
      }
    }
    const [first, second] = await Promise.all([claimAll("worker-a"), claimAll("worker-b")]);
    expect(first.length + second.length).toBe(100);
    expect(new Set([...first, ...second]).size).toBe(100);
    expect(await db().outboxMessage.count({ where: { claimedBy: "worker-a", id: { in: first } } })).toBe(first.length);
    expect(await db().outboxMessage.count({ where: { claimedBy: "worker-b", id: { in: second } } })).toBe(second.length);

    // A crashed worker's claims expire after two minutes and go to another.
    expect(await claimBatch("worker-c", 200, new Date(now.getTime() + 60_000))).toEqual([]);
    expect(await claimBatch("worker-c", 200, new Date(now.getTime() + 3 * 60_000))).toHaveLength(100);
  });

  it("delivers each message exactly once with two `npm run worker` processes on one database", async () => {
    const count = 300;
    await db().outboxMessage.createMany({
      data: Array.from({ length: count }, (_, index) => ({
        template: "test",
        toAddress: `pair${index}@members.example`,
        language: "en",
        subject: "Pair",
        textBody: `Message ${index}`,
      })),
    });
    const workers = [startWorkerProcess(), startWorkerProcess()];
    try {
      const deadline = Date.now() + 90_000;
      while ((await db().outboxMessage.count({ where: { status: "sent" } })) < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    const addresses = received.map((message) => message.to.join());
    console.log(
      `outbox with two worker processes: messages ${count}, delivered ${addresses.length}, duplicates ${addresses.length - new Set(addresses).size}, lost ${count - new Set(addresses).size}`,
    );
    expect(addresses).toHaveLength(count);
    expect(new Set(addresses).size).toBe(count);
    expect(await db().outboxMessage.count({ where: { status: "sent", attempts: 1 } })).toBe(count);
    expect(workers.every((worker) => /delivering by SMTP/.test(worker.output()))).toBe(true);
  }, 120_000);

  it("writes .eml files under OUTBOX_DIR when SMTP_URL is unset", async () => {
    const { id } = await email("file@members.example", { subject: "On disk", text: "Written to a file." });
    const worker = startOutboxWorker({ intervalMs: 50 });
    try {
      for (let waited = 0; waited < 5000; waited += 50) {
        if ((await db().outboxMessage.findUniqueOrThrow({ where: { id } })).status === "sent") break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await worker.stop();
    }
    expect((await db().outboxMessage.findUniqueOrThrow({ where: { id } })).status).toBe("sent");
    const files = readdirSync(outboxDir).filter((name) => name.endsWith(`-${id}.eml`));
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(outboxDir, files[0]!), "utf8");
    expect(eml).toMatch(/^To: file@members\.example$/m);
    expect(eml).toMatch(/^Subject: On disk$/m);
    expect(eml).toContain("Written to a file.");
    expect(received).toHaveLength(0);
  });
});

// ---------------------------------------------------- through the real server

describe("the inline worker of the real server", () => {
  let server: TestServer | undefined;
  const definitions = new Map<string, SurveyDefinition>();

  afterAll(async () => {
    await server?.stop();
  });

  function validSection(slug: string, sectionKey: string): Record<string, string> {
    return validSectionAnswers(definitions.get(slug)!, sectionKey);
  }

  it("emails the receipt of a submitted survey to the participant within seconds", async () => {
    for (const definition of loadSurveyDefinitions().definitions) definitions.set(definition.slug, definition);
    server = await startServer(database.url, { OUTBOX_WORKER: "inline", SMTP_URL: smtp.url, LOG_LEVEL: "error" });
    const headers = { "x-forwarded-for": "10.9.0.1" };
    const participant = await createParticipant("governance-review", { name: "Grace Receipt" });
    for (const section of definitions.get("governance-review")!.sections) {
      const response = await postForm(
        `${server.url}/s/${participant.token}/section/${section.key}`,
        { ...validSection("governance-review", section.key), intent: "next" },
        { headers },
      );
      expect(response.status, section.key).toBe(302);
    }
    expect((await get(`${server.url}/s/${participant.token}/review`, { headers })).status).toBe(200);
    const submit = await postForm(`${server.url}/s/${participant.token}/review`, { intent: "submit", receipt: "yes" }, { headers });
    expect(submit.status).toBe(302);

    const deadline = Date.now() + 15_000;
    let receipt: Received | undefined;
    while (!receipt && Date.now() < deadline) {
      receipt = received.find((message) => message.to.includes(participant.email));
      if (!receipt) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(receipt, server.logs()).toBeDefined();
    expect(receipt!.raw).toMatch(/^To: Grace Receipt </m);
    expect(receipt!.raw).toMatch(/^Subject: Your answers: /m);
    const where = { participantId: participant.id, template: "receipt" };
    while ((await db().outboxMessage.findFirstOrThrow({ where })).status !== "sent" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await db().outboxMessage.findFirstOrThrow({ where })).status).toBe("sent");
    expect(received.filter((message) => message.to.includes(participant.email))).toHaveLength(1);
  }, 60_000);
});
