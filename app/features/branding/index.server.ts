/** The organisation's branding, for pages and emails (see branding.server.ts). */
export { organisationBranding, organisationName, type OrganisationBranding } from "~/features/branding/branding.server";
