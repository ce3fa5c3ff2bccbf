// postinstall: derive the PostgreSQL schema, then generate both Prisma clients
// (app/generated/prisma-sqlite and app/generated/prisma-pg). Runs offline.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { expectedPostgresSchema, postgresSchemaPath, sourceSchemaPath } from "./derive-postgres-schema.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Writes only on change, so the file's mtime stays put for tools that watch it. */
function writePostgresSchema() {
  const next = expectedPostgresSchema();
  let current = null;
  try {
    current = readFileSync(postgresSchemaPath, "utf8");
  } catch {
    // first run on a fresh clone
  }
  if (current === next) return;
  mkdirSync(dirname(postgresSchemaPath), { recursive: true });
  writeFileSync(postgresSchemaPath, next);
  console.log("generate: wrote prisma/postgresql/schema.prisma");
}

function resolvePrismaCli() {
  try {
    return createRequire(import.meta.url).resolve("prisma/build/index.js");
  } catch {
    return null;
  }
}

/** @param {string} cli @param {string} schema */
function prismaGenerate(cli, schema) {
  const env = {
    ...process.env,
    // `generate` only checks that a schema engine binary exists at start-up;
    // without this it tries to download one. Any existing file passes, and
    // node's own executable exists on every OS. (Never do this for migrate.)
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
    // No telemetry or update check: the install may have no internet.
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  };
  return new Promise((resolve, reject) => {
    // Output is buffered so the two parallel runs do not interleave.
    const child = spawn(process.execPath, [cli, "generate", "--schema", schema], { cwd: root, env });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(undefined);
      else reject(new Error(`prisma generate --schema ${schema} exited with ${code}:\n${output}`));
    });
  });
}

async function main() {
  writePostgresSchema();
  const cli = resolvePrismaCli();
  if (!cli) {
    // e.g. `npm ci --omit=dev` in a runtime image that copies app/generated
    // from the build stage: nothing to generate with, and nothing needed.
    console.warn("generate: the prisma CLI is not installed; skipped client generation");
    return;
  }
  const started = Date.now();
  await Promise.all([prismaGenerate(cli, sourceSchemaPath), prismaGenerate(cli, postgresSchemaPath)]);
  console.log(`generate: Prisma clients for SQLite and PostgreSQL ready (${Date.now() - started} ms)`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
