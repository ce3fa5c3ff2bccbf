/**
 * Respondent benchmark: how fast the built server shows and saves survey
 * section pages for many distinct participants, against the framework's own
 * floor. It prints figures and asserts nothing.
 *
 *   npx tsx bench/respondent.ts                 (npm run bench:respondent)
 *   BENCH_DURATION=3 BENCH_PARTICIPANTS=2000 BENCH_POST_CONNECTIONS=10 npx tsx bench/respondent.ts
 *   BENCH_CPU_PROFILE=/tmp/prof npx tsx bench/respondent.ts   (the server writes a .cpuprofile there)
 *
 * Needs a build (`npm run build`); the floor app (bench/floor, a minimal
 * Remix v2 app served by the same Express and compression set-up) is built
 * here. Set-up: a generated survey (6 sections, 40 questions of every type)
 * with English texts in a temporary copy of locales/, a fresh SQLite database
 * under data/bench/ holding BENCH_PARTICIPANTS (10,000) participants with a
 * personal link each, the governance survey from surveys/, and the built
 * server started as tests/support/server.ts starts it, with a preload that
 * measures its event-loop delay (bench/support/event-loop.mjs). Then
 * autocannon runs, BENCH_DURATION (10) seconds each and every request with
 * the next token:
 *   1. GET the first section page (10 connections; success = 2xx); then the
 *      same through two server processes on the one database, 5 connections
 *      each (the production option of several instances), their sum;
 *   2. the floor: a form with as many fieldsets (6 radios each) from a
 *      loader, and a one-paragraph page; Parley's home page (no query);
 *      a bare node:http hello world, for scale;
 *   3. POST valid answers to the first section, intent=next (50 connections;
 *      success = the 302 to the next section); then, beside 5 s more of it,
 *      malformed saves one at a time (unknown links and sections, answers
 *      not offered or out of range, a JSON body, a body over 1 MiB), whose
 *      statuses are printed: all must be 4xx.
 * "req/s" counts successful responses only. Also printed: the server's
 * event-loop delay p99 during each Parley run, the gzipped bytes a member
 * downloads for the whole governance survey (welcome, every section, review,
 * confirmation; scripts and styles counted once, as a cold cache fetches
 * them), and whether every acknowledged save is stored.
 * Targets: section GET ≥ 0.5 × the floor's form; home page ≥ 0.7 × the
 * floor's paragraph; saves ≥ 0.5 × section GETs with p99 < 250 ms and no
 * errors; event-loop p99 < 50 ms; whole governance survey ≤ 120 KB.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { startServer } from "../tests/support/server.ts";
import { EVENT_LOOP_PRELOAD, eventLoopDelay } from "./support/event-loop-delay.ts";
import { describeMalformed, sendMalformedDuring, type MalformedRequest } from "./support/malformed.ts";
import { serverSettings } from "./support/server-settings.ts";

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
/** Seconds of further saves beside which malformed ones are sent. */
const MALFORMED_DURATION = 5;
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

/** Made once: encoding a megabyte for every probe would slow the load generator, which runs in this process. */
const OVERSIZED_SAVE = `intent=next&q.${firstSection.questions[0]!.key}=${"a".repeat(1_100_000)}`;

/** A save that must be refused with a 4xx, of one of several kinds, through `token`'s link. */
function malformedSave(base: string, token: string, index: number): MalformedRequest {
  const post = (kind: string, path: string, body: string, type = "application/x-www-form-urlencoded"): MalformedRequest => ({
    kind,
    url: `${base}${path}`,
    init: { method: "POST", headers: { "content-type": type }, body },
  });
  const section = `/s/${token}/section/${firstSection.key}`;
  const single = firstSection.questions.find((question) => question.type === "single")!.key;
  const number = firstSection.questions.find((question) => question.type === "number")!.key;
  const shown = `shown=${firstSection.questions.map((question) => question.key).join(",")}&intent=next`;
  const kinds = [
    () => post("unknown link", `/s/${randomBytes(32).toString("base64url")}/section/${firstSection.key}`, firstSectionBody()),
    () => post("unknown section", `/s/${token}/section/no-such-section`, firstSectionBody()),
    () => post("option that is not offered", section, `q.${single}=no-such-option&${shown}`),
    () => post("number out of range", section, `q.${number}=1000&${shown}`),
    () => post("JSON body", section, JSON.stringify({ intent: "next" }), "application/json"),
    () => post("body over 1 MiB", section, OVERSIZED_SAVE),
  ];
  return kinds[index % kinds.length]!();
}

// ------------------------------------------------------------------ helpers

/** Starts `node <args>` (the floor, the bare server) and waits for its "listening on" line, as tests/support/server.ts does for Parley. */
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

