import { db } from "~/platform/db.server";

/** One fixed-window counter; see platform/rate-limit.server.ts. */
export interface RateCounter {
  windowStart: Date;
  count: number;
}

const COUNTER = { windowStart: true, count: true } as const;

/** Counts one hit, opening the counter at `now` if there is none; returns it after the hit. */
export function countHit(key: string, now: Date): Promise<RateCounter> {
  return db().rateLimit.upsert({
    where: { key },
    create: { key, windowStart: now, count: 1 },
    update: { count: { increment: 1 } },
    select: COUNTER,
  });
}

export async function restartWindow(key: string, now: Date): Promise<void> {
  await db().rateLimit.update({ where: { key }, data: { windowStart: now, count: 1 }, select: { key: true } });
}

/** Read on every respondent page (the wrong-link limit), hence SQL: the query builder's own work was twice the query's. */
export async function findCounter(key: string): Promise<RateCounter | null> {
  const rows = await db().$queryRaw<RateCounter[]>`SELECT "windowStart", "count" FROM "RateLimit" WHERE "key" = ${key}`;
  return rows[0] ?? null;
}

export async function deleteCounter(key: string): Promise<void> {
  await db().rateLimit.deleteMany({ where: { key } });
}
