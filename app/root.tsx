import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { applyPageBundles } from "~/components/client-i18n";
import { LanguageSwitcher } from "~/components/language-switcher";
import { useNonce } from "~/components/nonce";
import { organisationBranding } from "~/features/branding/index.server";
import type { PageHandle } from "~/features/respondent/page-handle";
import { pickLocale } from "~/platform/i18n";
import { availableLanguages, detectLanguage, i18nBundle } from "~/platform/i18n.server";
import stylesheet from "~/styles/app.css?url";
import { readCookie } from "~/platform/cookies.server";
import { isValidTimeZone, TIME_ZONE_COOKIE } from "~/platform/time-zone";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** A refused request's own headers (Retry-After on a 429) survive into the error page. */
export const headers: HeadersFunction = ({ errorHeaders }) => errorHeaders ?? new Headers();

/** Pages without a title of their own (error pages among them) still get one (WCAG 2.4.2). */
export const meta: MetaFunction = () => [{ title: "Parley" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = detectLanguage(request);
  const zone = readCookie(request, TIME_ZONE_COOKIE);
  return {
    locale,
    timeZone: isValidTimeZone(zone) ? zone : "UTC",
    languages: availableLanguages(),
    i18n: i18nBundle(locale),
    branding: await organisationBranding(locale),
  };
}

export type RootLoaderData = Awaited<ReturnType<typeof loader>>;

export function Layout({ children }: { children: React.ReactNode }) {
  const matches = useMatches();
  const rootData = useRouteLoaderData<typeof loader>("root");
  const loaderDatas = matches.map((match) => match.data);
  const locale = pickLocale(loaderDatas);
  applyPageBundles(loaderDatas, locale);
  const { t } = useTranslation();
  const nonce = useNonce();
  const languages = rootData?.languages ?? [];
  const branding = rootData?.branding;
  const dir = languages.find((language) => language.code === locale)?.dir ?? "ltr";
  // A page may hide the site-wide switcher when it offers its own (survey pages
  // switch language inside their form, so unsaved answers are kept).
  const handles = matches.map((match) => (match.handle ?? {}) as PageHandle);
  const ownSwitcher = handles.some((handle) => handle.ownLanguageSwitcher);
  // Survey pages are sent as HTML with a small script of their own instead of React's (features/respondent/page-handle).
  const hydrate = !handles.some((handle) => handle.hydrate === false);
  const pageScripts = handles.flatMap((handle) => handle.scripts ?? []);

  return (
    <html lang={locale} dir={dir}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* The organisation's accent, checked for WCAG AA contrast when it was saved (features/branding). */}
        {branding?.accent ? <style nonce={nonce}>{`:root{--accent:${branding.accent}}`}</style> : null}
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("layout.skipToContent")}
        </a>
        <header className="site-header">
          <a className="brand" href="/">
            {/* Decorative beside the name it stands with (WCAG H2): the link's text is the name. */}
            {branding?.logoUrl ? (
              <img className="brand-logo" src={branding.logoUrl} width={branding.logoWidth ?? undefined} height={branding.logoHeight ?? undefined} alt="" />
            ) : null}
            <span>{branding?.name ?? t("layout.brand")}</span>
          </a>
          {!ownSwitcher && languages.length > 1 ? <LanguageSwitcher languages={languages} current={locale} /> : null}
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>{t("layout.footer")}</p>
        </footer>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
        {pageScripts.map((src) => (
          <script key={src} type="module" src={src} nonce={nonce} />
        ))}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

const KNOWN_REASONS = new Set([
  "invalidLink",
  "invalidUnsubscribeLink",
  "invalidReviewLink",
  "reviewLinkEnded",
  "tooManyAttempts",
  "closed",
  "notOpen",
  "locked",
  "notFound",
  "badRequest",
]);

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // Routes may name the reason (an invalid survey link, a closed survey…);
  // its text lives in `common`, which every page has loaded.
  const reason = isRouteErrorResponse(error) && typeof error.data === "object" && error.data !== null ? (error.data as { reason?: string }).reason : undefined;
  const key =
    reason && KNOWN_REASONS.has(reason)
      ? reason
      : status === 404
        ? "notFound"
        : status === 429
          ? "tooManyRequests"
          : status >= 500
            ? "serverError"
            : "badRequest";
  return (
    <section className="panel" aria-labelledby="error-title">
      <h1 id="error-title">{t(`errors.${key}.title`)}</h1>
      <p>{t(`errors.${key}.body`)}</p>
      <p>
        <a href="/">{t("errors.home")}</a>
      </p>
    </section>
  );
}
