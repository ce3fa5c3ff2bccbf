import { useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { RootLoaderData } from "~/root";
import { dateTimeFormat } from "~/platform/time-zone";

/**
 * A UTC instant shown in the reader's language and time zone, saying which
 * zone it is (a clock time without one misleads anyone outside it). The zone:
 * `zone` when the page knows the reader's own (a participant's), else the
 * root loader's (a cookie set by the zone picker, or by script to the
 * browser's zone), else UTC; server and browser render the same text.
 */
export function LocalTime({ iso, dateOnly = false, timeOnly = false, zone }: { iso: string; dateOnly?: boolean; timeOnly?: boolean; zone?: string | null }) {
  const { i18n } = useTranslation();
  const root = useRouteLoaderData<RootLoaderData>("root");
  const timeZone = zone || root?.timeZone || "UTC";
  const date = new Date(iso);
  const format = dateTimeFormat(
    i18n.language,
    timeOnly
      ? { timeZone, hour: "numeric", minute: "2-digit", timeZoneName: "short" }
      : { timeZone, dateStyle: dateOnly ? "medium" : "long", ...(dateOnly ? {} : { timeStyle: "short" }) },
  );
  const named = dateOnly || timeOnly ? "" : ` (${zoneName(date, i18n.language, timeZone)})`;
  return (
    <time dateTime={iso} title={dateOnly ? undefined : timeZone}>
      {format.format(date)}
      {named}
    </time>
  );
}

/** The zone's name in the reader's language, e.g. "Arabian Standard Time", "heure normale d’Europe centrale". */
function zoneName(at: Date, language: string, timeZone: string): string {
  const parts = dateTimeFormat(language, { timeZone, timeZoneName: "long" }).formatToParts(at);
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}
