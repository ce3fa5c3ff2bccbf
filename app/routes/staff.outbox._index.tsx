import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/local-time";
import { OUTBOX_STATUSES, outboxOverview, retryOutboxMessage } from "~/models/outbox.server";
import { recordAudit } from "~/platform/audit.server";
import { requireStaff } from "~/features/staff/auth.server";
import { readForm } from "~/platform/forms.server";
import { TableFrame } from "~/components/table-frame";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "outbox.view");
  const { byStatus, messages } = await outboxOverview();
  return {
    statuses: OUTBOX_STATUSES,
    byStatus,
    messages: messages.map((message) => ({
      ...message,
      createdAt: message.createdAt.toISOString(),
      sentAt: message.sentAt?.toISOString() ?? null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request, "outbox.view");
  const form = await readForm(request);
  const id = String(form.get("retry") ?? "");
  if (!/^[0-9a-f-]{36}$/.test(id)) return data({ result: "invalid" as const }, { status: 400 });
  const retried = await retryOutboxMessage(id);
  if (retried) await recordAudit({ staffUserId: user.id, action: "outbox.retry", subject: id });
  return data({ result: retried ? ("retried" as const) : ("notRetryable" as const) }, { status: retried ? 200 : 409 });
}

export default function StaffOutbox() {
  const { statuses, byStatus, messages } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("staff");
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">{t("outbox.title")}</h1>
      <p>{t("outbox.intro")}</p>
      {actionData ? (
        <p className="notice" role="status">
          {t(`outbox.result.${actionData.result}`)}
        </p>
      ) : null}
      <ul className="status-counts">
        {statuses.map((status) => (
          <li key={status}>
            <span className={`badge ${status}`}>{t(`outbox.status.${status}`)}</span> {number.format(byStatus[status] ?? 0)}
          </li>
        ))}
      </ul>
      {messages.length === 0 ? (
        <p>{t("outbox.empty")}</p>
      ) : (
        <TableFrame label={t("outbox.latest")}>
          <table>
            <caption className="visually-hidden">{t("outbox.latest")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("outbox.created")}</th>
                <th scope="col">{t("outbox.recipient")}</th>
                <th scope="col">{t("outbox.subject")}</th>
                <th scope="col">{t("outbox.state")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("outbox.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => (
                <tr key={message.id}>
                  <td>
                    <LocalTime iso={message.createdAt} />
                  </td>
                  <td>
                    <bdi>{message.toAddress}</bdi> <span lang={message.language}>({message.language})</span>
                  </td>
                  <td>
                    <Link to={`/staff/outbox/${message.id}`}>
                      <bdi>{message.subject}</bdi>
                    </Link>
                  </td>
                  <td>
                    <span className={`badge ${message.status}`}>{t(`outbox.status.${message.status}`, { defaultValue: message.status })}</span>
                    {message.lastError ? <p className="muted">{message.lastError}</p> : null}
                  </td>
                  <td>
                    {message.status === "failed" || message.status === "bounced" ? (
                      <Form method="post">
                        <button type="submit" name="retry" value={message.id} className="button secondary small">
                          {t("outbox.retry")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </section>
  );
}
