/**
 * Whether a survey accepts answers now. Status is the staff's publishing
 * decision; the dates decide the rest, so a published survey opens and
 * closes by itself.
 */
export type SurveyState = "draft" | "scheduled" | "open" | "closed" | "archived";

export function surveyState(survey: { status: string; opensAt: Date; closesAt: Date }, now: Date): SurveyState {
  if (survey.status === "archived") return "archived";
  if (survey.status !== "published") return "draft";
  if (now < survey.opensAt) return "scheduled";
  if (now >= survey.closesAt) return "closed";
  return "open";
}
