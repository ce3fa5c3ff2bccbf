import { data, redirect } from "@remix-run/node";
import { can, canManageForum, isRole, type Grant, type Permission } from "~/features/staff/permissions";
import { requireTwoFactorIfDemanded } from "~/features/staff/settings.server";
import { hasTotpSecret } from "~/models/staff-two-factor.server";
import { findActiveStaffUser, findStaffUserForLogin, recordFailedLogin, recordSuccessfulLogin } from "~/models/staff-user.server";
import { recordAudit } from "~/platform/audit.server";
import { dummyPasswordHash, verifyPassword } from "~/platform/password.server";
import { clearRateLimit, hitRateLimit, peekRateLimit } from "~/platform/rate-limit.server";
import { redactPath } from "~/platform/redact";
import { staffSessionStorage } from "~/platform/session.server";

/** Attempts per client address before it must wait (guessing many accounts). */
const ATTEMPTS_PER_ADDRESS = 20;
const ADDRESS_WINDOW_MS = 15 * 60_000;
/** Consecutive failures before one account is locked (guessing one password). */
const FAILURES_BEFORE_LOCK = 5;
const LOCK_MS = 15 * 60_000;

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  language: string;
  grants: Grant[];
}

export type LoginResult =
  { ok: true; user: Omit<StaffUser, "grants"> } | { ok: false; reason: "invalid" } | { ok: false; reason: "locked" | "rateLimited"; retryAfterSeconds: number };

export async function login(email: string, password: string, clientIp: string): Promise<LoginResult> {
  const addressKey = `login:${clientIp}`;
  const address = await peekRateLimit(addressKey, ATTEMPTS_PER_ADDRESS, ADDRESS_WINDOW_MS);
  if (!address.allowed) return { ok: false, reason: "rateLimited", retryAfterSeconds: address.retryAfterSeconds };

  const normalised = email.trim().toLowerCase();
  // No account's address holds a NUL, and PostgreSQL refuses one in a query: such an attempt is simply a wrong one.
  const found = normalised.includes("\u0000") ? null : await findStaffUserForLogin(normalised);
  // A deactivated account answers exactly like an unknown one: no hint that it exists.
  const user = found?.active ? found : null;
  if (user?.lockedUntil && user.lockedUntil > new Date()) {
    await hitRateLimit(addressKey, ATTEMPTS_PER_ADDRESS, ADDRESS_WINDOW_MS);
    return { ok: false, reason: "locked", retryAfterSeconds: Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000) };
  }
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid) {
    await hitRateLimit(addressKey, ATTEMPTS_PER_ADDRESS, ADDRESS_WINDOW_MS);
    if (user) {
      const failures = user.failedLoginCount + 1;
      const locked = failures >= FAILURES_BEFORE_LOCK;
      await recordFailedLogin(user.id, locked ? 0 : failures, locked ? new Date(Date.now() + LOCK_MS) : null);
      if (locked) {
        await recordAudit({ staffUserId: user.id, action: "staff.locked", detail: { failures } });
        return { ok: false, reason: "locked", retryAfterSeconds: LOCK_MS / 1000 };
      }
    }
    return { ok: false, reason: "invalid" };
  }
  await recordSuccessfulLogin(user.id, new Date());
  await clearRateLimit(addressKey);
  await recordAudit({ staffUserId: user.id, action: "staff.login" });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, language: user.language } };
}

export async function startStaffSession(request: Request, userId: string, next: string) {
  const session = await staffSessionStorage.getSession(request.headers.get("cookie"));
  session.set("staffUserId", userId);
  session.set("userAgent", (request.headers.get("user-agent") ?? "").slice(0, 500));
  return redirect(next, { headers: { "Set-Cookie": await staffSessionStorage.commitSession(session) } });
}

export async function endStaffSession(request: Request) {
  const session = await staffSessionStorage.getSession(request.headers.get("cookie"));
  return redirect("/staff/login", { headers: { "Set-Cookie": await staffSessionStorage.destroySession(session) } });
}

