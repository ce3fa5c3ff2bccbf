import { randomUUID } from "node:crypto";
import { createEvent } from "ics";
import { z } from "zod";
import { cleanText } from "~/domain/answers";
import {
  cancelRegistration,
  findRegistrationByCancelHash,
  findSessionForSignUp,
  markReminderQueued,
  parseSeriesTexts,
  register,
  registrationsDueReminder,
  setCancelTokenHash,
  type Promotion,
  type SeriesTexts,
  type Transaction,
} from "~/models/forum.server";
import { isolate } from "~/platform/bidi";
import { renderEmailHtml, type EmailBlock } from "~/platform/email-html";
import {
  brandingAttachments,
  emailBranding,
  emailDirection,
  type EmailAttachment,
  type EmailOrganisation,
  PRODUCT_ONLY,
} from "~/platform/email-branding.server";
import { emailOrganisation } from "~/features/branding/index.server";
import { getFixedT, isAvailableLanguage } from "~/platform/i18n.server";
import { insertOutboxMessageIn } from "~/models/outbox.server";
import { generateToken, hashToken } from "~/platform/tokens.server";
import { dateTimeFormat, isValidTimeZone } from "~/platform/time-zone";
import { formText, type FieldErrors } from "~/platform/forms.server";

/**
 * Sign-up, cancellation and the emails they cause. Every email is written
 * to the outbox inside the transaction that changes the seat, so "you have a
 * seat" is never sent for a seat that was not taken, nor lost for one that was.
 */

export function seriesTitle(texts: SeriesTexts, language: string): { title: string; description: string } {
  return texts[language] ?? texts.en ?? Object.values(texts)[0] ?? { title: "", description: "" };
}

const optionalText = (max: number) =>
  formText(
    z
      .string()
      .transform((value) => cleanText(value))
      .pipe(z.string().max(max, { message: "forums:errors.tooLong" }))
      .transform((value) => value || null),
  );

/** The public sign-up form; at most one message per field (a too long address is not also called invalid). */
export const signUpSchema = z.object({
  sessionId: formText(z.string().uuid({ message: "forums:errors.unknownSession" })),
  name: formText(
    z
      .string()
      .transform((value) => cleanText(value))
      .pipe(z.string().min(1, { message: "forums:errors.required" }).max(200, { message: "forums:errors.tooLong" })),
  ),
  email: formText(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.string().max(254, { message: "forums:errors.tooLong", abort: true }).email({ message: "forums:errors.invalidEmail" })),
  ),
  language: formText(z.string().refine((value) => isAvailableLanguage(value), { message: "forums:errors.unknownLanguage" })),
  country: optionalText(100),
  region: optionalText(100),
  unit: optionalText(200),
  accessibilityNeeds: optionalText(1000),
  timeZone: formText(z.string().transform((value) => (isValidTimeZone(value) ? value : null))),
});

export const SIGN_UP_FIELDS = ["sessionId", "name", "email", "language", "country", "region", "unit", "accessibilityNeeds", "timeZone"] as const;

export type SignUpInput = z.output<typeof signUpSchema>;

/** A refused sign-up's status: an unknown session is a 404, any other field a 400. */
export function signUpErrorStatus(errors: FieldErrors): 400 | 404 {
  return errors.sessionId ? 404 : 400;
}

/** The session booked, as the success message repeats it. */
export type BookedSession = { startsAt: string; endsAt: string; language: string };

export type SignUpResult =
  { ok: true; status: "confirmed" | "waitlisted"; merged: boolean; booked: BookedSession } | { ok: false; status: 404 | 409; errors: FieldErrors };

