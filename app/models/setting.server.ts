import { db } from "~/platform/db.server";

/** Organisation-wide settings, one row per key (features/staff/settings.server.ts says which keys exist). */
export async function readSetting(key: string): Promise<string | null> {
  const row = await db().setting.findUnique({ where: { key }, select: { value: true } });
  return row?.value ?? null;
}

export async function writeSetting(key: string, value: string): Promise<void> {
  await db().setting.upsert({ where: { key }, create: { key, value }, update: { value }, select: { key: true } });
}
