import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppressCells } from "~/domain/anonymity";
import type { ResultsFilter } from "~/domain/results-filter";
import { LIKERT_SCALE } from "~/domain/survey-definition";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { loadSurveyStructure, optionKey } from "~/models/survey-structure.server";
import { surveyResults } from "~/features/results/counts.server";
import { allQuestions } from "~/features/results/staff-page.server";
import { deleteParticipant } from "~/models/participant.server";
import { loadAnswers, saveSectionAnswers, submitResponse } from "~/models/response.server";
import { countedView, maintainedCounts } from "~/models/results.server";
import { responsePages } from "~/models/response-export.server";
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
const FIXED = "interoperability-standards";
const THRESHOLD = 5;
let generated: SyntheticResponse[] = [];

beforeAll(async () => {
  database = await createTestDatabase("results");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG, ANONYMOUS, FIXED] });
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

  it("draws each chart as an SVG file for the page's view, and none for a question or view without one", async () => {
    const { html } = await page(`${SLUG}/results?drafts=1`);
    // The page links each chart's file, with the view's filters.
    expect(html).toContain(`href="/staff/surveys/${SLUG}/results/chart/transparency_minutes?drafts=1" download="${SLUG}-transparency_minutes.svg"`);
    const response = await get(`${server.url}/staff/surveys/${SLUG}/results/chart/transparency_minutes?drafts=1`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${SLUG}-transparency_minutes.svg"`);
    const svg = await response.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain("<title>The Governing Board should publish the minutes of its meetings within 30 days.</title>");
    expect(svg).toContain('direction="ltr"');
    // Every figure withheld, a text question, an unknown one, a view of too few people: no chart.
    for (const path of ["volunteers_hours", "transparency_comments", "no_such_question", "transparency_minutes?region=Nowhere"]) {
      expect((await get(`${server.url}/staff/surveys/${SLUG}/results/chart/${path}`, { headers: { cookie } })).status, path).toBe(404);
    }
    expect((await get(`${server.url}/staff/surveys/${SLUG}/results/chart/transparency_minutes`)).status).toBe(302);
  });

  it("shows new figures after a submission: the questions' kept markup follows the counts", async () => {
    const article = (html: string) =>
      html.slice(
        html.indexOf('aria-labelledby="q-transparency_minutes"'),
        html.indexOf("</article>", html.indexOf('aria-labelledby="q-transparency_minutes"')),
      );
    const before = article((await page(`${SLUG}/results`)).html);
    expect(article((await page(`${SLUG}/results`)).html)).toBe(before);
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: SLUG } });
    const draft = await db().response.findFirstOrThrow({ where: { surveyId: survey.id, status: "draft" } });
    await db().response.update({ where: { id: draft.id }, data: { status: "submitted", submittedAt: new Date() } });
    try {
      expect(article((await page(`${SLUG}/results`)).html)).not.toBe(before);
    } finally {
      await db().response.update({ where: { id: draft.id }, data: { status: "draft", submittedAt: null } });
    }
    expect(article((await page(`${SLUG}/results`)).html)).toBe(before);
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

  it("writes a fixed data set byte for byte as it always has", async () => {
    // Six submitted responses with fixed ids (the export's order) and one draft (left out), covering
    // every column kind: single with "other", number, multiple, matrix, likert, text with quotes, commas,
    // line breaks and formulas, and questions not answered.
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: FIXED } });
    const structure = await loadSurveyStructure(survey.id, survey.definitionHash);
    const people: [string, string, string, string | null, string | null][] = [
      ["00000000-0000-4000-8000-000000000001", "Ana Pérez", "ana@example.org", "Europe", "Spain"],
      ["00000000-0000-4000-8000-000000000002", "=cmd|' /C calc'!A0", "bob@example.org", "Africa", "Kenya"],
      ["00000000-0000-4000-8000-000000000003", "李明", "li@example.org", "Asia and Oceania", "China"],
      ["00000000-0000-4000-8000-000000000004", 'Fatima, "Fa"', "fatima@example.org", null, null],
      ["00000000-0000-4000-8000-000000000005", "Olga", "olga@example.org", "Europe", "Russia"],
      ["00000000-0000-4000-8000-000000000006", "Jürgen", "-juergen@example.org", "Europe", "Germany"],
      ["00000000-0000-4000-8000-000000000007", "Draft", "draft@example.org", "Europe", "France"],
    ];
    type Given = { question: string; option?: string; row?: string; text?: string; number?: number };
    const answers: Given[][] = [
      [
        { question: "systems_library_type", option: "national" },
        { question: "systems_staff", number: 12 },
        { question: "systems_standards_used", option: "marc21" },
        { question: "systems_standards_used", option: "iiif" },
        { question: "certification_value", row: "marc21", option: "agree" },
        { question: "certification_value", row: "iiif", option: "strongly_disagree" },
        { question: "certification_procurement", option: "disagree" },
        { question: "certification_procurement_why", text: 'Too "costly", and slow' },
        { question: "comments_general", text: "Line one\nline two" },
      ],
      [
        { question: "systems_library_type", option: "other", text: "=1+1 museum" },
        { question: "systems_staff", number: 2.5 },
        { question: "systems_standards_used", option: "other", text: "@SUM(A1)" },
        { question: "certification_procurement", option: "no_opinion" },
        { question: "comments_general", text: "+33 1 23 45 67 89" },
      ],
      [
        { question: "systems_library_type", option: "academic" },
        { question: "systems_staff", number: 0 },
        { question: "priorities_gaps", option: "discovery" },
        { question: "priorities_test_data", option: "strongly_agree" },
        { question: "comments_missing_standards", text: "\tTabbed; semi;colons" },
      ],
      [{ question: "systems_linked_data", option: "dont_know" }],
      [],
      [
        { question: "systems_library_type", option: "public" },
        { question: "certification_value", row: "openurl", option: "neutral" },
        { question: "comments_general", text: "تعليق بالعربية" },
      ],
      [{ question: "systems_library_type", option: "school" }],
    ];
    for (const [index, [id, name, email, region, country]] of people.entries()) {
      const participant = await db().participant.create({
        data: { surveyId: survey.id, name, email, language: "en", region, country, unit: index % 2 ? "Board" : null },
      });
      const submitted = index < 6;
      await db().response.create({
        data: {
          id,
          surveyId: survey.id,
          participantId: participant.id,
          status: submitted ? "submitted" : "draft",
          language: ["en", "fr", "zh", "ar", "ru", "de", "es"][index]!,
          region,
          country,
          unit: index % 2 ? "Board" : null,
          submittedAt: submitted ? new Date(Date.UTC(2030, 0, 10 + index, 9, 30)) : null,
          answers: {
            create: answers[index]!.map((answer) => ({
              questionId: structure.questionIds.get(answer.question)!,
              optionId: answer.option === undefined ? null : structure.optionIds.get(optionKey(answer.question, "choice", answer.option))!,
              rowId: answer.row === undefined ? null : structure.optionIds.get(optionKey(answer.question, "row", answer.row))!,
              textValue: answer.text ?? null,
              numberValue: answer.number ?? null,
            })),
          },
        },
      });
    }
    const csv = Buffer.from(await (await exportFile(FIXED, { format: "csv" })).arrayBuffer()).toString("utf8");
    const expected = [
      "response,status,language,region,country,unit,submitted_at,name,email,systems_library_type,systems_library_type.other_text,systems_staff,systems_standards_used.marc21,systems_standards_used.bibframe,systems_standards_used.dublin_core,systems_standards_used.oai_pmh,systems_standards_used.sru_z3950,systems_standards_used.iiif,systems_standards_used.ncip,systems_standards_used.sip2,systems_standards_used.kbart,systems_standards_used.counter_sushi,systems_standards_used.openurl,systems_standards_used.other,systems_standards_used.other_text,systems_lms,systems_lms.other_text,systems_linked_data,certification_value.marc21,certification_value.bibframe,certification_value.dublin_core,certification_value.oai_pmh,certification_value.sru_z3950,certification_value.iiif,certification_value.ncip,certification_value.sip2,certification_value.kbart,certification_value.counter_sushi,certification_value.openurl,certification_body,certification_body.other_text,certification_procurement,certification_procurement_why,certification_credibility.public_test_suite,certification_credibility.open_criteria,certification_credibility.periodic_renewal,certification_credibility.public_register,certification_credibility.independent_audit,priorities_standards.marc21,priorities_standards.bibframe,priorities_standards.dublin_core,priorities_standards.oai_pmh,priorities_standards.sru_z3950,priorities_standards.iiif,priorities_standards.ncip,priorities_standards.sip2,priorities_standards.kbart,priorities_standards.counter_sushi,priorities_standards.openurl,priorities_activity,priorities_activity.other_text,priorities_gaps.cataloguing,priorities_gaps.resource_sharing,priorities_gaps.digitised_collections,priorities_gaps.e_resources,priorities_gaps.self_service,priorities_gaps.usage_statistics,priorities_gaps.discovery,priorities_test_data,comments_missing_standards,comments_general",
      '1,submitted,en,Europe,Spain,,2030-01-10T09:30:00.000Z,Ana Pérez,ana@example.org,National library,,12,1,0,0,0,0,1,0,0,0,0,0,0,,,,,Agree,,,,,Strongly disagree,,,,,,,,Disagree,"Too ""costly"", and slow",,,,,,,,,,,,,,,,,,,,,,,,,,,,"Line one',
      'line two"',
      "2,submitted,fr,Africa,Kenya,Board,2030-01-11T09:30:00.000Z,'=cmd|' /C calc'!A0,bob@example.org,Another type (please specify),'=1+1 museum,2.5,0,0,0,0,0,0,0,0,0,0,0,1,'@SUM(A1),,,,,,,,,,,,,,,,,No opinion,,,,,,,,,,,,,,,,,,,,,,,,,,,,,'+33 1 23 45 67 89",
      "3,submitted,zh,Asia and Oceania,China,,2030-01-12T09:30:00.000Z,李明,li@example.org,Academic or research library,,0,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,0,0,0,0,0,0,1,Strongly agree,'\tTabbed; semi;colons,",
      '4,submitted,ar,,,Board,2030-01-13T09:30:00.000Z,"Fatima, ""Fa""",fatima@example.org,,,,,,,,,,,,,,,,,,,I don\'t know,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
      "5,submitted,ru,Europe,Russia,,2030-01-14T09:30:00.000Z,Olga,olga@example.org,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
      "6,submitted,de,Europe,Germany,Board,2030-01-15T09:30:00.000Z,Jürgen,'-juergen@example.org,Public library,,,,,,,,,,,,,,,,,,,,,,,,,,,,,Neither agree nor disagree,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,تعليق بالعربية",
      "",
    ].join("\n");
    expect(csv).toBe(`\uFEFF${expected}`);
    // The XLSX's Responses sheet holds the same cells (numbers as numbers).
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await exportFile(FIXED, { format: "xlsx" })).arrayBuffer());
    const sheet: string[][] = [];
    workbook.worksheets[1]!.eachRow((row) =>
      sheet.push(
        Array.from(row.values as unknown[])
          .slice(1)
          .map((value) => (value === null || value === undefined ? "" : String(value))),
      ),
    );
    const parsed = parse(expected, { relax_column_count: true }) as string[][];
    expect(sheet.map((row) => row.concat(new Array(parsed[0]!.length - row.length).fill("")))).toEqual(parsed);
  });

  it("reads the same responses page by page, whatever the page size, and stops cleanly when the reader stops early", async () => {
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: SLUG } });
    const scope = {
      surveyId: survey.id,
      structure: await loadSurveyStructure(survey.id, survey.definitionHash),
      filter: { segments: {}, includeDrafts: false },
    };
    const read = async (pageSize: number) => {
      const responses = [];
      for await (const page of responsePages(scope, { withParticipant: true, pageSize })) responses.push(...page);
      return responses;
    };
    const whole = await read(10_000);
    expect(whole).toHaveLength(submitted().length);
    expect(whole.reduce((sum, response) => sum + response.answers.length, 0)).toBe(submitted().reduce((sum, response) => sum + response.answers.length, 0));
    // Small pages: each one's next page is read while it is handed on, ids keep the order.
    expect(await read(7)).toEqual(whole);
    // Leaving after the first page closes the reader under the read of the second: nothing is left
    // waiting or rejected unhandled (the test run fails on an unhandled rejection).
    for await (const page of responsePages(scope, { withParticipant: true, pageSize: 50 })) {
      expect(page).toHaveLength(50);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  it("refuses exports of views below the threshold and unknown formats", async () => {
    expect((await exportFile(SLUG, { format: "csv", region: "Nowhere" })).status).toBe(409);
    expect((await exportFile(SLUG, { format: "pdf" })).status).toBe(400);
    const audit = await db().auditLog.findMany({ where: { action: { startsWith: "results.export" } } });
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });
});

