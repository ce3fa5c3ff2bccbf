import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { hostname } from "node:os";
import { join } from "node:path";
import nodemailer, { type SendMailOptions } from "nodemailer";
import { claimDueMessages, recordBounce, recordFailure, recordSent, type OutboxMessage } from "~/models/outbox.server";
import { env } from "~/platform/env.server";
import { logger } from "~/platform/logger.server";
import type { EmailAttachment } from "~/platform/email-branding.server";

/**
 * Delivers the rows queueEmail() writes. Any number of workers (the inline
 * one in each web process, `npm run worker`) may run at once: claimBatch()
 * hands each due row to one worker only, for CLAIM_MS; a worker that dies
 * mid-batch leaves claims that expire and are taken again.
 */
export const CLAIM_MS = 2 * 60_000;
/** After this many failed attempts a row is left as `failed` and no longer claimed. */
export const MAX_ATTEMPTS = 10;
/** SMTP connections a worker keeps open, each carrying one message at a time. */
const SMTP_CONNECTIONS = 10;
/** Deliveries in flight at once per worker: one per connection. */
const PARALLEL_SENDS = SMTP_CONNECTIONS;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;

/** Wait before attempt `attempts + 1`, after `attempts` failures: 30 s, 1 min, 2 min, … capped at 1 h. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/** Claims up to `limit` due messages for `workerId`, for CLAIM_MS (see claimDueMessages). */
export function claimBatch(workerId: string, limit: number, now: Date = new Date()): Promise<OutboxMessage[]> {
  return claimDueMessages(workerId, limit, now, new Date(now.getTime() + CLAIM_MS), MAX_ATTEMPTS);
}

// ---------------------------------------------------------------- transports

/** Where deliver() hands a message: SMTP, or files under OUTBOX_DIR. */
export interface OutboxTransport {
  send(mail: SendMailOptions, message: OutboxMessage): Promise<void>;
  close(): void;
}

export function smtpTransport(url: string): OutboxTransport {
  // A pool keeps connections open between messages: a mailing of thousands would otherwise pay a TCP and
  // SMTP handshake per message (about 100 ms on a local relay). nodemailer takes the pool settings from the
  // URL's query when it is given a URL (options beside a URL are ignored), so they go there.
  const pooled = new URL(url);
  if (!pooled.searchParams.has("pool")) pooled.searchParams.set("pool", "true");
  if (!pooled.searchParams.has("maxConnections")) pooled.searchParams.set("maxConnections", String(SMTP_CONNECTIONS));
  const transporter = nodemailer.createTransport(pooled.toString());
  withoutNagleDelay(transporter);
  return {
    async send(mail) {
      await transporter.sendMail(mail);
    },
    close: () => transporter.close(),
  };
}

/**
 * nodemailer writes a message's last lines (the body's end, then ".") as
 * separate small writes; with Nagle's algorithm on, the last one waits for
 * the server's delayed ACK, about 40 ms per message (measured: 45 ms of a
 * 48 ms delivery on a local relay). The pool asks getSocket() for each new
 * connection: hand it a socket with Nagle off (TLS, when the URL asks for it,
 * is still set up by nodemailer on that socket).
 */
function withoutNagleDelay(transporter: ReturnType<typeof nodemailer.createTransport>): void {
  const pool = (transporter as unknown as { transporter?: { getSocket?: unknown } }).transporter;
  if (!pool || typeof pool.getSocket !== "function") return;
  pool.getSocket = (options: { host?: string; port?: number; secure?: boolean }, callback: (error: null, socket: { connection: Socket }) => void) => {
    // nodemailer's own default ports when the URL names none.
    const socket = connect({ host: options.host, port: Number(options.port) || (options.secure ? 465 : 587) });
    socket.setNoDelay(true);
    // Handed over while still connecting: nodemailer attaches its handlers at once, so a refused or dropped
    // connection takes its usual error path (the pool drops the connection and fails the message).
    callback(null, { connection: socket });
  };
}

/** Writes each message as `<createdAt>-<id>.eml` under `dir` (development, demos, tests). */
export function fileTransport(dir: string): OutboxTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(mail, message) {
      const info = await transporter.sendMail(mail);
      mkdirSync(dir, { recursive: true });
      const stamp = message.createdAt.toISOString().replace(/[:.]/g, "-");
      writeFileSync(join(dir, `${stamp}-${message.id}.eml`), info.message as Buffer);
    },
    close: () => transporter.close(),
  };
}

/** SMTP when SMTP_URL is set, files under OUTBOX_DIR otherwise. */
export function defaultTransport(): OutboxTransport {
  const { SMTP_URL, OUTBOX_DIR } = env();
  return SMTP_URL ? smtpTransport(SMTP_URL) : fileTransport(OUTBOX_DIR);
}

// ------------------------------------------------------------------ delivery

export type DeliveryOutcome = "sent" | "failed" | "bounced";

/** Attachments whose bytes are fetched when a message is sent (the organisation's logo), by their `source` name. */
export type AttachmentSources = Readonly<Record<string, () => Promise<Buffer | null>>>;

