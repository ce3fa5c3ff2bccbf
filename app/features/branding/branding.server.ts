import { createHash } from "node:crypto";
import { readSettings, writeSettings } from "~/models/setting.server";
import { recordAudit } from "~/platform/audit.server";
import { accentContrast, normaliseHex } from "~/features/branding/contrast";
import type { LogoType } from "~/features/branding/logo-image";
import type { EmailOrganisation } from "~/platform/email-branding.server";

/**
 * The organisation's name, logo and accent colour (Setting rows), as every
 * page header, the document's accent and the emails show them.
 *
 * - "organisation.name": JSON, language code → name, "*" the name for every
 *   other language. Absent: the product's own name.
 * - "organisation.accent": "#rrggbb", checked for contrast when saved.
 * - "organisation.logo.meta": JSON { type, width, height, version }, small,
 *   read with the rest; "organisation.logo.data": the bytes in base64, read
 *   only by the logo's own route. Both are written in one transaction.
 *
 * The app runs as several instances: each keeps what it read for a few
 * seconds only, so a change reaches every instance within BRANDING_TTL_MS
 * (and the instance that saved it at once).
 */
const NAME = "organisation.name";
const ACCENT = "organisation.accent";
const LOGO_META = "organisation.logo.meta";
const LOGO_DATA = "organisation.logo.data";
const DEFAULT_NAME_KEY = "*";
export const BRANDING_TTL_MS = 5_000;
export const LOGO_PATH = "/branding/logo";

export interface LogoMeta {
  type: LogoType;
  width: number;
  height: number;
  /** The first 16 hex digits of the bytes' SHA-256: the URL's version and the ETag. */
  version: string;
}

interface StoredBranding {
  names: Record<string, string>;
  accent: string | null;
  logo: LogoMeta | null;
}

/** What a page or an email shows of the organisation. */
export interface OrganisationBranding {
  /** The organisation's name in this language, or null when none is set (the page shows the product's name). */
  name: string | null;
  /** A versioned path (not absolute: prefix PUBLIC_URL for emails), or null without a logo. */
  logoUrl: string | null;
  logoWidth: number | null;
  logoHeight: number | null;
  /** "#rrggbb", or null for the stylesheet's own. */
  accent: string | null;
}

let cache: { value: StoredBranding; readAt: number } | null = null;

function parseJson<T>(text: string | undefined): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

let loading: Promise<StoredBranding> | null = null;

async function storedBranding(): Promise<StoredBranding> {
  if (cache && Date.now() - cache.readAt < BRANDING_TTL_MS) return cache.value;
  // Requests that arrive together while the cache is cold share one read: a burst of forum sign-ups (each reads the
  // branding for its email) would otherwise queue hundreds of reads ahead of their transactions on SQLite.
  loading ??= readStoredBranding().finally(() => {
    loading = null;
  });
  return loading;
}

/** Bumped by forget(): a read begun before a save does not put the old values back in the cache. */
let generation = 0;

async function readStoredBranding(): Promise<StoredBranding> {
  const started = generation;
  const rows = await readSettings([NAME, ACCENT, LOGO_META]);
  const names = parseJson<Record<string, string>>(rows.get(NAME)) ?? {};
  const accent = normaliseHex(rows.get(ACCENT) ?? "");
  // A stored accent is used only while it still passes (a hand-edited row cannot break the pages' contrast).
  const value: StoredBranding = { names, accent: accent && accentContrast(accent).passes ? accent : null, logo: parseJson<LogoMeta>(rows.get(LOGO_META)) };
  if (started === generation) cache = { value, readAt: Date.now() };
  return value;
}

function forget(): void {
  cache = null;
  loading = null;
  generation++;
}

/** The organisation's branding for pages and emails, in `language` (its own name there, else the default name). */
export async function organisationBranding(language?: string): Promise<OrganisationBranding> {
  const stored = await storedBranding();
  return {
    name: (language ? stored.names[language] : undefined) ?? stored.names[DEFAULT_NAME_KEY] ?? null,
    logoUrl: stored.logo ? `${LOGO_PATH}?v=${stored.logo.version}` : null,
    logoWidth: stored.logo?.width ?? null,
    logoHeight: stored.logo?.height ?? null,
    accent: stored.accent,
  };
}

