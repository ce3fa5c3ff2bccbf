import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import { databaseProvider, db, disconnectDb } from "~/platform/db.server";

export { databaseProvider, disconnectDb };

/** The client a transaction callback receives; model functions that join a caller's transaction take it. */
export type Transaction = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

/** One round trip to the database (health checks, start-up). */
export async function ping(): Promise<void> {
  await db().$queryRawUnsafe("SELECT 1");
}

/**
 * A unique key refused the write: the query builder's P2002, or a raw
 * statement's P2010 whose driver error names the violation (both databases).
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return code === "P2002" || (code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation");
}

/** Multi-row INSERT of `rows` (each in `columns` order) as one prepared statement with bound values. */
export function insertRows(table: string, columns: readonly string[], rows: readonly unknown[][]): Prisma.Sql {
  return Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} ${columnList(columns)} VALUES ${Prisma.join(rows.map((row) => Prisma.sql`(${Prisma.join(row)})`))}`;
}

/** `("a", "b", …)`: the quoted column list of an INSERT. */
export function columnList(columns: readonly string[]): Prisma.Sql {
  return Prisma.raw(`(${columns.map((column) => `"${column}"`).join(", ")})`);
}
