import type { ActionFunctionArgs } from "@remix-run/node";
import { findSeries } from "~/models/forum.server";
import { recordAudit } from "~/platform/audit.server";
import { requireForumAccess, requireStaff } from "~/features/staff/auth.server";
import { registrationsCsv, registrationsXlsx } from "~/features/forums/staff-page.server";
import { readForm } from "~/platform/forms.server";

/** Registrations of a series as CSV or XLSX (POST only, like every export). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request, "forums.manage");
  const series = await findSeries(params.slug ?? "");
  if (!series) throw new Response("Not found", { status: 404 });
  await requireForumAccess(request, user, series.surveyId);
  const format = (await readForm(request)).get("format");
  if (format !== "csv" && format !== "xlsx") return new Response("csv or xlsx", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  await recordAudit({ staffUserId: user.id, action: `forum.export.${format}`, subject: series.slug });
  const headers = {
    "Content-Disposition": `attachment; filename="${series.slug}-registrations.${format}"`,
    "Cache-Control": "no-store",
  };
  if (format === "csv") return new Response(registrationsCsv(series.id), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
  return new Response(await registrationsXlsx(series.id, "Registrations"), {
    headers: { ...headers, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  });
}
