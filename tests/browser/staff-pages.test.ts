import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { builtRoutes } from "../support/routes";
import { expectAccessible, openDemoSite, screenshot, screenshotDir, type DemoSite, signInAsStaff } from "./support";

let site: DemoSite;
const SURVEY = "governance-review";

beforeAll(async () => {
  site = await openDemoSite("browser-staff-pages");
});

afterAll(async () => {
  await site?.close();
});

/** The first link on `path` whose address matches, for routes with an id in them. */
async function firstLink(page: Page, path: string, pattern: RegExp): Promise<string | null> {
  await page.goto(`${site.server.url}${path}`);
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  return hrefs.find((href) => pattern.test(href)) ?? null;
}

const paths: string[] = [];
let page: Page;

describe("every staff page", () => {
  beforeAll(async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signInAsStaff(page, site);
  }, 60_000);

  it("are all found: every staff page the build declares, its parameters filled from the demo", async () => {
    // A new page joins the tests below by itself.
    const resolvers: Record<string, () => Promise<string | null>> = {
      "/staff/forums/:slug": async () => "/staff/forums/governance-forums",
      "/staff/forums/:slug/sessions/:id": () => firstLink(page, "/staff/forums/governance-forums", /\/sessions\/[^/]+$/),
      "/staff/outbox/:id": () => firstLink(page, "/staff/outbox", /^\/staff\/outbox\/[^/?]+$/),
      "/staff/people/:id": () => firstLink(page, "/staff/people", /^\/staff\/people\/[^/?]+$/),
      "/staff/surveys/:slug/participants/:id": () => firstLink(page, `/staff/surveys/${SURVEY}/participants`, /\/participants\/[^/?]+$/),
      "/staff/translations/:lang/:ns": async () => "/staff/translations/fr/common",
      "/staff/translations/surveys/:slug/:lang": async () => `/staff/translations/surveys/${SURVEY}/fr`,
      "/staff/translations/surveys/:slug/:lang/xliff": async () => `/staff/translations/surveys/${SURVEY}/fr/xliff`,
    };
    const routes = (await builtRoutes()).filter((route) => route.staff && route.hasLoader && route.hasComponent);
    const unresolved: string[] = [];
    for (const route of routes) {
      const path = resolvers[route.pattern] ? await resolvers[route.pattern]!() : route.pattern.replace(":slug", SURVEY);
      if (!path || path.includes(":")) unresolved.push(route.pattern);
      else if (!paths.includes(path)) paths.push(path);
    }
    // The outbox of a fresh demo may hold no message yet: its detail page is then the only one not visited.
    expect(unresolved.filter((pattern) => pattern !== "/staff/outbox/:id")).toEqual([]);
    expect(paths.length).toBeGreaterThan(15);
  }, 120_000);

  // axe runs at 1280 px (what it checks does not change with the width); at 360 px the page must not scroll sideways.
  for (const [language, width] of [
    ["en", 1280],
    ["ar", 1280],
    ["en", 360],
    ["ar", 360],
  ] as const) {
    it(`renders in ${language} at ${width} px${width === 1280 ? " without axe violations" : " no wider than the screen"}`, async () => {
      await page.context().addCookies([{ name: "lng", value: language, url: site.server.url }]);
      await page.setViewportSize({ width, height: 900 });
      const wide: string[] = [];
      for (const path of paths) {
        const response = await page.goto(`${site.server.url}${path}`);
        expect(response?.status(), path).toBe(200);
        expect(await page.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
        if (width === 1280) {
          await expectAccessible(page, `${path} (${language})`);
        }
        // Wide tables scroll inside their own frame; the page itself never scrolls sideways.
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scrollWidth > width) {
          const culprits = await page.evaluate((limit) => {
            const outside = [...document.querySelectorAll<HTMLElement>("body *")].filter(
              (element) =>
                element.getClientRects().length > 0 && (element.getBoundingClientRect().right > limit + 1 || element.getBoundingClientRect().left < -1),
            );
            return outside.slice(0, 3).map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
          }, width);
          wide.push(`${path}: ${scrollWidth} px (${culprits.join(", ")})`);
        }
        const name = path.replace(/^\/staff\/?/, "").replace(/[^a-z0-9]+/gi, "-") || "home";
        if (width === 1280) await screenshot(page, `staff-${name}-${language}-${width}`);
        else await page.screenshot({ path: `${screenshotDir}staff-${name}-${language}-${width}.png` });
      }
      expect(wide).toEqual([]);
    }, 300_000);
  }
});
