import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppressCells } from "~/domain/anonymity";
import type { ResultsFilter } from "~/domain/results-filter";
import { LIKERT_SCALE } from "~/domain/survey-definition";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { loadSurveyStructure } from "~/models/survey-structure.server";
import { surveyResults } from "~/features/results/counts.server";
import { hashPassword } from "~/platform/password.server";
import { db } from "~/platform/db.server";
import { syntheticResponses, type SyntheticResponse } from "../../prisma/synthetic";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { insertSyntheticResponses } from "../support/responses";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

// A generated data set whose counts are known: the same generator's output is
// tallied here in plain JavaScript and compared with what the database counts.
let database: TestDatabase;
let server: TestServer;
let cookie = "";
const SLUG = "governance-review";
const ANONYMOUS = "strategic-plan-2025";
const THRESHOLD = 5;
let generated: SyntheticResponse[] = [];

beforeAll(async () => {
  database = await createTestDatabase("results");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG, ANONYMOUS] });
  const { definitions } = loadSurveyDefinitions();
  for (const [slug, count, seed, mode] of [
    [SLUG, 400, 7, "confidential"],
    [ANONYMOUS, 120, 11, "anonymous"],
  ] as const) {
    const survey = await db().survey.findUniqueOrThrow({ where: { slug } });
    const structure = await loadSurveyStructure(survey.id, survey.definitionHash);
    const responses = [
      ...syntheticResponses(
        definitions.find((definition) => definition.slug === slug)!,
        count,
        { seed, draftShare: 0.1 },
      ),
    ];
    if (slug === SLUG) {
      // Texts a spreadsheet would run as formulas, and one to search for.
      responses[0]!.answers.push({ question: "transparency_comments", text: '=HYPERLINK("http://evil.example")' });
      responses[1]!.answers.push({ question: "transparency_comments", text: "+SUM(1,2) Réseau élargi" });
      // The same words in another free-text question: a search without a question finds both.
      responses[2]!.answers = responses[2]!.answers.filter((answer) => answer.question !== "finance_comments");
      responses[2]!.answers.push({ question: "finance_comments", text: "Un réseau élargi coûte cher" });
      responses[0]!.status = responses[1]!.status = responses[2]!.status = "submitted";
      // In Africa everyone gives the same number of years except two who skip it: one range holding all who answered.
      let skipped = 0;
      for (const response of responses.filter((candidate) => candidate.region === "Africa" && candidate.status === "submitted")) {
        response.answers = response.answers.filter((answer) => answer.question !== "participation_years");
        if (skipped < 2) skipped++;
        else response.answers.push({ question: "participation_years", number: 12 });
      }
      // A question only three people answered, all alike: its one "< 5" cell is protected by hiding "no answer"
      // (hundreds of people), so its chart has nothing left to draw.
      let kept = 0;
      for (const response of responses) {
        response.answers = response.answers.filter((answer) => answer.question !== "volunteers_hours");
        if (response.status === "submitted" && kept < 3) {
          response.answers.push({ question: "volunteers_hours", option: "from_2_to_5_hours" });
          kept++;
        }
      }
      generated = responses;
    }
    await insertSyntheticResponses(database.url, structure, responses, { mode });
  }
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "administrator" } },
      email: "analyst@example.org",
      name: "Analyst",
      language: "en",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  server = await startServer(database.url, { LOG_LEVEL: "error" });
  cookie = cookiesFrom(await postForm(`${server.url}/staff/login`, { email: "analyst@example.org", password: "a long enough password" }));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function resultsFor(slug: string, filter: Partial<ResultsFilter> = {}) {
  const survey = await db().survey.findUniqueOrThrow({ where: { slug } });
  return surveyResults(survey, { segments: {}, includeDrafts: false, ...filter });
}

/** Expected counts: the generated responses, filtered and tallied in memory. */
function tally(responses: SyntheticResponse[], question: string, keys: readonly string[]) {
  const counts = keys.map(
    (key) => responses.filter((response) => response.answers.some((answer) => answer.question === question && answer.option === key)).length,
  );
  const answered = responses.filter((response) => response.answers.some((answer) => answer.question === question)).length;
  return suppressCells([...counts, responses.length - answered], THRESHOLD);
}

const submitted = () => generated.filter((response) => response.status === "submitted");

