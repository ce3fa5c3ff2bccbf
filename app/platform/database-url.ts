// What a DATABASE_URL names, in one place for the app, the scripts, the
// benches and the tests. No imports: scripts load it without the app's
// configuration check.

/** The embedded SQLite file used when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = "file:./data/parley.db";

export type DatabaseProvider = "sqlite" | "postgresql";

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Whether Parley can use it: a `file:` (SQLite) or `postgres(ql)://` URL. */
export function isSupportedDatabaseUrl(url: string): boolean {
  return url.startsWith("file:") || isPostgresUrl(url);
}

export function providerOf(url: string): DatabaseProvider {
  return isPostgresUrl(url) ? "postgresql" : "sqlite";
}
