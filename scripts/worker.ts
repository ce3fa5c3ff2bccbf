/**
 * npm run worker — delivers queued email from its own process (run it with
 * OUTBOX_WORKER=off on the web processes, or beside them: claims keep any
 * number of workers from sending a message twice). Stops on SIGTERM/SIGINT
 * after the batch in hand.
 */
import { startWorker } from "~/lifecycle.server";
import { disconnectDb } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { logger } from "~/platform/logger.server";

let config: ReturnType<typeof env>;
try {
  config = env();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const worker = startWorker();
logger().info(`outbox worker ${worker.workerId}: delivering ${config.SMTP_URL ? "by SMTP" : `to files under ${config.OUTBOX_DIR}`}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger().info(`outbox worker: ${signal}, stopping`);
  try {
    await worker.stop();
  } finally {
    await disconnectDb();
  }
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
