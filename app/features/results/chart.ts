import { isWithheld, type ShownCount, type Withheld } from "~/domain/anonymity";

/**
 * The results charts' geometry, shared by the page (HTML bars sized in
 * percent, which wrap their labels and mirror themselves in right-to-left
 * pages) and the SVG file staff download for reports (chartSvg below, also
 * drawn onto a canvas for the PNG). Pure: counts come in already suppressed
 * (domain/anonymity), so a chart can never show more than its table; a
 * withheld count draws no bar.
 *
 * - Agreement (Likert) and matrix questions: diverging stacked bars centred
 *   on the neutral point, disagreement to one side, agreement to the other,
 *   the neutral answer split across the centre; "no opinion" and "no answer"
 *   apart, in their own bars beside them, since they are neither.
 * - Choice questions: one bar per option.
 * - Number questions: a histogram of the ranges.
 */

export interface ChartSegment {
  key: string;
  label: string;
  count: ShownCount;
  colour: string;
}

export type ChartInput =
  | { kind: "diverging"; rows: { label: string; segments: ChartSegment[] }[] }
  | { kind: "bars"; rows: ChartSegment[] }
  | { kind: "histogram"; rows: ChartSegment[] };

/** A bar or a piece of one: where it starts and how wide it is, in percent of its track. */
export interface PlacedSegment {
  key: string;
  label: string;
  colour: string;
  /** Percent of the track from its start edge (left, or right in right-to-left). */
  start: number;
  width: number;
  /** Share of respondents in percent, or null when withheld. */
  share: number | null;
  count: ShownCount;
}

export interface ChartTick {
  /** Position in percent of the track. */
  at: number;
  /** The share it marks, in percent (unsigned: both sides of a diverging chart count up from the centre). */
  value: number;
}

export interface ChartLayout {
  kind: ChartInput["kind"];
  legend: { key: string; label: string; colour: string }[];
  rows: { label: string; main: PlacedSegment[]; apart: PlacedSegment[] }[];
  ticks: ChartTick[];
  /** Diverging charts: the centre in percent of the main track (always 50). */
  centre: number | null;
  /** Ticks of the "apart" track (no opinion, no answer), when there is one. */
  apartTicks: ChartTick[];
}

export const NEGATIVE = ["strongly_disagree", "disagree"] as const;
export const NEUTRAL = "neutral";
export const POSITIVE = ["agree", "strongly_agree"] as const;

function shareOf(count: ShownCount, total: number): number | null {
  if (isWithheld(count) || total <= 0) return null;
  return (100 * count) / total;
}

/** The smallest round scale that holds `value` percent. */
export function niceMax(value: number): number {
  for (const step of [10, 20, 25, 50, 75, 100]) if (value <= step + 1e-9) return step;
  return Math.ceil(value / 50) * 50;
}

function ticksFor(max: number, signed: boolean): ChartTick[] {
  const steps = [0, 0.5, 1];
  if (!signed) return steps.map((fraction) => ({ at: fraction * 100, value: fraction * max }));
  return [-1, -0.5, 0, 0.5, 1].map((fraction) => ({ at: 50 + fraction * 50, value: Math.abs(fraction) * max }));
}

function sum(values: (number | null)[]): number {
  return values.reduce<number>((total, value) => total + (value ?? 0), 0);
}

