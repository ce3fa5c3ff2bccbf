import { countHit, deleteCounter, findCounter, restartWindow } from "~/models/rate-limit.server";

/**
 * Fixed-window counters in the database, so a limit holds across every app
 * instance behind a load balancer (memory counters would reset per process).
 */
export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets, for Retry-After. */
  retryAfterSeconds: number;
}

export async function hitRateLimit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
  const now = new Date();
  const row = await countHit(key, now);
  if (now.getTime() - row.windowStart.getTime() >= windowMs) {
    // The window has passed: start a new one. Two instances racing here both
    // reset to 1, which errs on the side of letting a person in.
    await restartWindow(key, now);
    return { allowed: true, retryAfterSeconds: 0 };
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((row.windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: row.count <= limit, retryAfterSeconds };
}

export async function peekRateLimit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
  const row = await findCounter(key);
  const now = Date.now();
  if (!row || now - row.windowStart.getTime() >= windowMs) return { allowed: true, retryAfterSeconds: 0 };
  const retryAfterSeconds = Math.max(1, Math.ceil((row.windowStart.getTime() + windowMs - now) / 1000));
  return { allowed: row.count < limit, retryAfterSeconds };
}

export async function clearRateLimit(key: string): Promise<void> {
  await deleteCounter(key);
}
