// Offline Prisma migrations for both databases, through the WebAssembly schema
// engine (the Prisma CLI's `migrate` downloads a native engine, impossible
// here). The folders are in Prisma's own format, so `prisma migrate deploy`
// also works on a machine with internet.
//
//   tsx scripts/db/migrate.ts apply           apply pending migrations to DATABASE_URL
//   tsx scripts/db/migrate.ts create <name>   write a migration for both providers
//   tsx scripts/db/migrate.ts check           fail when migrations and schema disagree (CI)
//
// `create` and `check` rebuild "the schema as of the latest migration" by
// replaying the migrations on an empty database (SQLite in memory, PostgreSQL
// in a throwaway database on PG_ADMIN_URL, default
// postgresql://postgres@127.0.0.1:5432/postgres), then let the engine diff that
// database against the schema file. Replaying, rather than keeping schema
// snapshots, also catches hand-edited SQL that no longer matches the schema.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { DEFAULT_DATABASE_URL, isSupportedDatabaseUrl, providerOf as providerOfUrl } from "../../app/platform/database-url.ts";
import { expectedPostgresSchema, postgresSchemaPath, sourceSchemaPath } from "./derive-postgres-schema.mjs";

export type Provider = "sqlite" | "postgresql";

const root = fileURLToPath(new URL("../..", import.meta.url));
const layout: Record<Provider, { schemaPath: string; migrationsDir: string }> = {
  sqlite: { schemaPath: sourceSchemaPath, migrationsDir: join(root, "prisma/migrations") },
  postgresql: { schemaPath: postgresSchemaPath, migrationsDir: join(root, "prisma/postgresql/migrations") },
};
const noFilter = { externalTables: [], externalEnums: [] };
const defaultDatabaseUrl = DEFAULT_DATABASE_URL;

export function providerOf(url: string): Provider {
  if (!isSupportedDatabaseUrl(url)) throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
  return providerOfUrl(url);
}

export function migrationsDir(provider: Provider): string {
  return layout[provider].migrationsDir;
}

// ------------------------------------------------------------------ engine

let engineClass: Promise<typeof SchemaEngine> | undefined;

