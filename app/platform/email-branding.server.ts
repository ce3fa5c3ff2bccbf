import type { EmailBranding } from "~/platform/email-html";
import { getFixedT, languageInfo } from "~/platform/i18n.server";

/**
 * The organisation named at the top of every email: today the site's brand
 * ("layout.brand" in the locale files) and no logo. The organisation's own
 * name and logo (staff settings, features/branding) are read asynchronously
 * and cached per instance; the email renderers are synchronous and run in the
 * web and worker processes alike, so passing that branding down to them is
 * the next step (issue 20), not done here.
 */
export function organisationName(language: string): string {
  return getFixedT(language, "common")("layout.brand");
}

/** An absolute https address of the organisation's logo, or null (the name is shown instead). */
export function organisationLogoUrl(): string | null {
  return null;
}

export function emailBranding(language: string): EmailBranding {
  return { name: organisationName(language), logoUrl: organisationLogoUrl() };
}

/** Right-to-left for Arabic and the other right-to-left languages. */
export function emailDirection(language: string): "ltr" | "rtl" {
  return languageInfo(language).dir === "rtl" ? "rtl" : "ltr";
}
