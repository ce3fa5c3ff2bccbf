import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as PostgresClient } from "~/generated/prisma-pg/client.ts";
import { PrismaClient as SqliteClient, type Prisma } from "~/generated/prisma-sqlite/client.ts";
import { providerOf, type DatabaseProvider } from "~/platform/database-url";
import { env } from "~/platform/env.server";
import { logger } from "~/platform/logger.server";

/**
 * The one place that creates Prisma clients. DATABASE_URL picks the database:
 * `file:` → SQLite (embedded default), `postgres(ql)://` → PostgreSQL. Each
 * provider has its own generated client (a Prisma client is tied to the
 * provider of its schema; see scripts/db/derive-postgres-schema.mjs).
 *
 * Both clients come from the same models, so their APIs are identical; the
 * app is typed against the SQLite one and the PostgreSQL client is cast to
 * it. Provider-specific behaviour (raw SQL, bigint counts) stays in the few
 * places that need it, which check databaseProvider().
 */
export type Db = SqliteClient;

export { providerOf, type DatabaseProvider };

export function databaseProvider(): DatabaseProvider {
  return providerOf(env().DATABASE_URL);
}

function sqliteAdapter(url: string): SqlDriverAdapterFactory {
  const file = url.slice("file:".length);
  // Relative paths are relative to the process's working directory.
  if (file !== ":memory:") mkdirSync(dirname(resolve(file)), { recursive: true });
  // `timeout` is better-sqlite3's busy timeout: wait for another process's
  // write lock (a second instance, the outbox worker) instead of failing. A
  // rush of forum sign-ups through two processes queues writes for several
  // seconds on a slow machine, hence 15 s rather than the usual 5.
  const factory = new PrismaBetterSqlite3({ url, timeout: 15_000 });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      // Per connection: the adapter has no pragma option.
      // WAL lets readers run while one writer writes. With WAL, synchronous =
      // NORMAL never corrupts the database and loses nothing when the process
      // crashes (only a power loss/OS crash may drop the last commits), and it
      // saves an fsync per transaction. SQLite enforces foreign keys (our
      // ON DELETE CASCADE / SET NULL) only when asked to.
      // The checkpoints are left to a thread of their own (see SQLITE_CHECKPOINT_THREAD); after a rush the
      // WAL file is cut back to 64 MB when it starts over.
      await adapter.executeScript(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;",
      );
      yieldBeforeEachQuery(adapter);
      if (file !== ":memory:") checkpointInThread(adapter, resolve(file));
      return adapter;
    },
  };
}

/**
 * The code of the SQLite checkpoint thread. A checkpoint copies the WAL back
 * into the database file and syncs it; by default SQLite runs one inside the
 * commit that takes the WAL past 1,000 pages, which on the server's thread
 * stopped every request for its duration (measured with 50 connections
 * saving answers: 400-419 saves/s, p99 303-393 ms with them there; 522/s,
 * p99 198 ms without). So the application's connections never checkpoint,
 * and this thread's connection does every quarter second, PASSIVE: it copies
 * what it can without waiting for anyone or making anyone wait. The WAL can
 * start over only when a write begins with everything copied, which a long
 * rush of writes may never leave room for; past restartFrames the thread
 * asks for a RESTART, which holds writers back for the few pages not yet
 * copied. Nothing here touches durability: a commit is as safe in the WAL as
 * in the database file, and SQLite recovers an interrupted checkpoint.
 */
