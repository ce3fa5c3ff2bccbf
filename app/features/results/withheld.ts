import { isWithheld, type ShownCount, type Withheld } from "~/domain/anonymity";

/**
 * How withheld counts read on the results page and in exports. A count below
 * the threshold is "< 5"; a count hidden only to protect such a cell (it may
 * hold 12 or 300) is "hidden", never "< 5", which would be false.
 */

export interface CountWords {
  number: (value: number) => string;
  /** "< 5" */
  few: string;
  /** "hidden" */
  hidden: string;
}

export function countLabel(value: ShownCount, words: CountWords): string {
  return value === "few" ? words.few : value === "hidden" ? words.hidden : words.number(value);
}

/** The kinds of withheld counts among these, each once, "few" first: what a table's caption explains. */
export function withheldKinds(values: readonly ShownCount[]): Withheld[] {
  return (["few", "hidden"] as const).filter((kind) => values.includes(kind));
}

/** Every count one question's results show: its answered line, options, matrix rows and number ranges. */
export function questionCounts(question: {
  answered: ShownCount;
  noAnswer: ShownCount;
  options: readonly { count: ShownCount }[];
  rows: readonly { options: readonly { count: ShownCount }[]; noAnswer: ShownCount }[];
  number: { buckets: readonly { count: ShownCount }[] } | null;
}): ShownCount[] {
  return [
    question.answered,
    question.noAnswer,
    ...question.options.map((option) => option.count),
    ...question.rows.flatMap((row) => [...row.options.map((option) => option.count), row.noAnswer]),
    ...(question.number?.buckets.map((bucket) => bucket.count) ?? []),
  ];
}

/**
 * What a chart of these counts can draw: "bars"; "withheld" when no count it
 * could draw is left (every non-zero one is withheld), so no bar at all is
 * drawn and a sentence says why; "empty" when there is nothing to draw.
 */
export function chartContent(values: readonly ShownCount[]): "bars" | "withheld" | "empty" {
  if (values.some((value) => typeof value === "number" && value > 0)) return "bars";
  return values.some(isWithheld) ? "withheld" : "empty";
}
