import { redirect, type HeadersFunction } from "@remix-run/node";
import { missingRequired, type AnswerValue } from "~/domain/answers";
import { LANGUAGE_COOKIE } from "~/platform/i18n";
import type { RespondentContext } from "~/features/respondent/context.server";
import { preferenceCookie } from "~/platform/cookies.server";

export function surveyPath(context: RespondentContext, step?: string): string {
  const base = `/s/${context.token}`;
  return step ? `${base}/${step}` : base;
}

export function sectionPath(context: RespondentContext, key: string): string {
  return surveyPath(context, `section/${key}`);
}

/** "language:fr" from the survey's own switcher, if it is one of the survey's languages. */
export function requestedLanguage(context: RespondentContext, intent: string): string | null {
  if (!intent.startsWith("language:")) return null;
  const code = intent.slice("language:".length);
  return context.languages.includes(code) ? code : null;
}

export function redirectInLanguage(url: string, code: string, request: Request) {
  const secure = new URL(request.url).protocol === "https:";
  return redirect(url, { headers: { "Set-Cookie": preferenceCookie(LANGUAGE_COOKIE, code, secure) } });
}

/** Where a returning respondent continues: the first section not yet saved or still missing a required answer. */
export function resumePath(context: RespondentContext, answers: readonly AnswerValue[]): string {
  const saved = new Set(context.response?.savedSections ?? []);
  const missing = new Set(missingRequired(context.structure.sections, answers).map((entry) => entry.section));
  const next = context.structure.sections.find((section) => !saved.has(section.key) || missing.has(section.key));
  return next ? sectionPath(context, next.key) : surveyPath(context, "review");
}

/** Retry-After of a refused request (429) must reach the page's response too. */
export const respondentHeaders: HeadersFunction = ({ errorHeaders, actionHeaders, loaderHeaders }) =>
  errorHeaders ?? (actionHeaders.has("retry-after") ? actionHeaders : loaderHeaders);
