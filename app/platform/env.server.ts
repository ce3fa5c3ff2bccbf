import { readFileSync } from "node:fs";
import { z } from "zod";
import { DEFAULT_DATABASE_URL, isSupportedDatabaseUrl } from "~/platform/database-url";

/**
 * Every environment variable Parley reads, checked once at start-up so a
 * misconfiguration stops the process with one clear line instead of failing
 * on the first request. README's "Configuration" lists the same variables.
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL).refine(isSupportedDatabaseUrl, {
      message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    }),
    SESSION_SECRET: z.string().optional(),
    /** A file holding the secret instead (container secrets; the demo keeps one in data/). */
    SESSION_SECRET_FILE: z.string().min(1).optional(),
    /** Public origin, e.g. https://consult.example.org, used in email links. */
    PUBLIC_URL: z.url().optional(),
    /** smtp://user:pass@host:587 or smtps://…; unset: messages are written to OUTBOX_DIR. */
    SMTP_URL: z.string().optional(),
    MAIL_FROM: z.string().default("Parley <no-reply@localhost>"),
    OUTBOX_DIR: z.string().default("data/outbox"),
    LOCALES_DIR: z.string().default("locales"),
    SURVEYS_DIR: z.string().default("surveys"),
    /** "inline" runs the outbox worker inside the web process; "off" leaves it to `npm run worker`. */
    OUTBOX_WORKER: z.enum(["inline", "off"]).default("inline"),
    /** Trust X-Forwarded-* from this many proxies (load balancer in front). */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    LOG_LEVEL: z.enum(["silent", "error", "info"]).default("info"),
    /** Requests worked on at once by this process; the others wait their turn (platform/request-queue.server.ts). */
    REQUEST_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(8),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32)) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "must be set to at least 32 random characters in production",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** SESSION_SECRET_FILE's contents stand in for an unset SESSION_SECRET. */
function withSecretFromFile(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = source.SESSION_SECRET_FILE;
  if (!file || source.SESSION_SECRET) return source;
  try {
    return { ...source, SESSION_SECRET: readFileSync(file, "utf8").trim() };
  } catch (error) {
    throw new Error(`Invalid configuration: SESSION_SECRET_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
  }
}

/** Parses process.env; throws an Error whose message is one readable line. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(withSecretFromFile(source));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}

export function env(): Env {
  cached ??= readEnv();
  return cached;
}

/**
 * Signing secret for cookies. Outside production a fixed development value
 * keeps `npm run demo` a single command; production refuses to start without
 * a real one (see the schema above).
 */
export function sessionSecret(): string {
  return env().SESSION_SECRET ?? "parley-development-secret-do-not-use-in-production";
}
