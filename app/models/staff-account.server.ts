import { db } from "~/platform/db.server";
import type { OutboxMessageInput } from "~/models/outbox.server";

/**
 * A staff member's own account: language, password, their sessions, and
 * password reset links (only the SHA-256 of a link's token is stored).
 */

export function findStaffAccount(id: string) {
  return db().staffUser.findFirst({
    where: { id, active: true },
    select: { id: true, name: true, email: true, language: true, passwordHash: true },
  });
}

export async function updateStaffLanguage(id: string, language: string): Promise<void> {
  await db().staffUser.update({ where: { id }, data: { language }, select: { id: true } });
}

/** A new password from the account page; every other session of theirs ends in the same transaction. */
export async function changeStaffPassword(id: string, passwordHash: string, keepSessionId: string | null): Promise<void> {
  await db().$transaction([
    db().staffUser.update({ where: { id }, data: { passwordHash }, select: { id: true } }),
    db().staffSession.deleteMany({ where: { staffUserId: id, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } }),
  ]);
}

/** Their sessions still open, newest first. */
export function listStaffSessions(staffUserId: string, now: Date) {
  return db().staffSession.findMany({
    where: { staffUserId, expiresAt: { gt: now } },
    select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true },
    orderBy: { createdAt: "desc" },
  });
}

/** Ends every session of theirs but `keepSessionId`; returns how many ended. */
export async function deleteOtherStaffSessions(staffUserId: string, keepSessionId: string): Promise<number> {
  const { count } = await db().staffSession.deleteMany({ where: { staffUserId, id: { not: keepSessionId } } });
  return count;
}

/** Whom a reset request is for, by normalised email. */
export function findStaffUserForReset(email: string) {
  return db().staffUser.findUnique({ where: { email }, select: { id: true, name: true, email: true, language: true, active: true } });
}

/**
 * A new reset link: older unused links of the same account stop working
 * (marked used, so they read "no longer valid"), and the email is queued in
 * the same transaction.
 */
export async function createPasswordReset(staffUserId: string, tokenHash: string, expiresAt: Date, email: OutboxMessageInput): Promise<void> {
  await db().$transaction([
    db().staffPasswordReset.updateMany({ where: { staffUserId, usedAt: null }, data: { usedAt: new Date() } }),
    db().staffPasswordReset.create({ data: { staffUserId, tokenHash, expiresAt }, select: { id: true } }),
    db().outboxMessage.create({ data: email, select: { id: true } }),
  ]);
}

export function findPasswordReset(tokenHash: string) {
  return db().staffPasswordReset.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      expiresAt: true,
      usedAt: true,
      staffUser: { select: { id: true, name: true, email: true, language: true, active: true } },
    },
  });
}

/**
 * Uses a reset link: marks it used (only if still unused, so two tabs cannot
 * both use it), sets the password, lifts a lock and ends every session.
 * False when the link was used meanwhile.
 */
export async function completePasswordReset(resetId: string, staffUserId: string, passwordHash: string, now: Date): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.staffPasswordReset.updateMany({ where: { id: resetId, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (count !== 1) return false;
    await tx.staffUser.update({ where: { id: staffUserId }, data: { passwordHash, failedLoginCount: 0, lockedUntil: null }, select: { id: true } });
    await tx.staffSession.deleteMany({ where: { staffUserId } });
    return true;
  });
}
