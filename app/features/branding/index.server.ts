/** The organisation's branding, for pages and emails (see branding.server.ts). */
export { emailLogoBytes, emailOrganisation, organisationBranding, organisationName, type OrganisationBranding } from "~/features/branding/branding.server";
