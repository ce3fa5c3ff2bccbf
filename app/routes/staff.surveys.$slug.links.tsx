import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { countParticipants } from "~/models/participant.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "mailings.send");
  return { participants: await countParticipants(survey.id), mode: survey.mode };
}

export default function LinkExport() {
  const { participants, mode } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <section aria-labelledby="links-title">
      <h2 id="links-title">{t("links.title")}</h2>
      <p>{t("links.intro")}</p>
      <div className="notice warning" role="note">
        <p>
          <strong>{t("links.warningTitle")}</strong>
        </p>
        <p>{t("links.warning")}</p>
        {mode === "anonymous" ? <p>{t("links.warningAnonymous")}</p> : null}
      </div>
      <Form method="post" action="download" reloadDocument>
        <button type="submit" className="button" disabled={participants === 0}>
          {t("links.download", { count: participants, formatted: number.format(participants) })}
        </button>
      </Form>
    </section>
  );
}
