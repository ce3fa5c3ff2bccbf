import type { TestServer } from "../../tests/support/server.ts";

/** Node options that make a server measure its event-loop delay (bench/support/event-loop.mjs). */
export const EVENT_LOOP_PRELOAD = ["--import", "./bench/support/event-loop.mjs"];

/** The server's event-loop delay since the last call (p99 and maximum, in ms), which the preload prints on SIGUSR2. */
export async function eventLoopDelay(server: TestServer): Promise<{ p99: number; max: number }> {
  const before = server.logs().length;
  server.process.kill("SIGUSR2");
  for (let waited = 0; waited < 5_000; waited += 20) {
    const match = /event-loop p99 ([\d.]+) max ([\d.]+)/.exec(server.logs().slice(before));
    if (match) return { p99: Number(match[1]), max: Number(match[2]) };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { p99: NaN, max: NaN };
}