export async function getStaffUser(request: Request): Promise<StaffUser | null> {
  const session = await staffSessionStorage.getSession(request.headers.get("cookie"));
  const staffUserId = session.get("staffUserId");
  // Password checked but not the second factor yet: signed out for every staff page.
  if (!staffUserId || session.get("secondFactorPending")) return null;
  const user = await findActiveStaffUser(staffUserId);
  if (!user) return null;
  return { ...user, grants: user.grants.flatMap((grant) => (isRole(grant.role) ? [{ ...grant, role: grant.role }] : [])) };
}

/**
 * Every staff loader and action starts here: anonymous visitors go to the
 * login page; a signed-in member without the permission (for this survey,
 * when one is given) gets a 403 page in their language, and the refusal is
 * audited. "signedIn" asks only for an active account (their own pages).
 */
export async function requireStaff(request: Request, permission: Permission | "signedIn", surveyId?: string): Promise<StaffUser> {
  const user = await getStaffUser(request);
  const url = new URL(request.url);
  if (!user) {
    if (request.method !== "GET") throw new Response("Sign in required", { status: 401 });
    const step = (await pendingSecondFactorUserId(request)) ? "/staff/login/two-factor" : "/staff/login";
    throw redirect(`${step}?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  await requireTwoFactorIfDemanded(request, user);
  if (permission !== "signedIn") await requirePermission(request, user, permission, surveyId);
  return user;
}

/** For a signed-in member: a 403 page (audited) unless they manage this forum series (see canManageForum). */
export async function requireForumAccess(request: Request, user: StaffUser, seriesSurveyId: string | null): Promise<void> {
  if (canManageForum(user.grants, seriesSurveyId)) return;
  await refuse(request, user, "forums.manage");
}

async function refuse(request: Request, user: StaffUser, permission: Permission): Promise<never> {
  const path = redactPath(new URL(request.url).pathname);
  await recordAudit({ staffUserId: user.id, action: "staff.refused", subject: path, detail: { permission, method: request.method } });
  throw data({ reason: "forbidden" as const }, { status: 403 });
}

/** For a signed-in member: a 403 page (audited) unless they hold `permission` (for this survey, when given). */
export async function requirePermission(request: Request, user: StaffUser, permission: Permission, surveyId?: string): Promise<void> {
  if (can(user.grants, permission, surveyId)) return;
  await refuse(request, user, permission);
}

/**
 * After a correct password: a member with two-factor sign-in gets a session
 * marked pending (it opens no staff page) and goes to the second step, which
 * keeps the `next` target; everyone else is signed in.
 */
export async function startSignIn(request: Request, userId: string, next: string) {
  if (!(await hasTotpSecret(userId))) return startStaffSession(request, userId, next);
  const session = await staffSessionStorage.getSession(request.headers.get("cookie"));
  // A session left over from before is ended; the pending one gets a new id.
  if (session.id) await staffSessionStorage.destroySession(session);
  const pending = await staffSessionStorage.getSession();
  pending.set("staffUserId", userId);
  pending.set("secondFactorPending", true);
  pending.set("userAgent", (request.headers.get("user-agent") ?? "").slice(0, 500));
  return redirect(`/staff/login/two-factor?next=${encodeURIComponent(next)}`, {
    headers: { "Set-Cookie": await staffSessionStorage.commitSession(pending) },
  });
}

/** The account whose password was checked and whose second factor is awaited, or null. */
export async function pendingSecondFactorUserId(request: Request): Promise<string | null> {
  const session = await staffSessionStorage.getSession(request.headers.get("cookie"));
  const staffUserId = session.get("staffUserId");
  if (!staffUserId || !session.get("secondFactorPending")) return null;
  return (await findActiveStaffUser(staffUserId)) ? staffUserId : null;
}

/** The second factor was right: the pending session is deleted and a new one (new id) signs the member in. */
export async function completeSecondFactor(request: Request, userId: string, next: string) {
  const old = await staffSessionStorage.getSession(request.headers.get("cookie"));
  await staffSessionStorage.destroySession(old);
  const session = await staffSessionStorage.getSession();
  session.set("staffUserId", userId);
  session.set("userAgent", (request.headers.get("user-agent") ?? "").slice(0, 500));
  return redirect(next, { headers: { "Set-Cookie": await staffSessionStorage.commitSession(session) } });
}
