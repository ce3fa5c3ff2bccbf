/**
 * Results benchmark: the results page and the exports of a large survey,
 * through the built server. It prints figures and asserts nothing.
 *
 *   npx tsx bench/results.ts                     (npm run bench:results)
 *   BENCH_RESPONSES=20000 BENCH_CHECKPOINT=5000 npx tsx bench/results.ts
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/parley_bench_results npx tsx bench/results.ts
 *   BENCH_EXISTING=1 npx tsx bench/results.ts   (measure the database an earlier run left, as it is)
 *   BENCH_CPU_PROFILE=/tmp/prof npx tsx bench/results.ts   (the page server writes a .cpuprofile there)
 *
 * Needs a build (`npm run build`). Set-up: a fresh database (SQLite under
 * data/bench/ unless BENCH_DATABASE_URL names a PostgreSQL database, which
 * is dropped and recreated) with the demo surveys. Synthetic responses to
 * BENCH_SURVEY (governance-review: 37 questions, one an 11-row matrix, about
 * 33 answer rows per response; 10 % drafts) are written with the database
 * driver, first BENCH_CHECKPOINT (10,000), then up to BENCH_RESPONSES
 * (100,000). At each size, against a freshly started server:
 *   1. The results page without filters and with two (region and language):
 *      the first request (counted by the database) and then autocannon for
 *      BENCH_DURATION seconds with 1 connection (latency) and 10 (throughput);
 *      repeated views come from the results cache, which a new response
 *      invalidates.
 *   2. The full CSV and XLSX exports, each from its own fresh server process
 *      whose JS heap is capped at 256 MiB: seconds, bytes, and the server's
 *      peak resident memory (VmHWM).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, loadavg } from "node:os";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { syncSurvey } from "~/models/survey-sync.server";
import { loadSurveyStructure } from "~/models/survey-structure.server";
import { hashPassword } from "~/platform/password.server";
import { db, disconnectDb } from "~/platform/db.server";
import { syntheticResponses } from "../prisma/synthetic.ts";
import { insertSyntheticResponses } from "../tests/support/responses.ts";
import { freshBenchDatabase } from "./support/database.ts";
import { cookiesFrom, postForm, startServer, type TestServer } from "../tests/support/server.ts";
import { EVENT_LOOP_PRELOAD, eventLoopDelay } from "./support/event-loop-delay.ts";

// autocannon ships no types: the little of its API used here.
interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<Result>;

const TOTAL = Number(process.env.BENCH_RESPONSES ?? 100_000);
const CHECKPOINT = Math.min(TOTAL, Number(process.env.BENCH_CHECKPOINT ?? 10_000));
const SLUG = process.env.BENCH_SURVEY ?? "governance-review";
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "file:data/bench/results.db";
const PASSWORD = "benchmark staff password";
const TWO_FILTERS = "region=Europe&language=fr";
const EXPORT_HEAP_MIB = 256;

function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function signIn(server: TestServer): Promise<string> {
  const response = await postForm(`${server.url}/staff/login`, { email: "bench@parley.example", password: PASSWORD });
  if (response.status !== 302) throw new Error(`sign-in failed: ${response.status}`);
  return cookiesFrom(response);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function measure(size: number): Promise<void> {
  console.log(`\n== ${size.toLocaleString("en")} responses ==`);
  const profile = process.env.BENCH_CPU_PROFILE;
  const server = await startServer(DATABASE_URL, { LOG_LEVEL: "error" }, [
    ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []),
    ...EVENT_LOOP_PRELOAD,
  ]);
  try {
    const cookie = await signIn(server);
    const url = (query: string) => `${server.url}/staff/surveys/${SLUG}/results${query ? `?${query}` : ""}`;
    for (const [label, query] of [
      ["no filter", ""],
      ["two filters", TWO_FILTERS],
    ] as const) {
      await eventLoopDelay(server); // from here on
      const first = await timed(async () => {
        const response = await fetch(url(query), { headers: { cookie } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`results page: ${response.status}`);
      });
      // The longest the server kept others waiting while it counted.
      const counting = await eventLoopDelay(server);
      // One connection: the latency a staff member sees; ten: how many views the server turns out at once.
      const alone = await autocannon({ url: url(query), connections: 1, duration: DURATION, headers: { cookie } });
      const busy = await autocannon({ url: url(query), connections: 10, duration: DURATION, headers: { cookie } });
      console.log(
        `results page, ${label.padEnd(11)}: first request ${first.ms.toFixed(0)} ms (counted by the database; event loop blocked at most ${counting.max.toFixed(0)} ms); ` +
          `then 1 connection p50 ${alone.latency.p50} ms, p99 ${alone.latency.p99} ms; ` +
          `10 connections ${busy.requests.average.toFixed(0)} req/s, p50 ${busy.latency.p50} ms, p99 ${busy.latency.p99} ms; ` +
          `non-2xx ${alone.non2xx + busy.non2xx}, errors ${alone.errors + busy.errors}`,
      );
    }
  } finally {
    await server.stop();
  }

  for (const format of ["csv", "xlsx"] as const) {
    // A capped heap: the export finishing within it shows memory does not grow with the survey
    // (without a cap, V8 lets garbage pile up before collecting, which peak RSS would count).
    const exporter = await startServer(DATABASE_URL, { LOG_LEVEL: "error", NODE_OPTIONS: `--max-old-space-size=${EXPORT_HEAP_MIB}` });
    try {
      const cookie = await signIn(exporter);
      const before = peakRssMiB(exporter.process.pid!);
      const { ms, value: bytes } = await timed(async () => {
        const response = await postForm(`${exporter.url}/staff/surveys/${SLUG}/export`, { format }, { headers: { cookie, origin: exporter.url } });
        if (response.status !== 200 || !response.body) throw new Error(`export: ${response.status}`);
        let total = 0;
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) total += chunk.byteLength;
        return total;
      });
      console.log(
        `export ${format.padEnd(4)}: ${(ms / 1000).toFixed(1)} s, ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${((size / ms) * 1000).toFixed(0)} responses/s, server peak RSS ${peakRssMiB(exporter.process.pid!).toFixed(0)} MiB (${before.toFixed(0)} MiB before; JS heap capped at ${EXPORT_HEAP_MIB} MiB)`,
      );
    } finally {
      await exporter.stop();
    }
  }
}

async function main(): Promise<void> {
  console.log(`Results benchmark: ${SLUG}, ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}`);
  if (process.env.BENCH_EXISTING) {
    // A database an earlier run filled (generating 100,000 responses takes minutes): measure it as it is.
    process.env.DATABASE_URL = DATABASE_URL;
    const { applyMigrations } = await import("../scripts/db/migrate.ts");
    await applyMigrations(DATABASE_URL);
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: SLUG } });
    const size = await db().response.count({ where: { surveyId: survey.id } });
    await disconnectDb();
    return measure(size);
  }
  await freshBenchDatabase(DATABASE_URL);
  const { definitions } = loadSurveyDefinitions();
  for (const definition of definitions) await syncSurvey(definition);
  const definition = definitions.find((candidate) => candidate.slug === SLUG);
  if (!definition) throw new Error(`no survey ${SLUG}`);
  const survey = await db().survey.update({
    where: { slug: SLUG },
    data: { status: "published", opensAt: new Date(Date.now() - 30 * 86_400_000), closesAt: new Date(Date.now() + 30 * 86_400_000) },
  });
  await db().staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email: "bench@parley.example",
      name: "Benchmark",
      language: "en",
      passwordHash: await hashPassword(PASSWORD),
    },
  });
  const structure = await loadSurveyStructure(survey.id, survey.definitionHash);
  await disconnectDb();

  // One generator for both stages, so the second continues the first.
  const responses = syntheticResponses(definition, TOTAL, { seed: 2026, draftShare: 0.1 });
  const take = function* (count: number) {
    for (let index = 0; index < count; index++) {
      const next = responses.next();
      if (next.done) return;
      yield next.value;
    }
  };
  let written = 0;
  for (const size of [...new Set([CHECKPOINT, TOTAL])]) {
    const { ms, value: answers } = await timed(() =>
      insertSyntheticResponses(DATABASE_URL, structure, take(size - written), { mode: survey.mode as "confidential" }),
    );
    console.log(`\ngenerated ${(size - written).toLocaleString("en")} responses (${answers.toLocaleString("en")} answer rows) in ${(ms / 1000).toFixed(1)} s`);
    written = size;
    await measure(size);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
