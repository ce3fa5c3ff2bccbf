import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, openDemoSite, screenshot, type DemoSite } from "./support";

let site: DemoSite;
const SLUG = "strategic-plan-2025";

beforeAll(async () => {
  site = await openDemoSite("browser-editor");
});

afterAll(async () => {
  await site?.close();
});

describe("the survey editor in a real browser", () => {
  it("adds a question with the keyboard only, and is axe-clean in English and Arabic at 1280 and 360 px", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/login?next=%2Fstaff%2Fsurveys%2F${SLUG}%2Fedit`);
    await page.fill("#email", site.staff.email);
    await page.fill("#password", site.staff.password);
    await page.click('button[type="submit"]');
    await page.locator("h2#editor-title").waitFor();

    // Keyboard only: open the first section's "Add a question", fill it in and submit with Enter.
    const summary = page.locator(".editor-section > details > summary").first();
    await summary.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Would you recommend the plan to a colleague?");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.locator(".notice[role=status]").waitFor();
    expect(await page.locator(".notice[role=status]").textContent()).toContain("Saved as draft version");
    expect(await page.content()).toContain("Would you recommend the plan to a colleague?");

    // With a mouse: the question just added (the first section's last) dragged onto the section's first place.
    const firstSection = page.locator(".editor-section").first();
    const labels = () => firstSection.locator(".editor-questions > li > details > summary bdi:first-child").allTextContents();
    const before = await labels();
    expect(before.at(-1)).toBe("Would you recommend the plan to a colleague?");
    await firstSection.locator(".editor-questions > li > .drag-handle").last().dragTo(firstSection.locator(".editor-questions > li").first());
    await page.waitForURL(/saved=/);
    await expect.poll(labels).toEqual([before.at(-1), ...before.slice(0, -1)]);

    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      for (const language of ["en", "ar"]) {
        await context.addCookies([{ name: "lng", value: language, url: site.server.url }]);
        await page.goto(`${site.server.url}/staff/surveys/${SLUG}/edit`);
        await page.locator("h2#editor-title").waitFor();
        expect(await page.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
        // Open one question's settings so the screenshot and axe see the fields too.
        await page.locator(".editor-questions details > summary").first().click();
        await expectAccessible(page, `editor (${language}, ${width}px)`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `horizontal scroll at ${width}px (${language})`).toBeLessThanOrEqual(0);
        await screenshot(page, `editor-${language}-${width}`);
      }
    }
    await context.addCookies([{ name: "lng", value: "en", url: site.server.url }]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${site.server.url}/staff/surveys/new`);
    await expectAccessible(page, "new survey");
    await screenshot(page, "editor-new-survey-en-1280");
    await context.close();
  });
});
