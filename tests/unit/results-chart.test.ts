import { describe, expect, it } from "vitest";
import { chartLayout, chartSvg, niceMax, textOn, wrapText, type ChartSegment } from "~/features/results/chart";

const likert = (counts: Record<string, number | "few" | "hidden">): ChartSegment[] =>
  Object.entries(counts).map(([key, count]) => ({ key, label: key.replace("_", " "), count, colour: key === "no_answer" ? "#e5e7eb" : "#2166ac" }));
const words = {
  title: "Transparency",
  direction: "ltr" as const,
  language: "en",
  percent: (value: number) => `${Math.round(value)}%`,
  apartTitle: "No opinion",
};

describe("results charts", () => {
  it("centres a diverging bar on the neutral point: disagreement one side, agreement the other, no opinion and no answer apart", () => {
    const layout = chartLayout(
      {
        kind: "diverging",
        rows: [
          { label: "", segments: likert({ strongly_disagree: 10, disagree: 20, neutral: 20, agree: 30, strongly_agree: 10, no_opinion: 5, no_answer: 5 }) },
        ],
      },
      100,
    );
    // Disagreement reaches 20/2 + 30 = 40 %, agreement 10 + 40 = 50 %: a scale of ±50 %.
    expect(layout.ticks.map((tick) => tick.value)).toEqual([50, 25, 0, 25, 50]);
    const byKey = Object.fromEntries(layout.rows[0]!.main.map((segment) => [segment.key, segment]));
    expect(byKey.neutral!.start + byKey.neutral!.width / 2).toBeCloseTo(50);
    expect(byKey.disagree!.start + byKey.disagree!.width).toBeCloseTo(byKey.neutral!.start);
    expect(byKey.strongly_disagree!.start + byKey.strongly_disagree!.width).toBeCloseTo(byKey.disagree!.start);
    expect(byKey.agree!.start).toBeCloseTo(byKey.neutral!.start + byKey.neutral!.width);
    expect(byKey.strongly_agree!.start + byKey.strongly_agree!.width).toBeCloseTo(100);
    expect(layout.rows[0]!.apart.map((segment) => segment.key)).toEqual(["no_opinion", "no_answer"]);
    expect(layout.legend.map((entry) => entry.key)).toEqual(["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree", "no_opinion", "no_answer"]);
  });

  it("draws no bar for a withheld count and never a figure it was not given", () => {
    const layout = chartLayout(
      { kind: "diverging", rows: [{ label: "", segments: likert({ disagree: "few", agree: "hidden", neutral: 40, no_answer: 10 }) }] },
      60,
    );
    const byKey = Object.fromEntries(layout.rows[0]!.main.map((segment) => [segment.key, segment]));
    expect(byKey.disagree).toMatchObject({ width: 0, share: null, count: "few" });
    expect(byKey.agree).toMatchObject({ width: 0, share: null, count: "hidden" });
    const svg = chartSvg(layout, words);
    expect(svg).not.toMatch(/>few<|>hidden<|NaN|undefined/);
    expect(svg.match(/<rect [^>]*height="30"/g)!.length).toBe(2); // bars: neutral and no answer only
  });

  it("draws histograms and choice bars against a round scale", () => {
    expect([4, 10, 11, 24, 26, 60, 99, 100].map(niceMax)).toEqual([10, 10, 20, 25, 50, 75, 100, 100]);
    const bars = chartLayout({ kind: "bars", rows: likert({ a: 30, b: 15, c: "few" }) }, 100);
    expect(bars.rows.map((row) => row.main[0]!.width)).toEqual([60, 30, 0]);
    const histogram = chartLayout({ kind: "histogram", rows: likert({ a: 5, b: 10 }) }, 20);
    expect(histogram.ticks.at(-1)!.value).toBe(50);
  });

  it("writes a standalone SVG in the reader's language and direction, with wrapped labels and escaped text", () => {
    const label = "A very long statement about the governance of the federation <b>that</b> must wrap onto more than one line in the exported file";
    const layout = chartLayout({ kind: "diverging", rows: [{ label, segments: likert({ disagree: 10, agree: 20, no_answer: 5 }) }] }, 35);
    const svg = chartSvg(layout, { ...words, title: "الشفافية", direction: "rtl", language: "ar" });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="960" height="\d+" viewBox="0 0 960 \d+" direction="rtl" xml:lang="ar"/);
    expect(svg).toContain("<title>الشفافية</title>");
    expect(svg).toContain("&lt;b&gt;that&lt;/b&gt;");
    expect(svg).not.toContain("<b>");
    expect(wrapText(label, 900).length).toBeGreaterThan(1);
    // Every font size is at least 12 px.
    expect(Math.min(...[...svg.matchAll(/font-size="(\d+)"/g)].map((match) => Number(match[1])))).toBeGreaterThanOrEqual(12);
    // CJK text takes an em per character, so it wraps sooner.
    expect(wrapText("治理审查草案提案调查治理审查草案提案调查", 160).length).toBe(2);
  });

  it("writes figures inside bars in black or white, whichever contrasts more", () => {
    expect(textOn("#2166ac")).toBe("#ffffff");
    expect(textOn("#bdbdbd")).toBe("#000000");
    expect(textOn("#e5e7eb")).toBe("#000000");
  });
});
