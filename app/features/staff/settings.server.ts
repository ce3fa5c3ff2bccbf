import { redirect } from "@remix-run/node";
import { readSetting, writeSetting } from "~/models/setting.server";
import { hasTotpSecret } from "~/models/staff-two-factor.server";
import { recordAudit } from "~/platform/audit.server";
import type { Grant } from "~/features/staff/permissions";

/**
 * Organisation settings (the Setting table) and what they enforce. For now
 * one: whether administrators and survey managers must use two-factor
 * sign-in. While it is on, such a member without it is sent to the set-up
 * page from every staff page but that one (signing out is a public route).
 */
const REQUIRE_TWO_FACTOR = "staff.requireTwoFactor";
export const TWO_FACTOR_SETUP_PATH = "/staff/account/two-factor";
const ROLES_REQUIRING_TWO_FACTOR: ReadonlySet<string> = new Set(["administrator", "survey_manager"]);

export interface OrganisationSettings {
  requireTwoFactor: boolean;
}

export async function organisationSettings(): Promise<OrganisationSettings> {
  return { requireTwoFactor: (await readSetting(REQUIRE_TWO_FACTOR)) === "true" };
}

export async function saveOrganisationSettings(staffUserId: string, settings: OrganisationSettings): Promise<void> {
  const before = await organisationSettings();
  if (before.requireTwoFactor === settings.requireTwoFactor) return;
  await writeSetting(REQUIRE_TWO_FACTOR, String(settings.requireTwoFactor));
  await recordAudit({
    staffUserId,
    action: "settings.change",
    subject: REQUIRE_TWO_FACTOR,
    detail: { from: before.requireTwoFactor, to: settings.requireTwoFactor },
  });
}

/** Throws a redirect to the set-up page when the organisation requires two-factor sign-in of this member and they have none. */
export async function requireTwoFactorIfDemanded(request: Request, user: { id: string; grants: readonly Grant[] }): Promise<void> {
  if (!user.grants.some((grant) => ROLES_REQUIRING_TWO_FACTOR.has(grant.role))) return;
  // Single-fetch data requests end in ".data"; they stand for the page of the same path.
  const path = new URL(request.url).pathname.replace(/\.data$/, "").replace(/\/$/, "");
  if (path === TWO_FACTOR_SETUP_PATH) return;
  if (!(await organisationSettings()).requireTwoFactor) return;
  if (await hasTotpSecret(user.id)) return;
  throw redirect(TWO_FACTOR_SETUP_PATH);
}
