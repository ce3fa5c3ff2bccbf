// Dates for tests, always relative to the moment the test runs, so the suite
// passes on any day (CI also runs it with the clock moved; see README, Tests).

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The calendar day `days` after today in UTC, as YYYY-MM-DD. */
export function utcDay(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
}

/** `days` after today at a UTC wall-clock time such as "21:00". */
export function utcAt(days: number, time: string): Date {
  return new Date(`${utcDay(days)}T${time}:00Z`);
}

/** How a date reads in a language and zone, as the app formats it with Intl. */
export function formatDay(date: Date, language: string, timeZone: string, withWeekday = false): string {
  return new Intl.DateTimeFormat(language, {
    timeZone,
    ...(withWeekday ? { weekday: "long" } : {}),
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(date);
}
