import { db } from "~/platform/db.server";

/** Staff sessions, read by the cookie session storage in platform/session.server.ts. */
export async function createStaffSession(staffUserId: string, expiresAt: Date, secondFactorPending = false): Promise<string> {
  const row = await db().staffSession.create({ data: { staffUserId, expiresAt, secondFactorPending }, select: { id: true } });
  return row.id;
}

export function findStaffSession(id: string): Promise<{ staffUserId: string; expiresAt: Date; secondFactorPending: boolean } | null> {
  return db().staffSession.findUnique({ where: { id }, select: { staffUserId: true, expiresAt: true, secondFactorPending: true } });
}

export async function extendStaffSession(id: string, expiresAt: Date): Promise<void> {
  await db().staffSession.updateMany({ where: { id }, data: { expiresAt } });
}

export async function deleteStaffSession(id: string): Promise<void> {
  await db().staffSession.deleteMany({ where: { id } });
}
