import { db } from "~/platform/db.server";

const PUBLIC_FIELDS = { id: true, email: true, name: true, language: true } as const;
const GRANTS = { grants: { select: { role: true, surveyId: true, language: true }, orderBy: { createdAt: "asc" } } } as const;

/** An active account with its grants (roles are checked by features/staff/permissions.ts). */
export function findActiveStaffUser(id: string) {
  return db().staffUser.findFirst({ where: { id, active: true }, select: { ...PUBLIC_FIELDS, ...GRANTS } });
}

/** What signing in needs to know of an account, by its normalised email. */
export function findStaffUserForLogin(email: string) {
  return db().staffUser.findUnique({
    where: { email },
    select: { ...PUBLIC_FIELDS, active: true, passwordHash: true, lockedUntil: true, failedLoginCount: true },
  });
}

export async function recordFailedLogin(id: string, failedLoginCount: number, lockedUntil: Date | null): Promise<void> {
  await db().staffUser.update({ where: { id }, data: { failedLoginCount, lockedUntil }, select: { id: true } });
}

export async function recordSuccessfulLogin(id: string, at: Date): Promise<void> {
  await db().staffUser.update({ where: { id }, data: { failedLoginCount: 0, lockedUntil: null, lastSignInAt: at }, select: { id: true } });
}

/** Whether the schema is in place: any query on a migrated table. */
export async function countStaffUsers(): Promise<number> {
  return db().staffUser.count();
}
