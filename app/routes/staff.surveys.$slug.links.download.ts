import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { recordAudit } from "~/platform/audit.server";
import { exportLinksCsv } from "~/features/outreach/emails.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { linkExportFigures } from "~/models/outreach.server";
import { confirmationFor } from "~/platform/confirm";
import { publicOrigin } from "~/platform/urls.server";
import { env } from "~/platform/env.server";
import { readForm } from "~/platform/forms.server";

/**
 * The mail-merge file (a resource route: the response is the file). No loader: a GET must not replace links.
 * It replaces every participant's link, so it runs only as the confirmation of the links page's question,
 * carrying the number of participants that page stated; otherwise it sends the staff member back to the question.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "mailings.send");
  const form = await readForm(request);
  const { participants } = await linkExportFigures(survey.id);
  const confirmation = confirmationFor(form, participants);
  if (confirmation) return redirect(`/staff/surveys/${survey.slug}/links?confirm=${confirmation.changed ? "changed" : "1"}`, 303);
  const now = new Date();
  await recordAudit({ staffUserId: user.id, action: "links.export", subject: survey.slug, detail: { participants } });
  const stamp = now.toISOString().slice(0, 10);
  return new Response(exportLinksCsv(survey.id, publicOrigin(request, env().PUBLIC_URL), now), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${survey.slug}-links-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