const SQLITE_CHECKPOINT_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("node:module").createRequire(workerData.resolveFrom)("better-sqlite3");
const connection = new Database(workerData.file, { fileMustExist: true, timeout: 5000 });
setInterval(() => {
  try {
    const [{ log }] = connection.pragma("wal_checkpoint(PASSIVE)");
    if (log > workerData.restartFrames) connection.pragma("wal_checkpoint(RESTART)");
  } catch (error) {
    parentPort.postMessage(String((error && error.message) || error));
  }
}, workerData.everyMs);
`;

/** Starts the checkpoint thread beside an application connection; it stops when the connection is closed. */
function checkpointInThread(adapter: SqlDriverAdapter, file: string): void {
  const thread = new Worker(SQLITE_CHECKPOINT_THREAD, {
    eval: true,
    workerData: { file, resolveFrom: import.meta.url, everyMs: 250, restartFrames: 16_384 },
  });
  // It never keeps a process alive (scripts end when their work does).
  thread.unref();
  thread.on("message", (error: string) => logger().warn({ error }, "SQLite checkpoint failed"));
  thread.on("error", (error) => logger().error({ err: error }, "SQLite checkpoint thread stopped"));
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await thread.terminate();
    await dispose();
  };
}

/**
 * better-sqlite3 answers synchronously, so every query's promise is already
 * resolved: under load, the requests in flight run query after query as one
 * unbroken chain of microtasks, and new requests, socket writes and timers
 * wait behind it (event-loop stalls of several hundred ms were measured with
 * 50 concurrent saves, and p99 latencies of seconds). Yielding once before
 * each query, and before a transaction begins, lets the event loop take turns.
 * Statements inside a transaction do not yield, so its lock is held briefly.
 */
function yieldBeforeEachQuery(adapter: SqlDriverAdapter): void {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.queryRaw = async (query) => (await turn(), queryRaw(query));
  adapter.executeRaw = async (query) => (await turn(), executeRaw(query));
  adapter.startTransaction = async (isolationLevel) => (await turn(), startTransaction(isolationLevel));
}

/** A new client for `url`; callers own it and must $disconnect() it. Tests use this for their own databases. */
export function createDbClient(url: string): Db {
  if (providerOf(url) === "postgresql") {
    // Same models, same API (see Db above); only the generated provider differs.
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  if (!url.startsWith("file:")) throw new Error("DATABASE_URL must start with file: or postgresql://");
  return new SqliteClient({ adapter: sqliteAdapter(url) });
}

// Kept on globalThis: in development Vite re-evaluates this module on every
// change, and each evaluation would otherwise open another connection pool.
const globalForDb = globalThis as typeof globalThis & { __parleyDb?: Db };

/** The application's client, created on first use. */
export function db(): Db {
  globalForDb.__parleyDb ??= createDbClient(env().DATABASE_URL);
  return globalForDb.__parleyDb;
}

export async function disconnectDb(): Promise<void> {
  const client = globalForDb.__parleyDb;
  globalForDb.__parleyDb = undefined;
  await client?.$disconnect();
}

/** A read-only connection of its own for reading many rows fast; the caller closes it. */
export interface BulkReader {
  /** The query's rows as arrays of column values, in the query's column order. */
  rows(query: Prisma.Sql): Promise<unknown[][]>;
  close(): Promise<void>;
}

/**
 * A connection that bypasses the ORM, for exports that read millions of
 * answer rows: Prisma's raw queries turn every row into an object through its
 * driver adapter's type mapping, and for a 100,000-response export that
 * mapping and its garbage cost more than reading the rows (measured: about
 * 9 s of 24 s each). Rows come back as plain arrays. On SQLite the
 * connection is opened read-only beside the application's (WAL lets it read
 * while others write), in a worker thread (see openSqliteBulkReader); on
 * PostgreSQL it is one client of its own.
 * Timestamps come back as Date (PostgreSQL) or as the ISO 8601 text SQLite stores.
 */
export async function openBulkReader(): Promise<BulkReader> {
  const url = env().DATABASE_URL;
  if (providerOf(url) === "postgresql") {
    const client = new pg.Client({
      connectionString: url,
      // Prisma stores DateTime as timestamp without time zone, in UTC; pg would read it as local time.
      types: {
        getTypeParser: (oid: number, format?: string) =>
          oid === 1114 ? (text: string) => new Date(`${text.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format as "text"),
      },
    });
    await client.connect();
    return {
      async rows(query) {
        return (await client.query<unknown[]>({ text: query.text, values: query.values, rowMode: "array" })).rows;
      },
      close: () => client.end(),
    };
  }
  return openSqliteBulkReader(resolve(url.slice("file:".length)));
}

