// Backups of the database named by DATABASE_URL, safe while the app runs.
//
//   tsx scripts/db/backup.ts backup <file>    (npm run db:backup -- <file>)
//   tsx scripts/db/backup.ts restore <file>   (npm run db:restore -- <file>)
//
// SQLite: SQLite's online backup API through better-sqlite3: a consistent
// copy taken page by page while the app keeps reading and writing (writers
// are never blocked for the whole copy). Restoring copies the file back the
// same way, into the database DATABASE_URL names; stop the app first.
// PostgreSQL: pg_dump's custom format (one consistent snapshot, no locks that
// stop the app) and pg_restore into DATABASE_URL, which must be an empty or
// disposable database: existing objects are dropped first (--clean).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { DEFAULT_DATABASE_URL } from "../../app/platform/database-url.ts";

type Command = "backup" | "restore";

function sqliteFile(url: string): string {
  return resolve(url.slice("file:".length));
}

function run(program: string, args: string[]): void {
  const result = spawnSync(program, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) throw new Error(`${program} could not be started (${result.error.message}); install Debian's postgresql-client`);
  if (result.status !== 0) throw new Error(`${program} failed with exit code ${result.status}`);
}

export async function backupDatabase(url: string, file: string): Promise<void> {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  if (url.startsWith("file:")) {
    const source = new Database(sqliteFile(url), { fileMustExist: true });
    try {
      // Written under a temporary name: a half-made backup is never mistaken for a good one.
      await source.backup(`${file}.partial`);
    } finally {
      source.close();
    }
    renameSync(`${file}.partial`, file);
    return;
  }
  run("pg_dump", ["--format=custom", "--no-owner", "--file", file, url]);
}

export async function restoreDatabase(url: string, file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  if (url.startsWith("file:")) {
    const target = sqliteFile(url);
    mkdirSync(dirname(target), { recursive: true });
    const backup = new Database(file, { readonly: true, fileMustExist: true });
    try {
      await backup.backup(`${target}.restoring`);
    } finally {
      backup.close();
    }
    for (const suffix of ["-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
    renameSync(`${target}.restoring`, target);
    return;
  }
  run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--dbname", url, file]);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const [command, file] = process.argv.slice(2) as [Command | undefined, string | undefined];
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  if ((command !== "backup" && command !== "restore") || !file) {
    console.error("Usage: npm run db:backup -- <file>   or   npm run db:restore -- <file>   (DATABASE_URL names the database)");
    process.exit(2);
  }
  try {
    if (command === "backup") await backupDatabase(url, file);
    else await restoreDatabase(url, file);
    const size = statSync(command === "backup" ? file : url.startsWith("file:") ? sqliteFile(url) : file).size;
    console.log(`${command === "backup" ? "Backed up to" : "Restored from"} ${file} (${(size / 1024 / 1024).toFixed(1)} MB)`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
