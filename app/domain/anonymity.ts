/**
 * Disclosure control for everything staff read about answers: pages,
 * charts, exports. The rule, also explained in the README:
 *
 * 1. A count between 1 and threshold − 1 is never shown ("< 5"). Zero is
 *    shown: it reveals no one.
 * 2. Within one distribution whose total is published (the options of a
 *    question plus "no answer"), a single hidden cell could be recovered by
 *    subtracting the others from the total, so when exactly one cell is
 *    hidden the smallest other non-zero cell is hidden too. That second cell
 *    is not small, and is labelled "hidden", not "< 5".
 * 3. A filtered view is shown only when it holds at least threshold people
 *    and, for every coarser view (the same filters with any of them
 *    removed), the difference is zero or at least threshold. Otherwise two
 *    views could be subtracted to describe a handful of people.
 */

/** `null` means "fewer than the threshold"; pages print it as "< 5". */
export function visibleCount(count: number, threshold: number): number | null {
  return count > 0 && count < threshold ? null : count;
}

/**
 * Why a count of a distribution is not shown, which pages and exports say
 * differently: "few" (rule 1: between 1 and threshold − 1, printed "< 5") or
 * "hidden" (rule 2: a count of any size, withheld only so that a "few" cell
 * cannot be worked out from the total).
 */
export type Withheld = "few" | "hidden";

/** A count as it may be published: the number, or why it is withheld. */
export type ShownCount = number | Withheld;

export function isWithheld(value: ShownCount): value is Withheld {
  return typeof value !== "number";
}

/** Rules 1 and 2 over the cells of one distribution. */
export function suppressCells(counts: readonly number[], threshold: number): ShownCount[] {
  const shown: ShownCount[] = counts.map((count) => visibleCount(count, threshold) ?? "few");
  if (shown.filter((value) => value === "few").length === 1) {
    let smallest = -1;
    counts.forEach((count, index) => {
      if (shown[index] !== "few" && count > 0 && (smallest < 0 || count < counts[smallest]!)) smallest = index;
    });
    if (smallest >= 0) shown[smallest] = "hidden";
  }
  return shown;
}

export type ViewDisclosure = "shown" | "tooFew" | "differencing";

/** Rule 3: `differences` are how many people separate this view from each view it could be subtracted from. */
export function viewDisclosure(size: number, differences: readonly number[], threshold: number): ViewDisclosure {
  if (size < threshold) return "tooFew";
  return differences.every((difference) => visibleCount(difference, threshold) !== null) ? "shown" : "differencing";
}
