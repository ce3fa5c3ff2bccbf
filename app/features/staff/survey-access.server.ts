import type { Params } from "@remix-run/react";
import { findSurveyForStaff } from "~/models/survey.server";
import { requireStaff } from "~/features/staff/auth.server";

/** The signed-in staff member and the survey named in the URL; 404 for an unknown survey. */
export async function requireStaffSurvey(request: Request, params: Params) {
  const user = await requireStaff(request);
  const survey = params.slug && /^[a-z0-9-]{1,100}$/.test(params.slug) ? await findSurveyForStaff(params.slug) : null;
  if (!survey) throw new Response("Not found", { status: 404 });
  return { user, survey };
}

/** Where links in emails point: PUBLIC_URL in production, else the address this request came to. */
export function publicOrigin(request: Request, configured: string | undefined): string {
  return (configured ?? new URL(request.url).origin).replace(/\/$/, "");
}
