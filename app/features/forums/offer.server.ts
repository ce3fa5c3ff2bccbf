import { findSeriesForSurvey } from "~/models/forum.server";
import { sessionState } from "~/features/forums/public-page.server";
import { seriesTitle } from "~/features/forums/sign-up.server";
import { languageInfo } from "~/platform/i18n.server";

/**
 * After submitting, a participant is offered the survey's open forums with a
 * one-click sign-up per session: the form carries their details from the
 * participant record (they may change them on the forum page instead). The
 * details travel in the POST body only, never in a URL.
 */
export async function forumOffer(
  surveyId: string,
  participant: { name: string; email: string; language: string; country: string | null; region: string | null; unit: string | null },
  locale: string,
  now: Date = new Date(),
) {
  const series = await findSeriesForSurvey(surveyId);
  if (!series) return null;
  const sessions = series.sessions
    .filter((session) => !session.cancelledAt)
    .map((session) => ({ session, state: sessionState(session, now) }))
    .filter(({ state }) => state === "open" || state === "waitingList")
    .map(({ session, state }) => ({
      id: session.id,
      startsAt: session.startsAt.toISOString(),
      language: session.language,
      languageName: languageInfo(session.language).endonym,
      state,
    }));
  if (sessions.length === 0) return null;
  return {
    slug: series.slug,
    title: seriesTitle(series.texts, locale).title,
    sessions,
    details: {
      name: participant.name,
      email: participant.email,
      language: participant.language,
      country: participant.country ?? "",
      region: participant.region ?? "",
      unit: participant.unit ?? "",
    },
  };
}
