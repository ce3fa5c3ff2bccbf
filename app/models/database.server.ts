import { Prisma } from "~/generated/prisma-sqlite/client.ts";
import { databaseProvider, db, disconnectDb } from "~/platform/db.server";

export { databaseProvider, disconnectDb };

/** The client a transaction callback receives; model functions that join a caller's transaction take it. */
export type Transaction = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

/** One round trip to the database (health checks, start-up). */
export async function ping(): Promise<void> {
  await db().$queryRawUnsafe("SELECT 1");
}

/** Multi-row INSERT of `rows` (each in `columns` order) as one prepared statement with bound values. */
export function insertRows(table: string, columns: readonly string[], rows: readonly unknown[][]): Prisma.Sql {
  return Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.raw(columns.map((column) => `"${column}"`).join(", "))}) VALUES ${Prisma.join(
    rows.map((row) => Prisma.sql`(${Prisma.join(row)})`),
  )}`;
}
