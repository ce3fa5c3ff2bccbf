import { db } from "~/platform/db.server";

export interface AuditEntryRow {
  staffUserId: string | null;
  action: string;
  subject?: string;
  /** JSON, or null. */
  detail: string | null;
}

export async function insertAuditEntry(entry: AuditEntryRow): Promise<void> {
  await db().auditLog.create({ data: entry, select: { id: true } });
}
