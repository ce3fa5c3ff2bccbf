import { surveyState, type SurveyState } from "~/domain/survey-state";
import { db } from "~/platform/db.server";

export interface SurveySummary {
  id: string;
  slug: string;
  mode: string;
  state: SurveyState;
  opensAt: string;
  closesAt: string;
  participantCount: number;
  submittedCount: number;
  publishedVersion: number;
}

/** Every survey, or only `only` (the ids a staff member's grants name). */
export async function listSurveysForStaff(now: Date, only: "all" | readonly string[] = "all"): Promise<SurveySummary[]> {
  const surveys = await db().survey.findMany({
    where: only === "all" ? {} : { id: { in: [...only] } },
    orderBy: { opensAt: "desc" },
    select: { id: true, slug: true, mode: true, status: true, opensAt: true, closesAt: true, publishedVersion: true },
  });
  const [participants, submitted] = await Promise.all([
    db().participant.groupBy({ by: ["surveyId"], _count: { _all: true } }),
    db().response.groupBy({ by: ["surveyId"], where: { status: "submitted" }, _count: { _all: true } }),
  ]);
  const participantsBySurvey = new Map(participants.map((row) => [row.surveyId, row._count._all]));
  const submittedBySurvey = new Map(submitted.map((row) => [row.surveyId, row._count._all]));
  return surveys.map((survey) => ({
    id: survey.id,
    slug: survey.slug,
    mode: survey.mode,
    state: surveyState(survey, now),
    opensAt: survey.opensAt.toISOString(),
    closesAt: survey.closesAt.toISOString(),
    participantCount: participantsBySurvey.get(survey.id) ?? 0,
    submittedCount: submittedBySurvey.get(survey.id) ?? 0,
    publishedVersion: survey.publishedVersion,
  }));
}

/** What the staff pages of one survey need; null for an unknown slug. */
export async function findSurveyForStaff(slug: string) {
  return db().survey.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      mode: true,
      status: true,
      opensAt: true,
      closesAt: true,
      defaultLanguage: true,
      anonymityThreshold: true,
      estimatedMinutes: true,
      definitionHash: true,
      publishedVersion: true,
    },
  });
}

/** The surveys a staff member may open, newest first, with what their titles are read by: the survey switcher's list. */
export function listSurveysToSwitch(only: "all" | readonly string[] = "all"): Promise<{ id: string; slug: string; publishedVersion: number }[]> {
  return db().survey.findMany({
    where: only === "all" ? {} : { id: { in: [...only] } },
    orderBy: { opensAt: "desc" },
    select: { id: true, slug: true, publishedVersion: true },
  });
}
