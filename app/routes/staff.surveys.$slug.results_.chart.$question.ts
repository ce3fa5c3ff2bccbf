import type { LoaderFunctionArgs } from "@remix-run/node";
import { resultsChartSvg } from "~/features/results/staff-page.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { detectLanguage } from "~/platform/i18n.server";

/**
 * One question's results chart as an SVG file (a resource route), for the
 * view the query's filters name, in the staff member's language: the results
 * page's "Download SVG" link, and what its script draws the PNG from.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "results.view");
  const locale = detectLanguage(request, user.language);
  const question = params.question ?? "";
  const svg = await resultsChartSvg(survey, new URL(request.url), locale, question);
  if (svg === null) throw new Response("No such chart", { status: 404 });
  const fileName = `${survey.slug}-${question}.svg`.replace(/[^A-Za-z0-9._-]/g, "_");
  return new Response(svg, {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      // Counts of a survey in progress: never kept by a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
}
