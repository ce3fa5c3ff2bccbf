// A fresh, migrated database per test file, on SQLite by default or on
// PostgreSQL when TEST_DATABASE_URL names a server (any database on it that
// the user may CREATE DATABASE from, e.g. postgresql://postgres@127.0.0.1:5432/postgres).
//
// Migrating takes a second or two, so it happens once per migrations
// version: into a template (a file under data/test/, or a template database),
// keyed by a hash of the migrations folder; each test database is a copy.
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { isPostgresUrl } from "~/platform/database-url";
import { createDbClient, type Db } from "~/platform/db.server";
import { applyMigrations, migrationNames, migrationsDir, type Provider, quoteIdent, withDatabase } from "../../scripts/db/migrate.ts";

export interface TestDatabase {
  url: string;
  /** A client of its own for this database (not the app's db() singleton). */
  db: Db;
  /** Disconnects and deletes the database. */
  drop(): Promise<void>;
}

const testDir = fileURLToPath(new URL("../../data/test/", import.meta.url));

export async function createTestDatabase(name = "test"): Promise<TestDatabase> {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 20);
  const unique = `${slug}_${randomBytes(4).toString("hex")}`;
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return createSqliteDatabase(unique);
  if (!isPostgresUrl(admin)) throw new Error("TEST_DATABASE_URL must be a postgresql:// URL (or unset for SQLite)");
  return createPostgresDatabase(admin, unique);
}

function migrationsHash(provider: Provider): string {
  const hash = createHash("sha256");
  for (const migration of migrationNames(provider)) {
    hash.update(`${migration}\0`).update(readFileSync(join(migrationsDir(provider), migration, "migration.sql")));
  }
  return hash.digest("hex").slice(0, 16);
}

// ------------------------------------------------------------------ SQLite

async function sqliteTemplate(): Promise<string> {
  const fileName = `template-${migrationsHash("sqlite")}.db`;
  const template = join(testDir, fileName);
  if (existsSync(template)) return template;
  mkdirSync(testDir, { recursive: true });
  // Migrate a private file, then rename: parallel test workers may race here,
  // and a rename is atomic, so none ever copies a half-migrated template.
  const partial = `${template}.${randomBytes(4).toString("hex")}.tmp`;
  await applyMigrations(`file:${partial}`);
  renameSync(partial, template);
  for (const stale of readdirSync(testDir)) {
    if (/^template-\w+\.db$/.test(stale) && stale !== fileName) rmSync(join(testDir, stale), { force: true });
  }
  return template;
}

async function createSqliteDatabase(unique: string): Promise<TestDatabase> {
  const file = join(testDir, `${unique}.db`);
  copyFileSync(await sqliteTemplate(), file);
  const url = `file:${file}`;
  const db = createDbClient(url);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
    },
  };
}

// -------------------------------------------------------------- PostgreSQL

async function withAdmin<T>(admin: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A migrated template database, kept across runs (it only changes when the
 * migrations do; templates of older migrations are left for a human to drop,
 * since another checkout may still use them on a shared server).
 */
async function postgresTemplate(admin: string): Promise<string> {
  const template = `parley_template_${migrationsHash("postgresql")}`;
  await withAdmin(admin, async (client) => {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (found.rowCount) return;
    // Same race as with SQLite, same cure: migrate under a private name, then rename.
    const partial = `${template}_${randomBytes(4).toString("hex")}`;
    await applyMigrations(withDatabase(admin, partial));
    try {
      await client.query(`ALTER DATABASE ${quoteIdent(partial)} RENAME TO ${quoteIdent(template)}`);
    } catch (error) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(partial)} WITH (FORCE)`);
      if ((error as { code?: string }).code !== "42P04") throw error; // 42P04: another worker won
    }
  });
  return template;
}

async function createPostgresDatabase(admin: string, unique: string): Promise<TestDatabase> {
  const template = await postgresTemplate(admin);
  const database = `parley_test_${unique}`;
  await withAdmin(admin, (client) => client.query(`CREATE DATABASE ${quoteIdent(database)} TEMPLATE ${quoteIdent(template)}`));
  const url = withDatabase(admin, database);
  const db = createDbClient(url);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await withAdmin(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`));
    },
  };
}

/**
 * Every row of every application table (not Prisma's migration log), by table
 * name: for "nothing links these" and "nothing changed" checks that must not
 * miss a table added later.
 */
export async function allTableRows(database: TestDatabase): Promise<Record<string, unknown[]>> {
  const names = database.url.startsWith("file:")
    ? (await database.db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((row) => row.name)
    : (await database.db.$queryRawUnsafe<{ name: string }[]>("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()")).map(
        (row) => row.name,
      );
  const tables: Record<string, unknown[]> = {};
  for (const name of names.filter((table) => !table.startsWith("_prisma") && !table.startsWith("sqlite_")).sort()) {
    tables[name] = await database.db.$queryRawUnsafe<unknown[]>(`SELECT * FROM ${quoteIdent(name)}`);
  }
  return tables;
}

/** JSON that also takes the BigInt counts and Dates raw queries return. */
export function rowsAsText(rows: unknown): string {
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}
