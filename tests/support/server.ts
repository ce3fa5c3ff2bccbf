// Starts the real built server (npm run build must have run; `npm test` does
// it first) as a child process on a free port, against a test database.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { childEnv } from "./child-env";

const root = fileURLToPath(new URL("../../", import.meta.url));

export interface TestServer {
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  logs(): string;
  stop(): Promise<void>;
  process: ChildProcess;
}

/** `nodeArgs`: options for node itself, before the script (a bench's --cpu-prof, which NODE_OPTIONS refuses). */
export async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<TestServer> {
  if (!existsSync(`${root}build/node/server.js`)) throw new Error("No build: run `npm run build` first (npm test does)");
  const child = spawn(process.execPath, [...nodeArgs, "build/node/server.js"], {
    cwd: root,
    env: childEnv({
      NODE_ENV: "production",
      SESSION_SECRET: "test-secret-test-secret-test-secret-0123456789",
      DATABASE_URL: databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      OUTBOX_WORKER: "off",
      TRUST_PROXY: "1",
      ...extraEnv,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    logs: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** fetch without following redirects, so tests see the 302s. */
export function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: "manual", ...init });
}

export function postForm(url: string, fields: Record<string, string> | URLSearchParams, init: RequestInit = {}): Promise<Response> {
  const body = fields instanceof URLSearchParams ? fields : new URLSearchParams(fields);
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    body,
    ...init,
    headers: { "content-type": "application/x-www-form-urlencoded", ...(init.headers as Record<string, string> | undefined) },
  });
}

/** The cookie pairs (name=value) a response sets, for the next request. */
export function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}
