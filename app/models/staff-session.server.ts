import { db } from "~/platform/db.server";

/** Staff sessions, read by the cookie session storage in platform/session.server.ts. */
export async function createStaffSession(
  staffUserId: string,
  expiresAt: Date,
  options: { userAgent?: string; secondFactorPending?: boolean } = {},
): Promise<string> {
  const row = await db().staffSession.create({
    data: { staffUserId, expiresAt, userAgent: options.userAgent || null, lastSeenAt: new Date(), secondFactorPending: options.secondFactorPending === true },
    select: { id: true },
  });
  return row.id;
}

export function findStaffSession(id: string): Promise<{ staffUserId: string; expiresAt: Date; lastSeenAt: Date | null; secondFactorPending: boolean } | null> {
  return db().staffSession.findUnique({ where: { id }, select: { staffUserId: true, expiresAt: true, lastSeenAt: true, secondFactorPending: true } });
}

export async function extendStaffSession(id: string, expiresAt: Date): Promise<void> {
  await db().staffSession.updateMany({ where: { id }, data: { expiresAt } });
}

export async function deleteStaffSession(id: string): Promise<void> {
  await db().staffSession.deleteMany({ where: { id } });
}

/** When the session was last used (written at most every few minutes, see platform/session.server.ts). */
export async function touchStaffSession(id: string, at: Date): Promise<void> {
  await db().staffSession.updateMany({ where: { id }, data: { lastSeenAt: at } });
}
