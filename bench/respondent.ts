/**
 * Respondent benchmark: how fast the built server shows and saves survey
 * section pages for many distinct participants. It prints figures and asserts
 * nothing.
 *
 *   npx tsx bench/respondent.ts                 (npm run bench:respondent)
 *   BENCH_DURATION=3 BENCH_PARTICIPANTS=2000 BENCH_POST_CONNECTIONS=10 npx tsx bench/respondent.ts
 *   BENCH_CPU_PROFILE=/tmp/prof npx tsx bench/respondent.ts   (the server writes a .cpuprofile there)
 *
 * Needs a build (`npm run build`). Set-up: a generated survey (6 sections, 40
 * questions of every type) with English texts in a temporary copy of locales/,
 * a fresh SQLite database under data/bench/ holding BENCH_PARTICIPANTS (10,000)
 * participants with a personal link each, and the built server started as
 * tests/support/server.ts starts it. Then autocannon runs, BENCH_DURATION (10)
 * seconds each and every request with the next token:
 *   1. GET the first section page (10 connections; success = 2xx);
 *   2. GET a bare node:http hello world (10 connections), for scale, and
 *      Parley's home page (no database query), the framework's own floor;
 *   3. POST valid answers to the first section, intent=next (50 connections;
 *      success = the 302 to the next section).
 * "req/s" counts successful responses only. Also printed: the gzipped size of
 * a section page's HTML + CSS, and whether every acknowledged save is stored.
 * Targets: section GET ≥ 5 % of bare node; POST ≥ 600 saves/s with p99 < 100 ms
 * at 50 connections; HTML + CSS ≤ 30 KB gzipped.
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

// autocannon ships no types: the little of its API used here.
type Context = Record<string, unknown>;
interface LoadRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: LoadRequest, context: Context) => LoadRequest;
  onResponse?: (status: number, body: string, context: Context) => void;
}
interface Result {
  duration: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number };
  statusCodeStats: Record<string, { count: number }>;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (options: {
  url: string;
  connections: number;
  duration: number;
  requests?: LoadRequest[];
}) => Promise<Result>;

const root = fileURLToPath(new URL("../", import.meta.url));
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 10_000);
/** The target is stated for 50; fewer shows how latency grows with the queue. */
const POST_CONNECTIONS = Number(process.env.BENCH_POST_CONNECTIONS ?? 50);
const DAY = 86_400_000;
const slug = "bench-respondent";
const now = Date.now();
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

// ---------------------------------------- survey definition and English texts

