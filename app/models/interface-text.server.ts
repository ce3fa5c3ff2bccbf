import { db } from "~/platform/db.server";

/**
 * Interface texts translated in the browser: whole namespace files that
 * replace the shipped locales/<language>/<namespace>.json, and languages
 * marked complete or in progress in place of locales/languages.json.
 */
export interface InterfaceTextRow {
  language: string;
  namespace: string;
  texts: string;
  updatedAt: Date;
}

export interface LanguageStatusRow {
  language: string;
  complete: boolean;
}

export async function listInterfaceTexts(): Promise<InterfaceTextRow[]> {
  return db().interfaceTextOverride.findMany({
    select: { language: true, namespace: true, texts: true, updatedAt: true },
    orderBy: [{ language: "asc" }, { namespace: "asc" }],
  });
}

export async function listLanguageStatuses(): Promise<LanguageStatusRow[]> {
  return db().interfaceLanguageStatus.findMany({ select: { language: true, complete: true }, orderBy: { language: "asc" } });
}

export async function saveInterfaceText(language: string, namespace: string, texts: string, staffUserId: string): Promise<void> {
  await db().interfaceTextOverride.upsert({
    where: { language_namespace: { language, namespace } },
    create: { language, namespace, texts, updatedById: staffUserId },
    update: { texts, updatedById: staffUserId },
    select: { language: true },
  });
}

/** True when there was an override to delete. */
export async function deleteInterfaceText(language: string, namespace: string): Promise<boolean> {
  const { count } = await db().interfaceTextOverride.deleteMany({ where: { language, namespace } });
  return count > 0;
}

export async function saveLanguageStatus(language: string, complete: boolean, staffUserId: string): Promise<void> {
  await db().interfaceLanguageStatus.upsert({
    where: { language },
    create: { language, complete, updatedById: staffUserId },
    update: { complete, updatedById: staffUserId },
    select: { language: true },
  });
}

/**
 * A cheap fingerprint of both tables, polled by every instance to notice
 * another one's upload, revert or status change: each row's key and last
 * change (a few dozen short rows, never the texts). Not just a count and the
 * latest time: an instance whose clock is behind could update a row to a time
 * below the latest one.
 */
export async function interfaceTextsSignature(): Promise<string> {
  const [texts, statuses] = await Promise.all([
    db().interfaceTextOverride.findMany({ select: { language: true, namespace: true, updatedAt: true }, orderBy: [{ language: "asc" }, { namespace: "asc" }] }),
    db().interfaceLanguageStatus.findMany({ select: { language: true, complete: true, updatedAt: true }, orderBy: { language: "asc" } }),
  ]);
  return [
    ...texts.map((row) => `${row.language}/${row.namespace}:${row.updatedAt.getTime()}`),
    ...statuses.map((row) => `${row.language}=${row.complete}:${row.updatedAt.getTime()}`),
  ].join("\n");
}
