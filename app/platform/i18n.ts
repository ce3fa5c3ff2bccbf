/**
 * i18n settings shared by server and browser. The list of languages is not
 * here: it is whatever folders exist under locales/ (see
 * platform/i18n.server.ts), so a translator adds a language without code.
 */
export const FALLBACK_LANGUAGE = "en";
export const DEFAULT_NAMESPACE = "common";
export const LANGUAGE_COOKIE = "lng";

/** A language code as used for folder names: "en", "zh", "pt-BR". */
export const LANGUAGE_CODE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export interface LanguageInfo {
  code: string;
  /** The language's name in itself (العربية, 中文, Français …), from its own common.json. */
  endonym: string;
  dir: "ltr" | "rtl";
}

/**
 * The page's language: the deepest route whose loader data names a `locale`
 * wins (a survey page knows its participant's language; the root loader only
 * knows the cookie and Accept-Language).
 */
export function pickLocale(loaderDatas: readonly unknown[]): string {
  let locale = FALLBACK_LANGUAGE;
  for (const data of loaderDatas) {
    if (typeof data === "object" && data !== null && "locale" in data && typeof data.locale === "string") {
      locale = data.locale;
    }
  }
  return locale;
}

/** Resources a loader hands to the browser: { namespace: { key: text } } for one language. */
export interface I18nBundle {
  locale: string;
  namespaces: Record<string, Record<string, unknown>>;
}
