/**
 * The server settings a bench run was started with (REQUEST_CONCURRENCY=4
 * npm run bench:forums), passed on to the servers it starts, whose
 * environment is otherwise a clean one (tests/support/child-env.ts).
 */
export function serverSettings(): Record<string, string> {
  const concurrency = process.env.REQUEST_CONCURRENCY;
  return concurrency ? { REQUEST_CONCURRENCY: concurrency } : {};
}
