import i18next from "i18next";
import { DEFAULT_NAMESPACE, FALLBACK_LANGUAGE, type I18nBundle } from "~/platform/i18n";

/**
 * The browser's i18next instance. It loads nothing over the network: loaders
 * send the namespaces a page needs (already merged with English key by key)
 * and the root layout adds them before anything renders, so hydration sees
 * the same strings the server rendered (remix-i18next #284 is the trap this
 * avoids) and client navigation always has its namespaces (#195).
 */
export const clientI18n = i18next.createInstance();
void clientI18n.init({
  lng: FALLBACK_LANGUAGE,
  fallbackLng: FALLBACK_LANGUAGE,
  defaultNS: DEFAULT_NAMESPACE,
  resources: {},
  interpolation: { escapeValue: false },
  returnEmptyString: false,
  initImmediate: false,
});

export function isI18nBundle(value: unknown): value is I18nBundle {
  return typeof value === "object" && value !== null && "locale" in value && "namespaces" in value;
}

/** Adds every bundle found in the page's loader data, then switches to the page's language. */
export function applyPageBundles(loaderDatas: readonly unknown[], locale: string): void {
  if (typeof document === "undefined") return; // the server's instance has every resource already
  for (const data of loaderDatas) {
    const bundle = typeof data === "object" && data !== null && "i18n" in data ? data.i18n : undefined;
    if (!isI18nBundle(bundle)) continue;
    for (const [namespace, resources] of Object.entries(bundle.namespaces)) {
      clientI18n.addResourceBundle(bundle.locale, namespace, resources, true, true);
    }
  }
  if (clientI18n.language !== locale) void clientI18n.changeLanguage(locale);
}
