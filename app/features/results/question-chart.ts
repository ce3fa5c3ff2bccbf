import type { ShownCount } from "~/domain/anonymity";
import type { ChartInput, ChartSegment } from "~/features/results/chart";
import type { QuestionResultView } from "~/features/results/components/question-result";

/**
 * What one question's chart draws, from its suppressed counts: shared by the
 * results page (HTML bars) and the chart download (chartSvg), so that the
 * file a staff member takes into a report is the chart they saw.
 */

const LIKERT_COLOURS: Record<string, string> = {
  strongly_disagree: "#b2182b",
  disagree: "#ef8a62",
  neutral: "#bdbdbd",
  agree: "#67a9cf",
  strongly_agree: "#2166ac",
  no_opinion: "#7a7a7a",
};
// Okabe–Ito: told apart with the common forms of colour blindness.
const CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999", "#000000"];
const NO_ANSWER_COLOUR = "#e5e7eb";

/**
 * Number formats per language, made once: a results page draws dozens of
 * questions, and building an Intl.NumberFormat costs far more than using one.
 */
const formats = new Map<string, { number: Intl.NumberFormat; percent: Intl.NumberFormat }>();
export function numberFormats(language: string) {
  let found = formats.get(language);
  if (!found) {
    found = {
      number: new Intl.NumberFormat(language, { maximumFractionDigits: 1 }),
      percent: new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 }),
    };
    formats.set(language, found);
  }
  return found;
}

/** The chart's words in the staff member's language, from the `staff` namespace's `t`. */
export function chartWords(language: string, t: (key: string, options?: Record<string, unknown>) => string): ChartWords {
  const { number } = numberFormats(language);
  return {
    noAnswer: t("results.noAnswer"),
    range: (bucket) =>
      bucket.from === null && bucket.to === null
        ? t("results.rangeAll")
        : bucket.from === null
          ? t("results.rangeBelow", { to: number.format(bucket.to!) })
          : bucket.to === null
            ? t("results.rangeFrom", { from: number.format(bucket.from) })
            : t("results.rangeBetween", { from: number.format(bucket.from), to: number.format(bucket.to) }),
  };
}

export interface ChartWords {
  /** "No answer" */
  noAnswer: string;
  /** A number question's range ("20 to 30", "below 20"). */
  range: (bucket: { from: number | null; to: number | null }) => string;
}

/**
 * The chart of a question and the counts it stands for (which tell a chart
 * of withheld counts only, see withheld.ts chartContent); null for questions
 * drawn without a chart (text, and number questions too few answered).
 */
export function questionChart(question: QuestionResultView, words: ChartWords): { input: ChartInput; values: ShownCount[] } | null {
  if (question.type === "likert" || question.type === "single" || question.type === "multiple") {
    const likert = question.type === "likert";
    const noAnswer: ChartSegment = { key: "no_answer", label: words.noAnswer, count: question.noAnswer, colour: NO_ANSWER_COLOUR };
    const segments: ChartSegment[] = question.options.map((option, index) => ({
      key: option.key,
      label: option.label,
      count: option.count,
      colour: likert ? (LIKERT_COLOURS[option.key] ?? "#999999") : CATEGORY_COLOURS[index % CATEGORY_COLOURS.length]!,
    }));
    // Multiple choice: each option against everyone, so "no answer" is no bar of its own there.
    const values = [...question.options.map((option) => option.count), ...(question.type !== "multiple" ? [question.noAnswer] : [])];
    const input: ChartInput = likert
      ? { kind: "diverging", rows: [{ label: "", segments: [...segments, noAnswer] }] }
      : { kind: "bars", rows: question.type === "single" ? [...segments, noAnswer] : segments };
    return { input, values };
  }
  if (question.type === "matrix") {
    const scaleKeys = Object.keys(question.scale);
    return {
      values: question.rows.flatMap((row) => [...row.options.map((option) => option.count), row.noAnswer]),
      input: {
        kind: "diverging",
        rows: question.rows.map((row) => ({
          label: row.label,
          segments: [
            ...scaleKeys.map((key) => ({
              key,
              label: question.scale[key]!,
              count: row.options.find((option) => option.key === key)?.count ?? 0,
              colour: LIKERT_COLOURS[key] ?? "#999999",
            })),
            { key: "no_answer", label: words.noAnswer, count: row.noAnswer, colour: NO_ANSWER_COLOUR },
          ],
        })),
      },
    };
  }
  if (question.type === "number" && question.number) {
    const buckets = question.number.buckets;
    return {
      values: buckets.map((bucket) => bucket.count),
      input: {
        kind: "histogram",
        rows: buckets.map((bucket, index) => ({ key: String(index), label: words.range(bucket), count: bucket.count, colour: CATEGORY_COLOURS[0]! })),
      },
    };
  }
  return null;
}
