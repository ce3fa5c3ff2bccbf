import { describe, expect, it } from "vitest";
import { accentContrast, contrastRatio, normaliseHex } from "../../app/features/branding/contrast";
import { checkLogo, LOGO_MAX_BYTES } from "../../app/features/branding/logo-image";
import { solidPng } from "../support/images";

describe("accent contrast (WCAG 2)", () => {
  it("measures the known pairs", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
  });

  it("passes the stylesheet's own accent and refuses light ones, giving the worse of the two ratios rounded down", () => {
    expect(accentContrast("#0b5cad").passes).toBe(true);
    expect(accentContrast("#ffff00")).toEqual({ ratio: 1.01, passes: false });
    // Enough on white, not on the page's grey: refused.
    const grey = accentContrast("#757575");
    expect(contrastRatio("#757575", "#ffffff")).toBeGreaterThan(4.5);
    expect(grey.passes).toBe(false);
  });

  it("reads #rrggbb only", () => {
    expect(normaliseHex(" #0B5CAD ")).toBe("#0b5cad");
    for (const bad of ["0b5cad", "#fff", "#0b5cadd", "red", "#0b5cag", "#0b5cad;}</style>"]) expect(normaliseHex(bad)).toBeNull();
  });
});

describe("logo checks from the bytes", () => {
  it("accepts a PNG and reads its size", () => {
    expect(checkLogo(solidPng(30, 12))).toEqual({ ok: true, type: "image/png", width: 30, height: 12 });
  });

  it("reads JPEG and WebP headers", () => {
    // SOI, an APP0 segment, SOF0 (height 20, width 50), EOI.
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 20, 0, 50, 1, 1, 0x11, 0, 0xff, 0xd9]);
    expect(checkLogo(jpeg)).toEqual({ ok: true, type: "image/jpeg", width: 50, height: 20 });
    // RIFF/WEBP with a VP8X chunk: width 64, height 32 (stored minus one).
    const webp = new Uint8Array(30);
    webp.set(new TextEncoder().encode("RIFF"), 0);
    new DataView(webp.buffer).setUint32(4, 22, true);
    webp.set(new TextEncoder().encode("WEBPVP8X"), 8);
    webp.set([63, 0, 0, 31, 0, 0], 24);
    expect(checkLogo(webp)).toEqual({ ok: true, type: "image/webp", width: 64, height: 32 });
  });

  it("refuses SVG, text, truncated images, oversized files and dimensions", () => {
    const text = (value: string) => new TextEncoder().encode(value);
    expect(checkLogo(text('\uFEFF  <?xml version="1.0"?><svg onload="alert(1)"/>'))).toMatchObject({ ok: false, problem: "svg" });
    expect(checkLogo(text("<svg><script>alert(1)</script></svg>"))).toMatchObject({ ok: false, problem: "svg" });
    expect(checkLogo(text("hello"))).toMatchObject({ ok: false, problem: "notImage" });
    expect(checkLogo(new Uint8Array(0))).toMatchObject({ ok: false, problem: "empty" });
    expect(checkLogo(solidPng(10, 10).subarray(0, 40))).toMatchObject({ ok: false, problem: "notImage" });
    expect(checkLogo(new Uint8Array(LOGO_MAX_BYTES + 1))).toMatchObject({ ok: false, problem: "tooLarge" });
    expect(checkLogo(solidPng(1, 2001))).toMatchObject({ ok: false, problem: "tooWide" });
  });
});