/**
 * The code of the SQLite bulk reader's thread: one read-only connection that
 * answers each query with its rows as arrays. better-sqlite3 is synchronous,
 * so on the server's own thread an export's reads (about 5 s at 100,000
 * responses) would hold the event loop a page at a time, and could not run
 * while the previous page is being written out. In a thread of their own
 * they do both: requests go on being answered during an export, and the
 * export takes the time of the slower half instead of the sum. (A string of
 * code rather than a file: the server is one bundle, and better-sqlite3 is
 * resolved from it.)
 */
const SQLITE_READER_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("node:module").createRequire(workerData.resolveFrom)("better-sqlite3");
const connection = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: 15000 });
parentPort.on("message", ({ id, sql, values }) => {
  try {
    parentPort.postMessage({ id, rows: connection.prepare(sql).raw(true).all(...values) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

function openSqliteBulkReader(file: string): BulkReader {
  const thread = new Worker(SQLITE_READER_THREAD, { eval: true, workerData: { file, resolveFrom: import.meta.url } });
  const waiting = new Map<number, { resolve: (rows: unknown[][]) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  thread.on("message", ({ id, rows, error }: { id: number; rows?: unknown[][]; error?: string }) => {
    const request = waiting.get(id);
    waiting.delete(id);
    if (error !== undefined) request?.reject(new Error(error));
    else request?.resolve(rows!);
  });
  thread.on("error", failAll);
  thread.on("exit", () => failAll(new Error("the bulk reader stopped")));
  return {
    rows(query) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<unknown[][]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread.postMessage({ id, sql: query.sql, values: query.values });
      });
    },
    async close() {
      await thread.terminate();
    },
  };
}

/** A connection of its own for writing many rows in a few statements; the caller closes it. */
export interface BulkWriter {
  /**
   * Runs the statements in one transaction. With `firstChanges`, when the
   * first statement changes another number of rows, everything is rolled
   * back and the result is false.
   */
  transaction(statements: readonly Prisma.Sql[], options?: { firstChanges?: number }): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Past the ORM, for mailings that write thousands of large rows (50,000
 * rendered emails): Prisma's raw queries copy every bound value through its
 * query engine, which made such writes about three times slower than the
 * driver's and left the engine's memory grown by several hundred megabytes
 * for the life of the process (measured: 741 MiB resident after queueing
 * 50,000 emails through it, against a JavaScript heap of 127 MiB). Values are
 * bound as Prisma binds them: dates as UTC ISO 8601 text, booleans as 0/1 on
 * SQLite.
 */
export async function openBulkWriter(): Promise<BulkWriter> {
  const url = env().DATABASE_URL;
  if (providerOf(url) === "postgresql") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      async transaction(statements, options) {
        await client.query("BEGIN");
        try {
          for (const [index, statement] of statements.entries()) {
            const values = statement.values.map((value) => (value instanceof Date ? value.toISOString() : value));
            const result = await client.query({ text: statement.text, values });
            if (index === 0 && options?.firstChanges !== undefined && result.rowCount !== options.firstChanges) {
              await client.query("ROLLBACK");
              return false;
            }
          }
          await client.query("COMMIT");
          return true;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
      },
      close: () => client.end(),
    };
  }
  const connection = new Database(resolve(url.slice("file:".length)), { fileMustExist: true, timeout: 15_000 });
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");
  const sqliteValue = (value: unknown) =>
    value instanceof Date ? value.toISOString().replace("Z", "+00:00") : typeof value === "boolean" ? Number(value) : value;
  const run = connection.transaction((statements: readonly Prisma.Sql[], firstChanges: number | undefined) => {
    for (const [index, statement] of statements.entries()) {
      const { changes } = connection.prepare(statement.sql).run(...statement.values.map(sqliteValue));
      if (index === 0 && firstChanges !== undefined && changes !== firstChanges) throw new FirstStatementMismatch();
    }
  });
  return {
    async transaction(statements, options) {
      // Synchronous like every better-sqlite3 call: take a turn first, as the application's queries do.
      await new Promise<void>((done) => setImmediate(done));
      try {
        // IMMEDIATE: take the write lock when the transaction begins, so it never has to upgrade a read lock.
        run.immediate(statements, options?.firstChanges);
        return true;
      } catch (error) {
        if (error instanceof FirstStatementMismatch) return false;
        throw error;
      }
    },
    async close() {
      connection.close();
    },
  };
}

class FirstStatementMismatch extends Error {}