describe("maintained counts", () => {
  // Last in the file: it changes the governance review's responses.
  it("equal a fresh GROUP BY after random submits, edits, language changes and removals", async () => {
    const survey = await db().survey.findUniqueOrThrow({ where: { slug: SLUG } });
    const structure = await loadSurveyStructure(survey.id, survey.definitionHash);
    const definition = loadSurveyDefinitions().definitions.find((candidate) => candidate.slug === SLUG)!;
    // Answers to draw edits from: another generator run, section by section.
    const pool = [...syntheticResponses(definition, 60, { seed: 99 })];
    let seed = 12345;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const ownerOf = async (participantId: string) => {
      const participant = await db().participant.findUniqueOrThrow({
        where: { id: participantId },
        select: { id: true, region: true, country: true, unit: true },
      });
      return { surveyId: survey.id, mode: "confidential", participant, resumeKey: "" };
    };

    const done = new Set<string>();
    for (let step = 0; step < 60; step++) {
      const action = pick(["edit", "edit", "submit", "unsubmit", "remove", "dropAnswer"] as const);
      const status = action === "submit" ? "draft" : action === "unsubmit" ? "submitted" : pick(["draft", "submitted", "submitted"]);
      const candidates = await db().response.findMany({
        where: { surveyId: survey.id, status, participantId: { not: null } },
        select: { id: true, participantId: true, language: true, savedSections: true },
        orderBy: { startedAt: "asc" },
      });
      const response = pick(candidates);
      const owner = await ownerOf(response.participantId!);
      const state = { id: response.id, status, savedSections: response.savedSections ? response.savedSections.split(",") : [] };
      done.add(`${action}:${status}`);
      if (action === "edit") {
        // A section saved again (in another language now and then), as the respondent's page does.
        const section = pick(definition.sections);
        const keys = new Set(section.questions.map((question) => question.key));
        const answers = pick(pool).answers.filter((answer) => keys.has(answer.question));
        await saveSectionAnswers(owner, structure, section.key, answers, pick(["en", "fr", "ar", response.language]), state);
      } else if (action === "submit") {
        await submitResponse(owner, response.id, structure, await loadAnswers(response.id, structure), new Date());
      } else if (action === "unsubmit") {
        await db().response.update({ where: { id: response.id }, data: { status: "draft", submittedAt: null } });
      } else if (action === "remove") {
        await deleteParticipant(survey.id, response.participantId!);
      } else if (action === "dropAnswer") {
        const answer = await db().answer.findFirst({ where: { responseId: response.id }, select: { id: true } });
        if (answer) await db().answer.delete({ where: { id: answer.id } });
      }
    }

    expect([...done].sort()).toEqual(
      expect.arrayContaining(["dropAnswer:submitted", "edit:draft", "edit:submitted", "remove:submitted", "submit:draft", "unsubmit:submitted"]),
    );

    const sorted = (rows: { k: string; n: bigint | number }[]) =>
      rows
        .filter((row) => Number(row.n) !== 0)
        .map((row) => `${row.k}=${Number(row.n)}`)
        .sort();
    const maintained = await db().$queryRaw<{ k: string; n: bigint | number }[]>`
      SELECT "questionId" || '|' || "rowId" || '|' || "optionId" || '|' || CAST("value" AS TEXT) AS k, "count" AS n
      FROM "ResultCount" WHERE "surveyId" = ${survey.id} AND "optionId" <> '~'`;
    const fresh = await db().$queryRaw<{ k: string; n: bigint | number }[]>`
      SELECT '||' || '|' || CAST(CAST(0 AS REAL) AS TEXT) AS k, COUNT(*) AS n FROM "Response" r WHERE r."surveyId" = ${survey.id} AND r."status" = 'submitted'
      UNION ALL SELECT '|language|' || r."language" || '|' || CAST(CAST(0 AS REAL) AS TEXT), COUNT(*) FROM "Response" r WHERE r."surveyId" = ${survey.id} AND r."status" = 'submitted' GROUP BY r."language"
      UNION ALL SELECT '|region|' || r."region" || '|' || CAST(CAST(0 AS REAL) AS TEXT), COUNT(*) FROM "Response" r WHERE r."surveyId" = ${survey.id} AND r."status" = 'submitted' AND r."region" IS NOT NULL GROUP BY r."region"
      UNION ALL SELECT '|country|' || r."country" || '|' || CAST(CAST(0 AS REAL) AS TEXT), COUNT(*) FROM "Response" r WHERE r."surveyId" = ${survey.id} AND r."status" = 'submitted' AND r."country" IS NOT NULL GROUP BY r."country"
      UNION ALL SELECT '|unit|' || r."unit" || '|' || CAST(CAST(0 AS REAL) AS TEXT), COUNT(*) FROM "Response" r WHERE r."surveyId" = ${survey.id} AND r."status" = 'submitted' AND r."unit" IS NOT NULL GROUP BY r."unit"
      UNION ALL SELECT a."questionId" || '|' || COALESCE(a."rowId", '') || '|' || COALESCE(a."optionId", '') || '|' || CAST(CAST(0 AS REAL) AS TEXT), COUNT(*)
        FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE r."surveyId" = ${survey.id} AND r."status" = 'submitted' GROUP BY a."questionId", a."rowId", a."optionId"
      UNION ALL SELECT a."questionId" || '||#|' || CAST(a."numberValue" AS TEXT), COUNT(*)
        FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE r."surveyId" = ${survey.id} AND r."status" = 'submitted' AND a."numberValue" IS NOT NULL GROUP BY a."questionId", a."numberValue"
      UNION ALL SELECT a."questionId" || '||*|' || CAST(CAST(0 AS REAL) AS TEXT), COUNT(DISTINCT a."responseId")
        FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE r."surveyId" = ${survey.id} AND r."status" = 'submitted' GROUP BY a."questionId"`;
    expect(sorted(maintained)).toEqual(sorted(fresh));
    expect(sorted(maintained).length).toBeGreaterThan(100);

    // And the page's figures from them equal those counted from the answers.
    const whole = { segments: {}, includeDrafts: false };
    const ids = (types: string[]) =>
      allQuestions(structure)
        .filter((question) => types.includes(question.type))
        .map((question) => structure.questionIds.get(question.key)!);
    const counted = await countedView(
      { surveyId: survey.id, structure, filter: whole },
      ids(["likert", "single", "multiple", "matrix", "text", "number"]),
      ids(["number"]),
    );
    expect(await maintainedCounts(survey.id)).toEqual(counted);
  });
});
