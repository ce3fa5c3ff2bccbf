import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isolate } from "~/platform/bidi";
import { escapeHtml } from "~/platform/email-html";
import { zoneOffsetMs } from "~/platform/time-zone";

/**
 * Time zones as a reader can pick them: a city in their language, the zone's
 * name in their language and its offset from UTC today, e.g.
 * "Riyad — heure normale de l’Arabie (UTC+03:00)".
 *
 * Intl gives zone names and offsets but no city names, so the cities come
 * from the Unicode CLDR data (cldr-dates-modern, read on the server only);
 * a zone CLDR does not name falls back to its English CLDR name, then to the
 * last part of its IANA id.
 */
export type ZoneChoice = { value: string; label: string; offsetMinutes: number };

type CldrZoneTree = { [part: string]: CldrZoneTree | string | undefined; exemplarCity?: string };

const require = createRequire(import.meta.url);
const cityTrees = new Map<string, CldrZoneTree | null>();

function cityTree(locale: string): CldrZoneTree | null {
  if (!cityTrees.has(locale)) {
    try {
      const file = require.resolve(`cldr-dates-modern/main/${locale}/timeZoneNames.json`);
      const json = JSON.parse(readFileSync(file, "utf8")) as { main: Record<string, { dates: { timeZoneNames: { zone: CldrZoneTree } } }> };
      cityTrees.set(locale, Object.values(json.main)[0]?.dates.timeZoneNames.zone ?? null);
    } catch {
      cityTrees.set(locale, null);
    }
  }
  return cityTrees.get(locale) ?? null;
}

function cldrCity(locale: string, zone: string): string | undefined {
  let node: CldrZoneTree | string | undefined = cityTree(locale) ?? undefined;
  for (const part of zone.split("/")) node = typeof node === "object" ? node[part] : undefined;
  return typeof node === "object" ? node.exemplarCity : undefined;
}

export function cityName(locale: string, zone: string): string {
  return cldrCity(locale, zone) ?? cldrCity("en", zone) ?? (zone.split("/").pop() ?? zone).replace(/_/g, " ");
}

/** "UTC+03:00", "UTC−03:30", "UTC": the same in every language, so offsets can be compared at a glance. */
export function offsetLabel(offsetMinutes: number): string {
  if (offsetMinutes === 0) return "UTC";
  const sign = offsetMinutes > 0 ? "+" : "\u2212";
  const minutes = Math.abs(offsetMinutes);
  return `UTC${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function zoneName(locale: string, zone: string, at: Date): string {
  return (
    new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "longGeneric" }).formatToParts(at).find((part) => part.type === "timeZoneName")?.value ?? ""
  );
}

const cache = new Map<string, ZoneChoice[]>();

/** Every zone the runtime knows, UTC first, then by offset and city; offsets as of `at` (cached per language and hour). */
export function zoneChoices(locale: string, at: Date = new Date()): ZoneChoice[] {
  const key = `${locale}:${Math.floor(at.getTime() / 3_600_000)}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const collator = new Intl.Collator(locale);
  const zones = Intl.supportedValuesOf("timeZone")
    .filter((zone) => zone !== "UTC")
    .map((zone) => {
      const offsetMinutes = Math.round(zoneOffsetMs(at.getTime(), zone) / 60_000);
      const city = cityName(locale, zone);
      const name = zoneName(locale, zone, at);
      return { value: zone, city, label: `${city} — ${name} (${isolate(offsetLabel(offsetMinutes))})`, offsetMinutes };
    })
    .sort((a, b) => a.offsetMinutes - b.offsetMinutes || collator.compare(a.city, b.city))
    .map(({ value, label, offsetMinutes }) => ({ value, label, offsetMinutes }));
  const utcName = new Intl.DateTimeFormat(locale, { timeZone: "UTC", timeZoneName: "long" })
    .formatToParts(at)
    .find((part) => part.type === "timeZoneName")?.value;
  const choices = [{ value: "UTC", label: utcName && utcName !== "UTC" ? `UTC — ${utcName}` : "UTC", offsetMinutes: 0 }, ...zones];
  if (cache.size > 50) cache.clear();
  cache.set(key, choices);
  return choices;
}

/** The choices as a <select> needs them (what pages send to the browser). */
export function zoneOptions(locale: string, at: Date = new Date()): { value: string; label: string }[] {
  return zoneChoices(locale, at).map(({ value, label }) => ({ value, label }));
}

const optionsMarkup = new WeakMap<ZoneChoice[], string>();

/**
 * The choices as a <select>'s <option> elements, none selected (the zone
 * picker marks the reader's): written once per list (per language and hour,
 * as zoneChoices keeps them), because rendering 400-odd options through
 * React was a quarter of the public forum page's time.
 */
export function zoneOptionsHtml(locale: string, at: Date = new Date()): string {
  const choices = zoneChoices(locale, at);
  let html = optionsMarkup.get(choices);
  if (html === undefined) {
    html = choices.map(({ value, label }) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`).join("");
    optionsMarkup.set(choices, html);
  }
  return html;
}
