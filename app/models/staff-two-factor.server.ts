import { db } from "~/platform/db.server";

/**
 * A staff member's two-factor state: the TOTP secret (once confirmed), the
 * secret being set up, the last time step accepted and the recovery codes
 * (only their SHA-256 hashes). See features/staff/two-factor.server.ts.
 */
export function findTwoFactorState(staffUserId: string) {
  return db().staffUser.findUnique({
    where: { id: staffUserId },
    select: { id: true, email: true, totpSecret: true, totpPendingSecret: true, totpLastStep: true },
  });
}

export async function hasTotpSecret(staffUserId: string): Promise<boolean> {
  const row = await db().staffUser.findUnique({ where: { id: staffUserId }, select: { totpSecret: true } });
  return Boolean(row?.totpSecret);
}

export async function countUnusedRecoveryCodes(staffUserId: string): Promise<number> {
  return db().staffRecoveryCode.count({ where: { staffUserId, usedAt: null } });
}

export async function savePendingTotpSecret(staffUserId: string, secret: string): Promise<void> {
  await db().staffUser.update({ where: { id: staffUserId }, data: { totpPendingSecret: secret }, select: { id: true } });
}

/**
 * Accepts a time step once: true only if it is later than the last one
 * accepted. One conditional UPDATE, so two instances checking the same code
 * at once cannot both succeed.
 */
export async function claimTotpStep(staffUserId: string, step: number): Promise<boolean> {
  const { count } = await db().staffUser.updateMany({
    where: { id: staffUserId, totpSecret: { not: null }, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return count === 1;
}

/** The pending secret becomes the secret (only if it is still the one checked), with new recovery codes, in one transaction. */
export async function confirmTotpSecret(staffUserId: string, secret: string, step: number, codeHashes: string[]): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.staffUser.updateMany({
      where: { id: staffUserId, totpPendingSecret: secret },
      data: { totpSecret: secret, totpPendingSecret: null, totpLastStep: step },
    });
    if (count !== 1) return false;
    await tx.staffRecoveryCode.deleteMany({ where: { staffUserId } });
    await tx.staffRecoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ staffUserId, codeHash })) });
    return true;
  });
}

export async function replaceRecoveryCodes(staffUserId: string, codeHashes: string[]): Promise<void> {
  await db().$transaction([
    db().staffRecoveryCode.deleteMany({ where: { staffUserId } }),
    db().staffRecoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ staffUserId, codeHash })) }),
  ]);
}

/** Marks an unused recovery code used; true only for the one request that did. */
export async function spendRecoveryCode(staffUserId: string, codeHash: string, at: Date): Promise<boolean> {
  const { count } = await db().staffRecoveryCode.updateMany({ where: { staffUserId, codeHash, usedAt: null }, data: { usedAt: at } });
  return count === 1;
}

export async function removeTwoFactor(staffUserId: string): Promise<void> {
  await db().$transaction([
    db().staffUser.update({ where: { id: staffUserId }, data: { totpSecret: null, totpPendingSecret: null, totpLastStep: null }, select: { id: true } }),
    db().staffRecoveryCode.deleteMany({ where: { staffUserId } }),
  ]);
}
