import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, openDemoSite, screenshot, type DemoSite } from "./support";

let site: DemoSite;

beforeAll(async () => {
  site = await openDemoSite("browser-forums");
});

afterAll(async () => {
  await site?.close();
});

describe("open forums in a real browser", () => {
  it("signs up without JavaScript, in Arabic, right to left, with times in the chosen zone", async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    await context.addCookies([{ name: "lng", value: "ar", url: site.server.url }]);
    const page = await context.newPage();
    await page.goto(`${site.server.url}/forums/governance-forums`);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    // The zone search needs the page's script: without it, it is not shown.
    expect(await page.locator("#tz-search").isVisible()).toBe(false);
    await page.selectOption("#tz", "Pacific/Auckland");
    await page.click(".zone-picker button");
    await page.waitForURL((url) => !url.search.includes("tz="));
    expect(await page.locator("#tz").inputValue()).toBe("Pacific/Auckland");
    await expectAccessible(page, "forum page (ar, no JS)");
    await page.locator(".forum-session a.button").first().click();
    await page.locator("#sign-up").waitFor();
    await page.fill("#name", "ليلى حسن");
    await page.fill("#email", "not an email");
    await page.click('#sign-up button[type="submit"]');
    await page.locator(".error-summary").waitFor();
    await expectAccessible(page, "forum sign-up with errors (ar, no JS)");
    await page.fill("#email", "layla@example.org");
    await page.click('#sign-up button[type="submit"]');
    await page.locator('.notice[role="status"]').waitFor();
    await screenshot(page, "forum-signed-up-ar-nojs");
    await context.close();
  });

  it("shows the public page in English with the visitor's own zone detected by script", async () => {
    const context = await site.browser.newContext({ timezoneId: "America/Mexico_City", locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${site.server.url}/forums/governance-forums`);
    await page.waitForFunction(() => (document.querySelector("#tz") as HTMLSelectElement | null)?.value === "America/Mexico_City");
    expect(await page.locator("#tz-search").isVisible()).toBe(true);
    await expectAccessible(page, "forum page (en)");
    await screenshot(page, "forum-en");
    // The search box narrows the list and selects the first match; "Show times" then applies it.
    await page.fill("#tz-search", "riyadh");
    expect(await page.locator("#tz").inputValue()).toBe("Asia/Riyadh");
    expect(await page.locator("#tz-matches").textContent()).toBe("1 zone matches.");
    await page.fill("#tz-search", "+05:30");
    expect(await page.locator("#tz-matches").textContent()).toBe("2 zones match.");
    await page.fill("#tz-search", "Kolkata");
    expect(await page.locator("#tz").inputValue()).toBe("Asia/Calcutta");
    await page.click(".zone-picker button");
    await expect.poll(() => page.locator(".forum-time time").first().textContent()).toContain("India Standard Time");
    expect(await page.locator("#tz").inputValue()).toBe("Asia/Calcutta");
    // Sent as HTML with its own small script: no React, no page data for hydration.
    expect(await page.evaluate(() => "__remixContext" in window)).toBe(false);
    await context.close();
  });

  it("counts the matching zones in Arabic's plural forms", async () => {
    const context = await site.browser.newContext({ timezoneId: "Asia/Riyadh", locale: "ar" });
    await context.addCookies([{ name: "lng", value: "ar", url: site.server.url }]);
    const page = await context.newPage();
    await page.goto(`${site.server.url}/forums/governance-forums`);
    await page.waitForFunction(() => (document.querySelector("#tz") as HTMLSelectElement | null)?.value === "Asia/Riyadh");
    await page.fill("#tz-search", "+05:30");
    expect(await page.locator("#tz-matches").textContent()).toBe("توجد منطقتان زمنيتان مطابقتان.");
    await page.fill("#tz-search", "الرياض");
    expect(await page.locator("#tz-matches").textContent()).toBe("توجد منطقة زمنية واحدة مطابقة.");
    expect(await page.locator("#tz").inputValue()).toBe("Asia/Riyadh");
    // No match: the chosen zone stays, alone in the list.
    await page.fill("#tz-search", "zzzz");
    expect(await page.locator("#tz-matches").textContent()).toBe("لا توجد منطقة زمنية مطابقة.");
    expect(await page.locator("#tz option").count()).toBe(1);
    await page.fill("#tz-search", "");
    expect(await page.locator("#tz-matches").textContent()).toBe("");
    expect(await page.locator("#tz option").count()).toBeGreaterThan(300);
    await screenshot(page, "forum-ar-search");
    await context.close();
  });
});
