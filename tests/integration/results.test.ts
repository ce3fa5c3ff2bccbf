import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suppressCells } from "~/domain/anonymity";
import type { ResultsFilter } from "~/domain/results-filter";
import { LIKERT_SCALE } from "~/domain/survey-definition";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { loadSurveyStructure } from "~/models/survey-structure.server";
import { surveyResults } from "~/features/results/counts.server";
import { allQuestions } from "~/features/results/staff-page.server";
import { deleteParticipant } from "~/models/participant.server";
import { loadAnswers, saveSectionAnswers, submitResponse } from "~/models/response.server";
import { countedView, maintainedCounts } from "~/models/results.server";
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
      responses[0]!.status = responses[1]!.status = "submitted";
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
    const bucketTotal = numberQuestion.number!.buckets.reduce((sum, bucket) => sum + (bucket.count ?? 0), 0);
    expect(bucketTotal).toBeLessThanOrEqual(values.length);
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