/** Places every bar; `total` is the view's number of respondents (the tables' "share of respondents"). */
export function chartLayout(input: ChartInput, total: number): ChartLayout {
  if (input.kind !== "diverging") {
    const shares = input.rows.map((row) => shareOf(row.count, total));
    const max = niceMax(Math.max(0, ...shares.map((share) => share ?? 0)));
    return {
      kind: input.kind,
      legend: [],
      rows: input.rows.map((row, index) => ({
        label: row.label,
        main: [{ ...row, start: 0, width: ((shares[index] ?? 0) / max) * 100, share: shares[index] ?? null }],
        apart: [],
      })),
      ticks: ticksFor(max, false),
      centre: null,
      apartTicks: [],
    };
  }

  const isNegative = (key: string) => (NEGATIVE as readonly string[]).includes(key);
  const isPositive = (key: string) => (POSITIVE as readonly string[]).includes(key);
  const sides = input.rows.map((row) => {
    const find = (key: string) => row.segments.find((segment) => segment.key === key);
    const neutral = find(NEUTRAL);
    return {
      // From the centre outwards.
      negative: [...NEGATIVE].reverse().flatMap((key) => find(key) ?? []),
      neutral,
      positive: POSITIVE.flatMap((key) => find(key) ?? []),
      apart: row.segments.filter((segment) => !isNegative(segment.key) && !isPositive(segment.key) && segment.key !== NEUTRAL),
    };
  });
  const share = (segment: ChartSegment | undefined) => (segment ? shareOf(segment.count, total) : null);
  const reach = Math.max(
    0,
    ...sides.flatMap((side) => {
      const half = (share(side.neutral) ?? 0) / 2;
      return [half + sum(side.negative.map(share)), half + sum(side.positive.map(share))];
    }),
  );
  const max = niceMax(reach);
  const apartMax = niceMax(Math.max(0, ...sides.map((side) => sum(side.apart.map(share)))));
  const toTrack = (value: number) => 50 + (value / max) * 50;

  const rows = input.rows.map((row, index) => {
    const side = sides[index]!;
    const main: PlacedSegment[] = [];
    const place = (segment: ChartSegment, from: number, to: number) =>
      main.push({ ...segment, start: toTrack(Math.min(from, to)), width: toTrack(Math.max(from, to)) - toTrack(Math.min(from, to)), share: share(segment) });
    const half = (share(side.neutral) ?? 0) / 2;
    let edge = -half;
    for (const segment of side.negative) {
      const value = share(segment) ?? 0;
      place(segment, edge - value, edge);
      edge -= value;
    }
    if (side.neutral) place(side.neutral, -half, half);
    edge = half;
    for (const segment of side.positive) {
      const value = share(segment) ?? 0;
      place(segment, edge, edge + value);
      edge += value;
    }
    let apartEdge = 0;
    const apart = side.apart.map((segment) => {
      const value = share(segment) ?? 0;
      const placed = { ...segment, start: (apartEdge / apartMax) * 100, width: (value / apartMax) * 100, share: share(segment) };
      apartEdge += value;
      return placed;
    });
    // Left to right in the order drawn, so the legend and the bars read alike.
    main.sort((a, b) => a.start - b.start);
    return { label: row.label, main, apart };
  });

  // The legend in scale order: strongly disagree … strongly agree, then what stands apart.
  const legend: ChartLayout["legend"] = [];
  const order = [...NEGATIVE, NEUTRAL, ...POSITIVE];
  const seen = new Set<string>();
  const all = input.rows.flatMap((row) => row.segments);
  for (const key of order) {
    const segment = all.find((entry) => entry.key === key);
    if (segment && !seen.has(key)) {
      legend.push({ key, label: segment.label, colour: segment.colour });
      seen.add(key);
    }
  }
  for (const segment of all) {
    if (!seen.has(segment.key)) {
      legend.push({ key: segment.key, label: segment.label, colour: segment.colour });
      seen.add(segment.key);
    }
  }
  return {
    kind: "diverging",
    legend,
    rows,
    ticks: ticksFor(max, true),
    centre: 50,
    apartTicks: rows.some((row) => row.apart.length) ? ticksFor(apartMax, false) : [],
  };
}

/** Black or white, whichever reads better on `colour` (#rrggbb), by WCAG relative luminance. */
export function textOn(colour: string): "#000000" | "#ffffff" {
  const channel = (offset: number) => {
    const value = Number.parseInt(colour.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05): black wins above L ≈ 0.179.
  return luminance > 0.179 ? "#000000" : "#ffffff";
}

// ------------------------------------------------------------------- SVG

export interface SvgWords {
  title: string;
  direction: "ltr" | "rtl";
  language: string;
  /** "42 %" from 42. */
  percent: (value: number) => string;
  /** The label of the bars beside a diverging chart ("No opinion or no answer"). */
  apartTitle?: string;
  /** What a withheld count reads as ("< 5", "hidden"), written where its bar would be. */
  withheld?: (kind: Withheld) => string;
}

const WIDTH = 960;
const PAD = 24;
const FONT_SIZE = 16;
const LINE = 22;
const BAR = 30;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', Arial, sans-serif";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function escapeXml(text: string): string {
  // Control characters other than tab and newline are not allowed in XML at all.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Roughly how wide a text is at `size` px: wide (CJK, Hangul, full-width) characters take an em, others a little over half. */
export function textWidth(text: string, size = FONT_SIZE): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/u.test(char) ? 1 : 0.58;
  return width * size;
}

