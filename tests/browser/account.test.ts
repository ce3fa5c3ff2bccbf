import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, openDemoSite, screenshot, type DemoSite } from "./support";

let site: DemoSite;

beforeAll(async () => {
  site = await openDemoSite("browser-account");
});

afterAll(async () => {
  await site?.close();
});

describe("the staff account page in a real browser", () => {
  it("is axe-clean in every language at 1280 and 360 px, with and without form errors", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/login?next=%2Fstaff%2Faccount`);
    await page.fill("#email", site.staff.email);
    await page.fill("#password", site.staff.password);
    await page.click('button[type="submit"]');
    await page.locator("h1#account-title").waitFor();
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      for (const language of ["en", "ar", "zh", "fr", "de", "ru", "es"]) {
        await context.addCookies([{ name: "lng", value: language, url: site.server.url }]);
        await page.goto(`${site.server.url}/staff/account`);
        await page.locator("h1#account-title").waitFor();
        expect(await page.getAttribute("html", "lang")).toBe(language);
        expect(await page.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
        expect(await page.locator("[data-session]").count()).toBeGreaterThanOrEqual(1);
        await expectAccessible(page, `account (${language}, ${width}px)`);
        if (language === "en" || language === "ar") await screenshot(page, `account-${language}-${width}`);
      }
    }
    // A refused change: the summary and the field errors are accessible too.
    await page.setViewportSize({ width: 1280, height: 900 });
    await context.addCookies([{ name: "lng", value: "en", url: site.server.url }]);
    await page.goto(`${site.server.url}/staff/account`);
    await page.fill("#current", "not the password");
    await page.fill("#password", "short");
    await page.fill("#confirm", "short");
    await page.locator('form:has(input[name="intent"][value="password"]) button[type="submit"]').click();
    await page.locator(".error-summary").waitFor();
    await expectAccessible(page, "account with a password error");
    await screenshot(page, "account-en-error");
    await context.close();
  });

  it("shows the password reset pages without axe violations", async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    for (const language of ["en", "ar"]) {
      await context.addCookies([{ name: "lng", value: language, url: site.server.url }]);
      await page.goto(`${site.server.url}/staff/login`);
      await page.locator('a[href="/staff/reset"]').click();
      await page.locator("h1#reset-title").waitFor();
      await expectAccessible(page, `reset request (${language})`);
      await page.fill("#email", `nobody-${language}@example.org`);
      await page.click('button[type="submit"]');
      await page.locator(".notice").waitFor();
      await expectAccessible(page, `reset sent (${language})`);
      await screenshot(page, `reset-sent-${language}`);
      const response = await page.goto(`${site.server.url}/staff/reset/AAAAAAAAAAAAAAAAAAAAAA`);
      expect(response?.status()).toBe(404);
      await expectAccessible(page, `reset link unknown (${language})`);
    }
    await context.close();
  });
});
