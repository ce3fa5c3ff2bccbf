import { databaseProvider, db, disconnectDb } from "~/platform/db.server";

export { databaseProvider, disconnectDb };

/** The client a transaction callback receives; model functions that join a caller's transaction take it. */
export type Transaction = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

/** One round trip to the database (health checks, start-up). */
export async function ping(): Promise<void> {
  await db().$queryRawUnsafe("SELECT 1");
}
