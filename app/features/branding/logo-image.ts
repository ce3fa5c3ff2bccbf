/**
 * What an uploaded logo is, read from its bytes alone: the file name and the
 * Content-Type the browser sent are never trusted. PNG, JPEG and WebP are
 * accepted; their headers give the dimensions and their structure is checked
 * (signature, the header chunk, the end marker). SVG is refused outright: it
 * is a document that can carry script, and sanitising it safely is more than
 * a logo is worth.
 */

export const LOGO_MAX_BYTES = 512 * 1024;
export const LOGO_MAX_SIDE = 2000;

export type LogoType = "image/png" | "image/jpeg" | "image/webp";

export type LogoCheck =
  | { ok: true; type: LogoType; width: number; height: number }
  | { ok: false; problem: "empty" | "tooLarge" | "svg" | "notImage" | "tooWide"; width?: number; height?: number };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return bytes.length >= at + prefix.length && prefix.every((byte, index) => bytes[at + index] === byte);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function u32be(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function u16be(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) + bytes[at + 1]!;
}

function u32le(bytes: Uint8Array, at: number): number {
  return bytes[at]! + (bytes[at + 1]! << 8) + (bytes[at + 2]! << 16) + ((bytes[at + 3]! << 24) >>> 0);
}

function u24le(bytes: Uint8Array, at: number): number {
  return bytes[at]! + (bytes[at + 1]! << 8) + (bytes[at + 2]! << 16);
}

/** PNG: signature, IHDR first (13 bytes: width, height…), IEND last. */
function png(bytes: Uint8Array): { width: number; height: number } | null {
  if (!startsWith(bytes, PNG_SIGNATURE) || bytes.length < 8 + 25 + 12) return null;
  if (u32be(bytes, 8) !== 13 || ascii(bytes, 12, 4) !== "IHDR") return null;
  if (ascii(bytes, bytes.length - 8, 4) !== "IEND") return null;
  return { width: u32be(bytes, 16), height: u32be(bytes, 20) };
}

/** JPEG: SOI, then segments up to a start-of-frame marker, which holds the size; EOI last. */
function jpeg(bytes: Uint8Array): { width: number; height: number } | null {
  if (!startsWith(bytes, [0xff, 0xd8, 0xff]) || !startsWith(bytes, [0xff, 0xd9], bytes.length - 2)) return null;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = u16be(bytes, at + 2);
    if (length < 2) return null;
    const startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (startOfFrame) return { height: u16be(bytes, at + 5), width: u16be(bytes, at + 7) };
    if (marker === 0xda || marker === 0xd9) return null; // image data or the end before any frame header
    at += 2 + length;
  }
  return null;
}

/** WebP: a RIFF container whose size matches the file, then a VP8, VP8L or VP8X chunk. */
function webp(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 30 || ascii(bytes, 0, 4) !== "RIFF" || ascii(bytes, 8, 4) !== "WEBP") return null;
  if (u32le(bytes, 4) + 8 !== bytes.length) return null;
  const chunk = ascii(bytes, 12, 4);
  if (chunk === "VP8 ") {
    if (!startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) return null;
    return { width: (bytes[26]! | (bytes[27]! << 8)) & 0x3fff, height: (bytes[28]! | (bytes[29]! << 8)) & 0x3fff };
  }
  if (chunk === "VP8L") {
    if (bytes[20] !== 0x2f) return null;
    const bits = u32le(bytes, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") return { width: u24le(bytes, 24) + 1, height: u24le(bytes, 27) + 1 };
  return null;
}

/** Whether the bytes look like an SVG (or other XML) document, so the refusal can say why. */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder("utf-8", { fatal: false })
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  return head.startsWith("<") && (head.includes("<svg") || head.startsWith("<?xml"));
}

export function checkLogo(bytes: Uint8Array): LogoCheck {
  if (bytes.length === 0) return { ok: false, problem: "empty" };
  if (bytes.length > LOGO_MAX_BYTES) return { ok: false, problem: "tooLarge" };
  if (looksLikeSvg(bytes)) return { ok: false, problem: "svg" };
  const found: [LogoType, { width: number; height: number } | null][] = [
    ["image/png", png(bytes)],
    ["image/jpeg", jpeg(bytes)],
    ["image/webp", webp(bytes)],
  ];
  const match = found.find(([, size]) => size !== null);
  if (!match) return { ok: false, problem: "notImage" };
  const [type, size] = match as [LogoType, { width: number; height: number }];
  if (size.width < 1 || size.height < 1) return { ok: false, problem: "notImage" };
  if (size.width > LOGO_MAX_SIDE || size.height > LOGO_MAX_SIDE) return { ok: false, problem: "tooWide", ...size };
  return { ok: true, type, ...size };
}