async function attachmentsFor(message: OutboxMessage, sources: AttachmentSources): Promise<SendMailOptions["attachments"]> {
  const stored = message.attachments ? (JSON.parse(message.attachments) as EmailAttachment[]) : [];
  const attachments: NonNullable<SendMailOptions["attachments"]> = [];
  for (const { filename, contentType, content, cid, source } of stored) {
    // A named attachment that is gone (the logo removed since) is left out: the HTML then shows the name alone.
    const bytes = source ? await sources[source]?.() : content;
    if (bytes === undefined || bytes === null) continue;
    attachments.push({ filename, contentType, content: bytes, ...(cid ? { cid, contentDisposition: "inline" as const } : {}) });
  }
  return attachments;
}

async function mailFor(message: OutboxMessage, sources: AttachmentSources): Promise<SendMailOptions> {
  const attachments = await attachmentsFor(message, sources);
  return {
    from: env().MAIL_FROM,
    to: message.toName ? { name: message.toName, address: message.toAddress } : message.toAddress,
    subject: message.subject,
    text: message.textBody,
    // With both, nodemailer sends multipart/alternative: the text part first, the HTML part preferred.
    html: message.htmlBody ?? undefined,
    headers: message.headers ? (JSON.parse(message.headers) as Record<string, string>) : undefined,
    attachments,
  };
}

/** True for an SMTP 5xx reply: the server refused the message for good. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === "number" && code >= 500;
}

/**
 * Sends one claimed message and records the outcome, releasing the claim in
 * the same update: sent; bounced (SMTP 5xx, and the participant is marked);
 * or failed, to be retried after backoffMs(attempts).
 */
export async function deliver(
  message: OutboxMessage,
  transport: OutboxTransport,
  options: { now?: () => Date; attachmentSources?: AttachmentSources } = {},
): Promise<DeliveryOutcome> {
  return (await deliverAll([message], transport, options))[0]!;
}

/**
 * Sends claimed messages side by side and records the outcomes: every sent
 * one in a single update (a mailing's usual case: one write for the group,
 * not one per message), failures and bounces one by one.
 */
export async function deliverAll(
  messages: OutboxMessage[],
  transport: OutboxTransport,
  options: { now?: () => Date; attachmentSources?: AttachmentSources } = {},
): Promise<DeliveryOutcome[]> {
  const now = options.now ?? (() => new Date());
  const outcomes = await Promise.all(
    messages.map(async (message): Promise<DeliveryOutcome> => {
      const attempts = message.attempts + 1;
      try {
        await transport.send(await mailFor(message, options.attachmentSources ?? {}), message);
        return "sent";
      } catch (error) {
        const lastError = String((error as Error)?.message ?? error).slice(0, 500);
        const at = now();
        if (isPermanent(error)) {
          await recordBounce(message, attempts, lastError, at);
          return "bounced";
        }
        await recordFailure(message, attempts, lastError, new Date(at.getTime() + backoffMs(attempts)));
        return "failed";
      }
    }),
  );
  const sent = messages.filter((_, index) => outcomes[index] === "sent");
  if (sent.length) await recordSent(sent, now());
  return outcomes;
}

// -------------------------------------------------------------------- worker

export interface OutboxWorkerOptions {
  intervalMs?: number;
  batchSize?: number;
  /** Defaults to defaultTransport() (SMTP_URL or OUTBOX_DIR). */
  transport?: OutboxTransport;
  /** The clock, for tests. */
  now?: () => Date;
  workerId?: string;
  /**
   * Work that ends in queued email, run before each round of deliveries
   * (finishing abandoned mailings, queueing forum reminders). The features
   * hand these in (app/lifecycle.server.ts), so the platform knows none of them.
   */
  duties?: readonly OutboxDuty[];
  /** Where named attachments' bytes come from (the organisation's logo), handed in like the duties. */
  attachmentSources?: AttachmentSources;
}

export type OutboxDuty = (workerId: string, now: Date) => Promise<unknown>;

export interface OutboxWorker {
  workerId: string;
  /** Stops the loop; resolves once the batch in hand is delivered. */
  stop(): Promise<void>;
}

/** Claims and delivers until nothing is due, waits intervalMs, and again. */
export function startOutboxWorker(options: OutboxWorkerOptions = {}): OutboxWorker {
  const { intervalMs = 2000, batchSize = 50 } = options;
  const now = options.now ?? (() => new Date());
  const workerId = options.workerId ?? newWorkerId();
  const transport = options.transport ?? defaultTransport();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function drain(): Promise<void> {
    for (const duty of options.duties ?? []) await duty(workerId, now());
    while (!stopped) {
      const batch = await claimBatch(workerId, batchSize, now());
      if (batch.length === 0) return;
      // Finish the whole batch even when stopping: its rows are claimed.
      // A few at a time: each SMTP delivery is a few round trips.
      for (let index = 0; index < batch.length; index += PARALLEL_SENDS) {
        await deliverAll(batch.slice(index, index + PARALLEL_SENDS), transport, { now, attachmentSources: options.attachmentSources });
      }
    }
  }

  function schedule(delay: number) {
    timer = setTimeout(() => {
      running = drain()
        .catch((error: unknown) => {
          logger().error(`outbox worker: ${(error as Error)?.message ?? error}`);
        })
        .finally(() => {
          running = undefined;
          if (!stopped) schedule(intervalMs);
        });
    }, delay);
  }

  schedule(0);
  return {
    workerId,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
