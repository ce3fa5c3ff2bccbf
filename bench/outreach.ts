/**
 * Outreach benchmark: a large consultation's mailing, end to end through the
 * built server and the outbox worker. It prints figures and asserts nothing.
 *
 *   npx tsx bench/outreach.ts                 (npm run bench:outreach)
 *   BENCH_ROWS=5000 BENCH_DELIVER=500 npx tsx bench/outreach.ts   (BENCH_DELIVER=0: no delivery)
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/parley_bench_outreach npx tsx bench/outreach.ts
 *   BENCH_CPU_PROFILE=/tmp/prof npx tsx bench/outreach.ts   (the server writes a .cpuprofile there)
 *
 * Needs a build (`npm run build`). Set-up: a fresh SQLite database under
 * data/bench/ (or the PostgreSQL database BENCH_DATABASE_URL names, dropped
 * and created again) with the demo surveys and a staff account, the built server
 * (inline worker off), and a real SMTP listener (smtp-server) as the sink.
 *   1. Import: a generated CSV of BENCH_ROWS (50,000) participants in seven
 *      languages (semicolons, a BOM, Arabic and Chinese names) is uploaded to
 *      the import page and then confirmed: rows/s for each step and the
 *      server's peak resident memory (VmHWM) during each step (the peak is
 *      reset before each step, so the figures are the step's own).
 *   2. Invitations: "send invitations" to all of them: rows/s (one link and
 *      one rendered outbox row per participant).
 *   3. Delivery: `npm run worker` processes deliver to the sink, first one
 *      worker and then two, BENCH_DELIVER (3,000) messages each run:
 *      messages/s, and a check that no message arrived twice.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSmtp, type Received } from "../tests/support/smtp.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const DELIVER = Number(process.env.BENCH_DELIVER ?? 3_000);
/**
 * The server's JavaScript heap is capped, as a production instance's would
 * be (README, "Memory"): finishing within the cap shows the work's memory is
 * bounded by its batch; without a cap V8 lets garbage pile up before it
 * collects, which the resident-memory figures would count. BENCH_HEAP_MIB=0:
 * no cap.
 */
const HEAP_MIB = Number(process.env.BENCH_HEAP_MIB ?? 256);
const SLUG = "governance-review";
const DAY = 86_400_000;

const LANGUAGES = ["en", "fr", "es", "ar", "zh", "ru", "de"];
const NAMES: Record<string, string> = {
  en: "Mary Smith",
  fr: "Élodie Martin",
  es: "José Núñez",
  ar: "فاطمة الزهراء",
  zh: "李明",
  ru: "Ольга Петрова",
  de: "Jürgen Groß",
};
const REGIONS = ["Europe", "Africa", "Asia and Oceania", "Latin America and the Caribbean", "North America", "Middle East and North Africa"];

function participantCsv(rows: number): string {
  const lines = ["\uFEFFname;email;language;region;country;unit/role"];
  for (let i = 0; i < rows; i++) {
    const language = LANGUAGES[i % LANGUAGES.length]!;
    lines.push(`${NAMES[language]} ${i};member${i}@bench.example;${language};${REGIONS[i % REGIONS.length]};Country ${i % 150};Standing Committee ${i % 40}`);
  }
  return lines.join("\r\n") + "\r\n";
}

interface Started {
  url: string;
  pid: number;
  stop(): Promise<void>;
  logs(): string;
}

