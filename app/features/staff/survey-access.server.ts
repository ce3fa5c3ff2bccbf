import type { Params } from "@remix-run/react";
import { findSurveyForStaff } from "~/models/survey.server";
import { requirePermission, requireStaff } from "~/features/staff/auth.server";
import type { Permission } from "~/features/staff/permissions";

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
