import { describe, expect, it } from "vitest";
import { dailyBarChart, dailyTimeline, dayFormatter } from "~/features/outreach/timeline";

describe("the response-rate timeline", () => {
  const sparse = [
    { day: "2031-03-30", invited: 40, submitted: 0 },
    { day: "2031-04-02", invited: 0, submitted: 7 },
    { day: "2031-03-31", invited: 0, submitted: 3 },
  ];

  it("has one entry per UTC day from the first to the last, quiet days at zero, with the running total of submissions", () => {
    expect(dailyTimeline(sparse)).toEqual([
      { day: "2031-03-30", invited: 40, submitted: 0, submittedSoFar: 0 },
      { day: "2031-03-31", invited: 0, submitted: 3, submittedSoFar: 3 },
      { day: "2031-04-01", invited: 0, submitted: 0, submittedSoFar: 3 },
      { day: "2031-04-02", invited: 0, submitted: 7, submittedSoFar: 10 },
    ]);
    expect(dailyTimeline([])).toEqual([]);
    expect(dailyTimeline([{ day: "2031-12-31", invited: 1, submitted: 0 }]).map((entry) => entry.day)).toEqual(["2031-12-31"]);
  });

  it("draws a bar per day, zero days included, labelled exactly as the table prints the days", () => {
    for (const language of ["en", "ar", "zh"]) {
      const timeline = dailyTimeline(sparse);
      const label = dayFormatter(language);
      const tableDays = timeline.map((entry) => label(entry.day));
      const { data, options } = dailyBarChart(
        tableDays,
        [
          { label: "Invited", values: timeline.map((entry) => entry.invited), colour: "#6b7280" },
          { label: "Submitted", values: timeline.map((entry) => entry.submitted), colour: "#1d4ed8" },
        ],
        language === "ar" ? "rtl" : "ltr",
      );
      expect(data.labels).toEqual(tableDays);
      expect(data.labels).toHaveLength(4);
      expect(data.datasets.map((dataset) => dataset.data)).toEqual([
        [40, 0, 0, 0],
        [0, 3, 0, 7],
      ]);
      expect(options.scales?.x?.reverse).toBe(language === "ar");
    }
    // Days are UTC days: formatted in UTC, 1 April never reads as 31 March west of Greenwich.
    expect(dayFormatter("en")("2031-04-01")).toBe("Apr 1, 2031");
    expect(dayFormatter("de")("2031-04-01")).toBe("01.04.2031");
  });
});
