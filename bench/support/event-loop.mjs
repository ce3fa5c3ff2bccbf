// Preloaded into a server the benches start (node --import): measures the
// process's event-loop delay, and on SIGUSR2 prints the p99 and maximum since
// the last signal, then starts again. Production code knows nothing of it.
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
process.on("SIGUSR2", () => {
  const ms = (ns) => (ns / 1e6).toFixed(1);
  process.stdout.write(`event-loop p99 ${ms(histogram.percentile(99))} max ${ms(histogram.max)}\n`);
  histogram.reset();
});
