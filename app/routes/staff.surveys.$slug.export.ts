import type { ActionFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/platform/audit.server";
import { detectLanguage, getFixedT } from "~/platform/i18n.server";
import { filterFromUrl } from "~/features/results/staff-page.server";
import { ExportRefused, resultsCsv, resultsXlsx } from "~/features/results/export.server";
import { requirePermission } from "~/features/staff/auth.server";
import { can } from "~/features/staff/permissions";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { readForm } from "~/platform/forms.server";

const TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/**
 * Results exports (a resource route: the response is the file). POST only, so
 * that the CSRF check applies and a link cannot start an export; the form
 * carries the results page's filters.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "results.view");
  const locale = detectLanguage(request, user.language);
  const t = getFixedT(locale, "staff");
  const form = await readForm(request);
  const format = form.get("format");
  if (format !== "csv" && format !== "xlsx") return refusal(t("results.export.badFormat"), 400);
  // One row per response is for those who may see responses; results viewers get the summary tables.
  const responseRows = can(user.grants, "responses.export", survey.id);
  if (format === "csv") await requirePermission(request, user, "responses.export", survey.id);

  const query = new URLSearchParams();
  for (const [name, value] of form) if (name !== "format" && typeof value === "string") query.append(name, value);
  const { filter } = await filterFromUrl(survey, new URL(`http://filter/?${query.toString()}`));
  let body: ReadableStream<Uint8Array>;
  try {
    body = format === "csv" ? await resultsCsv(survey, filter, locale) : await resultsXlsx(survey, filter, locale, { responseRows });
  } catch (error) {
    if (error instanceof ExportRefused) return refusal(t("results.export.refused", { threshold: survey.anonymityThreshold }), 409);
    throw error;
  }
  await recordAudit({ staffUserId: user.id, action: `results.export.${format}`, subject: survey.slug, detail: { filter: query.toString(), responseRows } });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": TYPES[format],
      "Content-Disposition": `attachment; filename="${survey.slug}-results-${stamp}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}

/** A plain message: the export form posts outside the app's pages, so the browser shows this text as it is. */
function refusal(message: string, status: number): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
