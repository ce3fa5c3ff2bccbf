import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireSurveyLanguage, requireStaffSurvey } from "~/features/staff/survey-access.server";
import { editableLanguage } from "~/features/translations/survey-editor.server";
import { exportXliff } from "~/features/translations/xliff.server";

/** A survey's texts in one language as XLIFF (?version=2.0, the default, or 1.2). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "surveys.translate");
  const language = params.lang ?? "";
  if (!editableLanguage(language)) throw new Response("Not found", { status: 404 });
  await requireSurveyLanguage(request, user, survey.id, language);
  const version = new URL(request.url).searchParams.get("version") ?? "2.0";
  if (version !== "2.0" && version !== "1.2") throw new Response("version must be 2.0 or 1.2", { status: 400 });
  const file = await exportXliff(survey, language, version);
  if (!file) throw new Response("Not found", { status: 404 });
  return new Response(file.body, {
    headers: {
      "Content-Type": "application/xliff+xml; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
