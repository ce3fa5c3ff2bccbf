export const TIME_ZONE_COOKIE = "tz";

/** True for IANA names the runtime knows ("Pacific/Auckland"); guards cookie input. */
export function isValidTimeZone(zone: string | null | undefined): zone is string {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