/** Node 20 cannot import .wasm, so do by hand what schema_engine.js does. */
function loadSchemaEngine(): Promise<typeof SchemaEngine> {
  engineClass ??= (async () => {
    const bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const entry = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm");
    const wasm = new WebAssembly.Module(readFileSync(join(dirname(entry), "schema_engine_bg.wasm")));
    const instance = new WebAssembly.Instance(wasm, {
      "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings.SchemaEngine;
  })();
  return engineClass;
}

interface Connection {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

/**
 * engine.free() does not dispose the adapters it opened, so track them and
 * close them ourselves: an open SQLite handle would leave its journal file
 * behind, an open pg pool would keep the process alive.
 */
function tracked(factory: SqlMigrationAwareDriverAdapterFactory, prepare = (adapter: SqlDriverAdapter) => adapter): Connection {
  const open: SqlDriverAdapter[] = [];
  const track = (adapter: SqlDriverAdapter) => {
    open.push(adapter);
    return prepare(adapter);
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => track(await factory.connect()),
      connectToShadowDb: () => Promise.reject(new Error("no shadow database: migrate.ts replays migrations itself")),
    },
    close: async () => {
      await Promise.all(open.splice(0).map((adapter) => adapter.dispose()));
    },
  };
}

function sqliteConnection(url: string): Connection {
  return tracked(new PrismaBetterSqlite3({ url }));
}

/**
 * adapter-pg needs two fixes to serve the schema engine:
 * - it rejects result columns of PostgreSQL's internal "char" type (OID 18),
 *   which the engine's introspection queries return (pg_class.relkind…);
 *   they are one-character text, so report them as text (OID 25);
 * - its executeScript splits migration scripts on ";" (breaking any ";" in a
 *   string or comment) and runs the pieces one by one; sending the script as
 *   one simple query makes PostgreSQL run it as a single implicit
 *   transaction, as the native engine does, so a failed migration leaves no
 *   half-applied schema.
 */
function postgresConnection(url: string): Connection {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const query = pool.query.bind(pool) as (config: string | pg.QueryConfig) => Promise<pg.QueryResult>;
  Object.assign(pool, {
    query: async (config: string | pg.QueryConfig) => {
      const result = await query(config);
      for (const field of result.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return result;
    },
  });
  // disposeExternalPool: disposing the adapter ends our pool too.
  return tracked(new PrismaPg(pool, { disposeExternalPool: true }), (adapter) => {
    const onError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
    adapter.executeScript = async (script) => {
      try {
        await pool.query(script);
      } catch (error) {
        onError(error); // maps pg errors to Prisma's, as the original does
      }
    };
    return adapter;
  });
}

function connect(url: string): Connection {
  return providerOf(url) === "sqlite" ? sqliteConnection(url) : postgresConnection(url);
}

/** Runs `work` with an engine on `url`, then releases the engine and its connections. */
async function withEngine<T>(provider: Provider, url: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const Engine = await loadSchemaEngine();
  const connection = connect(url);
  const { schemaPath } = layout[provider];
  const engine = await Engine.new(
    { datamodels: [[schemaPath, readFileSync(schemaPath, "utf8")]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(connection.factory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await connection.close();
  }
}

/** The migrations folder as the engine wants it (what the Prisma CLI itself builds). */
function migrationList(provider: Provider): MigrationList {
  const baseDir = layout[provider].migrationsDir;
  const lockPath = join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: migrationNames(provider).map((name) => {
      const file = join(baseDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file) ? { tag: "ok", value: readFileSync(file, "utf8") } : { tag: "error", value: `${file} is missing` },
        },
      };
    }),
  };
}

export function migrationNames(provider: Provider): string[] {
  const dir = layout[provider].migrationsDir;
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

// --------------------------------------------------------------- databases

function sqliteFile(url: string): string {
  return resolve(url.slice("file:".length));
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(database)}`;
  return next.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** host/database, never the password. */
function describe(url: string): string {
  if (providerOf(url) === "sqlite") return `SQLite ${url}`;
  const { host, pathname } = new URL(url);
  return `PostgreSQL ${host}${pathname}`;
}

async function withPgClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    const { code, message } = error as { code?: string; message: string };
    if (code === "3D000") throw error; // database missing: callers handle it
    throw new Error(`cannot connect to ${describe(url)}: ${message || code}`, { cause: error });
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the PostgreSQL database of `url` when missing, through the server's `postgres` database. */
async function ensurePostgresDatabase(url: string): Promise<boolean> {
  try {
    await withPgClient(url, async () => {});
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== "3D000") throw error;
    const name = decodeURIComponent(new URL(url).pathname.slice(1));
    await withPgClient(withDatabase(url, "postgres"), (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
    return true;
  }
}

// ---------------------------------------------------------------- commands

/** Applies pending migrations to `url`, creating the database (or SQLite file's folder) first. */
export async function applyMigrations(url: string): Promise<{ createdDatabase: boolean; applied: string[] }> {
  const provider = providerOf(url);
  let createdDatabase = false;
  if (provider === "sqlite") mkdirSync(dirname(sqliteFile(url)), { recursive: true });
  else createdDatabase = await ensurePostgresDatabase(url);
  const applied = await withEngine(provider, url, async (engine) => {
    const output = await engine.applyMigrations({ migrationsList: migrationList(provider), filters: noFilter });
    return output.appliedMigrationNames;
  });
  return { createdDatabase, applied };
}

/** An empty database for one replay, dropped afterwards. */
async function withScratchDatabase<T>(provider: Provider, work: (url: string) => Promise<T>): Promise<T> {
  if (provider === "sqlite") return work("file::memory:");
  const admin = process.env.PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `parley_replay_${randomBytes(6).toString("hex")}`;
  try {
    await withPgClient(admin, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  } catch (error) {
    throw new Error(`replaying the PostgreSQL migrations needs a server (set PG_ADMIN_URL): ${(error as Error).message}`, { cause: error });
  }
  try {
    return await work(withDatabase(admin, name));
  } finally {
    await withPgClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
  }
}

/**
 * SQL that takes the schema produced by the provider's migrations to the
 * schema file, or null when they already agree.
 */
async function pendingSchemaChange(provider: Provider): Promise<string | null> {
  const { schemaPath } = layout[provider];
  const files = [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }];
  return withScratchDatabase(provider, (url) =>
    withEngine(provider, url, async (engine) => {
      await engine.applyMigrations({ migrationsList: migrationList(provider), filters: noFilter });
      const diff = await engine.diff({
        // The scratch database, introspected through the engine's adapter.
        from: { tag: "schemaDatasource", files, configDir: root },
        to: { tag: "schemaDatamodel", files },
        script: true,
        exitCode: true,
        filters: noFilter,
      });
      return diff.exitCode === 2 ? (diff.stdout ?? "") : null;
    }),
  );
}

function writePostgresSchema(): void {
  const next = expectedPostgresSchema();
  if (existsSync(postgresSchemaPath) && readFileSync(postgresSchemaPath, "utf8") === next) return;
  mkdirSync(dirname(postgresSchemaPath), { recursive: true });
  writeFileSync(postgresSchemaPath, next);
  console.log("db:migration:create: updated prisma/postgresql/schema.prisma");
}

/** Prisma's folder name: UTC YYYYMMDDHHMMSS_name. */
function migrationFolderName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!slug) throw new Error("usage: npm run db:migration:create -- <name>, e.g. add_survey_tags");
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  return `${stamp}_${slug}`;
}

async function create(name: string | undefined): Promise<void> {
  const folder = migrationFolderName(name ?? "");
  for (const provider of ["sqlite", "postgresql"] as const) {
    if (existsSync(join(layout[provider].migrationsDir, folder))) throw new Error(`${folder} already exists`);
  }
  writePostgresSchema();
  // Both diffs first, so a failure on one provider writes nothing at all.
  const scripts: Record<Provider, string | null> = {
    sqlite: await pendingSchemaChange("sqlite"),
    postgresql: await pendingSchemaChange("postgresql"),
  };
  if (scripts.sqlite === null && scripts.postgresql === null) {
    console.log("db:migration:create: the schema matches the migrations; nothing to create");
    return;
  }
  for (const provider of ["sqlite", "postgresql"] as const) {
    // A change may matter to one database only; the other still gets the
    // folder (Prisma's own empty-migration text) so both histories keep the
    // same names.
    const script = scripts[provider] ?? "-- This is an empty migration.\n";
    const dir = layout[provider].migrationsDir;
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, "migration.sql"), script);
    writeFileSync(
      join(dir, "migration_lock.toml"),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`,
    );
    console.log(`db:migration:create: wrote ${join(dir, folder, "migration.sql").slice(root.length)}`);
  }
  console.log("db:migration:create: run `node scripts/db/generate.mjs` if the clients are not regenerated yet");
}

async function check(): Promise<void> {
  const problems: string[] = [];
  if (!existsSync(postgresSchemaPath) || readFileSync(postgresSchemaPath, "utf8") !== expectedPostgresSchema()) {
    problems.push("prisma/postgresql/schema.prisma is stale: run `node scripts/db/generate.mjs`");
  }
  const sqliteNames = migrationNames("sqlite");
  const postgresNames = migrationNames("postgresql");
  if (sqliteNames.join("\n") !== postgresNames.join("\n")) {
    const only = (a: string[], b: string[]) => a.filter((n) => !b.includes(n)).join(", ") || "none";
    problems.push(
      `the migration folders differ: only in prisma/migrations: ${only(sqliteNames, postgresNames)}; ` +
        `only in prisma/postgresql/migrations: ${only(postgresNames, sqliteNames)}`,
    );
  }
  if (problems.length === 0) {
    for (const provider of ["sqlite", "postgresql"] as const) {
      const pending = await pendingSchemaChange(provider);
      if (pending !== null) {
        const steps = new Map<string, number>();
        for (const line of pending.split("\n")) {
          if (line.startsWith("-- ")) steps.set(line.slice(3), (steps.get(line.slice(3)) ?? 0) + 1);
        }
        const summary = [...steps].map(([step, count]) => (count > 1 ? `${step} x${count}` : step)).join(", ");
        problems.push(`the ${provider} migrations do not produce prisma/schema.prisma (${summary}): ` + "run `npm run db:migration:create -- <name>`");
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  console.log(`db:check: schemas and migrations agree (${sqliteNames.length} migrations per provider)`);
}

async function apply(): Promise<void> {
  const url = process.env.DATABASE_URL || defaultDatabaseUrl;
  const provider = providerOf(url);
  const { createdDatabase, applied } = await applyMigrations(url);
  if (createdDatabase) console.log(`db:migrate: created ${describe(url)}`);
  const total = migrationNames(provider).length;
  if (applied.length === 0) console.log(`db:migrate: ${describe(url)} is up to date (${total} migrations)`);
  else console.log(`db:migrate: applied to ${describe(url)}: ${applied.join(", ")}`);
}

/** One line: the engine's errors span several lines and end in a Rust span trace. */
function readable(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split("\n");
  const trace = lines.findIndex((line) => /^\s+\d+: /.test(line));
  return (trace < 0 ? lines : lines.slice(0, trace))
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" | ");
}

async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2);
  const label = command === "create" ? "db:migration:create" : `db:${command === "apply" ? "migrate" : command}`;
  try {
    if (command === "apply") await apply();
    else if (command === "create") await create(arg);
    else if (command === "check") await check();
    else throw new Error("usage: tsx scripts/db/migrate.ts apply | create <name> | check");
  } catch (error) {
    console.error(`${label}: ${readable(error)}`);
    process.exit(1);
  }
  // After work on PostgreSQL the wasm engine leaves a ~10 s timer pending
  // (even after free()), which would hold the process open for nothing.
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
