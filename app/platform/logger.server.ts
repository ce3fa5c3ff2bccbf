import { pino, type Level, type Logger } from "pino";
import { env } from "./env.server";

/**
 * Paths are redacted by the caller (redactPath), because a token sits inside
 * the text of a path where field redaction cannot reach it; these catch
 * secrets handed over as fields.
 */
const REDACTED_FIELDS = [
  "req.headers.cookie",
  "req.headers.authorization",
  "headers.cookie",
  "headers.authorization",
  "password",
  "*.password",
  "token",
  "*.token",
];

const LEVELS: Record<ReturnType<typeof env>["LOG_LEVEL"], Level | "silent"> = {
  silent: "silent",
  error: "error",
  info: "info",
};

let instance: Logger | undefined;

/**
 * The one logger: JSON lines on stdout at the level LOG_LEVEL names. Made on
 * first use, like env() and db(): reading the configuration at import would
 * fix it before a process (or a test) has finished setting its environment.
 */
export function logger(): Logger {
  instance ??= pino(
    {
      level: LEVELS[env().LOG_LEVEL],
      redact: { paths: REDACTED_FIELDS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // Synchronous, as console output to a pipe is on Linux: nothing is lost
    // on process.exit, and the two module copies (server.ts's and the app
    // build's) never interleave inside a line.
    pino.destination({ dest: 1, sync: true }),
  );
  return instance;
}
