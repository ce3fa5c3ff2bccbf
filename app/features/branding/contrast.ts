/**
 * WCAG 2 contrast for the organisation's accent colour. The accent is the
 * background of buttons (white text on it) and the colour of links (on the
 * page's light grey and on white panels), so both pairs must reach AA for
 * normal text, 4.5:1.
 */

export const HEX_COLOUR = /^#[0-9a-f]{6}$/;
export const AA_NORMAL_TEXT = 4.5;
/** The colours the accent meets (app/styles/app.css): --accent-ink on buttons, --wash behind pages (darker than --paper, so the harder case for links). */
export const BUTTON_TEXT = "#ffffff";
export const PAGE_BACKGROUND = "#f3f5f7";

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 0xff) + 0.7152 * channel((n >> 8) & 0xff) + 0.0722 * channel(n & 0xff);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** "#0B5CAD", " #0b5cad " → "#0b5cad"; anything else → null. */
export function normaliseHex(input: string): string | null {
  const value = input.trim().toLowerCase();
  return HEX_COLOUR.test(value) ? value : null;
}

/** The lower of the accent's two contrasts (white text on it, it on the page), rounded down to two decimals so 4.499 is never shown as 4.5. */
export function accentContrast(accent: string): { ratio: number; passes: boolean } {
  const ratio = Math.min(contrastRatio(accent, BUTTON_TEXT), contrastRatio(accent, PAGE_BACKGROUND));
  return { ratio: Math.floor(ratio * 100) / 100, passes: ratio >= AA_NORMAL_TEXT };
}
