import type { LifecycleChange, LifecycleSurvey } from "~/domain/survey-lifecycle";
import { parseSurveyDefinition } from "~/domain/survey-definition";
import { definitionHash } from "~/models/survey-sync.server";
import { insertVersion } from "~/models/survey-version.server";
import type { Transaction } from "~/models/database.server";
import { db } from "~/platform/db.server";

/**
 * A survey's dates live in two places: the definition of each version (what
 * the editor shows, what a bundle exports, what the impact report compares)
 * and the Survey row (what members' pages read), which publishing copies
 * from the definition (survey-sync.server.ts applyDefinition). A lifecycle
 * action that wrote only the row would be undone silently by the next
 * publish. So a change of dates is recorded as versions, like any other
 * change of the definition:
 * - a new published version: the published definition with the new dates,
 *   the same texts; the row takes its dates and hash;
 * - when a draft newer than the published version is being edited, a new
 *   draft on top of it with the same dates, so the editor keeps showing the
 *   survey's current dates and publishing that draft later changes none of
 *   them. (An older draft published from the Versions tab is compared with
 *   the new published version: its other deadline shows in the impact report
 *   as "closes later" or, to confirm, "closes earlier"; never silent.)
 * A status change (archive, unarchive) is not part of the definition and
 * touches the row only.
 */

export type LifecycleWrite = { ok: true; versions: number[] } | { ok: false; stale: true };

const NOTE = "lifecycle";

/** Responses started and not submitted: those a closing cuts short (the figure the close step confirms). */
export function countUnsubmittedResponses(surveyId: string): Promise<number> {
  return db().response.count({ where: { surveyId, status: "draft" } });
}

/**
 * Applies a lifecycle change, provided the survey still has the status and
 * dates the action was planned on (`expected`); otherwise nothing is written
 * and the caller says the survey changed meanwhile. The guarded UPDATE comes
 * first, so of two actions at once the second finds the row changed (it waits
 * for the first's row lock on PostgreSQL; SQLite runs one writer at a time).
 */
export async function applyLifecycleChange(surveyId: string, expected: LifecycleSurvey, change: LifecycleChange, createdById: string): Promise<LifecycleWrite> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db().$transaction(async (tx): Promise<LifecycleWrite> => {
        const guarded = await tx.survey.updateMany({
          where: { id: surveyId, status: expected.status, opensAt: expected.opensAt, closesAt: expected.closesAt },
          data: change,
        });
        if (guarded.count === 0) return { ok: false, stale: true };
        if ("status" in change) return { ok: true, versions: [] };
        return { ok: true, versions: await recordDates(tx, surveyId, change, createdById) };
      });
    } catch (error) {
      // A version saved by the editor at the same moment took the number: read again and build on it.
      if (attempt < 2 && (error as { code?: string }).code === "P2002") continue;
      throw error;
    }
  }
}

async function recordDates(tx: Transaction, surveyId: string, dates: { opensAt: Date; closesAt: Date }, createdById: string): Promise<number[]> {
  const survey = await tx.survey.findUniqueOrThrow({ where: { id: surveyId }, select: { publishedVersion: true } });
  // A survey loaded without versions (surveys:sync of the structure only) has nothing to keep in step.
  if (survey.publishedVersion <= 0) return [];
  const versionOf = (number: number) =>
    tx.surveyVersion.findUniqueOrThrow({ where: { surveyId_number: { surveyId, number } }, select: { definition: true, texts: true } });
  const latest = await tx.surveyVersion.findFirstOrThrow({ where: { surveyId }, orderBy: { number: "desc" }, select: { number: true, publishedAt: true } });
  const published = await versionOf(survey.publishedVersion);
  const definition = withDates(published.definition, dates);
  const parsed = parseSurveyDefinition(JSON.parse(definition));
  if (!parsed.ok) throw new Error(`the published definition with new dates fails the schema: ${parsed.errors.join("; ")}`);
  const numbers = [
    await insertVersion(tx, surveyId, { definition, texts: published.texts }, { publish: true, createdById, note: NOTE, base: survey.publishedVersion }),
  ];
  await tx.survey.update({ where: { id: surveyId }, data: { definitionHash: definitionHash(parsed.definition) }, select: { id: true } });
  if (latest.number > survey.publishedVersion && !latest.publishedAt) {
    const draft = await versionOf(latest.number);
    numbers.push(
      await insertVersion(
        tx,
        surveyId,
        { definition: withDates(draft.definition, dates), texts: draft.texts },
        { publish: false, createdById, note: NOTE, base: latest.number },
      ),
    );
  }
  return numbers;
}

/** A definition file with other dates, written as the editor writes definitions (2-space JSON, final newline). */
function withDates(definition: string, dates: { opensAt: Date; closesAt: Date }): string {
  const iso = (date: Date) => date.toISOString().replace(/\.000Z$/, "Z");
  return `${JSON.stringify({ ...(JSON.parse(definition) as Record<string, unknown>), opensAt: iso(dates.opensAt), closesAt: iso(dates.closesAt) }, null, 2)}\n`;
}
