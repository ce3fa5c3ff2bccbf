/**
 * Counts below a survey's anonymity threshold are never shown as numbers: a
 * segment of three people who answered is three identifiable people. Zero is
 * shown (it reveals no one). `null` means "fewer than the threshold"; pages
 * print it as "< 5".
 */
export function visibleCount(count: number, threshold: number): number | null {
  return count > 0 && count < threshold ? null : count;
}
