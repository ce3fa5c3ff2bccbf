import { db } from "~/platform/db.server";

/** Stores a personalised link by its hash only (see platform/tokens.server.ts). */
export async function insertAccessToken(participantId: string, tokenHash: string): Promise<void> {
  await db().accessToken.create({ data: { participantId, tokenHash }, select: { id: true } });
}

/** A personalised link with its participant and survey, by the hash of the token (respondent pages). */
export function findLinkByHash(tokenHash: string) {
  return db().accessToken.findUnique({
    where: { tokenHash },
    select: {
      revokedAt: true,
      participant: {
        select: {
          id: true,
          name: true,
          email: true,
          language: true,
          region: true,
          timeZone: true,
          country: true,
          unit: true,
          respondedAt: true,
          survey: {
            select: {
              id: true,
              slug: true,
              status: true,
              mode: true,
              opensAt: true,
              closesAt: true,
              allowEditAfterSubmit: true,
              estimatedMinutes: true,
              defaultLanguage: true,
              definitionHash: true,
              publishedVersion: true,
            },
          },
        },
      },
    },
  });
}
