// Several instances behind a load balancer: two built servers on one
// database (PostgreSQL in CI) behind Debian's nginx, round robin. Seats,
// email and rate limits must hold across instances, because their state lives
// in the database: no overbooking, every email delivered exactly once, the
// wrong-token limit counted across both, and a staff session valid on either.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/password.server";
import { db } from "~/platform/db.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { startSmtp, type Received, type SmtpSink } from "../support/smtp";
import { useAsAppDatabase } from "../support/surveys";

const NGINX = process.env.NGINX_BIN ?? "/usr/sbin/nginx";
const HOUR = 3_600_000;
const RACES = 3;
const CAPACITY = 20;
const SIGN_UPS = 200;

// CI installs nginx, so there a missing binary is a failure, not a skip.
const available = existsSync(NGINX);
if (!available && process.env.CI) throw new Error(`${NGINX} is missing: install Debian's nginx (see .ci/run)`);

let database: TestDatabase;
let servers: TestServer[] = [];
let smtp: SmtpSink;
const received: Received[] = [];
let balancer: { url: string; process: ChildProcess; dir: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** nginx in the foreground with its own prefix, round robin over the two instances. */
async function startNginx(upstreams: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "parley-nginx-"));
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(dir, sub));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const runAsRoot = process.getuid?.() === 0 ? "user root;" : "";
  writeFileSync(
    join(dir, "nginx.conf"),
    `${runAsRoot}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream parley { ${upstreams.map((url) => `server ${new URL(url).host};`).join(" ")} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://parley;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`,
  );
  // nginx keeps the real clock: under a moved one (faketime, README: Tests)
  // its timers misfire and every request ends in a 504.
  const child = spawn(NGINX, ["-p", dir, "-c", join(dir, "nginx.conf")], {
    env: { PATH: process.env.PATH ?? "" } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${output}`);
    if (
      await fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      )
    )
      break;
    if (attempt > 100) throw new Error(`nginx did not answer: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, process: child, dir };
}

/** How many requests each instance logged for paths starting with `prefix` (after its log lines have come through the pipe). */
async function requestsPerInstance(prefix: string): Promise<number[]> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  return servers.map(
    (server) =>
      server
        .logs()
        .split("\n")
        .filter((line) => logMessage(line).startsWith(prefix)).length,
  );
}

/** The message of a log line: the servers write JSON lines ({…,"msg":"POST /forums/… 200 4.2ms"}). */
function logMessage(line: string): string {
  try {
    return String((JSON.parse(line) as { msg?: unknown }).msg ?? "");
  } catch {
    return line;
  }
}

describe.skipIf(!available)("two instances behind nginx", () => {
  beforeAll(async () => {
    database = await createTestDatabase("instances");
    useAsAppDatabase(database);
    smtp = await startSmtp(received);
    await database.db.staffUser.create({
      data: {
        grants: { create: { role: "administrator" } },
        email: "ops@example.org",
        name: "Ops",
        language: "en",
        passwordHash: await hashPassword("a long enough password"),
      },
    });
    // Both deliver email from their own inline worker, as the default set-up does.
    const env = { OUTBOX_WORKER: "inline", SMTP_URL: smtp.url, LOG_LEVEL: "info" };
    servers = await Promise.all([startServer(database.url, env), startServer(database.url, env)]);
    balancer = await startNginx(servers.map((server) => server.url));
  }, 90_000);

  afterAll(async () => {
    balancer?.process.kill("SIGTERM");
    await Promise.all(servers.map((server) => server.stop()));
    await smtp?.close();
    await database?.drop();
    if (balancer) rmSync(balancer.dir, { recursive: true, force: true });
  });

  it(`runs ${RACES} seat races of ${SIGN_UPS} sign-ups for ${CAPACITY} seats without overbooking, and mails everyone exactly once`, async () => {
    const series = await db().forumSeries.create({ data: { slug: "balanced-forum", texts: JSON.stringify({ en: { title: "Open forum", description: "" } }) } });
    let overbookings = 0;
    for (let race = 0; race < RACES; race++) {
      const startsAt = new Date(Date.now() + (7 + race) * 24 * HOUR);
      const session = await db().forumSession.create({
        data: {
          seriesId: series.id,
          startsAt,
          endsAt: new Date(startsAt.getTime() + HOUR),
          language: "en",
          capacity: CAPACITY,
          meetingUrl: "https://meet.example/forum",
        },
      });
      const responses = await Promise.all(
        Array.from({ length: SIGN_UPS }, (_, index) =>
          postForm(`${balancer.url}/forums/balanced-forum`, {
            sessionId: session.id,
            name: `Member ${index}`,
            email: `race${race}.member${index}@example.org`,
            language: "en",
            timeZone: "UTC",
          }),
        ),
      );
      expect(responses.filter((response) => response.status !== 200).map((response) => response.status)).toEqual([]);
      const confirmed = await db().forumRegistration.count({ where: { sessionId: session.id, status: "confirmed" } });
      if (confirmed > CAPACITY) overbookings++;
      expect(confirmed).toBe(CAPACITY);
      expect(await db().forumRegistration.count({ where: { sessionId: session.id, status: "waitlisted" } })).toBe(SIGN_UPS - CAPACITY);
      expect((await db().forumSession.findUniqueOrThrow({ where: { id: session.id } })).confirmedCount).toBe(CAPACITY);
    }
    // Both instances took sign-ups.
    const perInstance = await requestsPerInstance("POST /forums/balanced-forum");
    expect(Math.min(...perInstance)).toBeGreaterThan(RACES * SIGN_UPS * 0.3);

    // Every confirmation and waiting-list email reaches the SMTP server once, from either worker.
    const expected = RACES * SIGN_UPS;
    for (let waited = 0; received.length < expected && waited < 120_000; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
    const perRecipient = new Map<string, number>();
    for (const message of received) for (const to of message.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    const duplicates = [...perRecipient.values()].filter((count) => count > 1).length;
    const lost = expected - perRecipient.size;
    console.log(
      `instances: seat races ${RACES}, overbookings ${overbookings}; outbox messages ${received.length} of ${expected}, duplicates ${duplicates}, lost ${lost}; sign-ups per instance ${perInstance.join(" / ")}`,
    );
    expect({ duplicates, lost, overbookings }).toEqual({ duplicates: 0, lost: 0, overbookings: 0 });
    expect(await db().outboxMessage.count({ where: { status: { not: "sent" } } })).toBe(0);
  }, 240_000);

  it("keeps a staff session valid on either instance", async () => {
    const login = await postForm(`${balancer.url}/staff/login`, { email: "ops@example.org", password: "a long enough password" });
    expect(login.status).toBe(302);
    const cookie = cookiesFrom(login);
    const before = await requestsPerInstance("GET /staff/outbox");
    const pages = await Promise.all(Array.from({ length: 6 }, () => get(`${balancer.url}/staff/outbox`, { headers: { cookie } })));
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const after = await requestsPerInstance("GET /staff/outbox");
    expect(after.every((count, index) => count > before[index]!)).toBe(true);
  });

  it("counts wrong personalised links across both instances", async () => {
    // Through nginx every request comes from the balancer's own address, as one client.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 26; attempt++) {
      statuses.push((await get(`${balancer.url}/s/${"w".repeat(20)}${String(attempt).padStart(2, "0")}`)).status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 404)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429, 429]);
    const perInstance = await requestsPerInstance("GET /s/");
    expect(Math.min(...perInstance)).toBeGreaterThanOrEqual(10);
  });
});
