import { visibleCount } from "~/domain/anonymity";
import { databaseProvider, db } from "~/platform/db.server";

export const RATE_SEGMENTS = ["region", "language", "unit"] as const;
export type RateSegment = (typeof RATE_SEGMENTS)[number];

export interface RateRow {
  /** null: participants without a value for this segment */
  segment: string | null;
  participants: number | null;
  invited: number | null;
  started: number | null;
  submitted: number | null;
  /** submitted ÷ participants, when both may be shown */
  rate: number | null;
}

interface Counts {
  participants: number;
  invited: number;
  started: number;
  submitted: number;
}

/**
 * The response-rate dashboard, counted by the database: GROUP BY per segment
 * over Participant (consulted, invited, submitted) and Response (started,
 * i.e. any saved answer, draft or submitted). Response carries region, unit
 * and the language of answering even in anonymous surveys, so "started" needs
 * no link to a person; for the language segment it counts by the language the
 * answers are given in.
 */
export async function responseRates(survey: { id: string; anonymityThreshold: number }) {
  const surveyId = survey.id;
  const threshold = survey.anonymityThreshold;
  const [participants, invited, submitted, started] = await Promise.all([
    db().participant.count({ where: { surveyId } }),
    db().participant.count({ where: { surveyId, invitedAt: { not: null } } }),
    db().participant.count({ where: { surveyId, respondedAt: { not: null } } }),
    db().response.count({ where: { surveyId } }),
  ]);
  const totals: Counts = { participants, invited, started, submitted };

  const segments = {} as Record<RateSegment, RateRow[]>;
  for (const segment of RATE_SEGMENTS) {
    segments[segment] = await segmentRows(surveyId, segment, threshold);
  }
  return { totals: visibleRow(null, totals, threshold), segments, timeline: await timeline(surveyId) };
}

async function segmentRows(surveyId: string, segment: RateSegment, threshold: number): Promise<RateRow[]> {
  const [all, invited, submitted, started] = await Promise.all([
    db().participant.groupBy({ by: [segment], where: { surveyId }, _count: { _all: true } }),
    db().participant.groupBy({ by: [segment], where: { surveyId, invitedAt: { not: null } }, _count: { _all: true } }),
    db().participant.groupBy({ by: [segment], where: { surveyId, respondedAt: { not: null } }, _count: { _all: true } }),
    db().response.groupBy({ by: [segment], where: { surveyId }, _count: { _all: true } }),
  ]);
  const keyed = (rows: ({ _count: { _all: number } } & Partial<Record<RateSegment, string | null>>)[]) =>
    new Map(rows.map((row) => [row[segment] ?? null, row._count._all]));
  const invitedBy = keyed(invited);
  const submittedBy = keyed(submitted);
  const startedBy = keyed(started);
  return all
    .map((row) => {
      const key = row[segment] ?? null;
      return visibleRow(
        key,
        { participants: row._count._all, invited: invitedBy.get(key) ?? 0, started: startedBy.get(key) ?? 0, submitted: submittedBy.get(key) ?? 0 },
        threshold,
      );
    })
    .sort((a, b) => (a.segment ?? "\uffff").localeCompare(b.segment ?? "\uffff"));
}

/** A segment smaller than the threshold is shown as "< 5" throughout, its rate too. */
function visibleRow(segment: string | null, counts: Counts, threshold: number): RateRow {
  if (visibleCount(counts.participants, threshold) === null) {
    return { segment, participants: null, invited: null, started: null, submitted: null, rate: null };
  }
  const submitted = visibleCount(counts.submitted, threshold);
  return {
    segment,
    participants: counts.participants,
    invited: visibleCount(counts.invited, threshold),
    started: visibleCount(counts.started, threshold),
    submitted,
    rate: submitted === null || counts.participants === 0 ? null : submitted / counts.participants,
  };
}

/**
 * Invitations and submissions per day (UTC), only days with either; the page
 * fills in the days between (features/outreach/timeline.ts). Anonymous
 * surveys store respondedAt cut to the day already.
 */
async function timeline(surveyId: string): Promise<{ day: string; invited: number; submitted: number }[]> {
  const perDay = async (column: "invitedAt" | "respondedAt") => {
    const rows =
      databaseProvider() === "postgresql"
        ? await db().$queryRawUnsafe<{ day: string; count: bigint | number }[]>(
            `SELECT to_char("${column}", 'YYYY-MM-DD') AS day, COUNT(*) AS count FROM "Participant" WHERE "surveyId" = $1 AND "${column}" IS NOT NULL GROUP BY day`,
            surveyId,
          )
        : // SQLite keeps DateTime as ISO text (2026-01-02T03:04:05.678+00:00): its first ten characters are the UTC day.
          await db().$queryRawUnsafe<{ day: string; count: bigint | number }[]>(
            `SELECT substr("${column}", 1, 10) AS day, COUNT(*) AS count FROM "Participant" WHERE "surveyId" = ? AND "${column}" IS NOT NULL GROUP BY day`,
            surveyId,
          );
    return new Map(rows.map((row) => [row.day, Number(row.count)]));
  };
  const [invited, submitted] = await Promise.all([perDay("invitedAt"), perDay("respondedAt")]);
  const days = [...new Set([...invited.keys(), ...submitted.keys()])].sort();
  return days.map((day) => ({ day, invited: invited.get(day) ?? 0, submitted: submitted.get(day) ?? 0 }));
}
