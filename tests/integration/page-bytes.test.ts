// Every page leaves the server as clean UTF-8 with no NUL byte. React 18.3's
// streaming renderer used to put 0x00 where a multi-byte character met the
// end of its 2 KB buffer (Arabic, Russian and Chinese pages); browsers hide
// that, so this reads the raw bytes off the wire instead of what a browser shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { hashPassword } from "~/platform/password.server";
import { utcAt } from "../support/dates";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase, validSectionAnswers } from "../support/surveys";

const LANGUAGES = ["ar", "zh", "en", "fr", "de", "ru", "es"] as const;
const SLUG = "governance-review";
const definition = () => loadSurveyDefinitions().definitions.find((candidate) => candidate.slug === SLUG)!;

let database: TestDatabase;
let server: TestServer;
let staffCookie = "";

beforeAll(async () => {
  database = await createTestDatabase("page-bytes");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email: "bytes@example.org",
      name: "Bytes",
      language: "en",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  const series = await database.db.forumSeries.create({
    data: {
      slug: "bytes-forum",
      texts: JSON.stringify({
        en: { title: "Open forum", description: "Ask the Governing Board." },
        ar: { title: "منتدى مفتوح", description: "اسألوا مجلس الإدارة عن مقترح الحوكمة." },
      }),
    },
  });
  await database.db.forumSession.create({
    data: {
      seriesId: series.id,
      startsAt: utcAt(12, "14:00"),
      endsAt: utcAt(12, "15:30"),
      language: "ar",
      capacity: 40,
      meetingUrl: "https://meet.example/bytes",
    },
  });
  server = await startServer(database.url, { LOG_LEVEL: "error" });
  staffCookie = cookiesFrom(await postForm(`${server.url}/staff/login`, { email: "bytes@example.org", password: "a long enough password" }));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

/** Fetches a page and returns the offsets of any NUL byte and whether the bytes decode as UTF-8. */
async function inspect(path: string, headers: Record<string, string> = {}) {
  const response = await get(`${server.url}${path}`, { headers });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const nulOffsets: number[] = [];
  bytes.forEach((byte, offset) => {
    if (byte === 0) nulOffsets.push(offset);
  });
  let text = "";
  let validUtf8 = true;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    validUtf8 = false;
  }
  return { status: response.status, size: bytes.length, nulOffsets, validUtf8, text };
}

function expectClean(page: Awaited<ReturnType<typeof inspect>>, label: string) {
  expect(page.nulOffsets, `${label}: NUL bytes at`).toEqual([]);
  expect(page.validUtf8, `${label}: valid UTF-8`).toBe(true);
}

describe.each(LANGUAGES)("pages in %s", (language) => {
  it("the whole member journey, from welcome to confirmation, carries no NUL byte", async () => {
    const { token } = await createParticipant(SLUG, { language });
    const headers = { "x-forwarded-for": `10.9.${LANGUAGES.indexOf(language)}.1` };
    const welcome = await inspect(`/s/${token}`, headers);
    expect(welcome.status).toBe(200);
    expect(welcome.text).toContain(`lang="${language}"`);
    expectClean(welcome, "welcome");
    let bytesChecked = welcome.size;

    for (const section of definition().sections) {
      const page = await inspect(`/s/${token}/section/${section.key}`, headers);
      expect(page.status, section.key).toBe(200);
      expectClean(page, `section ${section.key}`);
      bytesChecked += page.size;
      const saved = await postForm(
        `${server.url}/s/${token}/section/${section.key}`,
        { ...validSectionAnswers(definition(), section.key), intent: "next" },
        { headers },
      );
      expect(saved.status, section.key).toBe(302);
    }
    const review = await inspect(`/s/${token}/review`, headers);
    expect(review.status).toBe(200);
    expectClean(review, "review");

    const submitted = await postForm(`${server.url}/s/${token}/review`, { intent: "submit" }, { headers });
    expect(submitted.status).toBe(302);
    const confirmation = await inspect(submitted.headers.get("location")!, headers);
    expect(confirmation.status).toBe(200);
    expectClean(confirmation, "confirmation");
    // Long enough to cross many of React's 2 KB buffer ends.
    expect(bytesChecked + review.size + confirmation.size).toBeGreaterThan(40_000);
  });

  it("the invalid-link page, the forum page and a staff page carry no NUL byte", async () => {
    const cookie = `lng=${language}`;
    const invalid = await inspect("/s/this-link-is-not-valid-at-all", { cookie, "x-forwarded-for": `10.8.${LANGUAGES.indexOf(language)}.1` });
    expect(invalid.status).toBe(404);
    expectClean(invalid, "invalid link");

    const forum = await inspect("/forums/bytes-forum", { cookie: `${cookie}; tz=Asia/Riyadh` });
    expect(forum.status).toBe(200);
    expect(forum.text).toContain(`lang="${language}"`);
    expectClean(forum, "forum");

    for (const path of [`/staff/surveys/${SLUG}`, "/staff/translations"]) {
      const staff = await inspect(path, { cookie: `${staffCookie}; ${cookie}` });
      expect(staff.status, path).toBe(200);
      expectClean(staff, path);
    }
  });
});
