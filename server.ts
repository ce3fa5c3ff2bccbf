/**
 * The production server: Express in front of the built Remix app, adding
 * compression, security headers, a request log that never records tokens,
 * and the in-process outbox worker. Start it with `npm start` after
 * `npm run build`.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type ErrorRequestHandler } from "express";
import helmet from "helmet";
import { readEnv } from "./app/platform/env.server.ts";
import { logger } from "./app/platform/logger.server.ts";
import { redactPath } from "./app/platform/redact.ts";
import { requestQueue } from "./app/platform/request-queue.server.ts";

// Like remix-serve: production unless a developer asks otherwise, so React's
// production build serves the pages and the secret check applies. The build
// (and with it React) is imported below, after this line has run.
process.env.NODE_ENV ||= "production";

let config: ReturnType<typeof readEnv>;
try {
  config = readEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const log = logger();

const buildPath = path.resolve("build/server/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild & {
  entry: { module: { onServerStart?: () => Promise<void>; onServerStop?: () => Promise<void> } };
};
const lifecycle = build.entry.module;

try {
  await lifecycle.onServerStart?.();
} catch (error) {
  console.error(`Cannot start: ${(error as Error).message.split("\n")[0]}`);
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", config.TRUST_PROXY);

app.use((req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
});

app.use(
  helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Scripts only from our origin or carrying this response's nonce:
        // no 'unsafe-inline', so injected markup cannot run script.
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
        // React renders style attributes (e.g. progress bars); styles cannot run code.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Tokens live in URLs (/s/<token>): no page may leak its address to another site.
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: config.NODE_ENV === "production" ? undefined : false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: "deny" },
  }),
);

app.use(compression());

/** The request's URL as Remix will see it (see @remix-run/express), or null when it is not one. */
function remixUrl(req: express.Request): URL | null {
  try {
    return new URL(`http://localhost${req.originalUrl}`);
  } catch {
    return null;
  }
}

/**
 * Whether Remix runs the request through its action path: every method but
 * GET, HEAD and OPTIONS, and for single-fetch data URLs (/<path>.data) every
 * method but GET. Remix checks Origin there too, but answers a mismatch with
 * a 500, so such requests must be refused here first.
 */
function reachesAnAction(req: express.Request): boolean {
  if (req.method === "GET") return false;
  if (req.method !== "HEAD" && req.method !== "OPTIONS") return true;
  return remixUrl(req)?.pathname.endsWith(".data") ?? false;
}

// "?_data=<route id>" is how Remix's client asked for data before single
// fetch; this app's client never does, and Remix still answers it through a
// path that fails (a 500) on loaders returning data(). Refused as malformed.
app.use((req, res, next) => {
  if (remixUrl(req)?.searchParams.has("_data")) {
    res.status(400).type("text/plain").send("Bad request");
    return;
  }
  next();
});

// Cross-site form posts are refused before they reach an action. Browsers
// send Sec-Fetch-Site on every request; Origin is checked for older ones.
// (Origin alone would not do: with Referrer-Policy no-referrer, browsers send
// "Origin: null" on same-site form posts.)
app.use((req, res, next) => {
  if (!reachesAnAction(req)) return next();
  const site = req.get("sec-fetch-site");
  const origin = req.get("origin");
  let originHost: string | undefined;
  if (origin && origin !== "null") {
    try {
      originHost = new URL(origin).host;
    } catch {
      res.status(400).type("text/plain").send("Malformed Origin header");
      return;
    }
  }
  const host = req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.get("host");
  const crossSite = (!!site && site !== "same-origin" && site !== "none") || (!!originHost && originHost !== host);
  if (crossSite) {
    res.status(403).type("text/plain").send("Cross-site request refused");
    return;
  }
  // "Origin: null" is what browsers send for same-site posts from
  // no-referrer pages; Remix would take it for a foreign origin.
  if (origin === "null") delete req.headers.origin;
  next();
});

