import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { clientI18n } from "~/components/client-i18n";

// Remember the reader's time zone so the server can show dates in it on the
// next page; without JavaScript the zone picker on forum pages does the same.
if (!/(?:^|;\s*)tz=/.test(document.cookie)) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) document.cookie = `tz=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <I18nextProvider i18n={clientI18n}>
        <RemixBrowser />
      </I18nextProvider>
    </StrictMode>,
  );
});
