import { insertAuditEntry } from "~/models/audit-log.server";

/** Who did what and when, for imports, sends, exports, deletions and logins. */
export async function recordAudit(entry: { staffUserId: string | null; action: string; subject?: string; detail?: Record<string, unknown> }): Promise<void> {
  await insertAuditEntry({
    staffUserId: entry.staffUserId,
    action: entry.action,
    subject: entry.subject,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  });
}