/** Registers for a session of this series only, from a sign-up form parsed with signUpSchema. */
export async function signUp(seriesSlug: string, input: SignUpInput, origin: string, now: Date = new Date()): Promise<SignUpResult> {
  const session = await findSessionForSignUp(input.sessionId);
  if (!session || session.series.slug !== seriesSlug) return { ok: false, status: 404, errors: { sessionId: ["forums:errors.unknownSession"] } };
  if (session.cancelledAt) return { ok: false, status: 409, errors: { form: ["forums:errors.cancelled"] } };
  if (session.endsAt <= now || (session.registrationClosesAt && session.registrationClosesAt <= now)) {
    return { ok: false, status: 409, errors: { form: ["forums:errors.closed"] } };
  }
  if (session.registrationOpensAt && session.registrationOpensAt > now) return { ok: false, status: 409, errors: { form: ["forums:errors.notOpen"] } };

  const cancelToken = generateToken();
  // Chosen here, so that the email (its calendar UID) is rendered before the seat's lock is taken.
  const registrationId = randomUUID();
  const organisation = await emailOrganisation();
  const emailInput = (id: string): ForumEmailInput => ({
    registrationId: id,
    name: input.name,
    email: input.email,
    language: input.language,
    timeZone: input.timeZone,
    cancelToken,
    origin,
    organisation,
    session: { ...session, texts: parseSeriesTexts(session.series.texts) },
  });
  // register asks first for the email the seats left foretell, before any statement; the other is written only if
  // the last seat went meanwhile (or a seat came free).
  const prepared: Partial<Record<"confirmed" | "waitlisted", ReturnType<typeof forumEmailRow>>> = {};
  const preparedEmail = (kind: "confirmed" | "waitlisted") => (prepared[kind] ??= forumEmailRow(kind, emailInput(registrationId)));
  const expected = session.confirmedCount < session.capacity ? "confirmed" : "waitlisted";
  const registered = await register(
    {
      id: registrationId,
      sessionId: session.id,
      name: input.name,
      email: input.email,
      language: input.language,
      country: input.country,
      region: input.region,
      unit: input.unit,
      accessibilityNeeds: input.accessibilityNeeds,
      timeZone: input.timeZone,
      participantId: null,
      cancelTokenHash: hashToken(cancelToken),
    },
    expected,
    (created) => {
      const kind = created.status === "confirmed" ? "confirmed" : "waitlisted";
      // Someone who had cancelled signs up again: their registration keeps its id, which the calendar UID follows.
      return created.id === registrationId ? preparedEmail(kind) : forumEmailRow(kind, emailInput(created.id));
    },
  );
  // Cancelled by staff between the check above and the seat's lock.
  if (!registered) return { ok: false, status: 409, errors: { form: ["forums:errors.cancelled"] } };
  const { registration, merged } = registered;
  return {
    ok: true,
    status: registration.status === "confirmed" ? "confirmed" : "waitlisted",
    merged,
    booked: { startsAt: session.startsAt.toISOString(), endsAt: session.endsAt.toISOString(), language: session.language },
  };
}

interface ForumEmailInput {
  registrationId: string;
  name: string;
  email: string;
  language: string;
  timeZone: string | null;
  /** The raw cancellation token: it exists only in the email. Null: the email carries no cancellation link (the reminder; the link is in the confirmation). */
  cancelToken: string | null;
  /** Where links point (PUBLIC_URL, or the address the request came to). */
  origin: string;
  /** The organisation's name and logo, read before the transaction that queues the email (emailOrganisation). */
  organisation: EmailOrganisation;
  session: { id: string; startsAt: Date; endsAt: Date; language: string; meetingUrl: string | null; texts: SeriesTexts; series: { slug: string } };
  /** For a cancelled session: whether they had a seat (and so a calendar entry to withdraw) rather than a place on the waiting list. */
  hadSeat?: boolean;
}

export type ForumEmailKind = "confirmed" | "waitlisted" | "promoted" | "reminder" | "sessionCancelled";

export function formatSessionTime(startsAt: Date, endsAt: Date, language: string, timeZone: string | null): string {
  const zone = timeZone ?? "UTC";
  const start = dateTimeFormat(language, { dateStyle: "full", timeStyle: "short", timeZone: zone }).format(startsAt);
  const end = dateTimeFormat(language, { hour: "numeric", minute: "2-digit", timeZone: zone, timeZoneName: "long" }).format(endsAt);
  return `${start} – ${end}`;
}

/**
 * The calendar entry: UTC times, the meeting link, and a UID that stays the
 * same for this registration. `cancelled` withdraws the entry sent before
 * (same UID, a later sequence, METHOD:CANCEL), so calendars can remove it.
 */
