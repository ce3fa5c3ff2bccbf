import { db } from "~/platform/db.server";

/** Organisation-wide settings, one row per key (features/staff/settings.server.ts says which keys exist). */
export async function readSetting(key: string): Promise<string | null> {
  const row = await db().setting.findUnique({ where: { key }, select: { value: true } });
  return row?.value ?? null;
}

export async function writeSetting(key: string, value: string): Promise<void> {
  await db().setting.upsert({ where: { key }, create: { key, value }, update: { value }, select: { key: true } });
}

/** Several settings at once (absent keys are left out of the answer). */
export async function readSettings(keys: readonly string[]): Promise<Map<string, string>> {
  const rows = await db().setting.findMany({ where: { key: { in: [...keys] } }, select: { key: true, value: true } });
  return new Map(rows.map((row) => [row.key, row.value]));
}

/** Writes (a string) or removes (null) several settings in one transaction, so readers never see half a change. */
export async function writeSettings(changes: Record<string, string | null>): Promise<void> {
  const entries = Object.entries(changes);
  await db().$transaction(
    entries.map(([key, value]) =>
      value === null
        ? db().setting.deleteMany({ where: { key } })
        : db().setting.upsert({ where: { key }, create: { key, value }, update: { value }, select: { key: true } }),
    ),
  );
}
