import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, openDemoSite, screenshot, screenshotDir, signInAsStaff, type DemoSite } from "./support";

let site: DemoSite;
const SLUG = "governance-review";

beforeAll(async () => {
  site = await openDemoSite("browser-review-links");
});

afterAll(async () => {
  await site?.close();
});

describe("review links and the survey's schedule in a real browser", () => {
  it("makes a review link that a reviewer without an account steps through, in English and in Arabic at 360 px, axe-clean", async () => {
    const staffContext = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const staff = await staffContext.newPage();
    await signInAsStaff(staff, site);

    // The overview's schedule panel (open, close, deadline) beside the rest of the page.
    await staff.goto(`${site.server.url}/staff/surveys/${SLUG}`);
    await expectAccessible(staff, "survey overview with its schedule");
    await screenshot(staff, "survey-overview-schedule-en-1280");
    await staffContext.addCookies([{ name: "lng", value: "ar", url: site.server.url }]);
    await staff.setViewportSize({ width: 360, height: 900 });
    await staff.reload();
    expect(await staff.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await staff.locator(".lifecycle-panel").screenshot({ path: `${screenshotDir}survey-schedule-ar-360.png` });
    await staffContext.addCookies([{ name: "lng", value: "en", url: site.server.url }]);
    await staff.setViewportSize({ width: 1280, height: 900 });

    await staff.goto(`${site.server.url}/staff/surveys/${SLUG}/review-links`);
    await staff.fill("#label", "Governing Board, for sign-off");
    await staff.locator('form:has(input[name="intent"][value="create"]) button[type="submit"]').click();
    const shown = staff.locator("#new-link");
    await shown.waitFor();
    const link = await shown.inputValue();
    expect(link).toMatch(/\/review\/[A-Za-z0-9_-]+$/);
    await expectAccessible(staff, "review links page after making one");
    await screenshot(staff, "review-links-en-1280");
    await staffContext.close();

    // The reviewer has no session: a fresh context, no cookies.
    for (const [language, width] of [
      ["en", 1280],
      ["ar", 360],
    ] as const) {
      const context = await site.browser.newContext({ viewport: { width, height: 900 } });
      const reviewer = await context.newPage();
      const response = await reviewer.goto(`${link}?lang=${language}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["x-robots-tag"]).toContain("noindex");
      expect(await reviewer.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
      await expectAccessible(reviewer, `review link (${language}, ${width}px)`);
      const overflow = await reviewer.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `horizontal scroll at ${width}px (${language})`).toBeLessThanOrEqual(0);
      await screenshot(reviewer, `review-link-${language}-${width}`);

      // One step on: the first section is left unanswered where it may be, so the page either moves on or lists what is missing.
      const heading = await reviewer.locator("#section-title").textContent();
      await reviewer.locator('button[name="intent"][value="next"]').click();
      await reviewer.waitForLoadState("load");
      const moved = (await reviewer.locator("#section-title").textContent()) !== heading;
      const refused = (await reviewer.locator(".error-summary").count()) > 0;
      expect(moved || refused).toBe(true);
      await expectAccessible(reviewer, `review link after a step (${language}, ${width}px)`);
      await context.close();
    }
  });
});
