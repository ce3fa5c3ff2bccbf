import { createHash } from "node:crypto";
import type { Transaction } from "~/models/database.server";
import { db } from "~/platform/db.server";

/**
 * Saved versions of a survey: the definition file's text and its texts in
 * every language ({"<lng>": tree} as JSON text). Survey.publishedVersion
 * names the one members see; versions are never changed once written.
 */
export interface VersionContent {
  /** The definition file, verbatim. */
  definition: string;
  /** JSON text of { "<lng>": { ...survey.<slug>.json tree } }. */
  texts: string;
}

export function contentHash(content: VersionContent): string {
  return createHash("sha256").update(content.definition).update("\u0000").update(content.texts).digest("hex");
}

/** The texts of one version, by the number the survey row carries (one indexed read). */
export async function findVersionTexts(surveyId: string, number: number): Promise<string | null> {
  const row = await db().surveyVersion.findUnique({ where: { surveyId_number: { surveyId, number } }, select: { texts: true } });
  return row?.texts ?? null;
}

export interface VersionRow {
  id: string;
  number: number;
  definition: string;
  texts: string;
  contentHash: string;
  note: string;
  createdAt: Date;
  publishedAt: Date | null;
  createdBy: { name: string } | null;
}

const versionSelect = {
  id: true,
  number: true,
  definition: true,
  texts: true,
  contentHash: true,
  note: true,
  createdAt: true,
  publishedAt: true,
  createdBy: { select: { name: true } },
} as const;

export function findVersion(surveyId: string, number: number): Promise<VersionRow | null> {
  return db().surveyVersion.findUnique({ where: { surveyId_number: { surveyId, number } }, select: versionSelect });
}

/** Newest first, without their contents. */
export function listVersions(surveyId: string) {
  return db().surveyVersion.findMany({
    where: { surveyId },
    orderBy: { number: "desc" },
    take: 50,
    select: { number: true, note: true, createdAt: true, publishedAt: true, contentHash: true, createdBy: { select: { name: true } } },
  });
}

/** Adds the next version of a survey inside the caller's transaction; publishes it when asked. */
export async function insertVersion(
  tx: Transaction,
  surveyId: string,
  content: VersionContent,
  options: { publish: boolean; createdById?: string | null; note?: string },
): Promise<number> {
  const last = await tx.surveyVersion.findFirst({ where: { surveyId }, orderBy: { number: "desc" }, select: { number: true } });
  const number = (last?.number ?? 0) + 1;
  await tx.surveyVersion.create({
    data: {
      surveyId,
      number,
      definition: content.definition,
      texts: content.texts,
      contentHash: contentHash(content),
      note: options.note ?? "",
      createdById: options.createdById ?? null,
      publishedAt: options.publish ? new Date() : null,
    },
    select: { id: true },
  });
  if (options.publish) await tx.survey.update({ where: { id: surveyId }, data: { publishedVersion: number }, select: { id: true } });
  return number;
}

/** Marks an existing draft published and makes it the survey's current version. */
export async function markPublished(tx: Transaction, surveyId: string, number: number): Promise<void> {
  await tx.surveyVersion.update({ where: { surveyId_number: { surveyId, number } }, data: { publishedAt: new Date() }, select: { id: true } });
  await tx.survey.update({ where: { id: surveyId }, data: { publishedVersion: number }, select: { id: true } });
}

/** A survey with the definition and texts of its published version (null when it has none). */
export async function findPublishedBySlug(slug: string) {
  const survey = await db().survey.findUnique({ where: { slug }, select: { id: true, slug: true, publishedVersion: true } });
  if (!survey || survey.publishedVersion <= 0) return null;
  const version = await findVersion(survey.id, survey.publishedVersion);
  return version ? { survey, version } : null;
}

/** Every survey's published texts, for the Translations pages. */
export async function listPublishedTexts(): Promise<{ slug: string; texts: string }[]> {
  const surveys = await db().survey.findMany({
    where: { publishedVersion: { gt: 0 } },
    orderBy: { slug: "asc" },
    select: { id: true, slug: true, publishedVersion: true },
  });
  if (surveys.length === 0) return [];
  const versions = await db().surveyVersion.findMany({
    where: { OR: surveys.map((survey) => ({ surveyId: survey.id, number: survey.publishedVersion })) },
    select: { surveyId: true, texts: true },
  });
  const textsBySurvey = new Map(versions.map((version) => [version.surveyId, version.texts]));
  return surveys.flatMap((survey) => {
    const texts = textsBySurvey.get(survey.id);
    return texts === undefined ? [] : [{ slug: survey.slug, texts }];
  });
}

/**
 * Publishes a new version that keeps the published definition and changes
 * only the texts (a translation upload). The published version is read inside
 * the transaction, so two uploads at once each build on the other's result
 * (PostgreSQL: the second one's insert collides on the number and is retried).
 */
export async function publishChangedTexts(surveyId: string, change: (texts: string) => string, createdById: string, note: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db().$transaction(async (tx) => {
        const survey = await tx.survey.findUniqueOrThrow({ where: { id: surveyId }, select: { publishedVersion: true } });
        const current = await tx.surveyVersion.findUniqueOrThrow({
          where: { surveyId_number: { surveyId, number: survey.publishedVersion } },
          select: { definition: true, texts: true },
        });
        return insertVersion(tx, surveyId, { definition: current.definition, texts: change(current.texts) }, { publish: true, createdById, note });
      });
    } catch (error) {
      if (attempt < 2 && (error as { code?: string }).code === "P2002") continue;
      throw error;
    }
  }
}

export type SaveOntoOutcome = { ok: true; number: number } | { ok: false; conflict: { latest: number } };

/**
 * Saves an edit made on version `base` as the survey's next version, unless
 * someone saved another version since `base` was read: then nothing is
 * written and the caller shows the conflict (never a silent overwrite). The
 * check and the insert share a transaction; two saves racing past the check
 * collide on the (survey, number) key, and the loser gets the conflict too.
 */
export async function saveVersionOnto(
  surveyId: string,
  base: number,
  content: VersionContent,
  options: { publish: boolean; createdById: string; note: string },
): Promise<SaveOntoOutcome> {
  try {
    return await db().$transaction(async (tx): Promise<SaveOntoOutcome> => {
      const last = await tx.surveyVersion.findFirst({ where: { surveyId }, orderBy: { number: "desc" }, select: { number: true } });
      const latest = last?.number ?? 0;
      if (latest !== base) return { ok: false, conflict: { latest } };
      return { ok: true, number: await insertVersion(tx, surveyId, content, options) };
    });
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    const last = await db().surveyVersion.findFirst({ where: { surveyId }, orderBy: { number: "desc" }, select: { number: true } });
    return { ok: false, conflict: { latest: last?.number ?? 0 } };
  }
}

/** The newest version (draft or published) of a survey, with its contents. */
export async function findLatestVersion(surveyId: string): Promise<VersionRow | null> {
  return db().surveyVersion.findFirst({ where: { surveyId }, orderBy: { number: "desc" }, select: versionSelect });
}
