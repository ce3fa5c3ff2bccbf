// Prisma CLI configuration. One source schema targets SQLite; PostgreSQL uses
// the derived prisma/postgresql/schema.prisma and its own migrations folder, so
// DATABASE_URL picks both. Offline, migrations run through
// scripts/db/migrate.ts; with internet, `prisma migrate deploy` works too.
import { resolve } from "node:path";
import { defineConfig } from "prisma/config";

// Read directly: prisma/config's env() throws when the variable is unset, which
// would break `prisma generate` on a fresh clone. Same default as the app.
const url = process.env.DATABASE_URL ?? "file:./data/parley.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgresql/migrations" : "prisma/migrations" },
  // The app opens a relative SQLite path from the working directory; an
  // absolute path makes the CLI open the very same file, whatever folder it
  // resolves relative paths against.
  datasource: { url: postgres ? url : `file:${resolve(url.replace(/^file:/, ""))}` },
});
