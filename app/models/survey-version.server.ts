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

// ------------------------------------------------ translation fingerprints

/** language → text key → fingerprint of the English text that translation was made from. */
export type SourceHashes = Record<string, Record<string, string>>;

const ENGLISH = "en";
const PLURAL_FORM = /^(.+)_(zero|one|two|few|many|other)$/;

/** A short fingerprint of an English text: enough to tell that it changed, not meant to be reversed. */
export function textFingerprint(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function flatStrings(tree: unknown, prefix = "", into = new Map<string, string>()): Map<string, string> {
  if (tree && typeof tree === "object" && !Array.isArray(tree)) {
    for (const [key, value] of Object.entries(tree)) flatStrings(value, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix && typeof tree === "string") {
    into.set(prefix, tree);
  }
  return into;
}

function parseTrees(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function parseSourceHashes(text: string): SourceHashes {
  const hashes: SourceHashes = {};
  for (const [language, keys] of Object.entries(parseTrees(text))) {
    if (!keys || typeof keys !== "object" || Array.isArray(keys)) continue;
    hashes[language] = Object.fromEntries(Object.entries(keys).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  }
  return hashes;
}

/** The English text a translated key stands for: the same key, or for a plural form English lacks (Arabic _few), English's _other. */
function englishFor(english: Map<string, string>, key: string): string | undefined {
  const own = english.get(key);
  if (own !== undefined) return own;
  const base = PLURAL_FORM.exec(key)?.[1];
  return base === undefined ? undefined : english.get(`${base}_other`);
}

/**
 * The fingerprints of a new version's translations, carried forward from the
 * version it was made from (`base`). A translation that is unchanged keeps its
 * fingerprint, so when English changes it becomes outdated: neither silently
 * kept as current nor wiped. A translation that is new or changed in this
 * version, or that the author confirmed (`confirmed`: language → keys), was
 * made from today's English. A translation seen for the first time without a
 * fingerprint (files imported by surveys:sync or a bundle, versions older than
 * fingerprints) counts as made from the English of the version it first
 * appears unchanged in, else today's.
 */
export function carryFingerprints(
  texts: string,
  base: { texts: string; sourceHashes: string } | null,
  confirmed: Record<string, readonly string[]> = {},
): SourceHashes {
  const trees = parseTrees(texts);
  const english = flatStrings(trees[ENGLISH]);
  const before = base ? parseTrees(base.texts) : {};
  const beforeEnglish = flatStrings(before[ENGLISH]);
  const beforeHashes = base ? parseSourceHashes(base.sourceHashes) : {};
  const hashes: SourceHashes = {};
  for (const [language, tree] of Object.entries(trees)) {
    if (language === ENGLISH) continue;
    const old = flatStrings(before[language]);
    const sure = new Set(confirmed[language] ?? []);
    const own: Record<string, string> = {};
    for (const [key, value] of flatStrings(tree)) {
      const source = englishFor(english, key);
      if (source === undefined) continue;
      const unchanged = old.get(key) === value && !sure.has(key);
      const previous = beforeHashes[language]?.[key];
      const previousEnglish = englishFor(beforeEnglish, key);
      own[key] = unchanged && previous ? previous : unchanged && previousEnglish !== undefined ? textFingerprint(previousEnglish) : textFingerprint(source);
    }
    if (Object.keys(own).length > 0) hashes[language] = own;
  }
  return hashes;
}

/** language → keys whose translation was made from an English text that has changed since. */
export function outdatedKeys(texts: string, sourceHashes: string): Record<string, string[]> {
  const trees = parseTrees(texts);
  const english = flatStrings(trees[ENGLISH]);
  const outdated: Record<string, string[]> = {};
  for (const [language, keys] of Object.entries(parseSourceHashes(sourceHashes))) {
    if (language === ENGLISH || !trees[language]) continue;
    const present = flatStrings(trees[language]);
    const stale = Object.entries(keys)
      .filter(([key, hash]) => {
        const source = englishFor(english, key);
        return present.has(key) && source !== undefined && textFingerprint(source) !== hash;
      })
      .map(([key]) => key);
    if (stale.length > 0) outdated[language] = stale;
  }
  return outdated;
}

/** A version's texts and fingerprints, for the languages offered to members (one indexed read). */
export function findVersionFingerprints(surveyId: string, number: number): Promise<{ texts: string; sourceHashes: string } | null> {
  return db().surveyVersion.findUnique({ where: { surveyId_number: { surveyId, number } }, select: { texts: true, sourceHashes: true } });
}

/**
 * The English texts that outdated translations were made from, found by their
 * fingerprints in the survey's earlier versions (newest first, a few at a
 * time, stopping once every fingerprint is found).
 */
export async function findEnglishByFingerprint(surveyId: string, below: number, wanted: ReadonlySet<string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let cursor = below;
  while (found.size < wanted.size && cursor > 1) {
    const rows = await db().surveyVersion.findMany({
      where: { surveyId, number: { lt: cursor } },
      orderBy: { number: "desc" },
      take: 10,
      select: { number: true, texts: true },
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      for (const value of flatStrings(parseTrees(row.texts)[ENGLISH]).values()) {
        const hash = textFingerprint(value);
        if (wanted.has(hash) && !found.has(hash)) found.set(hash, value);
      }
    }
    cursor = rows[rows.length - 1]!.number;
  }
  return found;
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
  sourceHashes: string;
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
  sourceHashes: true,
  contentHash: true,
  note: true,
  createdAt: true,
  publishedAt: true,
  createdBy: { select: { name: true } },
} as const;

export function findVersion(surveyId: string, number: number): Promise<VersionRow | null> {
  return db().surveyVersion.findUnique({ where: { surveyId_number: { surveyId, number } }, select: versionSelect });
}

export async function versionExists(surveyId: string, number: number): Promise<boolean> {
  return (await db().surveyVersion.count({ where: { surveyId, number } })) > 0;
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
  options: {
    publish: boolean;
    createdById?: string | null;
    note?: string;
    /** The version the content was made from (default: the latest), whose translation fingerprints carry forward. */
    base?: number;
    /** language → keys whose unchanged translation the author confirmed against today's English. */
    confirmed?: Record<string, readonly string[]>;
  },
): Promise<number> {
  const last = await tx.surveyVersion.findFirst({ where: { surveyId }, orderBy: { number: "desc" }, select: { number: true } });
  const number = (last?.number ?? 0) + 1;
  const baseNumber = options.base ?? last?.number;
  const base =
    baseNumber === undefined
      ? null
      : await tx.surveyVersion.findUnique({ where: { surveyId_number: { surveyId, number: baseNumber } }, select: { texts: true, sourceHashes: true } });
  await tx.surveyVersion.create({
    data: {
      surveyId,
      number,
      definition: content.definition,
      texts: content.texts,
      sourceHashes: JSON.stringify(carryFingerprints(content.texts, base, options.confirmed)),
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
export async function listPublishedTexts(): Promise<{ slug: string; texts: string; sourceHashes: string }[]> {
  const surveys = await db().survey.findMany({
    where: { publishedVersion: { gt: 0 } },
    orderBy: { slug: "asc" },
    select: { id: true, slug: true, publishedVersion: true },
  });
  if (surveys.length === 0) return [];
  const versions = await db().surveyVersion.findMany({
    where: { OR: surveys.map((survey) => ({ surveyId: survey.id, number: survey.publishedVersion })) },
    select: { surveyId: true, texts: true, sourceHashes: true },
  });
  const bySurvey = new Map(versions.map((version) => [version.surveyId, version]));
  return surveys.flatMap((survey) => {
    const version = bySurvey.get(survey.id);
    return version === undefined ? [] : [{ slug: survey.slug, texts: version.texts, sourceHashes: version.sourceHashes }];
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
        return insertVersion(
          tx,
          surveyId,
          { definition: current.definition, texts: change(current.texts) },
          { publish: true, createdById, note, base: survey.publishedVersion },
        );
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
  options: { publish: boolean; createdById: string; note: string; confirmed?: Record<string, readonly string[]> },
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
