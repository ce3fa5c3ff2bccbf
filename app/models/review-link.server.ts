import { db } from "~/platform/db.server";

/**
 * Review links (/review/<token>): one fixed version of a survey, read-only,
 * for someone without a staff account. Stored by the token's hash only (see
 * platform/tokens.server.ts), like participants' links.
 */
export interface NewReviewLink {
  surveyId: string;
  versionNumber: number;
  tokenHash: string;
  label: string;
  createdById: string | null;
  expiresAt: Date;
}

export async function insertReviewLink(link: NewReviewLink): Promise<string> {
  const row = await db().reviewLink.create({ data: link, select: { id: true } });
  return row.id;
}

/** The link a reviewer's token names, with what the page needs of its survey (unique index on the hash). */
export function findReviewLinkByHash(tokenHash: string) {
  return db().reviewLink.findUnique({
    where: { tokenHash },
    select: { versionNumber: true, expiresAt: true, revokedAt: true, survey: { select: { id: true, slug: true } } },
  });
}

/** A survey's links, newest first, with who made them (the staff page's two tables). */
export function listReviewLinks(surveyId: string, limit = 200) {
  return db().reviewLink.findMany({
    where: { surveyId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, versionNumber: true, label: true, createdAt: true, expiresAt: true, revokedAt: true, createdBy: { select: { name: true } } },
  });
}

/** Revokes a link of this survey that is not revoked yet; false when there is none (unknown, another survey's, already revoked). */
export async function revokeReviewLink(id: string, surveyId: string, now: Date): Promise<{ label: string; versionNumber: number } | null> {
  const updated = await db().reviewLink.updateMany({ where: { id, surveyId, revokedAt: null }, data: { revokedAt: now } });
  if (updated.count === 0) return null;
  return db().reviewLink.findUnique({ where: { id }, select: { label: true, versionNumber: true } });
}
