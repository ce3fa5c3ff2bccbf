import { insertOutboxMessage } from "~/models/outbox.server";
import type { EmailAttachment } from "~/platform/email-branding.server";

/**
 * Every email is a row first: callers put queueEmail(...) inside the same
 * transaction as the change that causes the email, so an acknowledged action
 * and its email stand or fall together. A worker delivers the rows.
 */
export interface OutgoingEmail {
  template: string;
  to: string;
  toName?: string;
  language: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (List-Unsubscribe …). */
  headers?: Record<string, string>;
  attachments?: EmailAttachment[];
  participantId?: string;
}

export function queueEmail(email: OutgoingEmail) {
  return insertOutboxMessage({
    template: email.template,
    toAddress: email.to,
    toName: email.toName,
    language: email.language,
    subject: email.subject,
    textBody: email.text,
    htmlBody: email.html,
    headers: email.headers ? JSON.stringify(email.headers) : null,
    attachments: email.attachments ? JSON.stringify(email.attachments) : null,
    participantId: email.participantId,
  });
}
