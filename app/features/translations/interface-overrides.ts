import { parseLocaleJson, type LocaleFiles } from "~/features/translations/locale-check";

/**
 * Translations of the interface made in the browser live in the database, one
 * whole namespace file per (language, namespace), and replace the shipped
 * locales/<language>/<namespace>.json; marks "complete" / "in progress" made
 * there replace the language's entry in locales/languages.json. The same
 * layering serves the site, the Translations pages and `npm run i18n:check`.
 */
export interface StoredInterfaceText {
  language: string;
  namespace: string;
  texts: string;
}

export interface StoredLanguageStatus {
  language: string;
  complete: boolean;
}

/** Puts each stored file in place of the folder's (a language may exist only in the database). */
export function withInterfaceOverrides(files: LocaleFiles, stored: readonly StoredInterfaceText[]): LocaleFiles {
  for (const row of stored) (files[row.language] ??= {})[row.namespace] = parseLocaleJson(row.texts);
  return files;
}

/** The languages marked complete: the shipped list, changed by the marks stored in the database. */
export function effectiveComplete(shipped: readonly string[], statuses: readonly StoredLanguageStatus[]): string[] {
  const codes = new Set(shipped);
  for (const status of statuses) {
    if (status.complete) codes.add(status.language);
    else codes.delete(status.language);
  }
  return [...codes].sort();
}

/** A stored file as it would be committed: the usual two-space layout with a final newline. */
export function formatLocaleFile(texts: string): string {
  try {
    return `${JSON.stringify(JSON.parse(texts), null, 2)}\n`;
  } catch {
    return texts;
  }
}
