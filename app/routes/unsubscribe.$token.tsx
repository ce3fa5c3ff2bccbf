import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { unsubscribe, unsubscribeTarget } from "~/features/outreach/unsubscribe.server";
import { isolate } from "~/platform/bidi";
import { routeI18nBundle } from "~/platform/i18n.server";

/** The token is in the path: no Referer leaves this page, and nothing keeps a copy. */
const PRIVATE = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };

export const meta: MetaFunction = () => [{ title: "Parley" }, { name: "robots", content: "noindex" }];

export function headers() {
  return PRIVATE;
}

/**
 * The unsubscribe link of an invitation or reminder, in the member's
 * language. GET only asks (mail scanners open links); the button POSTs, and
 * so do mail clients' one-click unsubscribe (RFC 8058), with no cookie.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const target = await unsubscribeTarget(request, params.token, context.clientIp);
  return data(
    {
      locale: target.language,
      i18n: routeI18nBundle(request, target.language, ["respondent"]),
      survey: target.survey,
      email: target.email,
      unsubscribedAt: target.unsubscribedAt?.toISOString() ?? null,
    },
    { headers: PRIVATE },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const target = await unsubscribeTarget(request, params.token, context.clientIp);
  const outcome = await unsubscribe(target, new Date());
  // A second request changes nothing and says so: 409, with the page's message.
  return data({ outcome }, { status: outcome === "unsubscribed" ? 200 : 409, headers: PRIVATE });
}

export default function Unsubscribe() {
  const { survey, email, unsubscribedAt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("respondent");
  const outcome = actionData?.outcome ?? (unsubscribedAt ? "already" : null);
  return (
    <article className="panel survey" aria-labelledby="unsubscribe-title">
      <p className="survey-name">
        <bdi>{survey}</bdi>
      </p>
      <h1 id="unsubscribe-title">{t("unsubscribe.title")}</h1>
      {outcome ? (
        <div className="notice" role="status">
          <p>{outcome === "unsubscribed" ? t("unsubscribe.done") : t("unsubscribe.already")}</p>
          {outcome === "already" && unsubscribedAt ? (
            <p>
              {t("unsubscribe.since")} <LocalTime iso={unsubscribedAt} dateOnly />
            </p>
          ) : null}
          <p>{t("unsubscribe.stillAnswer")}</p>
        </div>
      ) : (
        <Form method="post">
          <p>{t("unsubscribe.question", { email: isolate(email) })}</p>
          <p>{t("unsubscribe.receipts")}</p>
          <input type="hidden" name="List-Unsubscribe" value="One-Click" />
          <button type="submit" className="button">
            {t("unsubscribe.submit")}
          </button>
        </Form>
      )}
    </article>
  );
}
