import { randomInt } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import {
  claimTotpStep,
  confirmTotpSecret,
  countUnusedRecoveryCodes,
  findTwoFactorState,
  removeTwoFactor,
  replaceRecoveryCodes,
  savePendingTotpSecret,
  spendRecoveryCode,
} from "~/models/staff-two-factor.server";
import { recordAudit } from "~/platform/audit.server";
import { hitRateLimit, clearRateLimit } from "~/platform/rate-limit.server";
import { hashToken } from "~/platform/tokens.server";

/**
 * Two-factor sign-in with time-based codes (TOTP, RFC 6238: six digits, a
 * new one every 30 seconds) and single-use recovery codes. A code is
 * accepted one 30-second step either side of now (clock drift), and only if
 * its step is later than the last step accepted for the account, so a code
 * seen over a shoulder or replayed to a second instance is refused.
 * Attempts are counted per account in the database, so guessing across
 * instances hits the same limit.
 */
const ISSUER = "Parley";
const PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
/** RFC 4648 base32 (A–Z, 2–7): no 0 or 1 to mistake for O or I. */
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ATTEMPTS = 5;
const ATTEMPT_WINDOW_MS = 15 * 60_000;

export type CodeCheck =
  { ok: true; via: "totp" | "recovery" } | { ok: false; reason: "invalid" } | { ok: false; reason: "rateLimited"; retryAfterSeconds: number };

export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/** A typed code without spaces or hyphens, recovery codes in upper case. */
export function normaliseCode(code: string): string {
  return code.replace(/[\s-]+/g, "").toUpperCase();
}

/** The text secret for typing into an app by hand: groups of four. */
export function groupSecret(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

export function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => BASE32[randomInt(BASE32.length)]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export function hashRecoveryCode(code: string): string {
  return hashToken(`parley-recovery:${normaliseCode(code)}`);
}

function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/** The time step the code matched (now ± one step), or null. */
async function matchingStep(secret: string, code: string): Promise<number | null> {
  if (!isTotpCode(code)) return null;
  const result = await verify({ secret, token: code, epochTolerance: PERIOD_SECONDS });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

export interface TwoFactorStatus {
  enabled: boolean;
  /** Set-up started, code not confirmed yet: the QR code and text secret. */
  pending: { qrSvg: string; secret: string } | null;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(staffUserId: string): Promise<TwoFactorStatus> {
  const state = await findTwoFactorState(staffUserId);
  if (!state) throw new Response("Not found", { status: 404 });
  const enabled = Boolean(state.totpSecret);
  let pending: TwoFactorStatus["pending"] = null;
  if (!enabled && state.totpPendingSecret) {
    const uri = generateURI({ issuer: ISSUER, label: state.email, secret: state.totpPendingSecret });
    const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
    pending = { qrSvg, secret: groupSecret(state.totpPendingSecret) };
  }
  return { enabled, pending, recoveryCodesLeft: enabled ? await countUnusedRecoveryCodes(staffUserId) : 0 };
}

/** Starts (or restarts) set-up with a new secret, kept apart until a code confirms it. */
export async function startTwoFactorSetUp(staffUserId: string): Promise<void> {
  await savePendingTotpSecret(staffUserId, generateSecret());
}

async function limitAttempts(staffUserId: string): Promise<CodeCheck | null> {
  const limit = await hitRateLimit(`2fa:${staffUserId}`, ATTEMPTS, ATTEMPT_WINDOW_MS);
  return limit.allowed ? null : { ok: false, reason: "rateLimited", retryAfterSeconds: limit.retryAfterSeconds };
}

/** Confirms set-up with a code from the app: returns the recovery codes, shown once. */
export async function confirmTwoFactorSetUp(staffUserId: string, code: string): Promise<(CodeCheck & { ok: false }) | { ok: true; recoveryCodes: string[] }> {
  const limited = await limitAttempts(staffUserId);
  if (limited && !limited.ok) return limited;
  const state = await findTwoFactorState(staffUserId);
  const secret = state?.totpPendingSecret;
  const step = secret && !state.totpSecret ? await matchingStep(secret, normaliseCode(code)) : null;
  if (!secret || step === null) {
    await recordAudit({ staffUserId, action: "staff.2fa.failure", detail: { during: "setup" } });
    return { ok: false, reason: "invalid" };
  }
  const { codes, hashes } = newRecoveryCodes();
  if (!(await confirmTotpSecret(staffUserId, secret, step, hashes))) return { ok: false, reason: "invalid" };
  await clearRateLimit(`2fa:${staffUserId}`);
  await recordAudit({ staffUserId, action: "staff.2fa.enable" });
  return { ok: true, recoveryCodes: codes };
}

/**
 * Checks a six-digit code (once per time step) or a recovery code (once),
 * within the per-account attempt limit. Failures are audited.
 */
export async function checkSecondFactor(staffUserId: string, typed: string, allowRecovery: boolean): Promise<CodeCheck> {
  const limited = await limitAttempts(staffUserId);
  if (limited) return limited;
  const code = normaliseCode(typed);
  const state = await findTwoFactorState(staffUserId);
  let result: CodeCheck = { ok: false, reason: "invalid" };
  if (state?.totpSecret) {
    if (isTotpCode(code)) {
      const step = await matchingStep(state.totpSecret, code);
      if (step !== null && (await claimTotpStep(staffUserId, step))) result = { ok: true, via: "totp" };
    } else if (allowRecovery && /^[A-Z2-7]{10}$/.test(code)) {
      if (await spendRecoveryCode(staffUserId, hashRecoveryCode(code), new Date())) result = { ok: true, via: "recovery" };
    }
  }
  if (result.ok) await clearRateLimit(`2fa:${staffUserId}`);
  else await recordAudit({ staffUserId, action: "staff.2fa.failure" });
  return result;
}

/** Turning two-factor sign-in off needs a current code from the app. */
export async function disableTwoFactor(staffUserId: string, code: string): Promise<CodeCheck> {
  const check = await checkSecondFactor(staffUserId, code, false);
  if (!check.ok) return check;
  await removeTwoFactor(staffUserId);
  await recordAudit({ staffUserId, action: "staff.2fa.disable" });
  return check;
}

/** New recovery codes (the old ones stop working), after a current code from the app. */
export async function renewRecoveryCodes(staffUserId: string, code: string): Promise<(CodeCheck & { ok: false }) | { ok: true; recoveryCodes: string[] }> {
  const check = await checkSecondFactor(staffUserId, code, false);
  if (!check.ok) return check;
  const { codes, hashes } = newRecoveryCodes();
  await replaceRecoveryCodes(staffUserId, hashes);
  await recordAudit({ staffUserId, action: "staff.2fa.recoveryCodes" });
  return { ok: true, recoveryCodes: codes };
}
