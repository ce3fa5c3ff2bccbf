import { z } from "zod";
import {
  changeStaffPassword,
  completePasswordReset,
  createPasswordReset,
  deleteOtherStaffSessions,
  findPasswordReset,
  findStaffAccount,
  findStaffUserForReset,
  listStaffSessions,
  updateStaffLanguage,
} from "~/models/staff-account.server";
import { recordAudit } from "~/platform/audit.server";
import { formText, type FieldErrors } from "~/platform/forms.server";
import { getFixedT, isAvailableLanguage } from "~/platform/i18n.server";
import { hashPassword, verifyPassword } from "~/platform/password.server";
import { passwordProblem } from "~/platform/password-policy.server";
import { clearRateLimit, hitRateLimit, peekRateLimit } from "~/platform/rate-limit.server";
import { staffSessionStorage } from "~/platform/session.server";
import { generateToken, hashToken, looksLikeToken } from "~/platform/tokens.server";
import { describeUserAgent, shortUserAgent, type BrowserDescription } from "~/features/staff/user-agent";
import type { StaffUser } from "~/features/staff/auth.server";

/**
 * A staff member's own account (language, password, sessions) and the
 * public password reset. Routes: staff.account.tsx, staff_.reset.tsx,
 * staff_.reset.$token.tsx.
 */

/** Wrong current passwords on the account page before it waits (someone at an unlocked screen guessing). */
const PASSWORD_CHANGE_ATTEMPTS = 5;
const PASSWORD_CHANGE_WINDOW_MS = 15 * 60_000;
/** Reset requests per client address and per email address. */
const RESET_PER_ADDRESS = 10;
const RESET_PER_EMAIL = 3;
const RESET_WINDOW_MS = 60 * 60_000;
export const RESET_LINK_MS = 60 * 60_000;
/** Every reset request answers after at least this long, found or not, so timing tells nothing. */
const RESET_MIN_MS = 400;

export async function currentSessionId(request: Request): Promise<string | null> {
  const session = await staffSessionStorage.getSession(request.headers.get("cookie"));
  return session.id || null;
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string | null;
  browser: BrowserDescription | null;
  /** The raw header shortened, when the browser was not recognised. */
  userAgent: string | null;
  current: boolean;
}

export async function accountSessions(user: StaffUser, currentId: string | null): Promise<SessionView[]> {
  const rows = await listStaffSessions(user.id, new Date());
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    browser: describeUserAgent(row.userAgent),
    userAgent: row.userAgent ? shortUserAgent(row.userAgent) : null,
    current: row.id === currentId,
  }));
}

export const languageSchema = z.object({
  language: formText(z.string().refine((code) => isAvailableLanguage(code), "errors.field.invalid")),
});

export async function changeLanguage(user: StaffUser, language: string): Promise<void> {
  if (language === user.language) return;
  await updateStaffLanguage(user.id, language);
  await recordAudit({ staffUserId: user.id, action: "staff.language.change", detail: { from: user.language, to: language } });
}

const passwordField = formText(z.string().max(1024, "errors.field.tooLong"));

export const changePasswordSchema = z.object({
  current: formText(z.string().min(1, "errors.field.required").max(1024, "errors.field.tooLong")),
  password: passwordField,
  confirm: passwordField,
});

export const newPasswordSchema = z.object({ password: passwordField, confirm: passwordField });

/** The policy and the repeat, as field errors; null when the new password will do. */
export function newPasswordErrors(password: string, confirm: string, userInputs: readonly string[]): FieldErrors | null {
  if (!password) return { password: ["errors.field.required"] };
  const problem = passwordProblem(password, userInputs);
  if (problem) return { password: [problem] };
  if (password !== confirm) return { confirm: ["account:errors.mismatch"] };
  return null;
}

export type ChangePasswordResult = { ok: true } | { ok: false; errors: FieldErrors; retryAfterSeconds?: number };

/**
 * Checks the current password (wrong ones count against a limit of their
 * own), the new one against the policy, then stores it and ends every other
 * session of theirs.
 */
export async function changePassword(user: StaffUser, values: z.output<typeof changePasswordSchema>, sessionId: string | null): Promise<ChangePasswordResult> {
  const key = `password-change:${user.id}`;
  const limit = await peekRateLimit(key, PASSWORD_CHANGE_ATTEMPTS, PASSWORD_CHANGE_WINDOW_MS);
  if (!limit.allowed) return { ok: false, errors: { form: ["account:errors.tooManyAttempts"] }, retryAfterSeconds: limit.retryAfterSeconds };
  const account = await findStaffAccount(user.id);
  if (!account || !(await verifyPassword(values.current, account.passwordHash))) {
    await hitRateLimit(key, PASSWORD_CHANGE_ATTEMPTS, PASSWORD_CHANGE_WINDOW_MS);
    await recordAudit({ staffUserId: user.id, action: "staff.password.wrongCurrent" });
    return { ok: false, errors: { current: ["account:errors.wrongCurrent"] } };
  }
  const errors = newPasswordErrors(values.password, values.confirm, [account.name, account.email]);
  if (errors) return { ok: false, errors };
  await changeStaffPassword(user.id, await hashPassword(values.password), sessionId);
  await clearRateLimit(key);
  await recordAudit({ staffUserId: user.id, action: "staff.password.change" });
  return { ok: true };
}

