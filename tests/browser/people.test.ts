import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, openDemoSite, screenshot, type DemoSite, signInAsStaff } from "./support";

let site: DemoSite;
const LANGUAGES = ["en", "ar", "de", "es", "fr", "ru", "zh"];

beforeAll(async () => {
  site = await openDemoSite("browser-people");
});

afterAll(async () => {
  await site?.close();
});

describe("the People page in a real browser", () => {
  it("lists staff and invitations and offers the invite form, axe-clean in seven languages at 1280 and 360 px", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInAsStaff(page, site);
    // One pending invitation, so its row and buttons are scanned too.
    await page.goto(`${site.server.url}/staff/people`);
    await page.fill("#email", "invitee@example.org");
    await page.fill("#name", "Invitee");
    await page.check("#role-translator");
    await page.click('.invite-form button[type="submit"]');
    await page.locator('.notice[role="status"]').waitFor();
    for (const language of LANGUAGES) {
      await context.addCookies([{ name: "lng", value: language, url: site.server.url }]);
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${site.server.url}/staff/people`);
        expect(await page.getAttribute("html", "lang")).toBe(language);
        expect(await page.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
        expect(await page.locator(".invite-form").count()).toBe(1);
        // Tables scroll inside their frame; the page itself never scrolls sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `page width (${language}, ${width})`).toBeLessThanOrEqual(width);
        await expectAccessible(page, `people (${language}, ${width})`);
        await screenshot(page, `people-${language}-${width}`);
      }
    }
    // A refused invitation: the error summary and field errors, still axe-clean.
    await context.addCookies([{ name: "lng", value: "en", url: site.server.url }]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${site.server.url}/staff/people`);
    await page.fill("#email", "not an email");
    await page.click('.invite-form button[type="submit"]');
    await page.locator(".error-summary").waitFor();
    await expectAccessible(page, "people invite refused (en)");
    await screenshot(page, "people-invite-errors-en");
    await context.close();
  }, 240_000);
});
