import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { linkExportFigures } from "~/models/outreach.server";
import { requireStaffSurvey } from "~/features/staff/survey-access.server";
import { ConfirmStep } from "~/features/staff/components/confirm-step";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey } = await requireStaffSurvey(request, params, "mailings.send");
  const { participants, withLiveLink } = await linkExportFigures(survey.id);
  // ?confirm=1: the confirmation step (a GET: asking changes nothing); ?confirm=changed: the
  // download found another number of participants than the one confirmed, and asks again.
  const step = new URL(request.url).searchParams.get("confirm");
  return { participants, withLiveLink, mode: survey.mode, confirm: step !== null && participants > 0 ? { changed: step === "changed" } : null };
}

export default function LinkExport() {
  const { participants, withLiveLink, mode, confirm } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  const figures = { count: participants, formatted: number.format(participants) };

  if (confirm) {
    return (
      <section aria-labelledby="links-title">
        <h2 id="links-title">{t("links.title")}</h2>
        <ConfirmStep
          headingLevel={3}
          title={t("links.confirm.title", figures)}
          count={participants}
          changed={confirm.changed}
          fields={{}}
          action="download"
          reloadDocument
          danger
          confirmLabel={t("links.confirm.button", figures)}
          cancelTo="."
        >
          <p>{t("links.confirm.body", figures)}</p>
          <p>
            <strong>
              {withLiveLink > 0 ? t("links.confirm.live", { count: withLiveLink, formatted: number.format(withLiveLink) }) : t("links.confirm.noLive")}
            </strong>
          </p>
          {mode === "anonymous" ? <p>{t("links.warningAnonymous")}</p> : null}
          <p>{t("links.confirm.private")}</p>
        </ConfirmStep>
      </section>
    );
  }

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
      <Form method="get">
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" className="button" disabled={participants === 0}>
          {t("links.download", figures)}
        </button>
      </Form>
    </section>
  );
}
