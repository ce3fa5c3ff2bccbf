/**
 * Crash durability: nothing acknowledged may be lost, nothing half-written may
 * remain. Starts the built server, has many respondents save survey sections
 * at once, and kills the server with SIGKILL at random moments, again and
 * again. After each kill it reads the database directly and checks:
 *   - every save answered with the redirect (acknowledged) is stored whole;
 *   - every other save is stored whole or not at all, and a section is listed
 *     as saved on its response exactly when its answers are there.
 * Each (participant, section) is saved once, so "whole" is a known row count.
 *
 *   npm run reliability:crash                      (SQLite file under data/reliability/)
 *   DATABASE_URL=postgresql://…/parley_crash npm run reliability:crash
 *   CRASH_KILLS=20 CRASH_MAX_SECONDS=120 npm run reliability:crash
 *
 * Needs a build (`npm run build`). Prints kills survived, saves acknowledged
 * and verified, lost and half-written (both must be 0); exits 1 otherwise.
 * The database named by DATABASE_URL is dropped and created again.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freshBenchDatabase } from "../../bench/support/database.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const KILLS = Number(process.env.CRASH_KILLS ?? 100);
/** The run stops early (and says so) when this is reached, so CI stays bounded. */
const MAX_SECONDS = Number(process.env.CRASH_MAX_SECONDS ?? 600);
const RESPONDENTS = Number(process.env.CRASH_RESPONDENTS ?? 20);
const SLUG = "governance-review";
const DAY = 86_400_000;

if (!existsSync(join(root, "build/node/server.js"))) {
  console.error("No build: run `npm run build` first");
  process.exit(2);
}
mkdirSync(join(root, "data/reliability"), { recursive: true });
const databaseUrl = process.env.DATABASE_URL ?? `file:${join(root, "data/reliability/crash.db")}`;
await freshBenchDatabase(databaseUrl);

// The app's own modules, on the database just made (freshBenchDatabase set DATABASE_URL).
const { loadSurveyDefinitions } = await import("../../app/features/surveys/files.server.ts");
const { syncSurvey } = await import("../../app/models/survey-sync.server.ts");
const { generateToken, hashToken } = await import("../../app/platform/tokens.server.ts");
const { db, disconnectDb } = await import("../../app/platform/db.server.ts");

const definition = loadSurveyDefinitions().definitions.find((candidate) => candidate.slug === SLUG);
if (!definition) throw new Error(`survey ${SLUG} not found under surveys/`);
await syncSurvey(definition);
const survey = await db().survey.update({
  where: { slug: SLUG },
  data: { status: "published", opensAt: new Date(Date.now() - DAY), closesAt: new Date(Date.now() + 30 * DAY) },
  select: { id: true },
});

/** A whole valid section as its form posts it, and how many answer rows it stores. */
function sectionSave(sectionKey: string): { body: string; rows: number; questionKeys: string[] } {
  const section = definition!.sections.find((candidate) => candidate.key === sectionKey)!;
  const form = new URLSearchParams();
  let rows = 0;
  const questionKeys: string[] = [];
  const add = (name: string, value: string) => {
    form.append(name, value);
    rows++;
  };
  for (const question of section.questions) {
    questionKeys.push(question.key);
    if (question.showIf) continue;
    const name = `q.${question.key}`;
    if (question.type === "likert") add(name, "agree");
    if (question.type === "single") add(name, question.options[0]!);
    if (question.type === "multiple") for (const option of question.options.slice(0, Math.min(2, question.maxSelections ?? 2))) add(name, option);
    if (question.type === "matrix") for (const row of question.rows) add(`${name}.${row}`, "agree");
    if (question.type === "number") add(name, String(question.min ?? 1));
    if (question.type === "text") add(name, `Saved before a crash ${randomUUID()}`);
  }
  form.append(
    "shown",
    section.questions
      .filter((question) => !question.showIf)
      .map((question) => question.key)
      .join(","),
  );
  form.append("intent", "next");
  return { body: form.toString(), rows, questionKeys };
}

// Enough participants that every (participant, section) is saved at most once.
const PARTICIPANTS = Number(process.env.CRASH_PARTICIPANTS ?? 4000);
const participants: { id: string; token: string }[] = [];
for (let start = 0; start < PARTICIPANTS; start += 1000) {
  const batch = Array.from({ length: Math.min(1000, PARTICIPANTS - start) }, () => ({ id: randomUUID(), token: generateToken() }));
  participants.push(...batch);
  await db().$transaction([
    db().participant.createMany({
      data: batch.map(({ id }, n) => ({
        id,
        surveyId: survey.id,
        name: `Member ${start + n}`,
        email: `member${start + n}@crash.example`,
        language: "en",
        region: "Europe",
      })),
    }),
    db().accessToken.createMany({ data: batch.map(({ id, token }) => ({ participantId: id, tokenHash: hashToken(token) })) }),
  ]);
}
const sectionKeys = definition.sections.map((section) => section.key);
const expected = new Map(sectionKeys.map((key) => [key, sectionSave(key)]));
const questionIds = new Map(
  (await db().question.findMany({ where: { surveyId: survey.id }, select: { id: true, key: true } })).map((question) => [question.key, question.id]),
);

