import { createHash } from "node:crypto";
import { LIKERT_SCALE, OTHER_OPTION_KEY, type QuestionDefinition, type SurveyDefinition } from "~/domain/survey-definition";
import { contentHash, findVersion, insertVersion, markPublished, type VersionContent } from "~/models/survey-version.server";
import { db, type Db } from "~/platform/db.server";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Syncing a structure is one upsert per section, question and option, one
 * round trip each: a long survey on a busy PostgreSQL can pass Prisma's 5 s
 * default for an interactive transaction.
 */
const STRUCTURE_TRANSACTION = { timeout: 60_000, maxWait: 10_000 };

export interface SyncResult {
  slug: string;
  outcome: "created" | "updated" | "unchanged";
}

export class SurveySyncError extends Error {}

interface OptionSpec {
  key: string;
  role: "choice" | "row";
  score: number | null;
  isOther: boolean;
}

/** The option rows a question needs: Likert points, listed options (+ Other), matrix rows. */
export function optionSpecs(question: QuestionDefinition): OptionSpec[] {
  const likert = (): OptionSpec[] => LIKERT_SCALE.map((point) => ({ key: point.key, role: "choice", score: point.score, isOther: false }));
  switch (question.type) {
    case "likert":
      return likert();
    case "matrix":
      return [...question.rows.map((key): OptionSpec => ({ key, role: "row", score: null, isOther: false })), ...likert()];
    case "single":
    case "multiple":
      return [
        ...question.options.map((key): OptionSpec => ({ key, role: "choice", score: null, isOther: false })),
        ...(question.allowOther ? [{ key: OTHER_OPTION_KEY, role: "choice" as const, score: null, isOther: true }] : []),
      ];
    default:
      return [];
  }
}

function questionSettings(question: QuestionDefinition): string {
  const { key: _key, type: _type, required: _required, ...rest } = question;
  return JSON.stringify(rest);
}

export function definitionHash(definition: SurveyDefinition): string {
  return createHash("sha256").update(JSON.stringify(definition)).digest("hex");
}

/**
 * Loads a definition into the database, or updates it in place. Sections,
 * questions and options are matched by key, so answers stay attached when a
 * definition is edited; removing or retyping something that already has
 * answers is refused rather than deleting what members said.
 *
 * With `content` (the files: definition and texts), the files also become the
 * survey's next published version, unless they are those of the version
 * already published (then nothing changes). Without it only the structure is
 * synced, and a survey that has no version reads its texts from the locale
 * folder.
 */
export async function syncSurvey(definition: SurveyDefinition, content?: VersionContent): Promise<SyncResult> {
  const hash = definitionHash(definition);
  const existing = await db().survey.findUnique({ where: { slug: definition.slug }, select: { id: true, definitionHash: true, publishedVersion: true } });
  if (existing?.definitionHash === hash) {
    if (!content) return { slug: definition.slug, outcome: "unchanged" };
    const published = existing.publishedVersion > 0 ? await findVersion(existing.id, existing.publishedVersion) : null;
    if (published?.contentHash === contentHash(content)) return { slug: definition.slug, outcome: "unchanged" };
  }

  await db().$transaction(async (tx) => {
    const surveyId = await applyDefinition(tx, definition, { status: "published" });
    if (content) await insertVersion(tx, surveyId, content, { publish: true, note: "surveys:sync" });
  }, STRUCTURE_TRANSACTION);
  return { slug: definition.slug, outcome: existing ? "updated" : "created" };
}

/**
 * Makes a saved draft the published version: its definition becomes the
 * structure, its texts what members read. A survey still in draft (created in
 * the browser, never opened to members) becomes published: from then on its
 * dates open and close it, and the overview's lifecycle actions apply.
 */
export async function publishVersion(surveyId: string, number: number, definition: SurveyDefinition): Promise<void> {
  await db().$transaction(async (tx) => {
    await applyDefinition(tx, definition, {});
    await markPublished(tx, surveyId, number);
    await tx.survey.updateMany({ where: { id: surveyId, status: "draft" }, data: { status: "published" } });
  }, STRUCTURE_TRANSACTION);
}

/**
 * Creates a survey from a bundle: its row (a draft, which members cannot
 * open), its structure and version 1 as the published version, so staff pages
 * read its texts from the start.
 */
export async function createSurveyFromBundle(definition: SurveyDefinition, content: VersionContent, createdById: string, note: string): Promise<number | null> {
  try {
    return await db().$transaction(async (tx) => {
      const surveyId = await applyDefinition(tx, definition, { status: "draft", onlyNew: true });
      return insertVersion(tx, surveyId, content, { publish: true, createdById, note });
    }, STRUCTURE_TRANSACTION);
  } catch (error) {
    // Someone created a survey under this slug between the caller's check and this insert: theirs stays untouched.
    if ((error as { code?: string }).code === "P2002") return null;
    throw error;
  }
}

