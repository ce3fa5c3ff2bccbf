import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { expectAccessible, openDemoSite, screenshot, type DemoSite } from "./support";

let site: DemoSite;
const SURVEY = "interoperability-standards";

beforeAll(async () => {
  site = await openDemoSite("browser-results");
});

afterAll(async () => {
  await site?.close();
});

async function signedIn(options: { javaScriptEnabled: boolean; language: string }): Promise<BrowserContext> {
  const context = await site.browser.newContext({ javaScriptEnabled: options.javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: "lng", value: options.language, url: site.server.url }]);
  const page = await context.newPage();
  await page.goto(`${site.server.url}/staff/login`);
  await page.fill("#email", site.staff.email);
  await page.fill("#password", site.staff.password);
  await page.click('button[type="submit"]');
  await page.locator("h1#surveys-title").waitFor();
  await page.close();
  return context;
}

describe("results in a real browser", () => {
  it("draws charts from the tables in English and Arabic, with no axe violations", async () => {
    for (const language of ["en", "ar"]) {
      const context = await signedIn({ javaScriptEnabled: true, language });
      const page = await context.newPage();
      await page.goto(`${site.server.url}/staff/surveys/${SURVEY}/results`);
      await page.locator(".results-chart canvas").first().waitFor();
      expect(await page.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
      expect(await page.locator(".question-result table").count()).toBeGreaterThan(10);
      // Charts are decoration for sighted readers; the tables carry the figures.
      expect(await page.locator(".results-chart").first().getAttribute("aria-hidden")).toBe("true");
      await expectAccessible(page, `results (${language})`);
      await screenshot(page, `results-${language}`);
      await context.close();
    }
  });

  it("filters through the URL without JavaScript, and the back button returns to the unfiltered view", async () => {
    const context = await signedIn({ javaScriptEnabled: false, language: "en" });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/surveys/${SURVEY}/results`);
    expect(await page.locator(".results-chart canvas").count()).toBe(0);
    const unfiltered = await page.locator(".results-status").textContent();
    const language = await page.locator('select[name="language"] option').nth(1).getAttribute("value");
    await page.selectOption('select[name="language"]', language!);
    await page.click('.results-filters button[type="submit"]');
    await page.waitForURL(/language=/);
    expect(await page.locator(".results-status").textContent()).not.toBe(unfiltered);
    await expectAccessible(page, "filtered results (no JS)");
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes("language="));
    expect(await page.locator(".results-status").textContent()).toBe(unfiltered);
    await context.close();
  });

  it("lists comments with search and tags, accessibly", async () => {
    const context = await signedIn({ javaScriptEnabled: true, language: "en" });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/surveys/governance-review/comments?question=transparency_comments`);
    await page.locator("ol.comments li").first().waitFor();
    await page.locator(".add-tag input[name=tag]").first().fill("quote");
    await page.locator(".add-tag button").first().click();
    await page.locator(".comment-meta .tag").first().waitFor();
    // Loaded afresh with a tag shown, the page hydrates without a mismatch: no React errors, no failed requests.
    const problems: string[] = [];
    page.on("console", (message) => void (message.type() === "error" && problems.push(`console: ${message.text().slice(0, 200)}`)));
    page.on("pageerror", (error) => problems.push(`page error: ${error.message.slice(0, 200)}`));
    page.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));
    page.on("response", (response) => void (response.status() >= 400 && problems.push(`${response.status()}: ${response.url()}`)));
    await page.reload();
    await page.waitForLoadState("networkidle");
    expect(await page.locator(".comment-meta .tag").count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await expectAccessible(page, "comments");
    await screenshot(page, "comments-en");
    await context.close();
  });

  it("shows the translations table mirrored in Arabic and refuses a broken upload with its reasons", async () => {
    const context = await signedIn({ javaScriptEnabled: true, language: "ar" });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/translations`);
    await page.locator("h1#translations-title").waitFor();
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    // Mirrored: the first column of the file table sits at the right.
    const [first, second] = await page
      .locator(".translation-matrix thead th")
      .evaluateAll((cells) => cells.slice(0, 2).map((cell) => cell.getBoundingClientRect().left));
    expect(first!).toBeGreaterThan(second!);
    await expectAccessible(page, "translations (ar)");
    await screenshot(page, "staff-translations-ar");

    await page.goto(`${site.server.url}/staff/translations/fr/common`);
    await page.setInputFiles("#upload-file", {
      name: "fr-common.json",
      mimeType: "application/json",
      buffer: Buffer.from('{"layout": {"brand": "<b>Parley</b>"}, "surplus": "x"}'),
    });
    await page.click('form[enctype="multipart/form-data"] button[type="submit"]');
    await page.locator(".error-summary li").nth(1).waitFor();
    expect(await page.locator(".error-summary li").count()).toBe(2);
    await expectAccessible(page, "translation upload refused (ar)");
    await screenshot(page, "staff-translation-refused-ar");
    await context.close();
  });
});
