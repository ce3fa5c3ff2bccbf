import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { outboxMessage } from "~/models/outbox.server";
import { requireStaff } from "~/features/staff/auth.server";
import { can } from "~/features/staff/permissions";

/** A message as it was (or will be) sent, shown as text: nothing in it is rendered as HTML. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "outbox.view");
  const message = params.id && /^[0-9a-f-]{36}$/.test(params.id) ? await outboxMessage(params.id) : null;
  if (!message) throw data({ reason: "notFound" as const }, { status: 404 });
  // Receipts repeat a member's answers: only administrators read message text.
  const textBody = can(user.grants, "outbox.bodies") ? message.textBody : null;
  return { message: { ...message, textBody, createdAt: message.createdAt.toISOString(), sentAt: message.sentAt?.toISOString() ?? null } };
}

export default function StaffOutboxMessage() {
  const { message } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  return (
    <article aria-labelledby="message-subject" className="panel">
      <p>
        <Link to="/staff/outbox">{t("outbox.back")}</Link>
      </p>
      <h1 id="message-subject">
        <bdi>{message.subject}</bdi>
      </h1>
      <dl className="message-meta">
        <dt>{t("outbox.recipient")}</dt>
        <dd>
          <bdi>{message.toName ? `${message.toName} <${message.toAddress}>` : message.toAddress}</bdi>
        </dd>
        <dt>{t("outbox.state")}</dt>
        <dd>
          {t(`outbox.status.${message.status}`, { defaultValue: message.status })}
          {message.sentAt ? (
            <>
              {" · "}
              <LocalTime iso={message.sentAt} />
            </>
          ) : null}
        </dd>
      </dl>
      {message.textBody === null ? (
        <p className="hint">{t("outbox.bodyHidden")}</p>
      ) : (
        <pre className="message-body" lang={message.language} dir="auto">
          {message.textBody}
        </pre>
      )}
    </article>
  );
}
