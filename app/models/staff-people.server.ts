import { db } from "~/platform/db.server";
import type { OutboxMessageInput } from "~/models/outbox.server";
import type { Transaction } from "~/models/database.server";

/**
 * Staff accounts as the People page manages them: the list, invitations
 * (only their token hashes are stored), grants and activation. Account and
 * session changes that must hold together run in one transaction.
 */

export interface GrantRow {
  role: string;
  surveyId: string | null;
  language: string | null;
}

const GRANT_SELECT = { role: true, surveyId: true, language: true, survey: { select: { slug: true } } } as const;

export function listStaffPeople() {
  return db().staffUser.findMany({
    orderBy: [{ active: "desc" }, { name: "asc" }],
    select: {
      id: true,
      email: true,
      name: true,
      active: true,
      lastSignInAt: true,
      grants: { select: GRANT_SELECT, orderBy: { createdAt: "asc" } },
    },
  });
}

export function findStaffPerson(id: string) {
  return db().staffUser.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      language: true,
      active: true,
      lastSignInAt: true,
      grants: { select: GRANT_SELECT, orderBy: { createdAt: "asc" } },
    },
  });
}

export function listPendingInvitations(now: Date) {
  return db().staffInvitation.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, name: true, language: true, grants: true, expiresAt: true, invitedBy: { select: { name: true } } },
  });
}

/** The surveys a grant may name, for the scope menus. */
export function listSurveyChoices() {
  return db().survey.findMany({ orderBy: { slug: "asc" }, select: { id: true, slug: true, publishedVersion: true } });
}

export async function countSurveysWithIds(ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return db().survey.count({ where: { id: { in: [...ids] } } });
}

export async function staffEmailExists(email: string): Promise<boolean> {
  return (await db().staffUser.count({ where: { email } })) > 0;
}

export function findPendingInvitationByEmail(email: string, now: Date) {
  return db().staffInvitation.findFirst({
    where: { email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true },
  });
}

export async function createInvitationWithEmail(
  invitation: { email: string; name: string; language: string; grants: string; tokenHash: string; invitedById: string | null; expiresAt: Date },
  email: OutboxMessageInput | null,
): Promise<string> {
  return db().$transaction(async (tx) => {
    const row = await tx.staffInvitation.create({ data: invitation, select: { id: true } });
    if (email) await tx.outboxMessage.create({ data: email, select: { id: true } });
    return row.id;
  });
}

export function findInvitationByTokenHash(tokenHash: string) {
  return db().staffInvitation.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      email: true,
      name: true,
      language: true,
      grants: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      invitedBy: { select: { name: true } },
    },
  });
}

export function findInvitation(id: string) {
  return db().staffInvitation.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, language: true, grants: true, expiresAt: true, acceptedAt: true, revokedAt: true },
  });
}

/** A new token and expiry for a pending invitation, with its email; false when it is no longer pending. */
export async function renewInvitation(id: string, tokenHash: string, expiresAt: Date, email: OutboxMessageInput): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const updated = await tx.staffInvitation.updateMany({ where: { id, acceptedAt: null, revokedAt: null }, data: { tokenHash, expiresAt } });
    if (updated.count !== 1) return false;
    await tx.outboxMessage.create({ data: email, select: { id: true } });
    return true;
  });
}

export async function revokeInvitation(id: string, now: Date): Promise<boolean> {
  const updated = await db().staffInvitation.updateMany({ where: { id, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
  return updated.count === 1;
}

/**
 * Creates the account with its grants and marks the invitation used, in one
 * transaction: the invitation is claimed first on the condition that it is
 * still pending, so a link used twice at once makes one account. Null when
 * the invitation is no longer pending or the address is taken meanwhile.
 */
export async function acceptInvitation(
  invitationId: string,
  account: { email: string; name: string; language: string; passwordHash: string },
  grants: readonly GrantRow[],
  now: Date,
): Promise<string | null> {
  return db()
    .$transaction(async (tx) => {
      const claimed = await tx.staffInvitation.updateMany({
        where: { id: invitationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (claimed.count !== 1) return null;
      if ((await tx.staffUser.count({ where: { email: account.email } })) > 0) throw new InvitationConflict();
      const user = await tx.staffUser.create({
        data: {
          ...account,
          lastSignInAt: now,
          grants: { create: grants.map((grant) => ({ role: grant.role, surveyId: grant.surveyId, language: grant.language })) },
        },
        select: { id: true },
      });
      return user.id;
    })
    .catch((error: unknown) => {
      if (error instanceof InvitationConflict) return null;
      throw error;
    });
}

class InvitationConflict extends Error {}

/** Active administrators other than `exceptId` (an administrator grant for every survey). */
async function otherActiveAdministrators(tx: Transaction, exceptId: string): Promise<number> {
  return tx.staffUser.count({ where: { id: { not: exceptId }, active: true, grants: { some: { role: "administrator", surveyId: null } } } });
}

export type PeopleChange = "done" | "notFound" | "lastAdministrator";

/** Replaces a person's grants; refused when it would leave no active administrator. */
export async function replaceGrants(id: string, grants: readonly GrantRow[]): Promise<PeopleChange> {
  return db().$transaction(async (tx) => {
    const person = await tx.staffUser.findUnique({ where: { id }, select: { active: true } });
    if (!person) return "notFound";
    const staysAdministrator = grants.some((grant) => grant.role === "administrator" && grant.surveyId === null);
    if (person.active && !staysAdministrator && (await otherActiveAdministrators(tx, id)) === 0) return "lastAdministrator";
    await tx.staffGrant.deleteMany({ where: { staffUserId: id } });
    for (const grant of grants) {
      await tx.staffGrant.create({ data: { staffUserId: id, role: grant.role, surveyId: grant.surveyId, language: grant.language }, select: { id: true } });
    }
    return "done";
  });
}

/** Deactivates an account and deletes every session it has, so it is signed out on every instance at once. */
export async function deactivateStaffUser(id: string): Promise<PeopleChange> {
  return db().$transaction(async (tx) => {
    const person = await tx.staffUser.findUnique({
      where: { id },
      select: { active: true, grants: { where: { role: "administrator", surveyId: null }, select: { id: true } } },
    });
    if (!person) return "notFound";
    if (person.active && person.grants.length > 0 && (await otherActiveAdministrators(tx, id)) === 0) return "lastAdministrator";
    await tx.staffUser.update({ where: { id }, data: { active: false }, select: { id: true } });
    await tx.staffSession.deleteMany({ where: { staffUserId: id } });
    return "done";
  });
}

export async function reactivateStaffUser(id: string): Promise<PeopleChange> {
  const updated = await db().staffUser.updateMany({ where: { id }, data: { active: true, failedLoginCount: 0, lockedUntil: null } });
  return updated.count === 1 ? "done" : "notFound";
}
