import { data } from "@remix-run/node";
import type { Params } from "@remix-run/react";
import { findSurveyForStaff } from "~/models/survey.server";
import { requirePermission, requireStaff, type StaffUser } from "~/features/staff/auth.server";
import { canTranslate, type Permission } from "~/features/staff/permissions";
import { recordAudit } from "~/platform/audit.server";

/**
 * The signed-in staff member and the survey named in the URL, when they hold
 * `permission` for it: 404 for an unknown survey, 403 for one outside their
 * grants (checked after the lookup, since grants name surveys by id).
 */
export async function requireStaffSurvey(request: Request, params: Params, permission: Permission) {
  const user = await requireStaff(request, "signedIn");
  const survey = params.slug && /^[a-z0-9-]{1,100}$/.test(params.slug) ? await findSurveyForStaff(params.slug) : null;
  if (!survey) throw new Response("Not found", { status: 404 });
  await requirePermission(request, user, permission, survey.id);
  return { user, survey };
}

/**
 * A survey's texts in one language: a translator works on the language their
 * grant names, and anyone else gets the same audited 403 as for a missing
 * permission. Checked on every request, not only in the menus.
 */
export async function requireSurveyLanguage(request: Request, user: StaffUser, surveyId: string, language: string): Promise<void> {
  if (canTranslate(user.grants, language, surveyId)) return;
  await recordAudit({
    staffUserId: user.id,
    action: "staff.refused",
    subject: new URL(request.url).pathname,
    detail: { permission: "surveys.translate", language, method: request.method },
  });
  throw data({ reason: "forbidden" as const }, { status: 403 });
}
