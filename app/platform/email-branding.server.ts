import type { EmailBranding } from "~/platform/email-html";
import { getFixedT, languageInfo } from "~/platform/i18n.server";

/**
 * The organisation an email names at the top: its name and logo from the
 * staff settings (features/branding), read once per batch or message by the
 * caller (emailOrganisation there) and handed to the synchronous renderers,
 * which run thousands of times per mailing and sometimes inside a
 * transaction, where another query would wait on SQLite.
 *
 * The logo travels as an inline attachment (Content-ID), not a link to
 * /branding/logo: mail clients that block remote images by default (Outlook,
 * many corporate gateways) still show inline parts, and it works offline.
 * The outbox row names the logo instead of carrying its bytes
 * (EMAIL_LOGO_SOURCE), so a mailing of thousands does not store the image
 * thousands of times; the worker attaches the bytes when it sends.
 */
export interface EmailOrganisation {
  /** The organisation's own name in a language, or null when none is set (the product's name is shown). */
  nameIn(language: string): string | null;
  /** The current logo, or null: the name alone. */
  logo: { version: string; contentType: string; extension: string; width: number; height: number } | null;
}

/** No organisation settings: the product's name and no logo. */
export const PRODUCT_ONLY: EmailOrganisation = { nameIn: () => null, logo: null };

/** The outbox attachment whose bytes the worker fetches when it sends (see startOutboxWorker's attachmentSources). */
export const EMAIL_LOGO_SOURCE = "organisation-logo";

/** An attachment stored with the message (content) or named and fetched at sending (source), shown inline when it has a cid. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content?: string;
  cid?: string;
  source?: string;
}

function logoCid(organisation: EmailOrganisation): string | null {
  return organisation.logo ? `logo-${organisation.logo.version}@parley` : null;
}

export function organisationName(language: string, organisation: EmailOrganisation): string {
  return organisation.nameIn(language) ?? getFixedT(language, "common")("layout.brand");
}

export function emailBranding(language: string, organisation: EmailOrganisation): EmailBranding {
  const cid = logoCid(organisation);
  const logo = organisation.logo;
  return {
    name: organisationName(language, organisation),
    logoUrl: cid ? `cid:${cid}` : null,
    logoSize: logo ? { width: logo.width, height: logo.height } : null,
  };
}

/** The attachments every email of this organisation carries: the logo, by reference. */
export function brandingAttachments(organisation: EmailOrganisation): EmailAttachment[] {
  const cid = logoCid(organisation);
  if (!cid || !organisation.logo) return [];
  return [{ filename: `logo.${organisation.logo.extension}`, contentType: organisation.logo.contentType, cid, source: EMAIL_LOGO_SOURCE }];
}

/** An email's HTML for a page that shows it (the mailings preview): the inline logo's reference becomes the logo's web address. */
export function withLogoAddress(html: string, organisation: EmailOrganisation, address: string | null): string {
  const cid = logoCid(organisation);
  return cid && address ? html.replaceAll(`src="cid:${cid}"`, `src="${address.replace(/[&<>"']/g, "")}"`) : html;
}

/** Right-to-left for Arabic and the other right-to-left languages. */
export function emailDirection(language: string): "ltr" | "rtl" {
  return languageInfo(language).dir === "rtl" ? "rtl" : "ltr";
}
