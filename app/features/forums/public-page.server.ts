import { findSeries, knownRegions, type ForumSessionRow } from "~/models/forum.server";
import { availableLanguages, languageInfo, pluralForms } from "~/platform/i18n.server";
import { zoneOptionsHtml } from "~/platform/time-zone-names.server";
import { seriesTitle } from "~/features/forums/sign-up.server";

export type SessionState = "open" | "waitingList" | "notOpen" | "closed";

export function sessionState(session: ForumSessionRow, now: Date): SessionState {
  if (session.endsAt <= now || (session.registrationClosesAt && session.registrationClosesAt <= now)) return "closed";
  if (session.registrationOpensAt && session.registrationOpensAt > now) return "notOpen";
  return session.confirmedCount < session.capacity ? "open" : "waitingList";
}

/**
 * The regions participants come from, which the sign-up form offers: read at
 * most once a minute per process. Reading them scans every participant of
 * every survey (tens of thousands), and they change only when a list is
 * imported, while the page is drawn again for every sign-up of a rush.
 */
const REGIONS_FOR_MS = 60_000;
let regionsRead: { at: number; regions: Promise<string[]> } | null = null;

function signUpRegions(now = Date.now()): Promise<string[]> {
  if (!regionsRead || now - regionsRead.at >= REGIONS_FOR_MS || now < regionsRead.at) {
    const read = { at: now, regions: knownRegions() };
    // A failed read is not kept: the next page asks again.
    read.regions.catch(() => {
      if (regionsRead === read) regionsRead = null;
    });
    regionsRead = read;
  }
  return regionsRead.regions;
}

/** The public page of a forum series in the visitor's language; null for an unknown series. */
export async function forumPage(slug: string, locale: string, chosenSession: string | null, now: Date = new Date()) {
  const series = await findSeries(slug);
  if (!series) return null;
  // A cancelled session is no longer offered; its registrants were emailed.
  const sessions = series.sessions
    .filter((session) => !session.cancelledAt)
    .map((session) => ({
      id: session.id,
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      language: session.language,
      languageName: languageInfo(session.language).endonym,
      seatsLeft: Math.max(0, session.capacity - session.confirmedCount),
      state: sessionState(session, now),
    }));
  const chosen = sessions.find((session) => session.id === chosenSession && (session.state === "open" || session.state === "waitingList")) ?? null;
  return {
    slug: series.slug,
    ...seriesTitle(series.texts, locale),
    sessions,
    chosen,
    languages: availableLanguages().map(({ code, endonym }) => ({ code, endonym })),
    zoneOptionsHtml: zoneOptionsHtml(locale, now),
    // The page's script counts the zones matching a search in the reader's language.
    zoneMatchMessages: pluralForms(locale, "forums", "zone.matches"),
    regions: await signUpRegions(),
  };
}