export function sessionCalendar(input: Pick<ForumEmailInput, "registrationId" | "session">, title: string, description: string, cancelled = false): string {
  const { error, value } = createEvent({
    uid: `${input.registrationId}@parley`,
    productId: "parley/forums",
    method: cancelled ? "CANCEL" : "PUBLISH",
    ...(cancelled ? { sequence: 1 } : {}),
    title,
    description,
    start: input.session.startsAt.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    end: input.session.endsAt.getTime(),
    endInputType: "utc",
    endOutputType: "utc",
    ...(input.session.meetingUrl ? { url: input.session.meetingUrl, location: input.session.meetingUrl } : {}),
    status: cancelled ? "CANCELLED" : "CONFIRMED",
  });
  if (error || !value) throw error ?? new Error("calendar entry could not be made");
  return value;
}

/** Language names per reader's language, made once: the readers are the interface's few languages. */
const languageNames = new Map<string, Intl.DisplayNames>();

/** A language by its name in the reader's language ("arabe"), not its code; the code when it is not a valid tag. */
function languageName(code: string, reader: string): string {
  try {
    let names = languageNames.get(reader);
    if (!names) languageNames.set(reader, (names = new Intl.DisplayNames([reader], { type: "language", fallback: "code" })));
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

export function renderForumEmail(kind: ForumEmailKind, input: ForumEmailInput): { subject: string; text: string; html: string; calendar: string | null } {
  const t = getFixedT(input.language, "emails");
  const { title } = seriesTitle(input.session.texts, input.language);
  if (kind === "sessionCancelled") {
    const forumPage = `${input.origin}/forums/${input.session.series.slug}`;
    const text = ["", t("forum.sessionCancelled.another"), forumPage];
    const blocks: EmailBlock[] = [{ type: "link", text: t("forum.sessionCancelled.another"), href: forumPage }];
    if (input.hadSeat) {
      text.push("", t("forum.sessionCancelled.calendar"));
      blocks.push({ type: "note", text: t("forum.sessionCancelled.calendar") });
    }
    return composeForumEmail(input, t, {
      subject: t("forum.sessionCancelled.subject", { forum: title }),
      intro: t("forum.sessionCancelled.intro", { forum: isolate(title) }),
      text,
      blocks,
      calendar: input.hadSeat ? sessionCalendar(input, title, title, true) : null,
    });
  }
  const seated = kind !== "waitlisted";
  const text: string[] = [];
  const blocks: EmailBlock[] = [];
  if (seated && input.session.meetingUrl) {
    text.push(`${t("forum.link")} ${input.session.meetingUrl}`);
    blocks.push({ type: "button", href: input.session.meetingUrl, label: t("forum.join"), fallback: t("forum.link") });
  }
  if (input.cancelToken) {
    text.push("", t("forum.cancel"), `${input.origin}/forums/cancel/${input.cancelToken}`);
    blocks.push({ type: "link", text: t("forum.cancel"), href: `${input.origin}/forums/cancel/${input.cancelToken}` });
  }
  if (seated) {
    text.push("", t("forum.calendar"));
    blocks.push({ type: "note", text: t("forum.calendar") });
  }
  return composeForumEmail(input, t, {
    subject: t(`forum.${kind}.subject`, { forum: title }),
    intro: t(`forum.${kind}.intro`, { forum: title }),
    text,
    blocks,
    calendar: seated ? sessionCalendar(input, title, input.session.meetingUrl ? `${title}\n${input.session.meetingUrl}` : title) : null,
  });
}

/**
 * Every forum email opens the same way (greeting, what happened, when, in which language) in both parts;
 * `text` and `blocks` are what follows, as plain text lines and as the HTML part's blocks.
 */
function composeForumEmail(
  input: ForumEmailInput,
  t: ReturnType<typeof getFixedT>,
  parts: { subject: string; intro: string; text: string[]; blocks: EmailBlock[]; calendar: string | null },
): { subject: string; text: string; html: string; calendar: string | null } {
  const greeting = t("forum.greeting", { name: isolate(input.name) });
  const when = formatSessionTime(input.session.startsAt, input.session.endsAt, input.language, input.timeZone);
  const sessionLanguage = languageName(input.session.language, input.language);
  const text = [greeting, "", parts.intro, "", `${t("forum.when")} ${when}`, `${t("forum.language")} ${sessionLanguage}`, ...parts.text].join("\n");
  const html = renderEmailHtml({
    language: input.language,
    dir: emailDirection(input.language),
    title: parts.subject,
    branding: emailBranding(input.language, input.organisation),
    blocks: [
      { type: "paragraph", text: greeting },
      { type: "paragraph", text: parts.intro },
      { type: "fact", label: t("forum.when"), value: when },
      { type: "fact", label: t("forum.language"), value: sessionLanguage },
      ...parts.blocks,
    ],
    footer: [],
  });
  return { subject: parts.subject, text, html, calendar: parts.calendar };
}

/** The outbox row of a forum email, rendered. */
function forumEmailRow(kind: ForumEmailKind, input: ForumEmailInput) {
  const email = renderForumEmail(kind, input);
  return {
    template: `forum.${kind}`,
    toAddress: input.email,
    toName: input.name,
    language: input.language,
    subject: email.subject,
    textBody: email.text,
    htmlBody: email.html,
    attachments: attachmentsJson([
      ...brandingAttachments(input.organisation),
      ...(email.calendar
        ? [
            {
              filename: "forum.ics",
              contentType: `text/calendar; charset=utf-8; method=${kind === "sessionCancelled" ? "CANCEL" : "PUBLISH"}`,
              content: email.calendar,
            },
          ]
        : []),
    ]),
  };
}

function attachmentsJson(attachments: EmailAttachment[]): string | null {
  return attachments.length ? JSON.stringify(attachments) : null;
}

export async function queueForumEmail(tx: Transaction, kind: ForumEmailKind, input: ForumEmailInput): Promise<void> {
  await insertOutboxMessageIn(tx, forumEmailRow(kind, input));
}

/** The cancellation page: who and which session, or null for an unknown link. */
export async function registrationForCancelLink(token: string) {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  return findRegistrationByCancelHash(hashToken(token));
}

/** Cancels from the link in an email; the first on the waiting list gets the seat (see emailPromotion). */
export async function cancelByLink(token: string, origin: string): Promise<"cancelled" | "already" | "unknown"> {
  const registration = await registrationForCancelLink(token);
  if (!registration) return "unknown";
  // Read before the transaction: on SQLite a query outside an open transaction would wait for it.
  const session = await findSessionForSignUp(registration.session.id);
  if (!session) return "unknown";
  const organisation = await emailOrganisation();
  const changed = await cancelRegistration(registration.id, (tx, promoted) => emailPromotion(tx, promoted, session, origin, organisation));
  return changed ? "cancelled" : "already";
}

/**
 * Tells someone promoted from the waiting list that they have a seat, with a
 * new cancellation link (only hashes are stored, so the link of their
 * waiting-list email is replaced). Runs inside the promoting transaction.
 */
export async function emailPromotion(
  tx: Transaction,
  promoted: Promotion,
  session: Omit<ForumEmailInput["session"], "texts" | "series"> & { series: { slug: string; texts: string } },
  origin: string,
  /** Read before the transaction (emailOrganisation). */
  organisation: EmailOrganisation,
) {
  const cancelToken = generateToken();
  await setCancelTokenHash(tx, promoted.id, hashToken(cancelToken));
  await queueForumEmail(tx, "promoted", {
    registrationId: promoted.id,
    name: promoted.name,
    email: promoted.email,
    language: promoted.language,
    timeZone: promoted.timeZone,
    cancelToken,
    origin,
    organisation,
    session: { ...session, texts: parseSeriesTexts(session.series.texts) },
  });
}

const REMINDER_BEFORE_MS = 24 * 3_600_000;

/**
 * Queues the reminder for confirmed registrations whose session starts
 * within 24 hours, once each: marking reminderQueuedAt and writing the
 * email happen in one transaction, conditional on the mark being unset, so
 * several workers never remind one person twice. Run by the outbox workers.
 */
export async function queueForumReminders(now: Date = new Date()): Promise<number> {
  const due = await registrationsDueReminder(now, new Date(now.getTime() + REMINDER_BEFORE_MS));
  let queued = 0;
  const organisation = due.length ? await emailOrganisation() : PRODUCT_ONLY;
  for (const registration of due) {
    const done = await markReminderQueued(registration.id, now, (tx) =>
      queueForumEmail(tx, "reminder", {
        registrationId: registration.id,
        name: registration.name,
        email: registration.email,
        language: registration.language,
        timeZone: registration.timeZone,
        cancelToken: null,
        origin: "",
        organisation,
        session: { ...registration.session, texts: parseSeriesTexts(registration.session.series.texts) },
      }),
    );
    if (done) queued++;
  }
  return queued;
}
