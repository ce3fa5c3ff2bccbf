/**
 * Conditional display, evaluated on the server so it works without
 * JavaScript: a question with showIf is visible when the earlier question it
 * names has at least one of the listed option keys among its answers.
 */
export interface ShowIf {
  question: string;
  anyOf: readonly string[];
}

/** Chosen option keys per question key. */
export type ChosenOptions = ReadonlyMap<string, ReadonlySet<string>>;

export function isVisible(showIf: ShowIf | undefined, chosen: ChosenOptions): boolean {
  if (!showIf) return true;
  const answered = chosen.get(showIf.question);
  return !!answered && showIf.anyOf.some((key) => answered.has(key));
}