describe("aggregation", () => {
  it("counts every option of every agreement and choice question as the data holds them", async () => {
    const results = await resultsFor(SLUG);
    expect(results.disclosure).toBe("shown");
    expect(results.size).toBe(submitted().length);
    let checked = 0;
    for (const question of results.questions.filter((candidate) => candidate.type === "likert" || candidate.type === "single")) {
      const keys = question.options.map((option) => option.key);
      expect([...question.options.map((option) => option.count), question.noAnswer], question.key).toEqual(tally(submitted(), question.key, keys));
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });

  it("counts matrix rows and multiple choice per option", async () => {
    const results = await resultsFor(SLUG);
    const matrix = results.questions.find((question) => question.type === "matrix")!;
    for (const row of matrix.rows) {
      const counts = LIKERT_SCALE.map(
        (point) =>
          submitted().filter((response) =>
            response.answers.some((answer) => answer.question === matrix.key && answer.row === row.key && answer.option === point.key),
          ).length,
      );
      const answered = counts.reduce((sum, count) => sum + count, 0);
      expect([...row.options.map((option) => option.count), row.noAnswer]).toEqual(suppressCells([...counts, submitted().length - answered], THRESHOLD));
    }
    const multiple = results.questions.find((question) => question.type === "multiple")!;
    const answered = submitted().filter((response) => response.answers.some((answer) => answer.question === multiple.key)).length;
    expect(multiple.answered).toBe(answered);
    for (const option of multiple.options) {
      const picked = submitted().filter((response) =>
        response.answers.some((answer) => answer.question === multiple.key && answer.option === option.key),
      ).length;
      expect(option.count, option.key).toBe(suppressCells([picked, answered - picked], THRESHOLD)[0]);
    }
  });

  it("summarises number questions", async () => {
    const results = await resultsFor(SLUG);
    const numberQuestion = results.questions.find((question) => question.type === "number")!;
    const values = submitted()
      .flatMap((response) => response.answers.filter((answer) => answer.question === numberQuestion.key).map((answer) => answer.number!))
      .sort((a, b) => a - b);
    const middle = (values.length - 1) / 2;
    expect(numberQuestion.answered).toBe(values.length);
    expect(numberQuestion.number?.mean).toBeCloseTo(values.reduce((sum, value) => sum + value, 0) / values.length, 6);
    expect(numberQuestion.number?.median).toBe((values[Math.floor(middle)]! + values[Math.ceil(middle)]!) / 2);
    const bucketTotal = numberQuestion.number!.buckets.reduce((sum, bucket) => sum + (typeof bucket.count === "number" ? bucket.count : 0), 0);
    expect(bucketTotal).toBeLessThanOrEqual(values.length);
    // Ranges never add up to a withheld "answered", and so to a withheld "no answer": in Africa, where all but two
    // answered alike, the one range is hidden with them.
    const africa = (await resultsFor(SLUG, { segments: { region: "Africa" } })).questions.find((question) => question.key === numberQuestion.key)!;
    expect([africa.answered, africa.noAnswer, africa.number?.buckets.map((bucket) => bucket.count)]).toEqual(["hidden", "few", ["hidden"]]);
  });

  it("combines segment, answer and draft filters", async () => {
    const question = "transparency_minutes";
    const agree = ["agree", "strongly_agree"];
    const filter: Partial<ResultsFilter> = { segments: { region: "Europe" }, answer: { question, options: agree }, includeDrafts: true };
    const expected = generated.filter(
      (response) => response.region === "Europe" && response.answers.some((answer) => answer.question === question && agree.includes(answer.option ?? "")),
    );
    const results = await resultsFor(SLUG, filter);
    expect(results.size).toBe(expected.length);
    if (results.disclosure === "shown") {
      const other = results.questions.find((candidate) => candidate.key === "transparency_annual_report")!;
      expect([...other.options.map((option) => option.count), other.noAnswer]).toEqual(
        tally(
          expected,
          other.key,
          other.options.map((option) => option.key),
        ),
      );
    }
  });

  it("refuses a view that differs from a broader one by fewer than the threshold", async () => {
    // Find a region and an answer held by 1–4 people there: everyone else in that region is a view 1–4 smaller than the region.
    const question = "transparency_minutes";
    const keys = LIKERT_SCALE.map((point) => point.key);
    let found: { region: string; others: string[] } | undefined;
    for (const region of new Set(submitted().map((response) => response.region))) {
      const inRegion = submitted().filter((response) => response.region === region);
      for (const key of keys) {
        const holders = inRegion.filter((response) => response.answers.some((answer) => answer.question === question && answer.option === key)).length;
        if (holders > 0 && holders < THRESHOLD && inRegion.length - holders >= THRESHOLD) found = { region, others: keys.filter((other) => other !== key) };
      }
    }
    expect(found, "the generated data should hold a small answer group").toBeDefined();
    const results = await resultsFor(SLUG, { segments: { region: found!.region }, answer: { question, options: found!.others } });
    expect(results.disclosure).toBe("differencing");
    expect(results.questions).toEqual([]);
    expect((await resultsFor(SLUG, { segments: { region: "Nowhere" } })).disclosure).toBe("tooFew");
  });

  it("counts the same after a new submission, not from a stale cache", async () => {
    const before = await resultsFor(SLUG);
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: SLUG } });
    const draft = await db().response.findFirstOrThrow({ where: { surveyId: survey.id, status: "draft" } });
    await db().response.update({ where: { id: draft.id }, data: { status: "submitted", submittedAt: new Date() } });
    const after = await resultsFor(SLUG);
    expect(after.size).toBe(before.size + 1);
    await db().response.update({ where: { id: draft.id }, data: { status: "draft", submittedAt: null } });
  });
});

