/**
 * Forum sign-up benchmark: autocannon sign-ups for one session of capacity
 * BENCH_CAPACITY (1,000) with BENCH_CONNECTIONS (100) connections for
 * BENCH_DURATION seconds (20), every request a different email, through the
 * built server. Prints sign-ups/s, latency, each server's event-loop delay and
 * the final confirmed count, which must equal the capacity. Then, beside 5 s
 * more of the rush, malformed sign-ups (bad fields, unknown sessions, a JSON
 * body, a body over 1 MiB) are sent one at a time: their statuses are
 * printed (all must be 4xx), and the registrations stored from them (none).
 * Prints figures;
 * asserts nothing.
 *
 *   npx tsx bench/forums.ts            (npm run bench:forums)
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/parley_bench_forums npx tsx bench/forums.ts
 *   BENCH_CPU_PROFILE=/tmp/prof npx tsx bench/forums.ts   (the server writes a .cpuprofile there)
 *   BENCH_INSTANCES=2 …   (two server processes on the one database, the connections spread over both)
 */
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { availableParallelism, loadavg } from "node:os";
import { db, disconnectDb } from "~/platform/db.server";
import { freshBenchDatabase } from "./support/database.ts";
import { startServer } from "../tests/support/server.ts";
import { EVENT_LOOP_PRELOAD, eventLoopDelay } from "./support/event-loop-delay.ts";
import { describeMalformed, sendMalformedDuring, type MalformedRequest } from "./support/malformed.ts";
import { serverSettings } from "./support/server-settings.ts";

interface Result {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface Client {
  setBody(body: string): void;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (options: {
  url: string | string[];
  connections: number;
  duration: number;
  method: string;
  headers: Record<string, string>;
  setupClient: (client: Client) => void;
}) => Promise<Result>;

const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "file:data/bench/forums.db";
/** Seconds of the further rush beside which malformed sign-ups are sent. */
const MALFORMED_DURATION = 5;
/** Server processes on the one database (the several-instances production set-up). */
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1);

async function main(): Promise<void> {
  console.log(
    `Forum sign-up benchmark: capacity ${CAPACITY}, ${CONNECTIONS} connections, ${DURATION} s, ${INSTANCES} instance(s), ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}`,
  );
  await freshBenchDatabase(DATABASE_URL);
  const series = await db().forumSeries.create({ data: { slug: "bench-forum", texts: JSON.stringify({ en: { title: "Benchmark forum", description: "" } }) } });
  const session = await db().forumSession.create({
    data: {
      seriesId: series.id,
      startsAt: new Date(Date.now() + 7 * 86_400_000),
      endsAt: new Date(Date.now() + 7 * 86_400_000 + 3_600_000),
      language: "en",
      capacity: CAPACITY,
      meetingUrl: "https://meet.example/bench",
    },
  });
  await disconnectDb();

  const profile = process.env.BENCH_CPU_PROFILE;
  const nodeArgs = [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []), ...EVENT_LOOP_PRELOAD];
  const servers = await Promise.all(Array.from({ length: INSTANCES }, () => startServer(DATABASE_URL, { LOG_LEVEL: "error", ...serverSettings() }, nodeArgs)));
  try {
    // The people in a rush have opened the page first: so has the server, once, before the clock starts.
    for (const server of servers) await fetch(`${server.url}/forums/bench-forum`).then((response) => response.text());
    await Promise.all(servers.map((server) => eventLoopDelay(server))); // from here on
    let counter = 0;
    const rush = (duration: number) =>
      autocannon({
        // Several instances: autocannon spreads the connections over their addresses.
        url: servers.map((server) => `${server.url}/forums/bench-forum`),
        connections: CONNECTIONS,
        duration,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        // A new email for every request: each one is a real sign-up.
        setupClient: (client) => {
          const original = (client as unknown as { setBody: (body: string) => void }).setBody.bind(client);
          const next = () =>
            original(
              new URLSearchParams({
                sessionId: session.id,
                name: `Member ${++counter}`,
                email: `member${counter}@bench.example`,
                language: "en",
                timeZone: "Europe/Paris",
              }).toString(),
            );
          next();
          (client as unknown as { on: (event: string, listener: () => void) => void }).on("response", next);
        },
      });
    const result = await rush(DURATION);
    const loops = await Promise.all(servers.map((server) => eventLoopDelay(server)));
    // Then the same rush a little longer, with bad sign-ups beside it: apart, so that they change none of the figures above.
    const further = rush(MALFORMED_DURATION);
    const tally = await sendMalformedDuring((index) => malformedSignUp(servers[index % servers.length]!.url, session.id, index), further);
    await further;
    process.env.DATABASE_URL = DATABASE_URL;
    const counts = await db().forumRegistration.groupBy({ by: ["status"], where: { sessionId: session.id }, _count: { _all: true } });
    const byStatus = Object.fromEntries(counts.map((row) => [row.status, row._count._all]));
    const seatCounter = (await db().forumSession.findUniqueOrThrow({ where: { id: session.id } })).confirmedCount;
    console.log(
      `sign-ups: ${result.requests.average.toFixed(0)} /s, ${result.requests.total} in ${DURATION} s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`,
    );
    console.log(`event-loop delay p99 per instance: ${loops.map((loop) => `${loop.p99.toFixed(1)} ms`).join(", ")} (target < 50 ms)`);
    console.log(
      `confirmed ${byStatus.confirmed ?? 0} (capacity ${CAPACITY}, seat counter ${seatCounter}), waiting list ${byStatus.waitlisted ?? 0}, outbox rows ${await db().outboxMessage.count()}`,
    );
    const storedFromMalformed = await db().forumRegistration.count({ where: { email: { startsWith: "malformed" } } });
    console.log(`${describeMalformed(tally)}; registrations stored from them: ${storedFromMalformed}`);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await disconnectDb();
  }
}

/** Made once: encoding a megabyte for every probe would slow the load generator, which runs in this process. */
const OVERSIZED_FORM = `name=Malformed&email=oversized%40bench.example&language=en&accessibilityNeeds=${"a".repeat(1_100_000)}`;

/** A sign-up that must be refused with a 4xx, of one of several kinds, for the rush's session. */
function malformedSignUp(base: string, sessionId: string, index: number): MalformedRequest {
  const url = `${base}/forums/bench-forum`;
  const fields = { sessionId, name: "Malformed", email: `malformed${index}@bench.example`, language: "en" };
  const form = (kind: string, changed: Record<string, string>): MalformedRequest => ({
    kind,
    url,
    init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ ...fields, ...changed }).toString() },
  });
  const kinds = [
    () => form("invalid email", { email: `malformed${index}-at-bench.example` }),
    () => form("unknown session", { sessionId: randomUUID() }),
    () => form("session that is no id", { sessionId: "../../etc/passwd" }),
    () => form("name too long", { name: "n".repeat(201) }),
    () => form("unknown language", { language: "xx" }),
    () => ({ kind: "JSON body", url, init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fields) } }),
    () => ({ kind: "body over 1 MiB", url, init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: OVERSIZED_FORM } }),
  ];
  return kinds[index % kinds.length]!();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
