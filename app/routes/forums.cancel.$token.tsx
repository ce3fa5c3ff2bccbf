import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { parseSeriesTexts } from "~/models/forum.server";
import { cancelByLink, registrationForCancelLink, seriesTitle } from "~/features/forums/sign-up.server";
import { detectLanguage, i18nBundle } from "~/platform/i18n.server";
import { publicOrigin } from "~/platform/urls.server";
import { env } from "~/platform/env.server";

const NO_REFERRER = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };

/**
 * The cancellation link of a forum registration. GET only shows what would
 * be cancelled (mail scanners open links); the button POSTs. The token is
 * in the path, so the page sends no Referer.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = detectLanguage(request);
  const registration = await registrationForCancelLink(params.token ?? "");
  if (!registration) throw data({ reason: "invalidLink" }, { status: 404, headers: NO_REFERRER });
  const { title } = seriesTitle(parseSeriesTexts(registration.session.series.texts), locale);
  return data(
    {
      title,
      name: registration.name,
      status: registration.status,
      startsAt: registration.session.startsAt.toISOString(),
      i18n: i18nBundle(locale, ["forums"]),
    },
    { headers: NO_REFERRER },
  );
}

export function headers() {
  return NO_REFERRER;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const outcome = await cancelByLink(params.token ?? "", publicOrigin(request, env().PUBLIC_URL));
  if (outcome === "unknown") return data({ outcome }, { status: 404, headers: NO_REFERRER });
  return data({ outcome }, { headers: NO_REFERRER });
}

export default function CancelRegistration() {
  const { title, name, status, startsAt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("forums");
  const cancelled = actionData?.outcome === "cancelled" || actionData?.outcome === "already" || status === "cancelled";
  return (
    <div className="forum-page">
      <h1>{t("cancel.title")}</h1>
      <p>
        <bdi>{name}</bdi> · <bdi>{title}</bdi> · <LocalTime iso={startsAt} />
      </p>
      {cancelled ? (
        <div className="notice" role="status">
          <p>{t("cancel.done")}</p>
        </div>
      ) : (
        <Form method="post">
          <p>{t("cancel.question")}</p>
          <button type="submit" className="button">
            {t("cancel.submit")}
          </button>
        </Form>
      )}
    </div>
  );
}
