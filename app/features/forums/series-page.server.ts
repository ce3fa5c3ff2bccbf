import { visibleCount } from "~/domain/anonymity";
import { findSeries, segmentCounts, sessionCounts } from "~/models/forum.server";
import { availableLanguages, languageInfo } from "~/platform/i18n.server";
import { seriesTitle } from "~/features/forums/sign-up.server";

/** Anonymity threshold for attendance figures broken down by language, as for survey results. */
const THRESHOLD = 5;

/** The staff page of a forum series: sessions with their counts, totals, and attendance per language. */
export async function forumSeriesPage(slug: string, locale: string) {
  const series = await findSeries(slug);
  if (!series) return null;
  const counts = await sessionCounts(series.id);
  const empty = { confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0 };
  const sessions = series.sessions.map((session) => ({
    id: session.id,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    language: session.language,
    capacity: session.capacity,
    cancelledAt: session.cancelledAt?.toISOString() ?? null,
    ...(counts.get(session.id) ?? empty),
  }));
  const totals = sessions.reduce(
    (sum, session) => ({
      confirmed: sum.confirmed + session.confirmed,
      waitlisted: sum.waitlisted + session.waitlisted,
      cancelled: sum.cancelled + session.cancelled,
      attended: sum.attended + session.attended,
    }),
    empty,
  );
  const visible = async (segment: "language" | "region", label: (value: string | null) => string) =>
    [...(await segmentCounts(series.id, segment))].map(([value, entry]) => ({
      value: label(value),
      // A small group's attendance would say who came: shown as "< 5" like any small count.
      registered: visibleCount(entry.registered, THRESHOLD),
      attended: visibleCount(entry.registered, THRESHOLD) === null ? null : visibleCount(entry.attended, THRESHOLD),
    }));
  return {
    id: series.id,
    slug: series.slug,
    surveyId: series.surveyId,
    title: seriesTitle(series.texts, locale).title,
    texts: series.texts,
    sessions,
    totals,
    bySegment: {
      language: await visible("language", (language) => `${languageInfo(language ?? "").endonym} (${language})`),
      region: await visible("region", (region) => region ?? ""),
    },
    threshold: THRESHOLD,
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
  };
}
