export const TIME_ZONE_COOKIE = "tz";

/** Formats made once per language and options: building an Intl.DateTimeFormat with a zone costs about a millisecond. */
const formats = new Map<string, Intl.DateTimeFormat>();
export function dateTimeFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    // Bounded: a handful of languages and options, and the zones people are in.
    if (formats.size > 500) formats.clear();
    formats.set(key, (format = new Intl.DateTimeFormat(language, options)));
  }
  return format;
}

/** True for IANA names the runtime knows ("Pacific/Auckland"); guards cookie input. */
export function isValidTimeZone(zone: string | null | undefined): zone is string {
  if (!zone || zone.length > 64) return false;
  try {
    dateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The id under which a zone appears in the list: browsers say "Asia/Kolkata" or "Etc/UTC", the list has "Asia/Calcutta" and "UTC". */
export function canonicalZone(zone: string): string {
  try {
    return dateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}

/** The zone's offset from UTC, in milliseconds, at the instant `utcMs`. */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  const parts = Object.fromEntries(
    dateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(utcMs))
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant of a wall-clock time ("2026-12-01T14:00", as a
 * datetime-local field sends it) in `zone`; null if it is not such a value.
 * Checked twice so that a time just after a daylight-saving change lands right.
 */
export function wallTimeToUtc(local: string, zone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match || !isValidTimeZone(zone)) return null;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  if (Number.isNaN(wall) || new Date(wall).getUTCDate() !== day) return null;
  let utc = wall - zoneOffsetMs(wall, zone);
  utc = wall - zoneOffsetMs(utc, zone);
  return new Date(utc);
}

/** The wall-clock time of `date` in `zone`, as a datetime-local field shows it. */
export function utcToWallTime(date: Date, zone: string): string {
  return new Date(date.getTime() + zoneOffsetMs(date.getTime(), zone)).toISOString().slice(0, 16);
}
