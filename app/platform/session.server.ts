import { createCookie, createSessionStorage } from "@remix-run/node";
import { db } from "~/platform/db.server";
import { env, sessionSecret } from "~/platform/env.server";

const SESSION_HOURS = 12;

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
}

export const staffSessionStorage = createSessionStorage<SessionData>({
  cookie: sessionCookie,
  async createData(data, expires) {
    if (!data.staffUserId) throw new Error("A staff session needs a user");
    const row = await db().staffSession.create({
      data: {
        staffUserId: data.staffUserId,
        expiresAt: expires ?? new Date(Date.now() + SESSION_HOURS * 3_600_000),
      },
      select: { id: true },
    });
    return row.id;
  },
  async readData(id) {
    const row = await db().staffSession.findUnique({ where: { id }, select: { staffUserId: true, expiresAt: true } });
    if (!row || row.expiresAt < new Date()) return null;
    return { staffUserId: row.staffUserId };
  },
  async updateData(id, _data, expires) {
    if (expires) await db().staffSession.updateMany({ where: { id }, data: { expiresAt: expires } });
  },
  async deleteData(id) {
    await db().staffSession.deleteMany({ where: { id } });
  },
});