/** Saves a draft version of an existing survey; what members see does not change. */
export async function saveDraftVersion(surveyId: string, content: VersionContent, createdById: string, note: string): Promise<number> {
  return db().$transaction((tx) => insertVersion(tx, surveyId, content, { publish: false, createdById, note }));
}

/**
 * Creates or updates the Survey row and its structure. `onlyNew` inserts and never updates: a new survey (the editor's
 * "New survey", a bundle for an unknown slug) must not land on top of one made under the same slug a moment before,
 * as an upsert would; the unique slug then fails the insert (P2002) on either database.
 */
async function applyDefinition(tx: Tx, definition: SurveyDefinition, create: { status?: string; onlyNew?: boolean }): Promise<string> {
  const hash = definitionHash(definition);
  const fields = {
    mode: definition.mode,
    opensAt: new Date(definition.opensAt),
    closesAt: new Date(definition.closesAt),
    allowEditAfterSubmit: definition.allowEditAfterSubmit,
    defaultLanguage: definition.defaultLanguage,
    anonymityThreshold: definition.anonymityThreshold,
    estimatedMinutes: definition.estimatedMinutes,
    definitionHash: hash,
  };
  const row = { slug: definition.slug, status: create.status ?? "published", ...fields };
  const survey = create.onlyNew
    ? await tx.survey.create({ data: row, select: { id: true } })
    : await tx.survey.upsert({ where: { slug: definition.slug }, create: row, update: fields, select: { id: true } });
  await syncStructure(tx, survey.id, definition);
  return survey.id;
}

async function syncStructure(tx: Tx, surveyId: string, definition: SurveyDefinition): Promise<void> {
  const questionKeys = new Set<string>();
  const sectionKeys = new Set<string>();
  let questionPosition = 0;
  for (const [sectionIndex, section] of definition.sections.entries()) {
    sectionKeys.add(section.key);
    const sectionRow = await tx.section.upsert({
      where: { surveyId_key: { surveyId, key: section.key } },
      create: { surveyId, key: section.key, position: sectionIndex },
      update: { position: sectionIndex },
      select: { id: true },
    });
    for (const question of section.questions) {
      questionKeys.add(question.key);
      const current = await tx.question.findUnique({
        where: { surveyId_key: { surveyId, key: question.key } },
        select: { id: true, type: true, _count: { select: { answers: true } } },
      });
      if (current && current.type !== question.type && current._count.answers > 0) {
        throw new SurveySyncError(`${definition.slug}: question "${question.key}" has answers; its type cannot change`);
      }
      const fields = {
        sectionId: sectionRow.id,
        position: questionPosition++,
        type: question.type,
        required: question.required,
        settings: questionSettings(question),
      };
      const row = await tx.question.upsert({
        where: { surveyId_key: { surveyId, key: question.key } },
        create: { surveyId, key: question.key, ...fields },
        update: fields,
        select: { id: true },
      });
      await syncOptions(tx, row.id, definition.slug, question);
    }
  }
  await removeUnlisted(
    tx,
    definition.slug,
    "question",
    await tx.question.findMany({
      where: { surveyId, key: { notIn: [...questionKeys] } },
      select: { id: true, key: true, _count: { select: { answers: true } } },
    }),
  );
  const staleSections = await tx.section.findMany({
    where: { surveyId, key: { notIn: [...sectionKeys] } },
    select: { id: true, key: true, _count: { select: { questions: true } } },
  });
  for (const section of staleSections) {
    if (section._count.questions > 0) throw new SurveySyncError(`${definition.slug}: section "${section.key}" still has questions`);
    await tx.section.delete({ where: { id: section.id } });
  }
}

async function syncOptions(tx: Tx, questionId: string, slug: string, question: QuestionDefinition): Promise<void> {
  const specs = optionSpecs(question);
  for (const [position, spec] of specs.entries()) {
    await tx.option.upsert({
      where: { questionId_role_key: { questionId, role: spec.role, key: spec.key } },
      create: { questionId, position, ...spec },
      update: { position, score: spec.score, isOther: spec.isOther },
    });
  }
  const stale = await tx.option.findMany({
    where: { questionId, NOT: { OR: specs.map((spec) => ({ role: spec.role, key: spec.key })) } },
    select: { id: true, key: true, _count: { select: { chosenAnswers: true, rowAnswers: true } } },
  });
  for (const option of stale) {
    if (option._count.chosenAnswers + option._count.rowAnswers > 0) {
      throw new SurveySyncError(`${slug}: option "${option.key}" of "${question.key}" has answers and cannot be removed`);
    }
    await tx.option.delete({ where: { id: option.id } });
  }
}

async function removeUnlisted(tx: Tx, slug: string, what: string, rows: { id: string; key: string; _count: { answers: number } }[]): Promise<void> {
  for (const row of rows) {
    if (row._count.answers > 0) throw new SurveySyncError(`${slug}: ${what} "${row.key}" has answers and cannot be removed`);
    await tx.question.delete({ where: { id: row.id } });
  }
}
