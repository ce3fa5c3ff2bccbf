import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportBundle } from "~/features/editor/index.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";

/** A version of the survey as a bundle (zip of the exchange files); the published one unless ?version=N. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "surveys.edit");
  const requested = new URL(request.url).searchParams.get("version");
  const number = requested === null ? survey.publishedVersion : /^[1-9][0-9]{0,8}$/.test(requested) ? Number(requested) : 0;
  const bundle = number > 0 ? await exportBundle(survey, number) : null;
  if (!bundle) throw new Response("Not found", { status: 404 });
  return new Response(Buffer.from(bundle.bytes), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${bundle.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
