import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, openDemoSite, screenshot, type DemoSite } from "./support";

let site: DemoSite;

beforeAll(async () => {
  site = await openDemoSite("browser-respondent");
});

afterAll(async () => {
  await site?.close();
});

/** Answers every visible question of the page the way a person would: first choice, a short text, the lowest number. */
async function answerPage(page: Page): Promise<void> {
  const questions = page.locator(".question:not([hidden])");
  for (let index = 0; index < (await questions.count()); index++) {
    const question = questions.nth(index);
    const rows = question.locator(".matrix-row");
    if (await rows.count()) {
      for (let row = 0; row < (await rows.count()); row++) await rows.nth(row).locator(".choice label").nth(3).click();
      continue;
    }
    if (await question.locator(".choices.likert").count()) await question.locator(".choice label").nth(3).click();
    else if (await question.locator('input[type="radio"]').count()) await question.locator(".choice label").first().click();
    else if (await question.locator('input[type="checkbox"]').count()) await question.locator(".choice label").first().click();
    else if (await question.locator("textarea").count()) await question.locator("textarea").fill("تعليق تجريبي مع اسم معيار MARC 21");
    else if (await question.locator("input[inputmode]").count()) await question.locator("input[inputmode]").fill("٥");
  }
}

/** At 360 px (a small phone) nothing may scroll sideways. */
async function expectNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal scroll on ${label}`).toBeLessThanOrEqual(0);
}

async function answerWholeSurvey(page: Page, link: string, name: string): Promise<void> {
  await page.goto(link);
  expect(await page.getAttribute("html", "dir")).toBe("rtl");
  expect(await page.getAttribute("html", "lang")).toBe("ar");
  await expectAccessible(page, `${name} welcome`);
  await expectNoHorizontalScroll(page, `${name} welcome`);
  await screenshot(page, `${name}-0-welcome`);
  await page.click('button[value="start"]');
  await page.locator("h1#section-title").waitFor();

  let step = 1;
  while (await page.locator("h1#section-title").count()) {
    await expectAccessible(page, `${name} section ${step}`);
    await expectNoHorizontalScroll(page, `${name} section ${step}`);
    if (step === 1) {
      // A first "Next" with nothing answered shows the error summary, focused.
      await page.click('button[value="next"]');
      await page.locator(".error-summary").waitFor();
      await expectAccessible(page, `${name} section errors`);
      await expectNoHorizontalScroll(page, `${name} section errors`);
      await screenshot(page, `${name}-1-errors`);
    }
    await answerPage(page);
    await screenshot(page, `${name}-${step}-section`);
    const before = page.url();
    await page.click('button[value="next"]');
    await page.waitForURL((url) => url.href !== before);
    await page.locator("h1").first().waitFor();
    step++;
    if (step > 12) throw new Error("the survey never reached its review page");
  }
  await page.locator("h1#review-title").waitFor();
  await expectAccessible(page, `${name} review`);
  await expectNoHorizontalScroll(page, `${name} review`);
  await screenshot(page, `${name}-8-review`);
  await page.click('button[value="submit"]');
  await page.locator(".notice.success").waitFor();
  await expectAccessible(page, `${name} confirmation`);
  await expectNoHorizontalScroll(page, `${name} confirmation`);
  await screenshot(page, `${name}-9-done`);
}

describe("answering the governance survey in Arabic", () => {
  it("works end to end with JavaScript disabled, at phone width, right to left", async () => {
    const link = site.links.find((candidate) => candidate.slug === "governance-review" && candidate.language === "ar")!;
    const context = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await answerWholeSurvey(page, link.url, "survey-ar-nojs");
    await context.close();
  });

  it("passes axe on the welcome, section (with errors) and review pages in all seven languages", async () => {
    // A participant no other test here uses: the empty "Next" below starts a draft.
    const link = site.links.find((candidate) => candidate.slug === "governance-review" && candidate.language === "ru")!;
    const context = await site.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    for (const language of ["en", "ar", "zh", "fr", "de", "ru", "es"]) {
      await context.addCookies([{ name: "lng", value: language, url: site.server.url }]);
      await page.goto(link.url);
      expect(await page.getAttribute("html", "lang")).toBe(language);
      expect(await page.getAttribute("html", "dir")).toBe(language === "ar" ? "rtl" : "ltr");
      await expectAccessible(page, `welcome (${language})`);
      await page.click('button[value="start"]');
      await page.locator("h1#section-title").waitFor();
      const before = page.url();
      await page.click('button[value="next"]');
      await page.locator(".error-summary").waitFor();
      expect(page.url()).toBe(before);
      await expectAccessible(page, `section with errors (${language})`);
      await expectNoHorizontalScroll(page, `section with errors (${language})`);
      await page.goto(`${link.url}/review`);
      await page.locator("h1#review-title").waitFor();
      await expectAccessible(page, `review (${language})`);
      await expectNoHorizontalScroll(page, `review (${language})`);
      if (language === "zh" || language === "ru") await screenshot(page, `survey-review-${language}`);
    }
    await context.close();
  });

  it("shows the invalid-link page right to left at phone width", async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: "ar" });
    const page = await context.newPage();
    const response = await page.goto(`${site.server.url}/s/not-a-real-link-${"x".repeat(22)}`);
    expect(response?.status()).toBe(404);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await expectAccessible(page, "invalid link (ar)");
    await expectNoHorizontalScroll(page, "invalid link (ar)");
    await screenshot(page, "survey-ar-invalid-link");
    await context.close();
  });

  it("works end to end with JavaScript enabled, the participant having chosen Arabic", async () => {
    const link = site.links.find((candidate) => candidate.slug === "governance-review" && candidate.language === "en")!;
    const context = await site.browser.newContext({ viewport: { width: 360, height: 740 } });
    await context.addCookies([{ name: "lng", value: "ar", url: site.server.url }]);
    const page = await context.newPage();
    await answerWholeSurvey(page, link.url, "survey-ar-js");
    await context.close();
  });

  it("keeps typed answers when the language changes mid-page, and shows a conditional question as soon as it applies (JS)", async () => {
    const link = site.links.find((candidate) => candidate.slug === "governance-review" && candidate.language === "fr")!;
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(link.url);
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    await page.click('button[value="start"]');
    await page.locator("h1#section-title").waitFor();
    const why = page.locator("#transparency_minutes_why");
    expect(await why.isHidden()).toBe(true);
    await page.locator('label[for="transparency_minutes-strongly_disagree"]').click();
    await why.waitFor({ state: "visible" });
    await page.fill("#transparency_minutes_why-input", "Trente jours, c'est trop long.");
    await page.click('button[value="language:de"]');
    await page.locator('html[lang="de"]').waitFor({ state: "attached" });
    expect(await page.inputValue("#transparency_minutes_why-input")).toBe("Trente jours, c'est trop long.");
    expect(await page.isChecked("#transparency_minutes-strongly_disagree")).toBe(true);
    await expectAccessible(page, "section after language change");

    // Typing pauses: the text is saved as a draft in the background, and a
    // fresh tab on the same link finds it.
    const saved = page.waitForResponse((response) => response.request().method() === "POST" && (response.request().postData() ?? "").includes("vierzehn"));
    await page.fill("#transparency_minutes_why-input", "Dreißig Tage sind zu lang; vierzehn reichen.");
    expect((await saved).status()).toBe(200);
    await page.locator(".autosave-status:not(:empty)").waitFor();
    const url = page.url();
    await page.close();
    const again = await context.newPage();
    await again.goto(url);
    expect(await again.inputValue("#transparency_minutes_why-input")).toBe("Dreißig Tage sind zu lang; vierzehn reichen.");
    await context.close();
  });

  it("says how many choices are left as the member ticks (JS), and leaves the hint alone without scripts", async () => {
    const link = site.links.find((candidate) => candidate.slug === "governance-review" && candidate.language === "en")!;
    const sectionUrl = `${link.url}/section/financial_sustainability`;
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(sectionUrl);
    const left = page.locator("#finance_income_sources-left");
    const boxes = page.locator('#finance_income_sources input[type="checkbox"]');
    // Another test may have answered with this link already: start from nothing ticked.
    await expect.poll(() => left.textContent()).toMatch(/^You can choose|^You have chosen|^Please choose/);
    for (let index = 0; index < (await boxes.count()); index++) await boxes.nth(index).uncheck();
    expect(await left.textContent()).toBe("You can choose 3 more.");
    await boxes.nth(0).check();
    expect(await left.textContent()).toBe("You can choose 2 more.");
    await boxes.nth(1).check();
    await boxes.nth(2).check();
    expect(await left.textContent()).toBe("You have chosen as many as allowed. Untick one to choose another.");
    await boxes.nth(3).check();
    expect(await left.textContent()).toBe("Please choose no more than 3 options.");
    expect(await left.getAttribute("class")).toContain("over");
    await boxes.nth(3).uncheck();
    expect(await left.textContent()).toBe("You have chosen as many as allowed. Untick one to choose another.");
    await context.close();

    const noScript = await site.browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(sectionUrl);
    expect(await plain.locator("#finance_income_sources-left").textContent()).toBe("");
    expect(await plain.locator("#finance_income_sources-hint").textContent()).toContain("Choose up to 3 options.");
    await noScript.close();
  });
});
