import { visibleCount } from "~/domain/anonymity";
import { findSeries, languageCounts, sessionCounts } from "~/models/forum.server";
import { availableLanguages, languageInfo } from "~/services/i18n.server";
import { seriesTitle } from "~/services/forums.server";

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
  const byLanguage = new Map<string, { registered: number; attended: number }>();
  for (const row of await languageCounts(series.id)) {
    const entry = byLanguage.get(row.language) ?? { registered: 0, attended: 0 };
    entry.registered += row._count._all;
    if (row.attended) entry.attended += row._count._all;
    byLanguage.set(row.language, entry);
  }
  return {
    id: series.id,
    slug: series.slug,
    title: seriesTitle(series.texts, locale).title,
    texts: series.texts,
    sessions,
    totals,
    byLanguage: [...byLanguage].map(([language, entry]) => ({
      language: `${languageInfo(language).endonym} (${language})`,
      // A small group's attendance would say who came: shown as "< 5" like any small count.
      registered: visibleCount(entry.registered, THRESHOLD),
      attended: visibleCount(entry.registered, THRESHOLD) === null ? null : visibleCount(entry.attended, THRESHOLD),
    })),
    threshold: THRESHOLD,
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
  };
}
