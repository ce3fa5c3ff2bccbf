// Two-factor sign-in in a real browser: the set-up page (QR code, text key,
// recovery codes) and the second sign-in step, axe-clean in every language
// at desktop and phone widths; screenshots in English and Arabic.
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, openDemoSite, screenshot, type DemoSite } from "./support";

let site: DemoSite;
const LANGUAGES = ["en", "ar", "zh", "fr", "de", "ru", "es"];
const WIDTHS = [1280, 360];

beforeAll(async () => {
  site = await openDemoSite("browser-two-factor");
});

afterAll(async () => {
  await site?.close();
});

describe("two-factor sign-in in a real browser", () => {
  it("sets up and signs in with a code, every page axe-clean in all languages at 1280 and 360 px", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.server.url}/staff/login?next=%2Fstaff%2Faccount%2Ftwo-factor`);
    await page.fill("#email", site.staff.email);
    await page.fill("#password", site.staff.password);
    await page.click('button[type="submit"]');
    await page.locator("h1#two-factor-title").waitFor();
    await page.click('input[name="intent"][value="start"] ~ button');
    await page.locator(".qr-code svg").waitFor();

    for (const language of LANGUAGES) {
      await context.addCookies([{ name: "lng", value: language, url: site.server.url }]);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${site.server.url}/staff/account/two-factor`);
        await page.locator(".qr-code svg").waitFor();
        expect(await page.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
        await expectAccessible(page, `two-factor set-up (${language}, ${width} px)`);
        if (language === "en" || language === "ar") await screenshot(page, `two-factor-setup-${language}-${width}`);
      }
    }

    await context.addCookies([{ name: "lng", value: "en", url: site.server.url }]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${site.server.url}/staff/account/two-factor`);
    const { totpPendingSecret } = await site.database.db.staffUser.findUniqueOrThrow({ where: { email: site.staff.email } });
    await page.fill("#confirm-code", await generate({ secret: totpPendingSecret! }));
    await page.click('input[name="intent"][value="confirm"] ~ button');
    await page.locator("#recovery-title").waitFor();
    expect(await page.locator(".recovery-codes li").count()).toBe(10);
    await expectAccessible(page, "recovery codes (en)");
    await screenshot(page, "two-factor-recovery-en");
    await context.close();

    const { totpSecret } = await site.database.db.staffUser.findUniqueOrThrow({ where: { email: site.staff.email } });
    const signIn = await site.browser.newContext();
    const step = await signIn.newPage();
    await step.goto(`${site.server.url}/staff/login`);
    await step.fill("#email", site.staff.email);
    await step.fill("#password", site.staff.password);
    await step.click('button[type="submit"]');
    await step.locator("h1#second-step-title").waitFor();
    expect(new URL(step.url()).pathname).toBe("/staff/login/two-factor");
    for (const language of LANGUAGES) {
      await signIn.addCookies([{ name: "lng", value: language, url: site.server.url }]);
      for (const width of WIDTHS) {
        await step.setViewportSize({ width, height: 900 });
        await step.goto(`${site.server.url}/staff/login/two-factor?next=%2Fstaff`);
        await step.locator("#code").waitFor();
        await expectAccessible(step, `second step (${language}, ${width} px)`);
        if (language === "en" || language === "ar") await screenshot(step, `two-factor-step-${language}-${width}`);
      }
      await step.fill("#code", "000000");
      await step.click('button[type="submit"]');
      await step.locator(".error-summary").waitFor();
      await expectAccessible(step, `second step with an error (${language})`);
      if (language === "en" || language === "ar") await screenshot(step, `two-factor-step-error-${language}`);
      // Wrong codes count towards the per-account limit; a fresh window for each language.
      await site.database.db.rateLimit.deleteMany({ where: { key: { startsWith: "2fa:" } } });
    }
    await signIn.addCookies([{ name: "lng", value: "en", url: site.server.url }]);
    await step.fill("#code", await generate({ secret: totpSecret!, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await step.click('button[type="submit"]');
    await step.locator("h1#surveys-title").waitFor();
    expect(new URL(step.url()).pathname).toBe("/staff");
    await signIn.close();
  }, 240_000);
});