/** One request without decompressing (to count the bytes on the wire), carrying and returning cookies. */
function wire(url: string, options: { method?: string; body?: string; cookie?: string } = {}) {
  return new Promise<{ status: number; location: string; cookies: string[]; body: Buffer; encoding: string }>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: {
          "accept-encoding": "gzip",
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(options.body !== undefined ? { "content-type": "application/x-www-form-urlencoded", origin: new URL(url).origin } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            location: String(res.headers.location ?? ""),
            cookies: (res.headers["set-cookie"] ?? []).map((cookie) => cookie.split(";")[0]!),
            body: Buffer.concat(chunks),
            encoding: String(res.headers["content-encoding"] ?? "identity"),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

type WalkQuestion = { key: string; type: string; options?: string[]; rows?: string[]; min?: number; showIf?: { question: string; anyOf: string[] } };

/** Valid answers to a section's questions (shown ones only), as its form posts them. */
function sectionBody(questions: WalkQuestion[], given: Map<string, string>): string {
  const form = new URLSearchParams();
  const shown: string[] = [];
  for (const question of questions) {
    if (question.showIf && !question.showIf.anyOf.includes(given.get(question.showIf.question) ?? "")) continue;
    shown.push(question.key);
    const name = `q.${question.key}`;
    if (question.type === "likert") {
      form.append(name, "agree");
      given.set(question.key, "agree");
    }
    if (question.type === "single" || question.type === "multiple") {
      form.append(name, question.options![0]!);
      given.set(question.key, question.options![0]!);
    }
    if (question.type === "matrix") question.rows!.forEach((row) => form.append(`${name}.${row}`, "agree"));
    if (question.type === "text") form.append(name, "More regional meetings, and minutes published sooner.");
    if (question.type === "number") form.append(name, String(question.min ?? 1));
  }
  form.append("shown", shown.join(","));
  form.append("intent", "next");
  return form.toString();
}

/**
 * What a member's browser downloads for a whole survey with a cold cache:
 * every page as a full HTML load (an upper bound: with scripts, later pages
 * come as smaller data requests), and each script and stylesheet the pages
 * reference once. Sizes on the wire (gzip).
 */
async function wholeSurveyDownload(origin: string, token: string, definition: { sections: { key: string; questions: WalkQuestion[] }[] }) {
  const jar = new Map<string, string>();
  const cookie = () => [...jar.values()].join("; ");
  const keep = (cookies: string[]) => cookies.forEach((pair) => jar.set(pair.split("=")[0]!, pair));
  const assets = new Set<string>();
  const problems: string[] = [];
  let html = 0;
  let pages = 0;
  const page = async (path: string) => {
    const response = await wire(origin + path, { cookie: cookie() });
    keep(response.cookies);
    if (response.status !== 200) problems.push(`GET ${path} → ${response.status}`);
    html += response.body.length;
    pages++;
    const text = (response.encoding === "gzip" ? gunzipSync(response.body) : response.body).toString("utf8");
    for (const match of text.matchAll(/"(\/assets\/[^"]+\.(?:js|css))"/g)) assets.add(match[1]!);
  };
  const post = async (path: string, body: string) => {
    const response = await wire(origin + path, { method: "POST", body, cookie: cookie() });
    keep(response.cookies);
    if (response.status !== 302) problems.push(`POST ${path} → ${response.status}`);
    return response.location;
  };
  const given = new Map<string, string>();
  await page(`/s/${token}`);
  for (const section of definition.sections) {
    await page(`/s/${token}/section/${section.key}`);
    await post(`/s/${token}/section/${section.key}`, sectionBody(section.questions, given));
  }
  await page(`/s/${token}/review`);
  const confirmation = await post(`/s/${token}/review`, new URLSearchParams({ intent: "submit" }).toString());
  await page(confirmation.startsWith("http") ? new URL(confirmation).pathname + new URL(confirmation).search : confirmation);
  let css = 0;
  let js = 0;
  for (const asset of assets) {
    const size = (await wire(origin + asset)).body.length;
    if (asset.endsWith(".css")) css += size;
    else js += size;
  }
  return { pages, html, css, js, assets: assets.size, total: html + css + js, problems };
}

interface Row {
  scenario: string;
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
  codes: string;
  eventLoop?: { p99: number; max: number };
}
function summarise(scenario: string, result: Result, success: (status: number) => boolean, eventLoop?: Row["eventLoop"]): Row {
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
    eventLoop,
  };
}

/** Two runs at the same time as one: their answers added up, the slower run's latencies. */
function combined(results: Result[]): Result {
  const statusCodeStats: Result["statusCodeStats"] = {};
  for (const result of results) {
    for (const [status, { count }] of Object.entries(result.statusCodeStats))
      statusCodeStats[status] = { count: (statusCodeStats[status]?.count ?? 0) + count };
  }
  return {
    duration: Math.max(...results.map((result) => result.duration)),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    timeouts: results.reduce((sum, result) => sum + result.timeouts, 0),
    latency: { p50: Math.max(...results.map((result) => result.latency.p50)), p99: Math.max(...results.map((result) => result.latency.p99)) },
    statusCodeStats,
  };
}

// ---------------------------------------------------------------------- run

const tmp = mkdtempSync(join(tmpdir(), "parley-bench-"));
const dbFile = join(root, `data/bench/respondent-${randomBytes(4).toString("hex")}.db`);
const stops: (() => Promise<void>)[] = [];
let disconnect: (() => Promise<void>) | undefined;

try {
  if (!existsSync(join(root, "build/node/server.js"))) throw new Error("No build: run `npm run build` first");
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
  const participantIds: string[] = [];
  const regions = ["Europe", "Africa", "Asia and Oceania", "Latin America", "North America"];
  for (let start = 0; start < PARTICIPANTS; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, PARTICIPANTS - start) }, (_, n) => ({ i: start + n, id: randomUUID(), token: generateToken() }));
    tokens.push(...batch.map(({ token }) => token));
    participantIds.push(...batch.map(({ id }) => id));
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
  // The governance survey as the demo has it, open, with one member to walk it for the download figure.
  const { loadSurveyFiles } = await import("../app/features/surveys/files.server.ts");
  const governance = loadSurveyFiles(join(root, "surveys"), join(root, "locales")).surveys.find((set) => set.definition.slug === "governance-review");
  if (!governance) throw new Error("surveys/governance-review.json did not load");
  await syncSurvey(governance.definition, governance.content);
  const governanceSurvey = await db().survey.update({ where: { slug: "governance-review" }, data: open, select: { id: true } });
  const walker = { id: randomUUID(), token: generateToken() };
  await db().participant.create({
    data: { id: walker.id, surveyId: governanceSurvey.id, name: "Walker", email: "walker@bench.example", language: "en", region: "Europe" },
  });
  await db().accessToken.create({ data: { participantId: walker.id, tokenHash: hashToken(walker.token) } });
  const setupSeconds = (performance.now() - started) / 1000;

  const floorBuild = spawnSync(process.execPath, [join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build", "bench/floor"], {
    cwd: root,
    encoding: "utf8",
  });
  if (floorBuild.status !== 0) throw new Error(`the floor app did not build:\n${floorBuild.stdout}${floorBuild.stderr}`);
  const floor = await startProcess(["bench/floor/server.mjs"], { PORT: "0" });
  stops.push(floor.stop);

  const startParley = () =>
    startServer(
      databaseUrl,
      { SESSION_SECRET: randomBytes(32).toString("hex"), LOG_LEVEL: "error", TRUST_PROXY: "0", LOCALES_DIR: join(tmp, "locales"), ...serverSettings() },
      [...(process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []), ...EVENT_LOOP_PRELOAD],
    );
  const parley = await startParley();
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

  // A check that the page works before loading it.
  const page = await wire(parley.url + sectionPath(tokens[0]!));
  if (page.status !== 200) throw new Error(`section page answered ${page.status}:\n${parley.logs()}`);

  const memberBytes = await wholeSurveyDownload(parley.url, walker.token, governance.definition);

  const load = async (run: () => Promise<Result>) => {
    await eventLoopDelay(parley); // from here on
    const result = await run();
    return { result, eventLoop: await eventLoopDelay(parley) };
  };
  let getCursor = 0;
  const getRun = await load(() =>
    autocannon({
      url: parley.url,
      connections: 10,
      duration: DURATION,
      requests: [{ setupRequest: (req) => ({ ...req, path: sectionPath(tokens[getCursor++ % tokens.length]!) }) }],
    }),
  );
  // Several processes on one database (README: "Production on PostgreSQL with several instances"; SQLite
  // allows it too): a second instance, each loaded by half the connections, the figure their sum.
  const second = await startParley();
  stops.push(second.stop);
  let pairCursor = 0;
  const pairRuns = await Promise.all(
    [parley, second].map((instance) =>
      autocannon({
        url: instance.url,
        connections: 5,
        duration: DURATION,
        requests: [{ setupRequest: (req) => ({ ...req, path: sectionPath(tokens[pairCursor++ % tokens.length]!) }) }],
      }),
    ),
  );
  await second.stop();
  const fieldsets = firstSection.questions.length;
  const floorFormRun = await autocannon({ url: `${floor.url}/form?fieldsets=${fieldsets}`, connections: 10, duration: DURATION });
  const floorParagraphRun = await autocannon({ url: `${floor.url}/`, connections: 10, duration: DURATION });
  const homeRun = await load(() => autocannon({ url: `${parley.url}/`, connections: 10, duration: DURATION }));
  const bareRun = await autocannon({ url: bare.url, connections: 10, duration: DURATION });
  let postCursor = 0;
  const saved = new Set<string>();
  const saves = (duration: number) =>
    autocannon({
      url: parley.url,
      connections: POST_CONNECTIONS,
      duration,
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
  const postRun = await load(() => saves(DURATION));
  // Then the same saves a little longer, with bad ones beside them, through links the load does not reach (it takes
  // them from the start): apart, so that they change none of the figures above.
  const further = saves(MALFORMED_DURATION);
  const malformedTally = await sendMalformedDuring((index) => malformedSave(parley.url, tokens[tokens.length - 1 - (index % 500)]!, index), further);
  await further;
  // The malformed saves' links are left out: a refused page may still keep a draft with its valid answers.
  const probed = participantIds.slice(-500);
  const stored = await db().response.count({ where: { surveyId: survey.id, participantId: { notIn: probed } } });

  const ok = (status: number) => status >= 200 && status < 300;
  const rows = [
    summarise("GET section (10 conn.)", getRun.result, ok, getRun.eventLoop),
    summarise(`POST section (${POST_CONNECTIONS} conn.)`, postRun.result, (status) => status === 302, postRun.eventLoop),
    summarise("GET home page (10 conn.)", homeRun.result, ok, homeRun.eventLoop),
    summarise(`floor: form, ${fieldsets} fieldsets`, floorFormRun, ok),
    summarise("floor: one paragraph", floorParagraphRun, ok),
    summarise("bare node:http (10 conn.)", bareRun, ok),
    summarise("GET section, 2 processes (5+5)", combined(pairRuns), ok),
  ];
  const [get, post, home, floorForm, floorParagraph, , pair] = rows as [Row, Row, Row, Row, Row, Row, Row];
  const cells = (values: string[]) =>
    values[0]!.padEnd(30) +
    values
      .slice(1)
      .map((value) => value.padStart(10))
      .join("");
  console.log(cells(["scenario", "req/s", "p50 ms", "p99 ms", "failures", "loop p99"]));
  for (const row of rows) {
    const loop = row.eventLoop ? `${row.eventLoop.p99.toFixed(1)} ms` : "";
    console.log(cells([row.scenario, row.perSecond.toFixed(0), row.p50.toFixed(1), row.p99.toFixed(1), String(row.failures), loop]));
  }
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  const times = (a: Row, b: Row) => a.perSecond / b.perSecond;
  const loopWorst = Math.max(get.eventLoop!.p99, post.eventLoop!.p99, home.eventLoop!.p99);
  console.log(`
GET section / floor form: ${times(get, floorForm).toFixed(2)} ×  (target ≥ 0.5: ${verdict(times(get, floorForm) >= 0.5)})
GET section, 2 processes on one database: ${pair.perSecond.toFixed(0)} req/s = ${times(pair, get).toFixed(2)} × one process (latencies: the slower process's)
GET home / floor paragraph: ${times(home, floorParagraph).toFixed(2)} ×  (target ≥ 0.7: ${verdict(times(home, floorParagraph) >= 0.7)})
POST: ${post.perSecond.toFixed(0)} saves/s = ${times(post, get).toFixed(2)} × section GETs, p99 ${post.p99.toFixed(1)} ms, ${post.failures} failures  (target ≥ 0.5 ×, p99 < 250 ms, none: ${verdict(times(post, get) >= 0.5 && post.p99 < 250 && post.failures === 0)})
Event-loop delay p99, worst of the Parley runs: ${loopWorst.toFixed(1)} ms  (target < 50 ms: ${verdict(loopWorst < 50)})
Whole governance survey, cold cache, gzip: ${memberBytes.pages} pages ${kb(memberBytes.html)} + CSS ${kb(memberBytes.css)} + scripts ${kb(memberBytes.js)} (${memberBytes.assets} files) = ${kb(memberBytes.total)}  (target ≤ 120 KB: ${verdict(memberBytes.total <= 120 * 1024)})`);
  if (memberBytes.problems.length) console.log(`walking the governance survey: ${memberBytes.problems.join("; ")}`);
  for (const row of rows) if (row.failures) console.log(`${row.scenario} status codes: ${row.codes}`);
  // A post still in flight when the load stops may be stored unacknowledged: at most one per connection.
  const consistent = stored >= saved.size && stored <= saved.size + 50;
  console.log(`saves acknowledged: ${saved.size}, responses in database: ${stored}${consistent ? "" : "  MISMATCH"}`);
  console.log(describeMalformed(malformedTally));
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
