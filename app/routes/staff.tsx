import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireStaff } from "~/features/staff/auth.server";
import { detectLanguage, i18nBundle } from "~/platform/i18n.server";

/** Every page under /staff requires a signed-in staff member. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const locale = detectLanguage(request, user.language);
  return { locale, user: { name: user.name, email: user.email }, i18n: i18nBundle(locale, ["staff"]) };
}

export default function StaffLayout() {
  const { user } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  return (
    <div className="staff">
      <nav className="staff-nav" aria-label={t("nav.label")}>
        <ul>
          <li>
            <NavLink to="/staff" end>
              {t("nav.surveys")}
            </NavLink>
          </li>
          <li>
            <NavLink to="/staff/forums">{t("nav.forums")}</NavLink>
          </li>
          <li>
            <NavLink to="/staff/outbox">{t("nav.outbox")}</NavLink>
          </li>
          <li>
            <NavLink to="/staff/translations">{t("nav.translations")}</NavLink>
          </li>
        </ul>
        <Form method="post" action="/staff/logout" className="staff-user">
          <span>{user.name}</span>
          <button type="submit" className="button secondary small">
            {t("nav.logout")}
          </button>
        </Form>
      </nav>
      <Outlet />
    </div>
  );
}