export async function revokeOtherSessions(user: StaffUser, sessionId: string): Promise<number> {
  const count = await deleteOtherStaffSessions(user.id, sessionId);
  await recordAudit({ staffUserId: user.id, action: "staff.sessions.revoke", detail: { count } });
  return count;
}

export const resetRequestSchema = z.object({
  email: formText(z.string().trim().min(1, "errors.field.required").max(320, "errors.field.tooLong").email("account:errors.email")),
});

export type ResetRequestResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * "Forgot your password?": the same answer, after about the same time,
 * whether the address belongs to an active account or not. Limited per
 * client address and per email address (counted for unknown ones too, so the
 * limit says nothing either).
 */
export async function requestPasswordReset(email: string, clientIp: string, origin: string): Promise<ResetRequestResult> {
  const started = Date.now();
  const normalised = email.trim().toLowerCase();
  const address = await hitRateLimit(`reset:ip:${clientIp}`, RESET_PER_ADDRESS, RESET_WINDOW_MS);
  if (!address.allowed) return { ok: false, retryAfterSeconds: address.retryAfterSeconds };
  const perEmail = await hitRateLimit(`reset:email:${hashToken(normalised)}`, RESET_PER_EMAIL, RESET_WINDOW_MS);
  if (!perEmail.allowed) return { ok: false, retryAfterSeconds: perEmail.retryAfterSeconds };
  const user = normalised.includes("\u0000") ? null : await findStaffUserForReset(normalised);
  if (user?.active) {
    const token = generateToken();
    const message = renderResetEmail(user, `${origin}/staff/reset/${token}`);
    await createPasswordReset(user.id, hashToken(token), new Date(Date.now() + RESET_LINK_MS), {
      template: "staff-password-reset",
      toAddress: user.email,
      toName: user.name,
      language: user.language,
      subject: message.subject,
      textBody: message.text,
      attachments: null,
    });
    await recordAudit({ staffUserId: user.id, action: "staff.password.resetRequested" });
  }
  const wait = RESET_MIN_MS - (Date.now() - started);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return { ok: true };
}

export function renderResetEmail(user: { name: string; language: string }, link: string) {
  const t = getFixedT(user.language, "account");
  const text = [t("resetEmail.greeting", { name: user.name }), "", t("resetEmail.intro"), "", link, "", t("resetEmail.expiry"), t("resetEmail.ignore")].join(
    "\n",
  );
  return { subject: t("resetEmail.subject"), text };
}

export type ResetLink =
  { state: "valid"; resetId: string; user: { id: string; name: string; email: string; language: string } } | { state: "unknown" | "expired" | "used" };

/** What a reset link is worth now. A deactivated account's link is "unknown": no hint that it exists. */
export async function resetLink(token: string): Promise<ResetLink> {
  if (!looksLikeToken(token)) return { state: "unknown" };
  const reset = await findPasswordReset(hashToken(token));
  if (!reset || !reset.staffUser.active) return { state: "unknown" };
  if (reset.usedAt) return { state: "used" };
  if (reset.expiresAt <= new Date()) return { state: "expired" };
  const { id, name, email, language } = reset.staffUser;
  return { state: "valid", resetId: reset.id, user: { id, name, email, language } };
}

export type ResetPasswordResult = { ok: true } | { ok: false; errors: FieldErrors } | { ok: false; link: "unknown" | "expired" | "used" };

/** Sets the new password from a valid link: link used, lock lifted, every session ended. */
export async function resetPassword(token: string, values: z.output<typeof newPasswordSchema>): Promise<ResetPasswordResult> {
  const link = await resetLink(token);
  if (link.state !== "valid") return { ok: false, link: link.state };
  const errors = newPasswordErrors(values.password, values.confirm, [link.user.name, link.user.email]);
  if (errors) return { ok: false, errors };
  const done = await completePasswordReset(link.resetId, link.user.id, await hashPassword(values.password), new Date());
  if (!done) return { ok: false, link: "used" };
  await recordAudit({ staffUserId: link.user.id, action: "staff.password.reset" });
  return { ok: true };
}
