import type { ActionFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/platform/audit.server";
import { exportLinksCsv } from "~/features/outreach/emails.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { publicOrigin } from "~/platform/urls.server";
import { env } from "~/platform/env.server";

/** The mail-merge file (a resource route: the response is the file). No loader: a GET must not replace links. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "mailings.send");
  const now = new Date();
  await recordAudit({ staffUserId: user.id, action: "links.export", subject: survey.slug });
  const stamp = now.toISOString().slice(0, 10);
  return new Response(exportLinksCsv(survey.id, publicOrigin(request, env().PUBLIC_URL), now), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${survey.slug}-links-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
