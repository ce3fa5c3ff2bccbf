import type { LoaderFunctionArgs } from "@remix-run/node";
import { participantData } from "~/models/participant-data.server";
import { recordAudit } from "~/platform/audit.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";

const ID = /^[0-9a-f-]{36}$/;

/** A participant's own data as JSON, for answering a request to see it; audited like every export. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireStaffSurvey(request, params, "participants.manage");
  const found = ID.test(params.id ?? "") ? await participantData(survey.id, params.id!) : null;
  if (!found) throw new Response("Not found", { status: 404 });
  await recordAudit({ staffUserId: user.id, action: "participant.data-export", subject: params.id!, detail: { survey: survey.slug } });
  const body = JSON.stringify({ exportedAt: new Date().toISOString(), ...found }, null, 2);
  return new Response(`${body}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${survey.slug}-participant-${params.id}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
