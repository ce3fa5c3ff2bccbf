import type { ChartData, ChartOptions } from "chart.js";

/** Invitations and submissions of one UTC day (YYYY-MM-DD). */
export interface DayCounts {
  day: string;
  invited: number;
  submitted: number;
}

export interface TimelineDay extends DayCounts {
  /** Submissions up to and including this day. */
  submittedSoFar: number;
}

const DAY_MS = 86_400_000;

/**
 * Every UTC day from the first to the last with activity, in order, days
 * without any at zero: a bar per day, so a quiet day shows as a gap instead
 * of a line drawn across it.
 */
export function dailyTimeline(perDay: readonly DayCounts[]): TimelineDay[] {
  if (perDay.length === 0) return [];
  const byDay = new Map(perDay.map((entry) => [entry.day, entry]));
  const days = [...byDay.keys()].sort();
  const first = Date.parse(`${days[0]}T00:00:00Z`);
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  const timeline: TimelineDay[] = [];
  let submittedSoFar = 0;
  for (let at = first; at <= last; at += DAY_MS) {
    const day = new Date(at).toISOString().slice(0, 10);
    const entry = byDay.get(day);
    submittedSoFar += entry?.submitted ?? 0;
    timeline.push({ day, invited: entry?.invited ?? 0, submitted: entry?.submitted ?? 0, submittedSoFar });
  }
  return timeline;
}

/**
 * A day as the table and the chart's axis both print it: in the reader's
 * language, and in UTC, the zone the days are counted in (a day formatted in
 * another zone could read as the day before).
 */
export function dayFormatter(language: string): (day: string) => string {
  const format = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" });
  return (day) => format.format(new Date(`${day}T00:00:00Z`));
}

export interface DailySeries {
  label: string;
  values: readonly number[];
  colour: string;
}

/** The bar chart of a timeline: one category per day, labelled as the table labels it, one bar per series. */
export function dailyBarChart(
  labels: readonly string[],
  series: readonly DailySeries[],
  direction: "ltr" | "rtl",
): { data: ChartData<"bar", number[], string>; options: ChartOptions<"bar"> } {
  return {
    data: {
      labels: [...labels],
      datasets: series.map((entry) => ({ label: entry.label, data: [...entry.values], backgroundColor: entry.colour, borderWidth: 0 })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        x: { reverse: direction === "rtl", grid: { display: false } },
        y: { beginAtZero: true, position: direction === "rtl" ? "right" : "left", ticks: { precision: 0 } },
      },
      plugins: { legend: { rtl: direction === "rtl" }, tooltip: { rtl: direction === "rtl" } },
    },
  };
}
