import type { EmailBranding } from "~/platform/email-html";
import { getFixedT, languageInfo } from "~/platform/i18n.server";

/**
 * The organisation named at the top of every email. There is no setting for
 * the name or the logo yet: the name is the site's brand ("layout.brand" in
 * the locale files), and no logo is shown. When organisation settings gain a
 * name and a logo, these two functions are where they are read.
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
