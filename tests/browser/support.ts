// Shared set-up of the browser suite: a demo database made the way
// `npm run demo` makes it, the built server, Debian's chromium, and an axe
// scan helper.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startServer, type TestServer } from "../support/server";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const screenshotDir = `${root}test-results/browser/`;

export interface DemoSite {
  server: TestServer;
  database: TestDatabase;
  browser: Browser;
  staff: { email: string; password: string };
  /** Personalised links printed by the demo, by survey slug and language. */
  links: { slug: string; language: string; url: string }[];
  close(): Promise<void>;
}

export async function openDemoSite(name: string): Promise<DemoSite> {
  const database = await createTestDatabase(name);
  const demo = spawnSync(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url, PUBLIC_URL: "http://parley.test" },
    encoding: "utf8",
  });
  if (demo.status !== 0) throw new Error(`demo seed failed:\n${demo.stdout}\n${demo.stderr}`);
  const email = /email:\s+(\S+)/.exec(demo.stdout)?.[1] ?? "";
  const password = /password:\s+(\S+)/.exec(demo.stdout)?.[1] ?? "";
  const server = await startServer(database.url);
  const links = [...demo.stdout.matchAll(/^\s+(\S+)\s+([a-z]{2})\s+http:\/\/parley\.test(\/s\/\S+)/gm)].map(([, slug, language, path]) => ({
    slug: slug!,
    language: language!,
    url: `${server.url}${path}`,
  }));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    server,
    database,
    browser,
    staff: { email, password },
    links,
    async close() {
      await browser.close();
      await server.stop();
      await database.drop();
    },
  };
}

/**
 * Fails on any WCAG 2.x A/AA violation axe finds on the page as it is now.
 * axe runs as a script, which a JavaScript-disabled page cannot execute: such
 * pages are copied (markup and styles, scripts removed) into a scripting page
 * of their own and scanned there, so the no-JS state itself is what is checked.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  let target = page;
  let scratch: BrowserContext | undefined;
  if (!(await scriptsRun(page))) {
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
    const origin = new URL(page.url()).origin;
    scratch = await page.context().browser()!.newContext({ javaScriptEnabled: true });
    target = await scratch.newPage();
    await target.route(`${origin}/__axe__`, (route) => route.fulfill({ contentType: "text/html", body: html }));
    await target.goto(`${origin}/__axe__`);
  }
  // A frame sandboxed without scripts (the mailings page's email preview: the email's markup, not the page's) cannot
  // run axe, and waiting for it can hang the scan; it is left out rather than removed from the page, since removing
  // it races with hydration, which puts it back.
  const results = await new AxeBuilder({ page: target })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .exclude("iframe[sandbox]:not([sandbox~='allow-scripts'])")
    .analyze();
  await scratch?.close();
  const summary = results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  expect(summary, `axe violations on ${label}`).toEqual([]);
}

/**
 * Remix's inline scripts set window.__remixContext, and the survey pages' own
 * script marks <html data-enhanced>; with scripting off neither ran.
 */
async function scriptsRun(page: Page): Promise<boolean> {
  return page.evaluate(() => "__remixContext" in window || "enhanced" in document.documentElement.dataset).catch(() => false);
}

/** Signs the demo's staff account in on `page` and waits for the surveys list. */
export async function signInAsStaff(page: Page, site: DemoSite): Promise<void> {
  await page.goto(`${site.server.url}/staff/login`);
  await page.fill("#email", site.staff.email);
  await page.fill("#password", site.staff.password);
  await page.click('button[type="submit"]');
  await page.locator("h1#surveys-title").waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}
