import { db } from "~/platform/db.server";

/** Stores a personalised link by its hash only (see platform/tokens.server.ts). */
export async function insertAccessToken(participantId: string, tokenHash: string): Promise<void> {
  await db().accessToken.create({ data: { participantId, tokenHash }, select: { id: true } });
}

export interface LinkRow {
  revokedAt: Date | null;
  participant: {
    id: string;
    name: string;
    email: string;
    language: string;
    region: string | null;
    timeZone: string | null;
    country: string | null;
    unit: string | null;
    respondedAt: Date | null;
    survey: {
      id: string;
      slug: string;
      status: string;
      mode: string;
      opensAt: Date;
      closesAt: Date;
      allowEditAfterSubmit: boolean;
      estimatedMinutes: number;
      defaultLanguage: string;
      definitionHash: string;
      publishedVersion: number;
    };
  };
}

type FlatLinkRow = Omit<LinkRow, "participant"> &
  Omit<LinkRow["participant"], "id" | "survey"> & { participantId: string } & Omit<LinkRow["participant"]["survey"], "id"> & { surveyId: string };

/**
 * A personalised link with its participant and survey, by the hash of the
 * token: every respondent page starts here. Written as SQL (the same on
 * SQLite and PostgreSQL) because the query builder's own work for this
 * two-level select cost about 210 µs a call against 45 µs for the query.
 */
export async function findLinkByHash(tokenHash: string): Promise<LinkRow | null> {
  const rows = await db().$queryRaw<FlatLinkRow[]>`
    SELECT t."revokedAt",
      p."id" AS "participantId", p."name", p."email", p."language", p."region", p."timeZone", p."country", p."unit", p."respondedAt",
      s."id" AS "surveyId", s."slug", s."status", s."mode", s."opensAt", s."closesAt", s."allowEditAfterSubmit", s."estimatedMinutes",
      s."defaultLanguage", s."definitionHash", s."publishedVersion"
    FROM "AccessToken" t
    JOIN "Participant" p ON p."id" = t."participantId"
    JOIN "Survey" s ON s."id" = p."surveyId"
    WHERE t."tokenHash" = ${tokenHash}`;
  const row = rows[0];
  if (!row) return null;
  return {
    revokedAt: row.revokedAt,
    participant: {
      id: row.participantId,
      name: row.name,
      email: row.email,
      language: row.language,
      region: row.region,
      timeZone: row.timeZone,
      country: row.country,
      unit: row.unit,
      respondedAt: row.respondedAt,
      survey: {
        id: row.surveyId,
        slug: row.slug,
        status: row.status,
        mode: row.mode,
        opensAt: row.opensAt,
        closesAt: row.closesAt,
        allowEditAfterSubmit: row.allowEditAfterSubmit,
        estimatedMinutes: row.estimatedMinutes,
        defaultLanguage: row.defaultLanguage,
        definitionHash: row.definitionHash,
        publishedVersion: row.publishedVersion,
      },
    },
  };
}
