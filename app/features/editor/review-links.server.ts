import { data } from "@remix-run/node";
import { z } from "zod";
import { insertReviewLink, findReviewLinkByHash, listReviewLinks, revokeReviewLink as revokeReviewLinkRow } from "~/models/review-link.server";
import { listVersions, versionExists } from "~/models/survey-version.server";
import { recordAudit } from "~/platform/audit.server";
import { formText, type FieldErrors } from "~/platform/forms.server";
import { hitRateLimit, peekRateLimit } from "~/platform/rate-limit.server";
import { generateToken, hashToken, looksLikeToken } from "~/platform/tokens.server";
import { REVIEW_LINK_DAYS, type ReviewLinkStatus } from "./review-links";

/**
 * Review links: one version of a survey, read-only, for someone without a
 * staff account (a Governing Board member signing it off, an external
 * translator proofreading), at /review/<token>. The version is fixed when the
 * link is made: what the reviewer read is what they sign off, even if a draft
 * is saved or published meanwhile (a link that followed the newest draft
 * could change under them between two readings). The page is the staff
 * preview (preview.server.ts), which stores nothing. Only the token's hash is
 * kept, so the link can be shown only when it is made, like personal links.
 */
const DAY_MS = 86_400_000;

/** Wrong review links per client address, as for survey links (features/respondent/context.server.ts). */
const WRONG_LINKS_PER_WINDOW = 20;
const WRONG_LINK_WINDOW_MS = 10 * 60_000;

/**
 * Every answer of /review/<token>, its error pages included: the address
 * carries a secret, so no copy is kept and no search engine lists it.
 * (Referrer-Policy: no-referrer is sent with every page: server.ts.)
 */
export const REVIEW_PAGE_HEADERS = { "X-Robots-Tag": "noindex", "Cache-Control": "no-store" } as const;

export const reviewLinkSchema = z.object({
  label: formText(z.string().trim().min(1, "errors.field.required").max(200, "errors.field.tooLong")),
  days: formText(
    z
      .string()
      .trim()
      .regex(/^[0-9]{1,3}$/, "staff:editor.reviewLinks.errors.days")
      .transform(Number)
      .pipe(z.number().min(REVIEW_LINK_DAYS.min, "staff:editor.reviewLinks.errors.days").max(REVIEW_LINK_DAYS.max, "staff:editor.reviewLinks.errors.days")),
  ),
  version: formText(
    z
      .string()
      .regex(/^[1-9][0-9]{0,8}$/, "staff:editor.reviewLinks.errors.version")
      .transform(Number),
  ),
});
export type ReviewLinkInput = z.output<typeof reviewLinkSchema>;

/** The staff page: the survey's versions to choose from, and its links, still working or ended. */
export async function reviewLinksPage(survey: { id: string; publishedVersion: number }, now: Date) {
  const [versions, links] = await Promise.all([listVersions(survey.id), listReviewLinks(survey.id)]);
  const rows = links.map((link) => {
    const status: ReviewLinkStatus = link.revokedAt ? "revoked" : link.expiresAt <= now ? "expired" : "active";
    return {
      id: link.id,
      label: link.label,
      version: link.versionNumber,
      createdBy: link.createdBy?.name ?? null,
      createdAt: link.createdAt.toISOString(),
      expiresAt: link.expiresAt.toISOString(),
      revokedAt: link.revokedAt?.toISOString() ?? null,
      status,
    };
  });
  return {
    versions: versions.map((version) => ({
      number: version.number,
      draft: version.publishedAt === null,
      current: version.number === survey.publishedVersion,
    })),
    active: rows.filter((row) => row.status === "active"),
    ended: rows.filter((row) => row.status !== "active"),
  };
}

export function reviewLinkAddress(origin: string, token: string): string {
  return `${origin}/review/${token}`;
}

export type CreateReviewLinkOutcome = { ok: true; token: string; expiresAt: Date } | { ok: false; errors: FieldErrors };

/** Makes a link to one version; the token is returned once and never stored. */
export async function createReviewLink(
  user: { id: string },
  survey: { id: string; slug: string },
  input: ReviewLinkInput,
  now = new Date(),
): Promise<CreateReviewLinkOutcome> {
  if (!(await versionExists(survey.id, input.version))) return { ok: false, errors: { version: ["staff:editor.reviewLinks.errors.version"] } };
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + input.days * DAY_MS);
  const id = await insertReviewLink({
    surveyId: survey.id,
    versionNumber: input.version,
    tokenHash: hashToken(token),
    label: input.label,
    createdById: user.id,
    expiresAt,
  });
  await recordAudit({
    staffUserId: user.id,
    action: "surveys.reviewLink.create",
    subject: survey.slug,
    detail: { link: id, version: input.version, label: input.label, expiresAt: expiresAt.toISOString() },
  });
  return { ok: true, token, expiresAt };
}

/** Ends a link of this survey at once; false for an unknown, foreign or already revoked one. */
export async function revokeReviewLink(user: { id: string }, survey: { id: string; slug: string }, id: string, now = new Date()): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return false;
  const revoked = await revokeReviewLinkRow(id, survey.id, now);
  if (!revoked) return false;
  await recordAudit({
    staffUserId: user.id,
    action: "surveys.reviewLink.revoke",
    subject: survey.slug,
    detail: { link: id, version: revoked.versionNumber, label: revoked.label },
  });
  return true;
}

export interface OpenReviewLink {
  survey: { id: string; slug: string };
  version: number;
  expiresAt: Date;
}

/**
 * The link a reviewer follows. Unknown tokens are counted per client address
 * in the database (across every app instance); once over the limit even a
 * working link is refused, or the difference would tell a guesser which guess
 * was right. An expired or revoked link says so (410) and is not counted: it
 * was a real link, not a guess.
 */
export async function openReviewLink(token: string | undefined, clientIp: string | undefined, now = new Date()): Promise<OpenReviewLink> {
  const limitKey = `review-token:${clientIp ?? "unknown"}`;
  const limit = await peekRateLimit(limitKey, WRONG_LINKS_PER_WINDOW, WRONG_LINK_WINDOW_MS);
  if (!limit.allowed) {
    // A thrown Response (not data()) so that Retry-After reaches errorHeaders.
    throw Response.json({ reason: "tooManyAttempts" }, { status: 429, headers: { ...REVIEW_PAGE_HEADERS, "Retry-After": String(limit.retryAfterSeconds) } });
  }
  const row = token && looksLikeToken(token) ? await findReviewLinkByHash(hashToken(token)) : null;
  if (!row) {
    await hitRateLimit(limitKey, WRONG_LINKS_PER_WINDOW, WRONG_LINK_WINDOW_MS);
    return invalidReviewLink();
  }
  if (row.revokedAt || row.expiresAt <= now) throw data({ reason: "reviewLinkEnded" as const }, { status: 410, headers: REVIEW_PAGE_HEADERS });
  return { survey: row.survey, version: row.versionNumber, expiresAt: row.expiresAt };
}

/** The one "not valid" page of a review link (also for a link whose version cannot be shown). */
export function invalidReviewLink(): never {
  throw data({ reason: "invalidReviewLink" as const }, { status: 404, headers: REVIEW_PAGE_HEADERS });
}