/** The organisation's name in `language`, or `fallback` (the product's name) when none is set. */
export async function organisationName(language?: string, fallback = "Parley"): Promise<string> {
  return (await organisationBranding(language)).name ?? fallback;
}

/** What the settings form shows: every stored name, the accent, whether there is a logo. */
export async function brandingForEditing(): Promise<{ names: Record<string, string>; accent: string | null; logo: LogoMeta | null }> {
  forget();
  const stored = await storedBranding();
  return { names: { ...stored.names }, accent: stored.accent, logo: stored.logo };
}

/** Saves the names (empty ones removed) and the accent (already checked by the caller; null for the default). */
export async function saveBranding(staffUserId: string, next: { names: Record<string, string>; accent: string | null }): Promise<boolean> {
  const before = await brandingForEditing();
  const names = Object.fromEntries(Object.entries(next.names).filter(([, name]) => name !== ""));
  const namesChanged = JSON.stringify(Object.entries(before.names).sort()) !== JSON.stringify(Object.entries(names).sort());
  const accentChanged = before.accent !== next.accent;
  if (!namesChanged && !accentChanged) return false;
  await writeSettings({
    ...(namesChanged ? { [NAME]: Object.keys(names).length ? JSON.stringify(names) : null } : {}),
    ...(accentChanged ? { [ACCENT]: next.accent } : {}),
  });
  forget();
  await recordAudit({
    staffUserId,
    action: "settings.branding",
    subject: "organisation",
    detail: {
      ...(namesChanged ? { names: { from: before.names, to: names } } : {}),
      ...(accentChanged ? { accent: { from: before.accent, to: next.accent } } : {}),
    },
  });
  return true;
}

/** Stores a logo already checked by checkLogo. */
export async function saveLogo(staffUserId: string, logo: { bytes: Uint8Array; type: LogoType; width: number; height: number }): Promise<void> {
  const version = createHash("sha256").update(logo.bytes).digest("hex").slice(0, 16);
  const meta: LogoMeta = { type: logo.type, width: logo.width, height: logo.height, version };
  await writeSettings({ [LOGO_META]: JSON.stringify(meta), [LOGO_DATA]: Buffer.from(logo.bytes).toString("base64") });
  forget();
  await recordAudit({ staffUserId, action: "settings.logo", subject: "organisation", detail: { ...meta, bytes: logo.bytes.length } });
}

export async function removeLogo(staffUserId: string): Promise<boolean> {
  const before = (await brandingForEditing()).logo;
  if (!before) return false;
  await writeSettings({ [LOGO_META]: null, [LOGO_DATA]: null });
  forget();
  await recordAudit({ staffUserId, action: "settings.logo.remove", subject: "organisation", detail: { version: before.version } });
  return true;
}

/** The logo to serve: its bytes, type and version, or null without one. Read from the database each time (its route is cached by browsers instead). */
export async function logoFile(): Promise<{ bytes: Buffer; type: LogoType; version: string } | null> {
  const rows = await readSettings([LOGO_META, LOGO_DATA]);
  const meta = parseJson<LogoMeta>(rows.get(LOGO_META));
  const data = rows.get(LOGO_DATA);
  if (!meta || !data) return null;
  return { bytes: Buffer.from(data, "base64"), type: meta.type, version: meta.version };
}

const EXTENSIONS: Record<LogoType, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

/** What emails show of the organisation, read once for a whole batch of messages (see platform/email-branding.server.ts). */
export async function emailOrganisation(): Promise<EmailOrganisation> {
  const stored = await storedBranding();
  const logo = stored.logo;
  return {
    nameIn: (language) => stored.names[language] ?? stored.names[DEFAULT_NAME_KEY] ?? null,
    logo: logo ? { version: logo.version, contentType: logo.type, extension: EXTENSIONS[logo.type] ?? "png", width: logo.width, height: logo.height } : null,
  };
}

let emailLogo: { bytes: Buffer; version: string; readAt: number } | null = null;

/** The logo's bytes for the worker to attach to emails; kept for a few seconds, so a mailing reads them once, not per message. */
export async function emailLogoBytes(): Promise<Buffer | null> {
  if (emailLogo && Date.now() - emailLogo.readAt < BRANDING_TTL_MS) return emailLogo.bytes;
  const file = await logoFile();
  emailLogo = file ? { bytes: file.bytes, version: file.version, readAt: Date.now() } : null;
  return file?.bytes ?? null;
}
