// A fresh, migrated benchmark database: a SQLite file (deleted first) or a
// PostgreSQL database (dropped and created again). Also points the app's db() at it.
import { rmSync } from "node:fs";
import pg from "pg";
import { isPostgresUrl } from "../../app/platform/database-url.ts";
import { applyMigrations } from "../../scripts/db/migrate.ts";

export async function freshBenchDatabase(databaseUrl: string): Promise<void> {
  if (isPostgresUrl(databaseUrl)) {
    const url = new URL(databaseUrl);
    const name = url.pathname.slice(1);
    url.pathname = "/postgres";
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
    await admin.end();
  } else {
    const file = databaseUrl.slice("file:".length);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  }
  process.env.DATABASE_URL = databaseUrl;
  await applyMigrations(databaseUrl);
}