type Question = { key: string; type: string; options?: string[]; rows?: string[]; [field: string]: unknown };
const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}_${i + 1}`);
const named = (list: string[], word: string) => Object.fromEntries(list.map((key, i) => [key, `${word} ${i + 1}`]));
const questionTexts: Record<string, unknown> = {};
const sectionTexts: Record<string, unknown> = {};
// Sections 1-4 have 7 questions, 5-6 have 6: 40 in all, every type in each.
const sections = Array.from({ length: 6 }, (_, s) => {
  const key = `part_${s + 1}`;
  sectionTexts[key] = { title: `Part ${s + 1} of the proposal`, intro: `Questions on topic ${s + 1} of the draft proposal.` };
  const q = (i: number) => `p${s + 1}_q${i}`;
  const questions: Question[] = [
    { key: q(1), type: "likert", required: true },
    { key: q(2), type: "single", options: keys("choice", 4), allowOther: true },
    { key: q(3), type: "multiple", options: keys("choice", 6), maxSelections: 3 },
    { key: q(4), type: "matrix", rows: keys("row", 3), required: true },
    { key: q(5), type: "text", maxLength: 2000 },
    { key: q(6), type: "number", min: 0, max: 100, integer: true },
  ];
  if (s === 0) questions.push({ key: q(7), type: "likert" });
  else if (s < 4) questions.push({ key: q(7), type: "text", showIf: { question: q(1), anyOf: ["disagree", "strongly_disagree"] } });
  for (const question of questions) {
    questionTexts[question.key] = {
      label: `Question ${question.key}: how do you see this aspect of the draft proposal?`,
      ...(question.options ? { options: named(question.options, "Option") } : {}),
      ...(question.rows ? { rows: named(question.rows, "Statement") } : {}),
    };
  }
  return { key, questions };
});
const firstSection = sections[0]!;
const definitionJson = {
  slug,
  mode: "confidential",
  opensAt: isoSeconds(now - DAY),
  closesAt: isoSeconds(now + 10 * DAY),
  defaultLanguage: "en",
  estimatedMinutes: 15,
  sections,
};
const textsJson = {
  title: "Benchmark consultation",
  description: "A generated survey for the respondent benchmark.",
  sections: sectionTexts,
  questions: questionTexts,
};

/** A valid answer to every question of the first section, as its form posts it. */
function firstSectionBody(): string {
  const form = new URLSearchParams();
  for (const { key, type, rows } of firstSection.questions) {
    if (type === "likert") form.append(`q.${key}`, "agree");
    if (type === "single") form.append(`q.${key}`, "choice_2");
    if (type === "multiple") ["choice_1", "choice_3"].forEach((value) => form.append(`q.${key}`, value));
    if (type === "matrix") rows?.forEach((row) => form.append(`q.${key}.${row}`, "agree"));
    if (type === "text") form.append(`q.${key}`, "More regional meetings, and minutes published sooner.");
    if (type === "number") form.append(`q.${key}`, "12");
  }
  form.append("shown", firstSection.questions.map((question) => question.key).join(","));
  form.append("intent", "next");
  return form.toString();
}

// ------------------------------------------------------------------ helpers

/** Starts `node <args>` and waits for its "listening on" line, as tests/support/server.ts does. */
async function startProcess(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    child.stdout.on("data", () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) clearTimeout(timer);
      if (match?.[1]) resolve(match[1].replace("localhost", "127.0.0.1"));
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const stop = () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM"))));
  return { url, stop, logs: () => output };
}

/** GET without decompressing, to count the bytes on the wire. */
function rawGet(url: string): Promise<{ status: number; encoding: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "accept-encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, encoding: String(res.headers["content-encoding"] ?? "identity"), body: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
}

interface Row {
  scenario: string;
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
  codes: string;
}
function summarise(scenario: string, result: Result, success: (status: number) => boolean): Row {
  const stats = Object.entries(result.statusCodeStats);
  const total = (succeeded: boolean) => stats.filter(([status]) => success(Number(status)) === succeeded).reduce((sum, [, { count }]) => sum + count, 0);
  const codes = `${stats.map(([status, { count }]) => `${status}×${count}`).join(" ")}, errors ${result.errors} (timeouts ${result.timeouts})`;
  return {
    scenario,
    perSecond: total(true) / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: total(false) + result.errors,
    codes,
  };
}

// ---------------------------------------------------------------------- run

const tmp = mkdtempSync(join(tmpdir(), "parley-bench-"));
const dbFile = join(root, `data/bench/respondent-${randomBytes(4).toString("hex")}.db`);
const stops: (() => Promise<void>)[] = [];
let disconnect: (() => Promise<void>) | undefined;

try {
  if (!existsSync(join(root, "build/server/index.js"))) throw new Error("No build: run `npm run build` first");
  const started = performance.now();
  cpSync(join(root, "locales"), join(tmp, "locales"), { recursive: true });
  writeFileSync(join(tmp, "locales/en", `survey.${slug}.json`), JSON.stringify(textsJson, null, 2));
  mkdirSync(join(tmp, "surveys"));
  writeFileSync(join(tmp, "surveys", `${slug}.json`), JSON.stringify(definitionJson, null, 2));

  // db() reads DATABASE_URL on first use: set it before the app's modules load.
  const databaseUrl = `file:${dbFile}`;
  process.env.DATABASE_URL = databaseUrl;
  process.env.LOCALES_DIR = join(tmp, "locales");
  const { applyMigrations } = await import("../scripts/db/migrate.ts");
  const { parseSurveyDefinition, surveyTextKeys } = await import("../app/domain/survey-definition.ts");
  const { syncSurvey } = await import("../app/models/survey-sync.server.ts");
  const { generateToken, hashToken } = await import("../app/platform/tokens.server.ts");
  const { db, disconnectDb } = await import("../app/platform/db.server.ts");
  disconnect = disconnectDb;

  await applyMigrations(databaseUrl);
  const parsed = parseSurveyDefinition(JSON.parse(readFileSync(join(tmp, "surveys", `${slug}.json`), "utf8")), slug);
  if (!parsed.ok) throw new Error(`generated definition is invalid:\n${parsed.errors.join("\n")}`);
  const lookup = (path: string) => path.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], textsJson);
  const missing = surveyTextKeys(parsed.definition).filter((key) => typeof lookup(key) !== "string");
  if (missing.length) throw new Error(`generated texts miss: ${missing.join(", ")}`);
  await syncSurvey(parsed.definition);
  const open = { opensAt: new Date(now - DAY), closesAt: new Date(now + 10 * DAY), status: "published" };
  const survey = await db().survey.update({ where: { slug }, data: open, select: { id: true } });

  const tokens: string[] = [];
  const regions = ["Europe", "Africa", "Asia and Oceania", "Latin America", "North America"];
  for (let start = 0; start < PARTICIPANTS; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, PARTICIPANTS - start) }, (_, n) => ({ i: start + n, id: randomUUID(), token: generateToken() }));
    tokens.push(...batch.map(({ token }) => token));
    const person = ({ i, id }: (typeof batch)[number]) => ({
      id,
      surveyId: survey.id,
      name: `Member ${i}`,
      email: `member${i}@bench.example`,
      language: "en",
      region: regions[i % regions.length],
      country: "France",
      unit: "Standing Committee",
    });
    await db().$transaction([
      db().participant.createMany({ data: batch.map(person) }),
      db().accessToken.createMany({ data: batch.map(({ id, token }) => ({ participantId: id, tokenHash: hashToken(token) })) }),
    ]);
  }
  const setupSeconds = (performance.now() - started) / 1000;

  const parley = await startProcess(
    [...(process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []), "--import", "tsx", "server.ts"],
    {
      SESSION_SECRET: randomBytes(32).toString("hex"),
      DATABASE_URL: databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "error",
      OUTBOX_WORKER: "off",
      TRUST_PROXY: "0",
      LOCALES_DIR: join(tmp, "locales"),
    },
  );
  stops.push(parley.stop);
  const bare = await startProcess([
    "-e",
    `const s = require("node:http").createServer((q, r) => r.end("hello world")).listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + s.address().port))`,
  ]);
  stops.push(bare.stop);
  const sectionPath = (token: string) => `/s/${token}/section/${firstSection.key}`;
  console.log(
    `Set-up: ${PARTICIPANTS} participants, ${sections.length} sections, 40 questions in ${setupSeconds.toFixed(1)} s; ${DURATION} s per scenario; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores\n`,
  );

  // Page weight (and a check that the page works before loading it).
  const page = await rawGet(parley.url + sectionPath(tokens[0]!));
  if (page.status !== 200) throw new Error(`section page answered ${page.status}:\n${parley.logs()}`);
  const html = (page.encoding === "gzip" ? gunzipSync(page.body) : page.body).toString("utf8");
  const stylesheets = [...html.matchAll(/<link\b[^>]*>/g)]
    .filter(([tag]) => /rel="stylesheet"/.test(tag))
    .map(([tag]) => /href="([^"]+)"/.exec(tag)?.[1])
    .filter((href): href is string => !!href);
  let cssBytes = 0;
  for (const href of stylesheets) cssBytes += (await rawGet(new URL(href, parley.url).href)).body.length;

  let getCursor = 0;
  const getRun = await autocannon({
    url: parley.url,
    connections: 10,
    duration: DURATION,
    requests: [{ setupRequest: (req) => ({ ...req, path: sectionPath(tokens[getCursor++ % tokens.length]!) }) }],
  });
  const bareRun = await autocannon({ url: bare.url, connections: 10, duration: DURATION });
  // The framework's own floor: the home page has no database query and one short paragraph.
  const homeRun = await autocannon({ url: `${parley.url}/`, connections: 10, duration: DURATION });
  let postCursor = 0;
  const saved = new Set<string>();
  const postRun = await autocannon({
    url: parley.url,
    connections: POST_CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: firstSectionBody(),
        // The context lives per connection (one request at a time): it tells onResponse which token was saved.
        setupRequest: (req, context) => ({ ...req, path: sectionPath(String((context.token = tokens[postCursor++ % tokens.length]!))) }),
        onResponse: (status, _body, context) => void (status === 302 && saved.add(String(context.token))),
      },
    ],
  });
  const stored = await db().response.count({ where: { surveyId: survey.id } });

  const rows = [
    summarise("GET section (10 conn.)", getRun, (status) => status >= 200 && status < 300),
    summarise(`POST section (${POST_CONNECTIONS} conn.)`, postRun, (status) => status === 302),
    summarise("bare node:http (10 conn.)", bareRun, (status) => status >= 200 && status < 300),
    summarise("GET home page (10 conn.)", homeRun, (status) => status >= 200 && status < 300),
  ];
  const [get, post, node, home] = rows as [Row, Row, Row, Row];
  const cells = (values: string[]) =>
    values[0]!.padEnd(27) +
    values
      .slice(1)
      .map((value) => value.padStart(10))
      .join("");
  console.log(cells(["scenario", "req/s", "p50 ms", "p99 ms", "failures"]));
  for (const row of rows) console.log(cells([row.scenario, row.perSecond.toFixed(0), row.p50.toFixed(1), row.p99.toFixed(1), String(row.failures)]));
  const ratio = (100 * get.perSecond) / node.perSecond;
  const weight = page.body.length + cssBytes;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  console.log(`