// Saves are handed out participant by participant, section by section in order.
let nextSave = 0;
const attempted: { participant: number; section: string }[] = [];
const acknowledged = new Set<string>();
const saveKey = (participant: number, section: string) => `${participant}:${section}`;

function post(port: number, path: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", () => resolve(0));
      },
    );
    // A killed server resets the connection: that save is simply not acknowledged.
    request.on("error", () => resolve(0));
    request.end(body);
  });
}

async function respondent(port: number, alive: () => boolean): Promise<void> {
  while (alive()) {
    const index = nextSave++;
    const participant = Math.floor(index / sectionKeys.length);
    if (participant >= participants.length) return;
    const section = sectionKeys[index % sectionKeys.length]!;
    attempted.push({ participant, section });
    const status = await post(port, `/s/${participants[participant]!.token}/section/${section}`, expected.get(section)!.body);
    if (status === 302) acknowledged.add(saveKey(participant, section));
    else if (status !== 0 && alive()) throw new Error(`save answered ${status}`);
  }
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["build/node/server.js"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      SESSION_SECRET: randomBytes(32).toString("hex"),
      DATABASE_URL: databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "error",
      OUTBOX_WORKER: "off",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, port: Number(match[1]) });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
}

/**
 * Reads back the saves tried since the last kill (earlier ones were checked
 * then, and no later save touches their sections) and adds to the totals.
 */
const totals = { verified: 0, lost: [] as string[], halfWritten: [] as string[] };
let checkedUpTo = 0;
async function verifyNewSaves(): Promise<void> {
  const round = attempted.slice(checkedUpTo);
  checkedUpTo = attempted.length;
  const ids = [...new Set(round.map(({ participant }) => participants[participant]!.id))];
  const responses = await db().response.findMany({
    where: { participantId: { in: ids } },
    select: { participantId: true, savedSections: true, answers: { select: { questionId: true } } },
  });
  const byParticipant = new Map(responses.map((response) => [response.participantId, response]));
  const { lost, halfWritten } = totals;
  for (const { participant, section } of round) {
    const key = saveKey(participant, section);
    const response = byParticipant.get(participants[participant]!.id);
    const { rows, questionKeys } = expected.get(section)!;
    const ids = new Set(questionKeys.map((questionKey) => questionIds.get(questionKey)));
    const stored = response ? response.answers.filter((answer) => ids.has(answer.questionId)).length : 0;
    const listed = !!response && response.savedSections.split(",").includes(section);
    if (stored !== 0 && stored !== rows) halfWritten.push(`${key}: ${stored} of ${rows} answers`);
    else if (listed !== (stored === rows)) halfWritten.push(`${key}: listed ${listed}, ${stored} answers`);
    if (acknowledged.has(key)) {
      if (stored === rows && listed) totals.verified++;
      else lost.push(key);
    }
  }
}

const started = Date.now();
let kills = 0;
const outcome = totals;
try {
  while (kills < KILLS && (Date.now() - started) / 1000 < MAX_SECONDS && nextSave < participants.length * sectionKeys.length) {
    const { child, port } = await startServer();
    let alive = true;
    const load = Promise.all(Array.from({ length: RESPONDENTS }, () => respondent(port, () => alive)));
    // A random moment: sometimes right after start, sometimes under full load.
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 1200));
    alive = false;
    child.kill("SIGKILL");
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)));
    await load;
    kills++;
    await verifyNewSaves();
    if (outcome.lost.length || outcome.halfWritten.length) break;
  }
} finally {
  await disconnectDb();
}

const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`crash durability (${databaseUrl.startsWith("file:") ? "SQLite" : "PostgreSQL"}): ${kills} kills survived in ${seconds} s`);
console.log(
  `  saves tried ${attempted.length}, acknowledged ${acknowledged.size}, verified ${outcome.verified}, lost ${outcome.lost.length}, half-written ${outcome.halfWritten.length}`,
);
if (kills < KILLS) console.log(`  stopped at ${kills} of ${KILLS} kills (time limit ${MAX_SECONDS} s or participants used up)`);
for (const problem of [...outcome.lost.map((key) => `lost ${key}`), ...outcome.halfWritten.map((key) => `half-written ${key}`)].slice(0, 20))
  console.log(`  ${problem}`);
process.exitCode = outcome.lost.length === 0 && outcome.halfWritten.length === 0 && acknowledged.size > 0 && kills >= Math.min(KILLS, 1) ? 0 : 1;