/** Breaks a label into lines no wider than `width` (between words, or anywhere in a word longer than a line or in scripts without spaces). */
export function wrapText(text: string, width: number, size = FONT_SIZE): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/(?<=\s)/u)) {
    if (textWidth(line + word, size) <= width) {
      line += word;
      continue;
    }
    if (line.trim()) lines.push(line.trimEnd());
    line = "";
    for (const char of word) {
      if (textWidth(line + char, size) > width && line) {
        lines.push(line);
        line = "";
      }
      line += char;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.length ? lines : [""];
}

/**
 * The chart as a standalone SVG document, at 960 px wide and 16 px text
 * (readable when pasted into a report at page width), in the reader's
 * language and direction: right to left mirrors the bars and the legend.
 */
export function chartSvg(layout: ChartLayout, words: SvgWords): string {
  const rtl = words.direction === "rtl";
  // x in left-to-right terms; mirrored for right to left, where the document's direction also makes a text's
  // "start" its right edge.
  const x = (value: number) => (rtl ? WIDTH - value : value);
  const anchor = (start: boolean) => (start ? "start" : "end");
  const parts: string[] = [];
  let y = PAD;
  const text = (value: string, atX: number, atY: number, options: { size?: number; weight?: string; fill?: string; align?: "start" | "end" | "middle" } = {}) =>
    parts.push(
      `<text x="${x(atX).toFixed(1)}" y="${atY.toFixed(1)}" font-size="${options.size ?? FONT_SIZE}"${options.weight ? ` font-weight="${options.weight}"` : ""} fill="${options.fill ?? "#1b1f24"}" text-anchor="${
        options.align === "middle" ? "middle" : anchor(options.align !== "end")
      }">${escapeXml(value)}</text>`,
    );
  const rect = (fromX: number, atY: number, width: number, height: number, fill: string) => {
    if (width <= 0) return;
    const left = rtl ? WIDTH - fromX - width : fromX;
    parts.push(`<rect x="${left.toFixed(1)}" y="${atY.toFixed(1)}" width="${width.toFixed(1)}" height="${height}" fill="${fill}"/>`);
  };

  for (const line of wrapText(words.title, WIDTH - 2 * PAD, 18)) {
    y += LINE + 2;
    text(line, PAD, y, { size: 18, weight: "bold" });
  }
  y += 8;

  // The legend wraps onto as many lines as it needs.
  if (layout.legend.length) {
    let cursor = PAD;
    y += LINE;
    for (const entry of layout.legend) {
      const width = 18 + 8 + textWidth(entry.label) + 20;
      if (cursor + width > WIDTH - PAD && cursor > PAD) {
        cursor = PAD;
        y += LINE + 4;
      }
      rect(cursor, y - 14, 18, 18, entry.colour);
      text(entry.label, cursor + 26, y);
      cursor += width;
    }
    y += 16;
  }

  const diverging = layout.kind === "diverging";
  const hasApart = layout.apartTicks.length > 0;
  const inner = WIDTH - 2 * PAD;
  const apartWidth = hasApart ? Math.round(inner * 0.22) : 0;
  const gap = hasApart ? 32 : 0;
  const mainWidth = inner - apartWidth - gap;
  const apartX = PAD + mainWidth + gap;

  if (layout.kind === "histogram") {
    const plotTop = y + 16;
    const plotHeight = 240;
    const count = layout.rows.length || 1;
    const slot = inner / count;
    for (const tick of layout.ticks) {
      const tickY = plotTop + plotHeight - (tick.at / 100) * plotHeight;
      parts.push(`<line x1="${PAD}" x2="${WIDTH - PAD}" y1="${tickY.toFixed(1)}" y2="${tickY.toFixed(1)}" stroke="#c9d0d8" stroke-width="1"/>`);
      text(words.percent(tick.value), PAD, tickY - 4, { size: 13, fill: "#4a5360" });
    }
    let bottom = plotTop + plotHeight;
    layout.rows.forEach((row, index) => {
      const segment = row.main[0]!;
      const height = (segment.width / 100) * plotHeight;
      const left = PAD + index * slot + slot * 0.1;
      rect(left, plotTop + plotHeight - height, slot * 0.8, height, segment.colour);
      const label = segment.share !== null ? words.percent(segment.share) : isWithheld(segment.count) && words.withheld ? words.withheld(segment.count) : "";
      if (label)
        text(label, left + slot * 0.4, plotTop + plotHeight - height - 6, { align: "middle", size: 14, fill: segment.share === null ? "#4a5360" : undefined });
      wrapText(row.label, slot - 8, 14).forEach((line, lineIndex) => {
        const lineY = plotTop + plotHeight + 20 + lineIndex * 18;
        text(line, left + slot * 0.4, lineY, { align: "middle", size: 14 });
        bottom = Math.max(bottom, lineY);
      });
    });
    y = bottom + PAD;
  } else {
    // Axis labels above the bars.
    y += LINE;
    for (const tick of layout.ticks) text(words.percent(tick.value), PAD + (tick.at / 100) * mainWidth, y, { align: "middle", size: 13, fill: "#4a5360" });
    if (hasApart) {
      if (words.apartTitle) {
        for (const [index, line] of wrapText(words.apartTitle, apartWidth, 13).entries()) {
          text(line, apartX, y - 18 * (wrapText(words.apartTitle, apartWidth, 13).length - 1 - index), { size: 13, fill: "#4a5360" });
        }
      }
    }
    y += 10;
    const top = y;
    for (const row of layout.rows) {
      if (row.label) {
        for (const line of wrapText(row.label, inner)) {
          y += LINE;
          text(line, PAD, y);
        }
        y += 6;
      }
      /** Draws a segment within its area (left edge, width); its percentage inside when it fits. */
      const bar = (segment: PlacedSegment, areaX: number, areaWidth: number) => {
        const from = areaX + (segment.start / 100) * areaWidth;
        const width = (segment.width / 100) * areaWidth;
        rect(from, y, width, BAR, segment.colour);
        const label = segment.share === null ? "" : words.percent(segment.share);
        const inside = label !== "" && textWidth(label, 14) + 8 <= width;
        if (inside) text(label, from + width / 2, y + BAR / 2 + 5, { align: "middle", size: 14, fill: textOn(segment.colour) });
        return { from, width, label, inside };
      };
      for (const segment of row.main) {
        const { from, width, label, inside } = bar(segment, PAD, mainWidth);
        if (inside || diverging) continue;
        if (label) text(label, from + width + 6, y + BAR / 2 + 5, { size: 14 });
        else if (isWithheld(segment.count) && words.withheld) text(words.withheld(segment.count), from + 6, y + BAR / 2 + 5, { size: 14, fill: "#4a5360" });
      }
      for (const segment of row.apart) bar(segment, apartX, apartWidth);
      y += BAR + 12;
    }
    if (layout.centre !== null) {
      const centreX = x(PAD + (layout.centre / 100) * mainWidth);
      parts.push(`<line x1="${centreX.toFixed(1)}" x2="${centreX.toFixed(1)}" y1="${top}" y2="${y - 6}" stroke="#1b1f24" stroke-width="1.5"/>`);
    }
    y += PAD - 12;
  }

  const height = Math.ceil(y);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" direction="${words.direction}" xml:lang="${escapeXml(words.language)}" font-family="${FONT}">` +
    `<title>${escapeXml(words.title)}</title>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    parts.join("") +
    `</svg>`
  );
}
