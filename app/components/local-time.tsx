import { useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { RootLoaderData } from "~/root";

/**
 * A UTC instant shown in the reader's language and time zone. The zone comes
 * from the root loader (a cookie set by the zone picker or by script), so
 * server and browser render the same text.
 */
export function LocalTime({ iso, dateOnly = false, timeOnly = false }: { iso: string; dateOnly?: boolean; timeOnly?: boolean }) {
  const { i18n } = useTranslation();
  const root = useRouteLoaderData<RootLoaderData>("root");
  const timeZone = root?.timeZone ?? "UTC";
  const format = new Intl.DateTimeFormat(
    i18n.language,
    timeOnly ? { timeZone, hour: "numeric", minute: "2-digit", timeZoneName: "short" } : { timeZone, dateStyle: dateOnly ? "medium" : "long", ...(dateOnly ? {} : { timeStyle: "short" }) },
  );
  return (
    <time dateTime={iso} title={dateOnly ? undefined : timeZone}>
      {format.format(new Date(iso))}
    </time>
  );
}
