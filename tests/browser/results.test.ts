import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { readFile, writeFile } from "node:fs/promises";
import { expectAccessible, openDemoSite, screenshot, screenshotDir, type DemoSite, signInAsStaff } from "./support";

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
  await signInAsStaff(page, site);
  await page.close();
  return context;
}

/** One question of each kind of chart, close up, to look at. */
async function chartShots(page: Page, suffix: string) {
  const kinds = {
    agreement: ".question-result:has(.rchart-diverging):not(:has(.rchart-label))",
    matrix: ".question-result:has(.rchart-diverging .rchart-label)",
    histogram: ".question-result:has(.rchart-histogram)",
    choice: ".question-result:has(.rchart-bars)",
  };
  for (const [kind, selector] of Object.entries(kinds)) {
    const question = page.locator(selector).first();
    if (await question.count()) await question.screenshot({ path: `${screenshotDir}chart-${kind}-${suffix}.png` });
  }
}

describe("results in a real browser", () => {
  it("draws charts from the tables in English and Arabic, with no axe violations, at 1280 and 360 px", async () => {
    for (const language of ["en", "ar"]) {
      const context = await signedIn({ javaScriptEnabled: true, language });
      const page = await context.newPage();
      await page.goto(`${site.server.url}/staff/surveys/${SURVEY}/results`);
      // The page's script offers the PNG buttons (and print) once it runs.
      await page.locator(".chart-downloads button").first().waitFor();
      expect(await page.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
      expect(await page.locator(".question-result table").count()).toBeGreaterThan(10);
      // Charts are decoration for sighted readers; the tables carry the figures.
      expect(await page.locator(".rchart").count()).toBeGreaterThan(5);
      expect(await page.locator(".rchart").evaluateAll((charts) => charts.every((chart) => chart.getAttribute("aria-hidden") === "true"))).toBe(true);
      // Agreement questions diverge from a centre line; number questions are histograms.
      expect(await page.locator(".rchart-diverging .rchart-centre").count()).toBeGreaterThan(0);
      // No chart text below 12 px, and nothing of a chart sticks out of its box (legends and labels wrap).
      const problems = await page.locator(".results-chart").evaluateAll((charts) =>
        charts.flatMap((chart) => {
          const box = chart.getBoundingClientRect();
          return [...chart.querySelectorAll<HTMLElement>(".rchart-legend li, .rchart-label, .rchart-column-label, .rchart-ticks span")].flatMap((element) => {
            const own = element.getBoundingClientRect();
            const size = Number.parseFloat(getComputedStyle(element).fontSize);
            return [
              ...(size < 12 ? [`${element.textContent}: ${size}px`] : []),
              ...(own.left < box.left - 1 || own.right > box.right + 1 ? [`${element.textContent}: outside its chart`] : []),
            ];
          });
        }),
      );
      expect(problems).toEqual([]);
      await expectAccessible(page, `results (${language})`);
      await screenshot(page, `results-${language}`);
      await chartShots(page, `${language}-1280`);
      await page.setViewportSize({ width: 360, height: 800 });
      const narrow = await page.locator(".results-chart").evaluateAll((charts) =>
        charts.flatMap((chart) =>
          [...chart.querySelectorAll<HTMLElement>(".rchart-legend li, .rchart-label, .rchart-ticks span")]
            .filter(
              (element) =>
                // (Marks left out at this width are not drawn at all.)
                (element.getClientRects().length > 0 && element.getBoundingClientRect().right > chart.getBoundingClientRect().right + 1) ||
                (element.getClientRects().length > 0 && element.getBoundingClientRect().left < chart.getBoundingClientRect().left - 1),
            )
            .map((element) => element.textContent),
        ),
      );
      expect(narrow).toEqual([]);
      const overflow = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>("main *")]
          .filter(
            (element) => element.getClientRects().length > 0 && (element.getBoundingClientRect().right > 361 || element.getBoundingClientRect().left < -1),
          )
          .filter((element) => !element.closest(".table-wrap"))
          .slice(0, 5)
          .map(
            (element) =>
              `${element.tagName}.${element.className}: ${Math.round(element.getBoundingClientRect().left)}–${Math.round(element.getBoundingClientRect().right)}`,
          ),
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth), overflow.join("\n")).toBeLessThanOrEqual(360);
      await screenshot(page, `results-${language}-360`);
      await chartShots(page, `${language}-360`);
      await context.close();
    }
  }, 240_000);

  it("downloads each chart as a PNG and an SVG in the staff member's language, both of which open", async () => {
    for (const language of ["en", "ar"]) {
      const context = await signedIn({ javaScriptEnabled: true, language });
      const page = await context.newPage();
      await page.goto(`${site.server.url}/staff/surveys/${SURVEY}/results`);
      // The PNG button (offered by the page's script), then the SVG link.
      const buttons = page.locator(".chart-downloads").first().locator("button, a");
      await buttons.first().waitFor();
      const title = (await page.locator(".question-result h4").first().textContent())!.trim();

      const [png] = await Promise.all([page.waitForEvent("download"), buttons.nth(0).click()]);
      expect(png.suggestedFilename()).toMatch(new RegExp(`^${SURVEY}-[a-z0-9_]+\\.png$`));
      const pngBytes = await readFile((await png.path())!);
      expect(pngBytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      // Drawn at twice the SVG's 960 px.
      expect(pngBytes.readUInt32BE(16)).toBe(1920);

      const [svg] = await Promise.all([page.waitForEvent("download"), buttons.nth(1).click()]);
      expect(svg.suggestedFilename()).toMatch(/\.svg$/);
      const svgText = await readFile((await svg.path())!, "utf8");
      expect(svgText).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svgText).toContain(`direction="${language === "ar" ? "rtl" : "ltr"}"`);
      expect(svgText).toContain(`<title>${title.replace(/&/g, "&amp;")}</title>`);

      // Both open: the browser decodes them as images.
      const sizes = await page.evaluate(
        async ([pngBase64, svgSource]) => {
          const open = async (src: string) => {
            const image = new Image();
            image.src = src;
            await image.decode();
            return [image.naturalWidth, image.naturalHeight];
          };
          return [await open(`data:image/png;base64,${pngBase64}`), await open(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgSource!)}`)];
        },
        [pngBytes.toString("base64"), svgText],
      );
      expect(sizes[0]![0]).toBe(1920);
      expect(sizes[1]![0]).toBe(960);
      await writeFile(`${screenshotDir}chart-download-${language}.png`, pngBytes);
      await context.close();
    }
  });

  it("offers the PNG downloads and print after a client-side navigation from a hydrated staff page", async () => {
    const context = await signedIn({ javaScriptEnabled: true, language: "en" });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/surveys/${SURVEY}`);
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized);
    // Marks this document: after a client-side navigation it is still the same one.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.locator(`nav.tabs a[href="/staff/surveys/${SURVEY}/results"]`).click();
    await page.locator(".chart-downloads button").first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await page.locator(".print-button").isVisible()).toBe(true);
    const [png] = await Promise.all([page.waitForEvent("download"), page.locator(".chart-downloads button").first().click()]);
    expect(png.suggestedFilename()).toMatch(new RegExp(`^${SURVEY}-[a-z0-9_]+\\.png$`));
    await context.close();
  });

  it("prints the whole results page: charts and tables, no navigation, a page per section", async () => {
    const context = await signedIn({ javaScriptEnabled: true, language: "en" });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/surveys/${SURVEY}/results`);
    await page.locator(".chart-downloads button").first().waitFor();
    await page.emulateMedia({ media: "print" });
    const shown = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((element) => getComputedStyle(element).display !== "none");
    expect(await shown(".staff-nav")).toBe(false);
    expect(await shown(".results-filters")).toBe(false);
    expect(await shown(".chart-downloads")).toBe(false);
    expect(await shown(".print-button")).toBe(false);
    expect(await shown(".rchart")).toBe(true);
    expect(await shown(".question-result table")).toBe(true);
    expect(
      await page
        .locator(".results-section + .results-section")
        .first()
        .evaluate((element) => getComputedStyle(element).breakBefore),
    ).toBe("page");
    await screenshot(page, "results-print");
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // One page per section at least.
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(await page.locator(".results-section").count());
    await writeFile(`${screenshotDir}results-print.pdf`, pdf);
    await context.close();
  });

  it("filters through the URL without JavaScript, and the back button returns to the unfiltered view", async () => {
    const context = await signedIn({ javaScriptEnabled: false, language: "en" });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/surveys/${SURVEY}/results`);
    // Without scripts the charts are there (drawn by the server) and the tables too; each chart's SVG is a link, the PNG needs the script.
    expect(await page.locator(".rchart").count()).toBeGreaterThan(5);
    expect(await page.locator(".chart-downloads button:visible, .print-button:visible").count()).toBe(0);
    const [svg] = await Promise.all([page.waitForEvent("download"), page.locator(".chart-downloads a").first().click()]);
    expect(svg.suggestedFilename()).toMatch(new RegExp(`^${SURVEY}-[a-z0-9_]+\\.svg$`));
    expect(await readFile((await svg.path())!, "utf8")).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
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
