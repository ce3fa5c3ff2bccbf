import { data } from "@remix-run/node";
import { surveyState, type SurveyState } from "~/domain/survey-state";
import { findResponse, type ResponseOwner, type ResponseState } from "~/models/response.server";
import { loadRespondentStructure, type SurveyStructure } from "~/models/survey-structure.server";
import { negotiateAmong, readLanguageCookie } from "~/platform/i18n.server";
import { hitRateLimit, peekRateLimit } from "~/platform/rate-limit.server";
import { surveyLanguages, surveyTexts, type SurveyTexts } from "~/features/surveys/index.server";
import { hashToken, looksLikeToken, resumeKeyHash } from "~/platform/tokens.server";
import { findLinkByHash, type LinkRow } from "~/models/access-token.server";

/**
 * Everything a page under /s/<token> needs, resolved from the token. Wrong
 * tokens are counted per client address in the database, so guessing is
 * limited across every app instance; once over the limit even a right token
 * is refused, or the 404/200 difference would still tell a guesser which
 * guess was right.
 */
const WRONG_TOKENS_PER_WINDOW = 20;
const WRONG_TOKEN_WINDOW_MS = 10 * 60_000;

export interface RespondentContext {
  token: string;
  participant: Omit<LinkRow["participant"], "respondedAt" | "survey">;
  survey: LinkRow["participant"]["survey"];
  state: SurveyState;
  structure: SurveyStructure;
  /** The published version's texts (cached per version: no query once read). */
  texts: SurveyTexts;
  locale: string;
  languages: string[];
  owner: ResponseOwner;
  response: ResponseState | null;
  /** An anonymous survey keeps no response to reopen once submitted. */
  submittedAnonymously: boolean;
}

export function invalidLink(status = 404): never {
  throw data({ reason: "invalidLink" as const }, { status });
}

export async function loadRespondent(request: Request, token: string | undefined, clientIp: string | undefined): Promise<RespondentContext> {
  const limitKey = `token:${clientIp ?? "unknown"}`;
  const limit = await peekRateLimit(limitKey, WRONG_TOKENS_PER_WINDOW, WRONG_TOKEN_WINDOW_MS);
  if (!limit.allowed) {
    // A thrown Response (not data()) so that Retry-After reaches errorHeaders.
    throw Response.json({ reason: "tooManyAttempts" }, { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  }
  const row = token && looksLikeToken(token) ? await findLinkByHash(hashToken(token)) : null;
  const survey = row?.participant.survey;
  if (!row || row.revokedAt || !survey || survey.status === "draft") {
    await hitRateLimit(limitKey, WRONG_TOKENS_PER_WINDOW, WRONG_TOKEN_WINDOW_MS);
    invalidLink();
  }
  const { survey: _survey, respondedAt, ...participant } = row.participant;
  const structure = await loadRespondentStructure(survey.id, survey.definitionHash);
  const texts = await surveyTexts(survey);
  const languages = await surveyLanguages(survey, texts, structure, survey.definitionHash);
  const owner: ResponseOwner = { surveyId: survey.id, mode: survey.mode, participant, resumeKey: resumeKeyHash(token!) };
  const response = await findResponse(owner);
  return {
    token: token!,
    participant,
    survey,
    state: surveyState(survey, new Date()),
    structure,
    texts,
    locale: chooseSurveyLanguage(request, participant.language, languages, survey.defaultLanguage),
    languages,
    owner,
    response,
    submittedAnonymously: survey.mode === "anonymous" && !!respondedAt && !response,
  };
}

/** Chosen language (cookie) → participant's → browser's → the survey's default, among the survey's complete languages. */
function chooseSurveyLanguage(request: Request, participantLanguage: string, languages: string[], fallback: string): string {
  const chosen = readLanguageCookie(request);
  if (chosen && languages.includes(chosen)) return chosen;
  if (languages.includes(participantLanguage)) return participantLanguage;
  return negotiateAmong(request.headers.get("accept-language"), languages) ?? (languages.includes(fallback) ? fallback : (languages[0] ?? "en"));
}

export function isSubmitted(context: RespondentContext): boolean {
  return context.response?.status === "submitted" || context.submittedAnonymously;
}

export function canEdit(context: RespondentContext): boolean {
  if (context.state !== "open") return false;
  if (!isSubmitted(context)) return true;
  return context.survey.allowEditAfterSubmit && context.survey.mode !== "anonymous";
}

/** Actions after the deadline, before opening, or on a locked submission get a 4xx and change nothing. */
export function requireEditable(context: RespondentContext): void {
  if (context.state === "closed" || context.state === "archived") throw data({ reason: "closed" as const }, { status: 410 });
  if (context.state !== "open") throw data({ reason: "notOpen" as const }, { status: 403 });
  if (!canEdit(context)) throw data({ reason: "locked" as const }, { status: 409 });
}
