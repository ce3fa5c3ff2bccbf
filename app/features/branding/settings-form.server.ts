import { z } from "zod";
import { AA_NORMAL_TEXT, accentContrast, normaliseHex } from "~/features/branding/contrast";
import { checkLogo, LOGO_MAX_BYTES, LOGO_MAX_SIDE } from "~/features/branding/logo-image";
import { brandingForEditing, saveBranding, saveLogo } from "~/features/branding/branding.server";
import { CLOSE_CONNECTION, discardBody, formText, parseForm, readForm, type FieldErrors } from "~/platform/forms.server";

/** The stylesheet's own accent (app/styles/app.css), shown in the picker while none is chosen. */
export const DEFAULT_ACCENT = "#0b5cad";
export const NAME_MAX_LENGTH = 80;
/** A multipart body carries its boundaries and other fields beside the file: a little room above the logo's own limit. */
const LOGO_FORM_MAX_BYTES = LOGO_MAX_BYTES + 16 * 1024;
/** Up to this size an over-large upload is read and answered with the page and its message; past it, a bare 413. */
const LOGO_FORM_DRAIN_BYTES = 8 * 1024 * 1024;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

const nameField = formText(
  z
    .string()
    .trim()
    .max(NAME_MAX_LENGTH, "security:settings.errors.nameTooLong")
    .refine((value) => !CONTROL_CHARACTERS.test(value), "security:settings.errors.nameControl"),
);

function brandingSchema(languages: readonly string[]) {
  return z.object({
    intent: formText(z.literal("branding", "security:errors.badRequest")),
    name: nameField,
    ...Object.fromEntries(languages.map((code) => [`name.${code}`, nameField])),
    accent: formText(z.string().trim().max(32, "security:settings.errors.accentFormat")),
    accentPicker: formText(z.string().max(32, "security:settings.errors.accentFormat")),
    accentBefore: formText(z.string().max(32, "security:errors.badRequest")),
  });
}

export type BrandingOutcome =
  { ok: true; changed: boolean } | { ok: false; status: 400 | 413; errors: FieldErrors; options?: Record<string, string>; values?: Record<string, string> };

function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/**
 * Which accent the form asks for. Two controls show it (a colour picker and
 * a text field, for browsers and readers the picker does not suit); without
 * scripts they are not kept in step, so the one that differs from what the
 * page showed wins, the text field first. An empty text field (changed from
 * the stored colour) means the default.
 */
function chosenAccent(values: { accent: string; accentPicker: string; accentBefore: string }): string | undefined {
  if (values.accent !== values.accentBefore) return values.accent;
  if (values.accentPicker.toLowerCase() !== (values.accentBefore || DEFAULT_ACCENT)) return values.accentPicker;
  return undefined; // unchanged
}

/** Reads and saves the name and accent form; refuses a colour that would break WCAG AA contrast with the measured ratio. */
export async function submitBranding(staffUserId: string, form: FormData, languages: readonly string[], locale: string): Promise<BrandingOutcome> {
  const parsed = parseForm(brandingSchema(languages), form);
  const typed = { accent: String(form.get("accent") ?? "").slice(0, 32), name: String(form.get("name") ?? "").slice(0, NAME_MAX_LENGTH * 2) };
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, values: typed };
  const values = parsed.values as Record<string, string> & { accent: string; accentPicker: string; accentBefore: string };
  const before = await brandingForEditing();
  const requested = chosenAccent(values);
  let accent = before.accent;
  if (requested !== undefined) {
    if (requested === "") accent = null;
    else {
      const hex = normaliseHex(requested);
      if (!hex) return { ok: false, status: 400, errors: { accent: ["security:settings.errors.accentFormat"] }, values: typed };
      const contrast = accentContrast(hex);
      if (!contrast.passes) {
        return {
          ok: false,
          status: 400,
          errors: { accent: ["security:settings.errors.accentContrast"] },
          options: { ratio: formatNumber(contrast.ratio, locale), needed: formatNumber(AA_NORMAL_TEXT, locale) },
          values: { ...typed, accent: hex },
        };
      }
      accent = hex;
    }
  }
  const names: Record<string, string> = { "*": values.name ?? "" };
  for (const code of languages) names[code] = values[`name.${code}`] ?? "";
  return { ok: true, changed: await saveBranding(staffUserId, { names, accent }) };
}

/** Reads an uploaded logo within its limits, checks what the bytes are, and stores it. */
export async function submitLogo(staffUserId: string, request: Request): Promise<BrandingOutcome> {
  const tooLarge = { ok: false as const, status: 413 as const, errors: { logo: ["security:settings.errors.logoTooLarge"] } };
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > LOGO_FORM_DRAIN_BYTES) {
    await discardBody(request);
    throw new Response("Request body too large", { status: 413, headers: CLOSE_CONNECTION });
  }
  let form: FormData;
  try {
    // Read up to the drain limit so an over-large logo still gets the page and its message.
    form = await readForm(request, LOGO_FORM_DRAIN_BYTES);
  } catch (error) {
    if (error instanceof Response && error.status === 413) return tooLarge;
    throw error;
  }
  if (form.get("intent") !== "logo") return { ok: false, status: 400, errors: { form: ["security:errors.badRequest"] } };
  const file = form.get("logo");
  if (!(file instanceof File) || file.size === 0) return { ok: false, status: 400, errors: { logo: ["security:settings.errors.logoMissing"] } };
  if (length > LOGO_FORM_MAX_BYTES || file.size > LOGO_MAX_BYTES) return tooLarge;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const check = checkLogo(bytes);
  if (!check.ok) {
    const key = {
      empty: "logoMissing",
      tooLarge: "logoTooLarge",
      svg: "logoSvg",
      notImage: "logoNotImage",
      tooWide: "logoTooWide",
    }[check.problem];
    return { ok: false, status: check.problem === "tooLarge" ? 413 : 400, errors: { logo: [`security:settings.errors.${key}`] } };
  }
  await saveLogo(staffUserId, { bytes, type: check.type, width: check.width, height: check.height });
  return { ok: true, changed: true };
}

/** The limits the form's hint and messages state. */
export const LOGO_LIMITS = { kilobytes: LOGO_MAX_BYTES / 1024, side: LOGO_MAX_SIDE };
