// Derives prisma/postgresql/schema.prisma from prisma/schema.prisma. A Prisma
// schema's provider must be a literal and the generated client is tied to it,
// so PostgreSQL gets its own copy: same models, only the datasource provider
// and the client's output folder differ. Shared by generate.mjs and migrate.ts.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const sourceSchemaPath = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));
export const postgresSchemaPath = fileURLToPath(new URL("../../prisma/postgresql/schema.prisma", import.meta.url));

const header = `// GENERATED from prisma/schema.prisma by scripts/db/derive-postgres-schema.mjs.
// Do not edit: change prisma/schema.prisma and run \`node scripts/db/generate.mjs\`
// (or \`npm run db:migration:create -- <name>\`). \`npm run db:check\` fails when stale.

`;

/**
 * Rewrites the first occurrence of `key = "..."` inside the named block. Throws
 * when it is missing, so a reshaped source schema fails loudly instead of
 * yielding a PostgreSQL schema that silently still says "sqlite".
 * @param {string} schema
 * @param {RegExp} blockStart e.g. /^datasource\s+\w+\s*\{/m
 * @param {string} key
 * @param {string} value
 */
function replaceInBlock(schema, blockStart, key, value) {
  const start = schema.search(blockStart);
  const end = start < 0 ? -1 : schema.indexOf("}", start);
  if (end < 0) throw new Error(`derive-postgres-schema: block ${blockStart} not found in prisma/schema.prisma`);
  const block = schema.slice(start, end);
  const line = new RegExp(`^(\\s*${key}\\s*=\\s*)"[^"]*"`, "m");
  if (!line.test(block)) throw new Error(`derive-postgres-schema: no ${key} = "…" in ${blockStart}`);
  return schema.slice(0, start) + block.replace(line, `$1"${value}"`) + schema.slice(end);
}

/** @param {string} source content of prisma/schema.prisma */
export function derivePostgresSchema(source) {
  let schema = replaceInBlock(source, /^datasource\s+\w+\s*\{/m, "provider", "postgresql");
  // The derived file sits one folder deeper, hence the extra "../".
  schema = replaceInBlock(schema, /^generator\s+client\s*\{/m, "output", "../../app/generated/prisma-pg");
  return header + schema;
}

/** What prisma/postgresql/schema.prisma must contain right now. */
export function expectedPostgresSchema() {
  return derivePostgresSchema(readFileSync(sourceSchemaPath, "utf8"));
}
