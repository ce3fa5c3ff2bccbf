import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findLatestVersion, saveVersionOnto } from "~/models/survey-version.server";
import { expectAccessible, openDemoSite, screenshot, screenshotDir, type DemoSite, signInAsStaff } from "./support";

const SLUG = "governance-review";
let site: DemoSite;

beforeAll(async () => {
  site = await openDemoSite("browser-survey-translations");
  process.env.DATABASE_URL = site.database.url;
  // An English change, as the structure editor saves one, so the page shows an outdated text.
  const survey = await site.database.db.survey.findUniqueOrThrow({ where: { slug: SLUG } });
  const staff = await site.database.db.staffUser.findFirstOrThrow();
  const latest = (await findLatestVersion(survey.id))!;
  const trees = JSON.parse(latest.texts) as { en: { questions: Record<string, { label: string }> } };
  trees.en.questions.transparency_minutes!.label = "The Governing Board should publish the minutes of its meetings within 14 days.";
  const saved = await saveVersionOnto(
    survey.id,
    latest.number,
    { definition: latest.definition, texts: JSON.stringify(trees) },
    {
      publish: true,
      createdById: staff.id,
      note: "test",
    },
  );
  expect(saved.ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await site?.close();
});

describe("the side-by-side editor of survey texts in a real browser", () => {
  it("edits Arabic right to left beside English, axe-clean at 1280 and 360 px, saving with the keyboard", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInAsStaff(page, site);
    await context.addCookies([{ name: "lng", value: "ar", url: site.server.url }]);
    const address = `${site.server.url}/staff/translations/surveys/${SLUG}/ar?page=transparency`;
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(address);
      expect(await page.getAttribute("html", "dir")).toBe("rtl");
      const field = page.locator("#text-questions-transparency_minutes-label");
      expect(await field.getAttribute("dir")).toBe("rtl");
      expect(await field.getAttribute("lang")).toBe("ar");
      expect(await page.locator("#text-questions-transparency_minutes-label-source").getAttribute("dir")).toBe("ltr");
      expect(await page.locator(".text-pair.outdated").count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `page width (${width})`).toBeLessThanOrEqual(width);
      await expectAccessible(page, `survey texts editor (ar, ${width})`);
      await screenshot(page, `survey-texts-ar-${width}`);
      // The outdated text as it first meets the eye, beside the whole page.
      await page.locator(".text-pair.outdated").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${screenshotDir}survey-texts-ar-${width}-outdated.png` });
    }
    // Keyboard only: focus the outdated text, retype it, tab to the confirmation and on to the save button.
    await page.focus("#text-questions-transparency_minutes-label");
    await page.keyboard.press("Control+A");
    // Checked as it is typed: markup is flagged before saving.
    await page.keyboard.type("<b>نص</b>");
    await page.locator("#text-questions-transparency_minutes-label-live li").waitFor();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("ينبغي لمجلس الإدارة نشر محاضر اجتماعاته في غضون 14 يومًا.");
    await page.focus(".survey-texts-form button[type='submit']");
    await page.keyboard.press("Enter");
    await page.locator('.notice[role="status"]').waitFor();
    expect(await page.locator(".text-pair.outdated").count()).toBe(0);
    await expectAccessible(page, "survey texts editor saved (ar)");
    await context.close();
  }, 240_000);
});
