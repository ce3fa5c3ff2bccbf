import { data } from "@remix-run/node";
import { surveyNamespace } from "~/features/surveys/index.server";
import { findParticipantForUnsubscribe, markUnsubscribed } from "~/models/participant.server";
import { detectLanguage, getFixedT } from "~/platform/i18n.server";
import { hitRateLimit, peekRateLimit } from "~/platform/rate-limit.server";
import { participantOfUnsubscribeToken } from "~/platform/tokens.server";

/**
 * The unsubscribe link of invitations and reminders (platform/tokens.server.ts
 * makes and checks it). A GET only shows the question, since mail scanners
 * open links; the opt-out is a POST, either the page's button or a mail
 * client's one-click request (RFC 8058), which carries no cookie, so none is
 * asked for. What is stored: the time, on the participant row.
 */

/** Wrong links count with wrong survey links (the same key and limits as features/respondent/context.server.ts). */
const WRONG_TOKENS_PER_WINDOW = 20;
const WRONG_TOKEN_WINDOW_MS = 10 * 60_000;

export interface UnsubscribeTarget {
  participantId: string;
  email: string;
  language: string;
  survey: string;
  unsubscribedAt: Date | null;
}

/**
 * The participant a link is for, with the page's language, or a thrown 404 ("this link is not valid",
 * in the reader's language) for a forged, altered or stale link; 429 after too
 * many wrong links from one address.
 */
export async function unsubscribeTarget(request: Request, token: string | undefined, clientIp: string | undefined): Promise<UnsubscribeTarget> {
  const limitKey = `token:${clientIp ?? "unknown"}`;
  const limit = await peekRateLimit(limitKey, WRONG_TOKENS_PER_WINDOW, WRONG_TOKEN_WINDOW_MS);
  if (!limit.allowed) {
    throw Response.json({ reason: "tooManyAttempts" }, { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  }
  const id = token ? participantOfUnsubscribeToken(token) : null;
  const participant = id ? await findParticipantForUnsubscribe(id) : null;
  if (!participant) {
    await hitRateLimit(limitKey, WRONG_TOKENS_PER_WINDOW, WRONG_TOKEN_WINDOW_MS);
    throw data({ reason: "invalidUnsubscribeLink" as const }, { status: 404, headers: { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" } });
  }
  // The member's language, unless they picked another with the language switcher.
  const language = detectLanguage(request, participant.language);
  return {
    participantId: participant.id,
    email: participant.email,
    language,
    survey: getFixedT(language, surveyNamespace(participant.survey.slug))("title", { defaultValue: participant.survey.slug }),
    unsubscribedAt: participant.unsubscribedAt,
  };
}

/** Opts the participant out; "already" when an earlier request did (nothing is changed twice). */
export async function unsubscribe(target: UnsubscribeTarget, now: Date): Promise<"unsubscribed" | "already"> {
  if (target.unsubscribedAt) return "already";
  return (await markUnsubscribed(target.participantId, now)) ? "unsubscribed" : "already";
}
