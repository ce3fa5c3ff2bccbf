import { createCookie, createSessionStorage } from "@remix-run/node";
import { createStaffSession, deleteStaffSession, extendStaffSession, findStaffSession, touchStaffSession } from "~/models/staff-session.server";
import { env, sessionSecret } from "~/platform/env.server";

const SESSION_HOURS = 12;
/** "Last seen" on the account page is written at most this often, not on every request. */
const LAST_SEEN_EVERY_MS = 5 * 60_000;

/**
 * Staff sessions live in the database and the cookie holds only a signed id:
 * any instance can read them, and logging out or locking an account ends
 * them everywhere. HttpOnly keeps scripts away from the id; SameSite=Lax
 * keeps other sites' forms from posting with it.
 */
const sessionCookie = createCookie("__parley_session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  secure: env().PUBLIC_URL?.startsWith("https:") ?? false,
  secrets: [sessionSecret()],
  maxAge: SESSION_HOURS * 60 * 60,
});

interface SessionData {
  staffUserId: string;
  /** Set at sign-in only, stored with the new session (the account page lists sessions by browser). */
  userAgent?: string;
  /** Password checked, two-factor code not yet: the session opens no staff page (features/staff/auth.server.ts). */
  secondFactorPending?: boolean;
}

export const staffSessionStorage = createSessionStorage<SessionData>({
  cookie: sessionCookie,
  async createData(data, expires) {
    if (!data.staffUserId) throw new Error("A staff session needs a user");
    return createStaffSession(data.staffUserId, expires ?? new Date(Date.now() + SESSION_HOURS * 3_600_000), {
      userAgent: data.userAgent,
      secondFactorPending: data.secondFactorPending === true,
    });
  },
  async readData(id) {
    const row = await findStaffSession(id);
    const now = new Date();
    if (!row || row.expiresAt < now) return null;
    if (!row.lastSeenAt || now.getTime() - row.lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) await touchStaffSession(id, now);
    return { staffUserId: row.staffUserId, ...(row.secondFactorPending ? { secondFactorPending: true } : {}) };
  },
  async updateData(id, _data, expires) {
    if (expires) await extendStaffSession(id, expires);
  },
  async deleteData(id) {
    await deleteStaffSession(id);
  },
});