if (log.isLevelEnabled("info")) {
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The path is redacted: personalised tokens must never reach a log.
      const url = redactPath(req.originalUrl);
      log.info({ method: req.method, url, status: res.statusCode, ms: Number(ms.toFixed(1)) }, `${req.method} ${url} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  });
}

// A request body the app did not read to the end (a post answered 401, 404
// or 405, a form refused before it was read) would otherwise stay in the
// connection: Remix's request stream has paused it, so Node does not discard
// it, and the next request on that kept-alive connection would wait behind it
// until the connection times out and is reset. Once the answer is sent, the
// rest is read and thrown away, as Node does for bodies nobody started
// reading; past the cap the connection is closed instead.
const UNREAD_BODY_LIMIT_BYTES = 32 * 1024 * 1024;
app.use((req, res, next) => {
  res.on("finish", () => {
    if (req.complete) return;
    let discarded = 0;
    req.removeAllListeners("data");
    req.on("data", (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > UNREAD_BODY_LIMIT_BYTES) req.socket.destroy();
    });
    req.resume();
  });
  next();
});

// Survey pages carry a personal token and personal answers: never cached,
// by the browser or anything between.
app.use("/s/", (_req, res, next) => {
  res.set("Cache-Control", "no-store");
  next();
});

// The organisation's logo (routes/branding.logo.ts) sets its own, stricter
// policy and may be shown by mail readers on other sites: the page-wide
// headers would otherwise be sent beside its own (Remix appends).
app.use("/branding/", (_req, res, next) => {
  res.removeHeader("Content-Security-Policy");
  res.removeHeader("Cross-Origin-Resource-Policy");
  res.removeHeader("X-Content-Type-Options");
  next();
});

// Fingerprinted build assets never change; everything else is revalidated.
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", index: false }));
// The other public files (favicon.svg) sit at the top level and have an extension: only such paths look
// on disk, so a page request costs no file-system call.
app.get(/^\/[^/]+\.[a-z0-9]+$/i, express.static("build/client", { maxAge: "1h", index: false }));

// Pages and actions are worked on a few at a time, the rest waiting their
// turn (see request-queue.server.ts). Health checks go straight through, so a
// busy instance is not taken for a dead one.
const queue = requestQueue(config.REQUEST_CONCURRENCY);
app.use((req, res, next) => (req.path === "/healthz" ? next() : queue(req, res, next)));

app.all(
  "*",
  createRequestHandler({
    build,
    mode: config.NODE_ENV,
    getLoadContext: (req, res) => ({
      cspNonce: res.locals.cspNonce as string,
      clientIp: req.ip ?? "unknown",
    }),
  }),
);

// Malformed requests that fail before Remix (bad URL encoding, aborted
// bodies) are the client's fault: answer 400, never 500.
const onError: ErrorRequestHandler = (error, req, res, _next) => {
  const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 400;
  const url = redactPath(req.originalUrl);
  // The message may quote the path ("Failed to decode param '/s/<token>%E0'").
  const message = redactPath(String((error as Error)?.message ?? error));
  log.error({ method: req.method, url, status }, `${req.method} ${url} failed: ${message}`);
  if (!res.headersSent) res.status(status).type("text/plain").send("Bad request");
};
app.use(onError);

// Tests, benchmarks and the crash check wait for the "listening on" line, so
// start and stop are announced whatever LOG_LEVEL says, as they always were.
const announce = log.child({}, { level: "info" });

const server = app.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  // Readers take the address as the text up to the next space
  // (/listening on (http:\/\/\S+)/): a word after it keeps the JSON's closing quote out.
  announce.info({ port }, `Parley listening on http://localhost:${port} (${config.NODE_ENV})`);
});

async function shutdown(signal: string) {
  announce.info(`${signal} received, closing`);
  server.close();
  await lifecycle.onServerStop?.().catch(() => undefined);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
