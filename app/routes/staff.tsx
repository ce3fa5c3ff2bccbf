import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, isRouteErrorResponse, NavLink, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireStaff } from "~/features/staff/auth.server";
import { permissionsOf, type Permission } from "~/features/staff/permissions";
import { detectLanguage, i18nBundle } from "~/platform/i18n.server";

/** Every page under /staff requires a signed-in staff member. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request, "signedIn");
  const locale = detectLanguage(request, user.language);
  // The menu shows only what the member's roles open; the server checks every page again.
  return { locale, user: { name: user.name, email: user.email }, permissions: permissionsOf(user.grants), i18n: i18nBundle(locale, ["staff"]) };
}

const NAV: { to: string; label: string; permission: Permission; end?: boolean }[] = [
  { to: "/staff", label: "nav.surveys", permission: "surveys.view", end: true },
  { to: "/staff/forums", label: "nav.forums", permission: "forums.manage" },
  { to: "/staff/outbox", label: "nav.outbox", permission: "outbox.view" },
  { to: "/staff/translations", label: "nav.translations", permission: "translations.edit" },
  { to: "/staff/people", label: "nav.people", permission: "people.manage" },
  { to: "/staff/settings", label: "nav.settings", permission: "settings.manage" },
];

function StaffNav({ userName, permissions }: { userName: string; permissions: readonly Permission[] }) {
  const { t } = useTranslation("staff");
  return (
    <nav className="staff-nav" aria-label={t("nav.label")}>
      <ul>
        {NAV.filter((item) => permissions.includes(item.permission)).map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end}>
              {t(item.label)}
            </NavLink>
          </li>
        ))}
      </ul>
      <Form method="post" action="/staff/logout" className="staff-user">
        <NavLink to="/staff/account" title={t("nav.account")}>
          <bdi>{userName}</bdi>
        </NavLink>
        <button type="submit" className="button secondary small">
          {t("nav.logout")}
        </button>
      </Form>
    </nav>
  );
}

export default function StaffLayout() {
  const { user, permissions } = useLoaderData<typeof loader>();
  return (
    <div className="staff">
      <StaffNav userName={user.name} permissions={permissions} />
      <Outlet />
    </div>
  );
}

/** Title and text keys in `common`, which is loaded even when this layout's loader failed. */
function errorKeys(status: number): { title: string; body: string } {
  if (status === 404) return { title: "errors.notFound.title", body: "errors.notFound.body" };
  if (status === 403) return { title: "errors.forbidden.title", body: "errors.forbidden.body" };
  if (status === 429) return { title: "errors.tooManyRequests.title", body: "errors.tooManyRequests.body" };
  // The respondents' text speaks of their answers being safe; staff get their own.
  if (status >= 500) return { title: "errors.serverError.title", body: "errors.serverError.staffBody" };
  return { title: "errors.badRequest.title", body: "errors.badRequest.body" };
}

/**
 * An error inside /staff keeps the staff navigation, so a missing survey is
 * one click from the others. When this layout's own loader failed there is no
 * signed-in member to show it for: the message alone, as the root boundary
 * renders it.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("routes/staff");
  const { t } = useTranslation();
  const { title, body } = errorKeys(isRouteErrorResponse(error) ? error.status : 500);
  const message = (
    <section className="panel" aria-labelledby="error-title">
      <h1 id="error-title">{t(title)}</h1>
      <p>{t(body)}</p>
      <p>
        <a href="/">{t("errors.home")}</a>
      </p>
    </section>
  );
  if (!data) return message;
  return (
    <div className="staff">
      <StaffNav userName={data.user.name} permissions={data.permissions} />
      {message}
    </div>
  );
}