GET section / bare node: ${ratio.toFixed(1)} %  (target ≥ 5 %: ${verdict(ratio >= 5)}); the home page, for scale: ${((100 * home.perSecond) / node.perSecond).toFixed(1)} %
POST: ${post.perSecond.toFixed(0)} saves/s, p99 ${post.p99.toFixed(1)} ms  (target ≥ 600 saves/s with p99 < 100 ms: ${verdict(post.perSecond >= 600 && post.p99 < 100)})
Section page, gzip: HTML ${kb(page.body.length)} (${page.encoding}) + CSS ${kb(cssBytes)} (${stylesheets.length} file(s)) = ${kb(weight)}  (target ≤ 30 KB: ${verdict(weight <= 30 * 1024)})`);
  for (const row of rows) if (row.failures) console.log(`${row.scenario} status codes: ${row.codes}`);
  // A post still in flight when the load stops may be stored unacknowledged: at most one per connection.
  const consistent = stored >= saved.size && stored <= saved.size + 50;
  console.log(`saves acknowledged: ${saved.size}, responses in database: ${stored}${consistent ? "" : "  MISMATCH"}`);
  if (postCursor > tokens.length) console.log(`(tokens were reused: ${postCursor} posts for ${tokens.length} tokens; raise BENCH_PARTICIPANTS)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  for (const stop of stops.reverse()) await stop();
  await disconnect?.();
  rmSync(tmp, { recursive: true, force: true });
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(dbFile + suffix, { force: true });
}
