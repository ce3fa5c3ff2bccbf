import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { solidPng } from "../support/images";
import { expectAccessible, openDemoSite, screenshot, type DemoSite, signInAsStaff } from "./support";

let site: DemoSite;

beforeAll(async () => {
  site = await openDemoSite("browser-shell");
});

afterAll(async () => {
  await site?.close();
});

describe("site shell in a real browser", () => {
  it("shows the home page in every language, Arabic right-to-left, with no axe violations", async () => {
    const context = await site.browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    for (const language of ["en", "ar", "zh", "fr", "de", "ru", "es"]) {
      await context.addCookies([{ name: "lng", value: language, url: site.server.url }]);
      await page.goto(`${site.server.url}/`);
      expect(await page.getAttribute("html", "lang")).toBe(language);
      expect(await page.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
      await expectAccessible(page, `home (${language})`);
      if (language === "en" || language === "ar") await screenshot(page, `home-${language}`);
    }
    await context.close();
  });

  it("switches language from the switcher without JavaScript", async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/login`);
    await page.locator(".language-switcher summary").click();
    await page.locator('.language-switcher a[lang="ar"]').click();
    await page.locator('html[dir="rtl"]').waitFor({ state: "attached" });
    expect(new URL(page.url()).pathname).toBe("/staff/login");
    await expectAccessible(page, "staff login (ar, no JS)");
    await screenshot(page, "staff-login-ar-nojs");
    await context.close();
  });

  it("signs staff in with the demo credentials, with and without JavaScript", async () => {
    for (const javaScriptEnabled of [false, true]) {
      const context = await site.browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${site.server.url}/staff`);
      await page.locator("#email").waitFor();
      await page.fill("#email", site.staff.email);
      await page.fill("#password", "not the password");
      await page.click('button[type="submit"]');
      await page.locator(".error-summary").waitFor();
      await expectAccessible(page, "staff login with an error");
      await page.fill("#password", site.staff.password);
      await page.click('button[type="submit"]');
      await page.locator("h1#surveys-title").waitFor();
      expect(new URL(page.url()).pathname).toBe("/staff");
      expect(await page.locator("tbody tr").count()).toBe(3);
      await expectAccessible(page, "staff surveys");
      await screenshot(page, `staff-surveys-${javaScriptEnabled ? "js" : "nojs"}`);
      await page.goto(`${site.server.url}/staff/outbox`);
      await page.locator("h1#outbox-title").waitFor();
      await expectAccessible(page, "staff outbox");
      await context.close();
    }
  });

  it("draws every text, date, URL and list control on the staff pages styled, at least 40 px tall", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInAsStaff(page, site);
    await page.goto(`${site.server.url}/staff/forums/governance-forums`);
    const sessionPath = await page.locator('a[href*="/sessions/"]').first().getAttribute("href");
    const survey = "/staff/surveys/governance-review";
    const paths = [
      "/staff",
      "/staff/forums",
      "/staff/forums/governance-forums",
      sessionPath!,
      `${survey}/participants`,
      `${survey}/import`,
      `${survey}/mailings`,
    ];
    paths.push(`${survey}/links`, `${survey}/results`, `${survey}/comments`, "/staff/people", "/staff/account", "/staff/settings", "/staff/translations");
    const small: string[] = [];
    for (const path of paths) {
      await page.goto(`${site.server.url}${path}`);
      const controls = page.locator('input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="file"]), select, textarea');
      for (let index = 0; index < (await controls.count()); index++) {
        const control = controls.nth(index);
        if (!(await control.isVisible())) continue;
        const box = await control.boundingBox();
        if (box && box.height < 40)
          small.push(`${path} ${(await control.getAttribute("name")) ?? (await control.getAttribute("id"))}: ${Math.round(box.height)} px`);
      }
    }
    expect(small).toEqual([]);

    // A file dropped anywhere on a drop zone goes into its file field.
    await page.goto(`${site.server.url}${survey}/import`);
    const dataTransfer = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(["name,email\nAda,ada@example.org\n"], "members.csv", { type: "text/csv" }));
      return transfer;
    });
    await page.dispatchEvent(".drop-zone", "drop", { dataTransfer });
    expect(await page.locator(".drop-chosen").textContent()).toBe("members.csv");
    expect(await page.locator("#file").evaluate((input: HTMLInputElement) => input.files?.length)).toBe(1);
    await context.close();
  });

  it("shows a 404 page in the visitor's language", async () => {
    const context = await site.browser.newContext({ locale: "fr-FR" });
    const page = await context.newPage();
    const response = await page.goto(`${site.server.url}/nowhere`);
    expect(response?.status()).toBe(404);
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    await expectAccessible(page, "404 (fr)");
    await context.close();
  });

  it("takes the organisation's name, logo and colour without JavaScript, refuses a low-contrast colour, and shows them on member and staff pages", async () => {
    const staff = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await staff.newPage();
    await page.goto(`${site.server.url}/staff/login?next=%2Fstaff%2Fsettings`);
    await page.fill("#email", site.staff.email);
    await page.fill("#password", site.staff.password);
    await page.click('button[type="submit"]');
    await page.locator("h1#settings-title").waitFor();
    await page.fill("#name", "Guild of Translators");
    await page.fill("#accent", "#ffff00");
    await page.click('button:has-text("Save name and colour")');
    await page.locator(".error-summary").waitFor();
    expect(await page.locator("#accent-error").textContent()).toContain("1.01:1");
    await expectAccessible(page, "settings with a contrast error");
    await page.fill("#name", "Guild of Translators");
    await page.fill("#accent", "#6b21a8");
    await page.click('button:has-text("Save name and colour")');
    await page.locator(".notice.success").waitFor();
    await page.setInputFiles("#logo", { name: "logo.png", mimeType: "image/png", buffer: solidPng(96, 96, [107, 33, 168]) });
    await page.click('button:has-text("Upload logo")');
    await page.locator(".logo-preview img").waitFor();
    await expectAccessible(page, "settings with a logo");
    await screenshot(page, "settings-branding-en-1280");
    await staff.addCookies([{ name: "lng", value: "ar", url: site.server.url }]);
    await page.goto(`${site.server.url}/staff/settings`);
    await page.setViewportSize({ width: 360, height: 800 });
    await expectAccessible(page, "settings (ar)");
    await screenshot(page, "settings-branding-ar-360");
    await staff.close();

    for (const [language, width] of [
      ["en", 360],
      ["ar", 1280],
    ] as const) {
      const visitor = await site.browser.newContext({ viewport: { width, height: 800 } });
      await visitor.addCookies([{ name: "lng", value: language, url: site.server.url }]);
      const home = await visitor.newPage();
      await home.goto(`${site.server.url}/`);
      expect(await home.locator(".brand").textContent()).toBe("Guild of Translators");
      expect(await home.locator(".brand-logo").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
      const accent = await home.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--accent").trim());
      expect(accent).toBe("#6b21a8");
      await expectAccessible(home, `home with branding (${language})`);
      await screenshot(home, `home-branding-${language}-${width}`);
      await visitor.close();
    }
  });
});