function startNode(args: string[], env: Record<string, string>, ready: RegExp): Promise<Started> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM"))));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process did not start:\n${output}`)), 30_000);
    child.stdout.on("data", () => {
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: (match[1] ?? "").replace("localhost", "127.0.0.1"), pid: child.pid!, stop, logs: () => output });
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code}:\n${output}`));
    });
  });
}

/** Peak resident set of a process so far, in MiB (Linux). */
function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Starts a new peak at the current resident set (Linux: clear_refs 5), so each step's peak is its own. */
function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // not Linux, or not allowed: the peaks printed are then the process's peak so far
  }
}

async function main() {
  if (!existsSync(join(root, "build/node/server.js"))) throw new Error("No build: run `npm run build` first");
  const dir = join(root, "data/bench");
  mkdirSync(dir, { recursive: true });
  const dbFile = join(dir, `outreach-${process.pid}.db`);
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `file:${dbFile}`;
  const stops: (() => Promise<void>)[] = [];
  try {
    process.env.DATABASE_URL = databaseUrl;
    const { freshBenchDatabase } = await import("./support/database.ts");
    const { loadSurveyDefinitions } = await import("../app/features/surveys/files.server.ts");
    const { syncSurvey } = await import("../app/models/survey-sync.server.ts");
    const { hashPassword } = await import("../app/platform/password.server.ts");
    const { db, disconnectDb } = await import("../app/platform/db.server.ts");
    stops.push(disconnectDb);
    await freshBenchDatabase(databaseUrl);
    for (const definition of loadSurveyDefinitions().definitions) await syncSurvey(definition);
    await db().survey.update({
      where: { slug: SLUG },
      data: { opensAt: new Date(Date.now() - DAY), closesAt: new Date(Date.now() + 20 * DAY), status: "published" },
    });
    const password = randomBytes(12).toString("base64url");
    await db().staffUser.create({
      data: { grants: { create: { role: "administrator" } }, email: "bench@parley.example", name: "Bench", passwordHash: await hashPassword(password) },
    });

    const received: Received[] = [];
    const smtp = await startSmtp(received);
    stops.push(smtp.close);
    const env = { DATABASE_URL: databaseUrl, SESSION_SECRET: randomBytes(32).toString("hex"), LOG_LEVEL: "error", OUTBOX_WORKER: "off", SMTP_URL: smtp.url };
    const server = await startNode(
      [
        ...(process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []),
        ...(HEAP_MIB ? [`--max-old-space-size=${HEAP_MIB}`] : []),
        "build/node/server.js",
      ],
      { ...env, PORT: "0", HOST: "127.0.0.1", PUBLIC_URL: "https://consult.example" },
      /listening on (http:\/\/\S+)/,
    );
    stops.push(server.stop);
    console.log(
      `Set-up: ${databaseUrl.replace(/\/\/[^@]*@/, "//")}, ${ROWS} rows, ${DELIVER} deliveries per worker run; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; server RSS at start ${peakRssMiB(server.pid).toFixed(0)} MiB, JS heap ${HEAP_MIB ? `capped at ${HEAP_MIB} MiB` : "not capped"}\n`,
    );

    const login = await fetch(`${server.url}/staff/login`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ email: "bench@parley.example", password }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((value) => value.split(";")[0])
      .join("; ");
    const base = `${server.url}/staff/surveys/${SLUG}`;

    // 1. Import
    const csv = participantCsv(ROWS);
    const form = new FormData();
    form.append("file", new Blob([csv], { type: "text/csv" }), "members.csv");
    resetPeakRss(server.pid);
    let started = performance.now();
    const upload = await fetch(`${base}/import`, { method: "POST", body: form, redirect: "manual", headers: { cookie } });
    const checkSeconds = (performance.now() - started) / 1000;
    const location = upload.headers.get("location") ?? "";
    if (upload.status !== 302 || !location.includes("staged="))
      throw new Error(`upload answered ${upload.status}: ${(await upload.text()).slice(0, 300)}\n${server.logs()}`);
    const uploadPeak = peakRssMiB(server.pid);
    resetPeakRss(server.pid);
    started = performance.now();
    const confirm = await fetch(`${base}/import`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie },
      body: new URLSearchParams({ staged: location.split("staged=")[1]!, intent: "import" }),
    });
    const importSeconds = (performance.now() - started) / 1000;
    const imported = await db().participant.count();
    if (confirm.status !== 302 || imported !== ROWS) throw new Error(`import answered ${confirm.status}, ${imported} rows stored`);
    console.log(`Import of ${ROWS} rows (${(csv.length / 1024 / 1024).toFixed(1)} MB):`);
    console.log(`  upload and check  ${checkSeconds.toFixed(1)} s   ${(ROWS / checkSeconds).toFixed(0)} rows/s; server peak RSS ${uploadPeak.toFixed(0)} MiB`);
    console.log(
      `  confirm (insert)  ${importSeconds.toFixed(1)} s   ${(ROWS / importSeconds).toFixed(0)} rows/s; server peak RSS ${peakRssMiB(server.pid).toFixed(0)} MiB\n`,
    );

    // 2. Invitations
    resetPeakRss(server.pid);
    started = performance.now();
    const send = await fetch(`${base}/mailings`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie },
      // The confirmation of the count the page stated (a post without it only asks).
      body: new URLSearchParams({ kind: "invitation", confirmed: String(ROWS) }),
    });
    const answeredSeconds = (performance.now() - started) / 1000;
    // A large mailing answers 202 and carries on in the background: wait for its job.
    while ((await db().mailingJob.count({ where: { status: "running" } })) > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    const queueSeconds = (performance.now() - started) / 1000;
    console.log(`Send request answered ${send.status} after ${answeredSeconds.toFixed(1)} s`);
    const queued = await db().outboxMessage.count({ where: { status: "queued" } });
    if ((send.status !== 200 && send.status !== 202) || queued !== ROWS) throw new Error(`send answered ${send.status}, ${queued} rows queued`);
    console.log(
      `Invitations: ${queued} queued in ${queueSeconds.toFixed(1)} s   ${(queued / queueSeconds).toFixed(0)} rows/s; server peak RSS ${peakRssMiB(server.pid).toFixed(0)} MiB\n`,
    );

    // 3. Delivery: leave DELIVER messages due, run the workers until they are sent.
    console.log(`Delivery to a local smtp-server sink (${DELIVER} messages per run):`);
    for (const workers of DELIVER > 0 ? [1, 2] : []) {
      await db().outboxMessage.updateMany({ where: { status: "queued" }, data: { status: "held" } });
      await db().$executeRawUnsafe(
        `UPDATE "OutboxMessage" SET "status" = 'queued' WHERE "id" IN (SELECT "id" FROM "OutboxMessage" WHERE "status" = 'held' ORDER BY "id" LIMIT ${DELIVER})`,
      );
      const due = await db().outboxMessage.findMany({ where: { status: "queued" }, select: { id: true } });
      received.length = 0;
      // The sink's clock: first and last message received, so the rate can leave the workers' start-up out.
      let firstAt: number | undefined;
      let lastAt = 0;
      received.push = (...items: Received[]) => {
        lastAt = performance.now();
        firstAt ??= lastAt;
        return Array.prototype.push.apply(received, items);
      };
      const sentBefore = await db().outboxMessage.count({ where: { status: "sent" } });
      started = performance.now();
      const running = await Promise.all(
        Array.from({ length: workers }, () => startNode(["--import", "tsx", "scripts/worker.ts"], { ...env, LOG_LEVEL: "info" }, /outbox worker/)),
      );
      while ((await db().outboxMessage.count({ where: { status: { in: ["queued", "sending"] } } })) > 0)
        await new Promise((resolve) => setTimeout(resolve, 200));
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(running.map((worker) => worker.stop()));
      const recipients = received.map((message) => message.to.join());
      const duplicates = recipients.length - new Set(recipients).size;
      const sent = (await db().outboxMessage.count({ where: { status: "sent" } })) - sentBefore;
      console.log(
        `  ${workers} worker${workers > 1 ? "s" : " "}  ${due.length} due, ${sent} sent, ${received.length} received, ${duplicates} duplicates in ${seconds.toFixed(1)} s   ${(sent / seconds).toFixed(0)} messages/s with start-up, ${firstAt === undefined ? "-" : (received.length / Math.max(0.001, (lastAt - firstAt) / 1000)).toFixed(0)} messages/s from the first to the last received`,
      );
      await db().outboxMessage.updateMany({ where: { status: "held" }, data: { status: "queued" } });
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbFile}${suffix}`, { force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
