import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { get, postForm, startServer, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase("app-shell");
  server = await startServer(database.url);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("pages and languages", () => {
  it("serves the home page in English by default", async () => {
    const response = await get(`${server.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain("Consultations");
  });

  it("sends every page as a standards-mode document, rendered whole or streamed", async () => {
    // The home page is sent without React's scripts (rendered to one string); the sign-in page is hydrated (streamed).
    for (const path of ["/", "/staff/login"]) {
      const response = await get(`${server.url}${path}`, { headers: { "accept-language": "ar" } });
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const bytes = Buffer.from(await response.arrayBuffer());
      const html = bytes.toString("utf8");
      expect(html.startsWith("<!DOCTYPE html><html"), path).toBe(true);
      expect(html.match(/<!DOCTYPE/gi), path).toHaveLength(1);
      expect(bytes.includes(0), path).toBe(false);
      expect(html).toContain('<html lang="ar" dir="rtl">');
    }
  });

  it("follows Accept-Language, and Arabic pages are right-to-left", async () => {
    const html = await (await get(`${server.url}/`, { headers: { "accept-language": "ar-EG,ar;q=0.9,en;q=0.5" } })).text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
  });

  it("lets an explicit choice (cookie) win over Accept-Language", async () => {
    const html = await (await get(`${server.url}/`, { headers: { "accept-language": "ar", cookie: "lng=fr" } })).text();
    expect(html).toContain('<html lang="fr" dir="ltr">');
  });

  it("remembers a language chosen from the switcher and returns to the page", async () => {
    const response = await get(`${server.url}/language/zh?back=${encodeURIComponent("/staff/login")}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/staff/login");
    expect(response.headers.get("set-cookie")).toMatch(/^lng=zh;.*SameSite=Lax/);
  });

  it("never redirects off-site from the language switcher", async () => {
    for (const back of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const response = await get(`${server.url}/language/en?back=${encodeURIComponent(back)}`);
      expect(response.headers.get("location")).toBe("/");
    }
  });

  it("answers unknown addresses with a 404 page in the visitor's language", async () => {
    const response = await get(`${server.url}/no/such/page`, { headers: { "accept-language": "es" } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('<html lang="es"');
    expect(html).not.toContain("Page not found");
  });

  it("answers an unknown language code with a 404, not a 500", async () => {
    expect((await get(`${server.url}/language/xx`)).status).toBe(404);
  });
});

describe("security headers", () => {
  it("sends a CSP with a nonce and no inline scripts, and forbids framing and sniffing", async () => {
    // A hydrated page, which carries inline scripts (the home page is sent without any).
    const response = await get(`${server.url}/staff/login`);
    const csp = response.headers.get("content-security-policy") ?? "";
    const scriptSrc = csp.split(";").find((directive) => directive.trim().startsWith("script-src ")) ?? "";
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(scriptSrc).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
    const html = await response.text();
    const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes] of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
  });

  it("compresses pages", async () => {
    const response = await get(`${server.url}/`, { headers: { "accept-encoding": "gzip" } });
    expect(response.headers.get("content-encoding")).toBe("gzip");
  });
});

describe("bad input", () => {
  it("refuses cross-site form posts", async () => {
    const response = await postForm(`${server.url}/staff/login`, { email: "a@b.c", password: "x" }, { headers: { "sec-fetch-site": "cross-site" } });
    expect(response.status).toBe(403);
    const old = await postForm(`${server.url}/staff/login`, { email: "a@b.c", password: "x" }, { headers: { origin: "https://evil.example" } });
    expect(old.status).toBe(403);
  });

  it("answers malformed bodies with 4xx, never 5xx", async () => {
    const cases: RequestInit[] = [
      { method: "POST", body: "%%%&&&=", headers: { "content-type": "application/x-www-form-urlencoded" } },
      { method: "POST", body: "--x\r\nnonsense", headers: { "content-type": "multipart/form-data; boundary=x" } },
      { method: "POST", body: '{"email":1}', headers: { "content-type": "application/json" } },
      { method: "POST", body: "" },
      { method: "PUT", body: "a=b" },
      { method: "DELETE" },
    ];
    for (const init of cases) {
      const response = await fetch(`${server.url}/staff/login`, { redirect: "manual", ...init });
      expect(response.status, JSON.stringify(init)).toBeGreaterThanOrEqual(400);
      expect(response.status, JSON.stringify(init)).toBeLessThan(500);
    }
    const badPath = await get(`${server.url}/%E0%A4%A`);
    expect(badPath.status).toBeLessThan(500);
  });

  it("stops reading a form sent without Content-Length once it passes the limit", async () => {
    // A streamed request body goes out chunked: no length for the server to check up front.
    const chunk = new TextEncoder().encode(`email=${"a".repeat(64 * 1024)}`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 3 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${server.url}/staff/login`, {
      method: "POST",
      body,
      duplex: "half",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    } as RequestInit);
    expect(response.status).toBe(413);
    // A small chunked form is still read normally.
    const small = await fetch(`${server.url}/staff/login`, {
      method: "POST",
      body: new Blob(["email=nobody%40example.org&password=x"]).stream(),
      duplex: "half",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    } as RequestInit);
    expect(small.status).toBe(401);
  });

  it("reports database health", async () => {
    const response = await get(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