describe("results pages", () => {
  const page = async (path: string) => {
    const response = await get(`${server.url}/staff/surveys/${path}`, { headers: { cookie } });
    return { status: response.status, html: await response.text() };
  };

  it("renders every question with a data table, without scripts", async () => {
    const { status, html } = await page(`${SLUG}/results`);
    expect(status).toBe(200);
    expect(html).toContain("Interim results:");
    expect(html.match(/<table/g)?.length).toBeGreaterThan(20);
    expect(html).toContain("The Governing Board should publish the minutes of its meetings within 30 days.");
  });

  it('labels a count hidden to protect a small one "hidden", explains both in the caption, and draws no chart when all is withheld', async () => {
    const { html } = await page(`${SLUG}/results`);
    const article = (key: string) => {
      const start = html.indexOf(`<article class="question-result" aria-labelledby="q-${key}"`);
      return html.slice(start, html.indexOf("</article>", start));
    };
    const hours = article("volunteers_hours");
    // The three answers are "< 5"; "no answer" (over 300 people) is "hidden", not "< 5", and links to its explanation.
    expect(hours).toMatch(/<td class="numeric">&lt; 5<\/td>/);
    expect(hours).toMatch(
      /<tr class="no-answer"><th scope="row">No answer<\/th><td class="numeric"><a href="#q-volunteers_hours-hidden" class="withheld" title="[^"]+" aria-describedby="q-volunteers_hours-hidden">hidden<\/a><\/td>/,
    );
    expect(hours).toMatch(/<caption>.*<span id="q-volunteers_hours-few" class="withheld-note">“&lt; 5”: fewer than 5 people/);
    expect(hours).toMatch(/<span id="q-volunteers_hours-hidden" class="withheld-note">“hidden”: not a small number/);
    expect(hours).toMatch(/Answered(<!-- -->)?: (<!-- -->)?<a href="#q-volunteers_hours-hidden"/);
    // Nothing left to chart: a sentence, rendered by the server, instead of empty bars.
    expect(hours).toContain('<p class="hint chart-withheld">No chart: every figure of this question is withheld');
    // A question with every count shown has neither notes nor the sentence.
    const minutes = article("transparency_minutes");
    expect(minutes).not.toContain("withheld");
    expect(minutes).toContain('<caption><span class="visually-hidden">');
  });

  it("explains ignored filters instead of failing", async () => {
    for (const query of [
      "q=not_a_question&a=agree",
      "q=vision_agree&a=agree",
      "region=a&region=b",
      "page=-1&drafts=%FF",
      "q=transparency_minutes&a=%3Cscript%3E",
    ]) {
      const { status, html } = await page(`${SLUG}/results?${query}`);
      expect(status, query).toBe(200);
      expect(html, query).toContain("Some filters in the address were ignored");
      expect(html).not.toContain("<script>");
    }
    expect((await page(`${SLUG}/results?region=Nowhere`)).html).toContain("Fewer than 5 people match these filters");
    expect((await page(`no-such-survey/results`)).status).toBe(404);
  });

  it("refuses pages and exports to visitors who are not signed in", async () => {
    expect((await get(`${server.url}/staff/surveys/${SLUG}/results`)).status).toBe(302);
    expect((await postForm(`${server.url}/staff/surveys/${SLUG}/export`, { format: "csv" })).status).toBeGreaterThanOrEqual(300);
  });

  it("lists, searches and tags comments", async () => {
    const base = `${SLUG}/comments?question=transparency_comments`;
    const all = await page(base);
    expect(all.status).toBe(200);
    const found = await page(`${base}&search=${encodeURIComponent("RESEAU Elargi")}`);
    expect(found.html).toContain("1 comment");
    expect(found.html).toContain("+SUM(1,2) Réseau élargi");
    const answerId = /name="answerId" value="([0-9a-f-]{36})"/.exec(found.html)![1]!;

    const tag = (intent: string, value: string) =>
      postForm(`${server.url}/staff/surveys/${base.split("?")[0]}`, { intent, answerId, tag: value, back: `/staff/surveys/${base}` }, { headers: { cookie } });
    expect((await tag("add", "quote")).status).toBe(303);
    const tagged = await page(`${base}&tag=quote`);
    expect(tagged.html).toContain("1 comment");
    expect((await tag("add", "x".repeat(41))).status).toBe(400);
    expect((await tag("add", "")).status).toBe(400);
    expect((await tag("remove", "quote")).status).toBe(303);
    expect((await page(`${base}&tag=quote`)).html).toContain("0 comments");
    const audit = await db().auditLog.findMany({ where: { action: { startsWith: "comment.tag" } } });
    expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(["comment.tag.add", "comment.tag.remove"]));
  });

  it("searches the comments of every free-text question when no question is chosen, question by question", async () => {
    const { status, html } = await page(`${SLUG}/comments?search=${encodeURIComponent("RESEAU Elargi")}`);
    expect(status).toBe(200);
    expect(html).toContain("2 comments");
    const transparency = html.indexOf('id="comments-transparency_comments"');
    const finance = html.indexOf('id="comments-finance_comments"');
    expect(transparency).toBeGreaterThan(0);
    // In the survey's order, each comment under its question.
    expect(finance).toBeGreaterThan(transparency);
    expect(html.indexOf("+SUM(1,2) Réseau élargi")).toBeGreaterThan(transparency);
    expect(html.indexOf("+SUM(1,2) Réseau élargi")).toBeLessThan(finance);
    expect(html.indexOf("Un réseau élargi coûte cher")).toBeGreaterThan(finance);
    // Without a search, the first page lists comments too (no "choose a question" dead end).
    expect((await page(`${SLUG}/comments`)).html).toMatch(/<ol class="comments">/);
  });
});

