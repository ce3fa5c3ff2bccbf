/**
 * Mass and destructive staff actions (sending a mailing, replacing every
 * link, removing a participant, marking a language complete) take two
 * steps. The first POST only asks: the page answers with a confirmation that
 * says what will happen and to how many. The confirming form sends back the
 * figure it showed in this field; the action counts again and acts only when
 * the figure is unchanged, otherwise it asks again with the new one.
 */
export const CONFIRM_FIELD = "confirmed";

/** What the page shows instead of acting: the current figure, and whether the form had confirmed another one. */
export interface Confirmation {
  count: number;
  changed: boolean;
}

/**
 * Null when the form confirmed exactly `count` (the action may go ahead);
 * otherwise the confirmation to show. A missing or malformed figure is a first
 * step, never a confirmation.
 */
export function confirmationFor(form: FormData, count: number): Confirmation | null {
  const shown = form.get(CONFIRM_FIELD);
  if (typeof shown !== "string" || !/^\d{1,12}$/.test(shown.trim())) return { count, changed: false };
  return Number(shown.trim()) === count ? null : { count, changed: true };
}

/** The HTTP status of a confirmation: a first step is an ordinary page, a changed figure a conflict. */
export function confirmationStatus(confirmation: Confirmation): 200 | 409 {
  return confirmation.changed ? 409 : 200;
}
