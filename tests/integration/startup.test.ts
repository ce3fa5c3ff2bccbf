import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { childEnv } from "../support/child-env";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Starts server.ts expecting it to refuse; returns its exit code and what it
 * printed. NODE_ENV is "development" unless given; `null` leaves it unset.
 */
function refusedStart(env: { NODE_ENV?: "production" | "development" | null; DATABASE_URL: string; SESSION_SECRET_FILE?: string }) {
  const { NODE_ENV = "development", ...rest } = env;
  const result = spawnSync(process.execPath, ["build/node/server.js"], {
    cwd: root,
    env: childEnv({ PORT: "0", HOST: "127.0.0.1", NODE_ENV: NODE_ENV ?? undefined, ...rest }),
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe("start-up with a bad configuration", () => {
  it("refuses production without a session secret, in one line", () => {
    const { code, output } = refusedStart({ NODE_ENV: "production", DATABASE_URL: "file:./data/test/unused.db" });
    expect(code).toBe(1);
    expect(output.split("\n")).toHaveLength(1);
    expect(output).toContain("SESSION_SECRET");
  });

  it("runs in production mode when NODE_ENV is unset, so it asks for the secret", () => {
    const { code, output } = refusedStart({ NODE_ENV: null, DATABASE_URL: "file:./data/test/unused.db" });
    expect(code).toBe(1);
    expect(output).toMatch(/^Invalid configuration: SESSION_SECRET must be set/);
  });

  it("names an unreadable SESSION_SECRET_FILE", () => {
    const { code, output } = refusedStart({ NODE_ENV: null, DATABASE_URL: "file:./data/test/unused.db", SESSION_SECRET_FILE: "data/test/no-such-secret" });
    expect(code).toBe(1);
    expect(output).toBe("Invalid configuration: SESSION_SECRET_FILE cannot be read (ENOENT)");
  });

  it("refuses a DATABASE_URL of an unsupported kind, in one line", () => {
    const { code, output } = refusedStart({ DATABASE_URL: "mysql://localhost/parley" });
    expect(code).toBe(1);
    expect(output).toMatch(/^Invalid configuration: DATABASE_URL/);
  });

  it("refuses an unreachable database, naming the cause in one line", () => {
    const { code, output } = refusedStart({ DATABASE_URL: "postgresql://nobody@127.0.0.1:1/parley" });
    expect(code).toBe(1);
    expect(output.split("\n")).toHaveLength(1);
    expect(output).toMatch(/^Cannot start: database \(postgresql\) is not reachable: .*127\.0\.0\.1:1/);
  });
});