describe("exports", () => {
  const exportFile = (slug: string, fields: Record<string, string>) =>
    postForm(`${server.url}/staff/surveys/${slug}/export`, fields, { headers: { cookie, origin: server.url } });

  it("writes one CSV row per response with a BOM and neutralised formulas", async () => {
    const response = await exportFile(SLUG, { format: "csv" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(Buffer.from(bytes), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(submitted().length);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(["name", "email", "transparency_minutes", "transparency_channels.website", "regional_councils.own_budget"]),
    );
    const texts = rows.map((row) => row.transparency_comments);
    expect(texts).toContain('\'=HYPERLINK("http://evil.example")');
    expect(texts).toContain("'+SUM(1,2) Réseau élargi");
    expect(texts.filter((text) => text && /^[=+\-@\t\r]/.test(text))).toEqual([]);
    // The exported answers match the counts.
    const agreeLabel = "Agree";
    expect(rows.filter((row) => row.transparency_minutes === agreeLabel).length).toBe(
      submitted().filter((row) => row.answers.some((answer) => answer.question === "transparency_minutes" && answer.option === "agree")).length,
    );
  });

  it("writes an XLSX with a summary sheet and a responses sheet", async () => {
    const response = await exportFile(SLUG, { format: "xlsx", region: "Europe" });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const [summary, sheet] = workbook.worksheets;
    expect(summary!.getCell("B1").value).toBe(submitted().filter((row) => row.region === "Europe").length);
    expect(sheet!.rowCount - 1).toBe(submitted().filter((row) => row.region === "Europe").length);
    const cells: string[] = [];
    sheet!.eachRow((row) => row.eachCell((cell) => typeof cell.value === "string" && cells.push(cell.value)));
    expect(cells.filter((value) => /^[=+\-@\t\r]/.test(value))).toEqual([]);
  });

  it("labels withheld counts in the XLSX summary as the page does", async () => {
    const response = await exportFile(SLUG, { format: "xlsx" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const rows: unknown[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.flat()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^“< 5”: fewer than 5 people/), expect.stringMatching(/^“hidden”: not a small/)]),
    );
    const heading = rows.findIndex((row) => row[0] === "On average, how many hours a month do you spend on federation activities?");
    expect(heading).toBeGreaterThan(0);
    expect(rows[heading + 1]).toEqual(["Answered: hidden", "No answer: hidden"]);
    expect(rows.slice(heading + 2, heading + 6).map((row) => row[1])).toEqual([0, "< 5", 0, 0]);
  });

  it("leaves participants out of anonymous exports and hides rare segment values", async () => {
    const response = await exportFile(ANONYMOUS, { format: "csv" });
    expect(response.status).toBe(200);
    const rows = parse(Buffer.from(await response.arrayBuffer()), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).not.toContain("email");
    expect(Object.keys(rows[0]!)).not.toContain("name");
    for (const column of ["region", "country", "unit", "language"]) {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row[column]!, (counts.get(row[column]!) ?? 0) + 1);
      for (const [value, count] of counts) if (value !== "< 5") expect(count, `${column}=${value}`).toBeGreaterThanOrEqual(THRESHOLD);
    }
  });

  it("refuses exports of views below the threshold and unknown formats", async () => {
    expect((await exportFile(SLUG, { format: "csv", region: "Nowhere" })).status).toBe(409);
    expect((await exportFile(SLUG, { format: "pdf" })).status).toBe(400);
    const audit = await db().auditLog.findMany({ where: { action: { startsWith: "results.export" } } });
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });
});
