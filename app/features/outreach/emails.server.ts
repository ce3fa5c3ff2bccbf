import { isolate } from "~/platform/bidi";
import { getFixedT } from "~/platform/i18n.server";
import { surveyTexts, type SurveyTexts } from "~/features/surveys/index.server";
import { generateToken, hashToken, unsubscribeToken } from "~/platform/tokens.server";
import { escapeHtml, renderEmailHtml } from "~/platform/email-html";
import { brandingAttachments, emailBranding, emailDirection, type EmailOrganisation } from "~/platform/email-branding.server";
import { emailOrganisation } from "~/features/branding/index.server";
import {
  contactBatch,
  countAudience as countRecipients,
  nextRecipients,
  openMailingWriter,
  participantsAfter,
  replaceLinks,
  type Recipient,
} from "~/models/outreach.server";
import { csvStream, neutraliseFormula } from "~/platform/spreadsheet";

/**
 * Invitations, reminders and the mail-merge link export. Raw tokens exist
 * only while a message is rendered (or a CSV row written): the database keeps
 * their hashes, so every mailing that carries a link issues a new one.
 */

/** Participants handled per transaction: each batch's links, emails and "invited" marks commit together. */
const BATCH = 500;
export const DEFAULT_REMINDER_GAP_DAYS = 3;
export const EMAIL_KINDS = ["invitation", "reminder"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export interface OutreachSurvey {
  id: string;
  slug: string;
  mode: string;
  closesAt: Date;
  estimatedMinutes: number;
  publishedVersion: number;
}

/** The deadline as the recipient reads it: their language, their zone (UTC when unknown), the zone named. */
export function formatDeadline(closesAt: Date, language: string, timeZone: string | null): string {
  return (
    new Intl.DateTimeFormat(language, {
      dateStyle: "full",
      timeStyle: "short",
      timeZone: timeZone ?? "UTC",
    }).format(closesAt) + ` (${zoneName(closesAt, language, timeZone ?? "UTC")})`
  );
}

function zoneName(at: Date, language: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(language, { timeZone, timeZoneName: "long" }).formatToParts(at);
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}

export function renderOutreachEmail(
  kind: EmailKind,
  survey: OutreachSurvey & { texts: SurveyTexts },
  recipient: Pick<Recipient, "name" | "language" | "timeZone">,
  link: string,
  /** The one-click unsubscribe address (see unsubscribeLinkFor). */
  unsubscribeLink: string,
  /** The organisation's name and logo, read once per batch (emailOrganisation). */
  organisation: EmailOrganisation,
  deadline = formatDeadline(survey.closesAt, recipient.language, recipient.timeZone),
) {
  const t = getFixedT(recipient.language, "emails");
  const title = survey.texts.t(recipient.language)("title", { defaultValue: survey.slug });
  const values = { name: isolate(recipient.name), survey: title, link, deadline };
  const subject = t(`${kind}.subject`, values);
  // Each text once: a mailing renders thousands of these, and a lookup costs more than the layout.
  const greeting = t(`${kind}.greeting`, values);
  const intro = t(`${kind}.intro`, values);
  const duration = t("outreach.duration", { count: survey.estimatedMinutes });
  const linkIntro = t("outreach.linkIntro");
  const answerBy = t("outreach.deadline", values);
  const privacy = t(survey.mode === "anonymous" ? "outreach.privacyAnonymous" : "outreach.privacyConfidential");
  const personal = t("outreach.personal");
  const footer = t("outreach.footer");
  const unsubscribe = t("outreach.unsubscribe");
  const text = [greeting, "", intro, duration, "", linkIntro, link, "", answerBy, "", privacy, personal, "", footer, unsubscribe, unsubscribeLink].join("\n");
  const html = renderEmailHtml({
    language: recipient.language,
    dir: emailDirection(recipient.language),
    title: subject,
    branding: emailBranding(recipient.language, organisation),
    blocks: [
      { type: "paragraph", text: greeting },
      { type: "paragraph", text: `${intro}\n${duration}` },
      { type: "button", href: link, label: t(`${kind}.button`), fallback: linkIntro },
      { type: "paragraph", text: answerBy },
      { type: "note", text: `${privacy}\n${personal}` },
    ],
    footer: [footer],
    unsubscribe: { text: unsubscribe, label: t("outreach.unsubscribeLink"), href: unsubscribeLink },
  });
  return { subject, text, html };
}

/** The address of the unsubscribe page for a participant (also what a mail client POSTs to, RFC 8058). */
export function unsubscribeLinkFor(origin: string, participantId: string): string {
  return unsubscribeAddress(origin, unsubscribeToken(participantId));
}

function unsubscribeAddress(origin: string, token: string): string {
  return `${origin}/unsubscribe/${token}`;
}

/** The headers that let mail clients offer "unsubscribe" themselves, in one click (RFC 2369, RFC 8058). */
export function unsubscribeHeaders(unsubscribeLink: string): Record<string, string> {
  return { "List-Unsubscribe": `<${unsubscribeLink}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

function linkFor(origin: string, token: string): string {
  return `${origin}/s/${token}`;
}

export function countAudience(kind: EmailKind, surveyId: string, gapDays: number, now: Date): Promise<number> {
  return countRecipients(kind, surveyId, gapDays, now);
}

/**
 * Queues one email per participant in the audience, with a new link each.
 * Per batch, one transaction marks the participants contacted, stores the
 * links' hashes and writes the outbox rows; marking first, on the condition
 * that still selects them, means two staff members pressing "send" at once
 * cannot both mail the same person: the second batch finds its rows taken,
 * rolls back and picks the next ones.
 */
export async function queueOutreach(
  kind: EmailKind,
  survey: OutreachSurvey,
  origin: string,
  gapDays: number,
  now: Date,
  /** Called after each committed batch with its size (progress of a background mailing). */
  onBatch?: (count: number) => Promise<void>,
): Promise<number> {
  let queued = 0;
  const withTexts = { ...survey, texts: await surveyTexts(survey) };
  // Thousands of recipients share a handful of language and zone pairs: format each deadline once.
  const deadlines = new Map<string, string>();
  const deadlineFor = (language: string, timeZone: string | null) => {
    const key = `${language}|${timeZone ?? ""}`;
    let text = deadlines.get(key);
    if (text === undefined) deadlines.set(key, (text = formatDeadline(survey.closesAt, language, timeZone)));
    return text;
  };
  const writer = await openMailingWriter();
  try {
    // Those before `after` are done: each batch starts where the last committed one ended.
    let after = "";
    for (;;) {
      const batch = await nextRecipients(kind, survey.id, gapDays, now, BATCH, after);
      if (batch.length === 0) return queued;
      // Once per batch: a change of name or logo during a long mailing reaches the next batch, never half of one.
      const organisation = await emailOrganisation();
      const attachments = brandingAttachments(organisation);
      const attachmentsJson = attachments.length ? JSON.stringify(attachments) : null;
      const templates = new Map<string, OutreachTemplate>();
      const contacts = batch.map((participant) => {
        const deadline = deadlineFor(participant.language, participant.timeZone);
        const templateKey = `${participant.language}|${deadline}`;
        let template = templates.get(templateKey);
        if (!template) templates.set(templateKey, (template = outreachTemplate(kind, withTexts, participant.language, deadline, origin, organisation)));
        const token = generateToken();
        const unsubscribe = unsubscribeToken(participant.id);
        const email = template.fill(participant.name, token, unsubscribe);
        return {
          participantId: participant.id,
          tokenHash: hashToken(token),
          email: {
            template: kind,
            toAddress: participant.email,
            toName: participant.name,
            language: participant.language,
            subject: email.subject,
            textBody: email.text,
            htmlBody: email.html,
            headers: JSON.stringify(unsubscribeHeaders(unsubscribeAddress(origin, unsubscribe))),
            attachments: attachmentsJson,
            participantId: participant.id,
          },
        };
      });
      // Another staff member's mailing took some of these meanwhile: nothing was written; read the same
      // stretch again (those taken have left the audience, the rest are still to do).
      if (!(await contactBatch(writer, kind, survey.id, gapDays, now, contacts))) continue;
      after = batch[batch.length - 1]!.id;
      queued += batch.length;
      await onBatch?.(batch.length);
      // On SQLite every query completes synchronously, so without this a whole mailing would run as one
      // chain of microtasks: no timer (the request's wait limit) and no other request would get a turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await writer.close();
  }
}

/**
 * What differs from one recipient to the next is drawn into a mailing's
 * messages as placeholders (private-use characters, which no name or text
 * holds), so a mailing renders each message once per language and deadline
 * and then fills in each person's name and links: rendering costs a dozen
 * translation lookups and the HTML layout, and a mailing to 50,000 people
 * spent about 5 s doing that 50,000 times. The filled message is the one
 * renderOutreachEmail would have made (a test compares them byte for byte).
 */
const PLACEHOLDER = { name: "\uE000name\uE001", link: "\uE000link\uE001", unsubscribe: "\uE000unsubscribe\uE001" } as const;
const PLACEHOLDERS = /(\uE000(?:name|link|unsubscribe)\uE001)/;

export interface OutreachTemplate {
  fill(name: string, token: string, unsubscribeToken: string): { subject: string; text: string; html: string };
}

export function outreachTemplate(
  kind: EmailKind,
  survey: OutreachSurvey & { texts: SurveyTexts },
  language: string,
  deadline: string,
  origin: string,
  organisation: EmailOrganisation,
): OutreachTemplate {
  const rendered = renderOutreachEmail(
    kind,
    survey,
    { name: PLACEHOLDER.name, language, timeZone: null },
    linkFor(origin, PLACEHOLDER.link),
    unsubscribeAddress(origin, PLACEHOLDER.unsubscribe),
    organisation,
    deadline,
  );
  // Split once: even parts are the message's own text, odd parts name what goes there.
  const subject = rendered.subject.split(PLACEHOLDERS);
  const text = rendered.text.split(PLACEHOLDERS);
  const html = rendered.html.split(PLACEHOLDERS);
  const join = (parts: string[], values: Record<string, string>) => {
    let out = parts[0]!;
    for (let index = 1; index < parts.length; index += 2) out += values[parts[index]!]! + parts[index + 1]!;
    return out;
  };
  return {
    fill(name, token, unsubscribeToken) {
      // Tokens are base64url (nothing to escape); the name is escaped for the HTML part as the layout escapes any text.
      const plain = { [PLACEHOLDER.name]: name, [PLACEHOLDER.link]: token, [PLACEHOLDER.unsubscribe]: unsubscribeToken };
      const inHtml = { ...plain, [PLACEHOLDER.name]: escapeHtml(name) };
      return { subject: join(subject, plain), text: join(text, plain), html: join(html, inHtml) };
    },
  };
}

export const LINK_EXPORT_COLUMNS = ["name", "email", "language", "region", "country", "unit", "link"] as const;

/**
 * The mail-merge file: every participant with a new personal link. Stored
 * tokens are hashes, so the old links cannot be exported; they are revoked in
 * the same transaction that stores the new ones, batch by batch, and each
 * batch's rows are handed on only after it committed. Streams, so a large
 * survey never sits in memory.
 */
export function exportLinksCsv(surveyId: string, origin: string, now: Date): ReadableStream<Uint8Array> {
  return csvStream(LINK_EXPORT_COLUMNS, linkRows(surveyId, origin, now));
}

/** Pulled one batch at a time by the stream: a batch's links are replaced only when the client reads on. */
async function* linkRows(surveyId: string, origin: string, now: Date) {
  let after: string | null = null;
  for (;;) {
    const batch = await participantsAfter(surveyId, after, BATCH);
    if (batch.length === 0) return;
    after = batch[batch.length - 1]!.id;
    const tokens = batch.map(() => generateToken());
    await replaceLinks(
      batch.map((participant, index) => ({ participantId: participant.id, tokenHash: hashToken(tokens[index]!) })),
      now,
    );
    yield batch.map((participant, index) =>
      [participant.name, participant.email, participant.language, participant.region ?? "", participant.country ?? "", participant.unit ?? ""]
        .map(neutraliseFormula)
        .concat(linkFor(origin, tokens[index]!)),
    );
  }
}
