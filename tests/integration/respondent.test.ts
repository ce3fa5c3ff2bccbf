import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SurveyDefinition } from "~/domain/survey-definition";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { hashToken } from "~/platform/tokens.server";
import { allTableRows, createTestDatabase, rowsAsText, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase, validSectionAnswers } from "../support/surveys";

let database: TestDatabase;
let server: TestServer;
const definitions = new Map<string, SurveyDefinition>();

beforeAll(async () => {
  database = await createTestDatabase("respondent");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: ["governance-review", "interoperability-standards", "strategic-plan-2025"] });
  for (const definition of loadSurveyDefinitions().definitions) definitions.set(definition.slug, definition);
  server = await startServer(database.url);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

let ipCounter = 0;
/** A fresh client address per test, so the wrong-token limit of one test does not touch another. */
function client() {
  ipCounter++;
  return { "x-forwarded-for": `10.1.${Math.floor(ipCounter / 250)}.${ipCounter % 250}` };
}

function validSection(slug: string, sectionKey: string): Record<string, string> {
  return validSectionAnswers(definitions.get(slug)!, sectionKey);
}

async function answerEverything(slug: string, token: string, headers: Record<string, string>) {
  for (const section of definitions.get(slug)!.sections) {
    const response = await postForm(`${server.url}/s/${token}/section/${section.key}`, { ...validSection(slug, section.key), intent: "next" }, { headers });
    expect(response.status, section.key).toBe(302);
  }
}

/** Form fields, repeated where a value is a list (checkboxes). */
function formOf(fields: Record<string, string | string[]>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) form.append(name, one);
  return form;
}

async function storedAnswers(participantId: string) {
  const response = await database.db.response.findUnique({ where: { participantId }, select: { id: true, status: true } });
  if (!response) return { response: null, answers: [] };
  const answers = await database.db.answer.findMany({
    where: { responseId: response.id },
    select: { question: { select: { key: true } }, option: { select: { key: true } }, row: { select: { key: true } }, textValue: true, numberValue: true },
  });
  return { response, answers };
}

describe("personalised links", () => {
  it("shows one generic 'not valid' page for wrong, malformed and revoked tokens", async () => {
    const { id, token } = await createParticipant("governance-review");
    await database.db.accessToken.updateMany({ where: { participantId: id }, data: { revokedAt: new Date() } });
    for (const candidate of ["AAAAAAAAAAAAAAAAAAAAAA", "short", "../../etc/passwd", token]) {
      const response = await get(`${server.url}/s/${encodeURIComponent(candidate)}`, { headers: { ...client(), "accept-language": "de" } });
      expect(response.status).toBe(404);
      const html = await response.text();
      expect(html).toContain('lang="de"');
      expect(html).toContain("Dieser Link ist ungültig".slice(0, 5));
    }
  });

  it("rate-limits repeated wrong tokens per client, even for a right token afterwards", async () => {
    const headers = client();
    const { token } = await createParticipant("governance-review");
    for (let attempt = 0; attempt < 20; attempt++) {
      expect((await get(`${server.url}/s/wrongwrongwrongwrongwr${attempt}`, { headers })).status).toBe(404);
    }
    expect((await get(`${server.url}/s/wrongwrongwrongwrongwrX`, { headers })).status).toBe(429);
    const right = await get(`${server.url}/s/${token}`, { headers });
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await get(`${server.url}/s/${token}`, { headers: client() })).status).toBe(200);
  });

  it("opens in the participant's language, with no-referrer, no-store, and the token kept out of logs", async () => {
    const { token } = await createParticipant("governance-review", { language: "fr", name: "Camille Martin" });
    const response = await get(`${server.url}/s/${token}`, { headers: client() });
    expect(response.status).toBe(200);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain("Camille Martin");
    expect(server.logs()).not.toContain(token);
    const stored = await database.db.accessToken.findMany({ select: { tokenHash: true } });
    expect(stored.some((row) => row.tokenHash === token)).toBe(false);
    expect(stored.some((row) => row.tokenHash === hashToken(token))).toBe(true);
  });

  it("states the zone of every time it shows: the participant's own, else the browser's, else UTC", async () => {
    const { id, token } = await createParticipant("governance-review");
    const utc = await (await get(`${server.url}/s/${token}`, { headers: client() })).text();
    expect(utc).toContain("(Coordinated Universal Time)");
    const browser = await (await get(`${server.url}/s/${token}`, { headers: { ...client(), cookie: "tz=Europe/Paris" } })).text();
    expect(browser).toMatch(/\(Central European (Standard|Summer) Time\)/);
    await database.db.participant.update({ where: { id }, data: { timeZone: "Asia/Riyadh" } });
    const own = await (await get(`${server.url}/s/${token}`, { headers: { ...client(), cookie: "tz=Europe/Paris" } })).text();
    expect(own).toContain("(Arabian Standard Time)");
  });

  it("renders every survey language with the right lang and dir", async () => {
    const { token } = await createParticipant("governance-review");
    for (const language of ["ar", "zh", "en", "fr", "de", "ru", "es"]) {
      const html = await (await get(`${server.url}/s/${token}`, { headers: { ...client(), cookie: `lng=${language}` } })).text();
      expect(html).toContain(`<html lang="${language}" dir="${language === "ar" ? "rtl" : "ltr"}">`);
    }
  });

  it("switches language from the survey's own buttons, keeping the answers typed on the page", async () => {
    const headers = client();
    const { id, token } = await createParticipant("governance-review");
    const response = await postForm(
      `${server.url}/s/${token}/section/transparency`,
      { "q.transparency_minutes": "agree", "q.transparency_comments": "Gardez ceci", intent: "language:ar" },
      { headers },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toMatch(/^lng=ar/);
    const page = await (await get(`${server.url}/s/${token}/section/transparency`, { headers: { ...headers, cookie: cookiesFrom(response) } })).text();
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).toContain("Gardez ceci");
    const { answers } = await storedAnswers(id);
    expect(answers.map((answer) => answer.question.key).sort()).toEqual(["transparency_comments", "transparency_minutes"]);
  });
});

describe("answering a section", () => {
  it("shows errors next to the fields and in a summary, keeps valid answers, stores nothing invalid", async () => {
    const headers = client();
    const { id, token } = await createParticipant("governance-review");
    const response = await postForm(
      `${server.url}/s/${token}/section/transparency`,
      { "q.transparency_minutes": "agree", "q.transparency_comments": "x".repeat(2001), intent: "next" },
      { headers },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('class="error-summary"');
    expect(html).toContain('id="transparency_annual_report-error"');
    expect(html).toContain("Please shorten your answer to 2000 characters.");
    expect(html).toMatch(/aria-describedby="[^"]*transparency_annual_report-error/);
    const { answers } = await storedAnswers(id);
    expect(answers.map((answer) => [answer.question.key, answer.option?.key])).toEqual([["transparency_minutes", "agree"]]);
  });

  it("lets a member leave a half-answered page (back, save and finish later, another language) keeping every valid piece, for every question type", async () => {
    const interop = definitions.get("interoperability-standards")!;
    const question = (key: string) => interop.sections.flatMap((section) => section.questions).find((candidate) => candidate.key === key)!;
    const matrix = question("certification_value");
    const credibility = question("certification_credibility");
    const standards = question("systems_standards_used");
    if (matrix.type !== "matrix" || credibility.type !== "multiple" || standards.type !== "multiple") throw new Error("survey changed");
    const certificationPage = {
      // One standard of eleven rated; "other" chosen without saying what; one choice over the maximum of three.
      [`q.certification_value.${matrix.rows[0]}`]: "agree",
      "q.certification_body": "other",
      "q.certification_credibility": credibility.options.slice(0, 4),
    };
    const systemsPage = {
      "q.systems_staff": "many",
      "q.systems_standards_used": [standards.options[0]!, "other"],
      "q.systems_linked_data": "",
    };
    for (const intent of ["save", "back", "language:fr"]) {
      const headers = client();
      const { id, token } = await createParticipant("interoperability-standards");
      const left = await postForm(`${server.url}/s/${token}/section/certification`, formOf({ ...certificationPage, intent }), { headers });
      expect(left.status, `${intent}: ${(await left.text()).slice(0, 200)}`).toBe(302);
      const leftSystems = await postForm(`${server.url}/s/${token}/section/systems`, formOf({ ...systemsPage, intent }), { headers });
      expect(leftSystems.status, intent).toBe(302);
      const { answers } = await storedAnswers(id);
      const stored = answers
        .map((answer) => [answer.question.key, answer.row?.key ?? null, answer.option?.key ?? null, answer.numberValue, answer.textValue])
        .sort();
      // Kept: the rated row and the valid standard. Dropped: "other" without its text, the choice over the maximum, the word for a number.
      expect(stored, intent).toEqual(
        [
          ["certification_value", matrix.rows[0]!, "agree", null, null],
          ["systems_standards_used", null, standards.options[0]!, null, null],
        ].sort(),
      );
    }
    // "Next" still insists on what is missing.
    const { token } = await createParticipant("interoperability-standards");
    const next = await postForm(`${server.url}/s/${token}/section/certification`, formOf({ ...certificationPage, intent: "next" }), { headers: client() });
    expect(next.status).toBe(400);
    expect(await next.text()).toContain("10");
  });

  it("gives a multiple-choice question one hint, not the survey's and the interface's both", async () => {
    const { token } = await createParticipant("governance-review");
    const html = await (await get(`${server.url}/s/${token}/section/transparency`, { headers: client() })).text();
    const hint = /<p class="question-help" id="transparency_channels-hint">([^<]*)<\/p>/.exec(html)?.[1];
    expect(hint).toBe("Choose all that apply.");
  });

  it("autosaves typed text as a draft without moving on or showing errors; a tampered autosave stores nothing", async () => {
    const headers = client();
    const { id, token } = await createParticipant("governance-review");
    const url = `${server.url}/s/${token}/section/transparency`;
    // Half-way through the page: a required question is still unanswered.
    const autosave = await postForm(url, { "q.transparency_comments": "Minutes should be published within a month", intent: "autosave" }, { headers });
    expect(autosave.status).toBe(200);
    expect(await autosave.text()).not.toContain('class="error-summary"');
    expect((await storedAnswers(id)).answers.map((answer) => answer.textValue)).toEqual(["Minutes should be published within a month"]);

    const again = await postForm(url, { "q.transparency_comments": "Minutes should be published within two weeks", intent: "autosave" }, { headers });
    expect(again.status).toBe(200);
    expect((await storedAnswers(id)).answers.map((answer) => answer.textValue)).toEqual(["Minutes should be published within two weeks"]);

    const tampered = await postForm(url, { "q.transparency_minutes": "not-an-option", "q.transparency_comments": "changed", intent: "autosave" }, { headers });
    expect(tampered.status).toBe(400);
    expect((await storedAnswers(id)).answers.map((answer) => answer.textValue)).toEqual(["Minutes should be published within two weeks"]);
  });

  it("merges first saves from two tabs at once into one draft", async () => {
    const headers = client();
    const { id, token } = await createParticipant("governance-review");
    const sections = definitions.get("governance-review")!.sections;
    const saves = await Promise.all(
      sections
        .slice(0, 4)
        .map((section) =>
          postForm(`${server.url}/s/${token}/section/${section.key}`, { ...validSection("governance-review", section.key), intent: "next" }, { headers }),
        ),
    );
    expect(saves.map((save) => save.status)).toEqual([302, 302, 302, 302]);
    expect(await database.db.response.count({ where: { participantId: id } })).toBe(1);
    // Each save adds its section to the list in the database, so none is lost to another's write.
    const { savedSections } = await database.db.response.findUniqueOrThrow({ where: { participantId: id }, select: { savedSections: true } });
    expect(savedSections.split(",").sort()).toEqual(
      sections
        .slice(0, 4)
        .map((section) => section.key)
        .sort(),
    );
    const { answers } = await storedAnswers(id);
    const questions = new Set(answers.map((answer) => answer.question.key));
    for (const section of sections.slice(0, 4))
      for (const question of section.questions.filter((q) => !q.showIf)) expect(questions.has(question.key), question.key).toBe(true);
  });

  it("refuses tampered option keys, duplicated single answers and other surveys' questions with a 400, storing nothing", async () => {
    const headers = client();
    const { id, token } = await createParticipant("governance-review");
    const tampered = [
      { ...validSection("governance-review", "transparency"), "q.transparency_minutes": "definitely" },
      new URLSearchParams([...Object.entries(validSection("governance-review", "transparency")), ["q.transparency_minutes", "disagree"]]),
    ];
    for (const body of tampered) {
      const fields = body instanceof URLSearchParams ? body : new URLSearchParams(body);
      fields.set("intent", "next");
      expect((await postForm(`${server.url}/s/${token}/section/transparency`, fields, { headers })).status).toBe(400);
    }
    expect((await storedAnswers(id)).response).toBeNull();

    const foreign = await postForm(
      `${server.url}/s/${token}/section/transparency`,
      { ...validSection("governance-review", "transparency"), "q.systems_library_type": "public", "q.regional_board_seat": "agree", intent: "next" },
      { headers },
    );
    expect(foreign.status).toBe(302);
    const keys = new Set((await storedAnswers(id)).answers.map((answer) => answer.question.key));
    expect(keys.has("systems_library_type")).toBe(false);
    expect(keys.has("regional_board_seat")).toBe(false);
  });

  it("refuses an unknown section and malformed bodies with 4xx", async () => {
    const { token } = await createParticipant("governance-review");
    expect((await get(`${server.url}/s/${token}/section/nope`, { headers: client() })).status).toBe(404);
    const junk = await fetch(`${server.url}/s/${token}/section/transparency`, {
      method: "POST",
      headers: { ...client(), "content-type": "multipart/form-data; boundary=zz" },
      body: "--zz\r\ngarbage",
    });
    expect(junk.status).toBeGreaterThanOrEqual(400);
    expect(junk.status).toBeLessThan(500);
  });

  it("reveals a conditional question on the server, so it works without JavaScript", async () => {
    const headers = client();
    const { token } = await createParticipant("governance-review");
    const before = await (await get(`${server.url}/s/${token}/section/transparency`, { headers })).text();
    expect(before).toMatch(/id="transparency_minutes_why"[^>]*hidden/);
    const shown = "transparency_minutes,transparency_annual_report,transparency_interests,transparency_channels,transparency_comments";
    const save = await postForm(
      `${server.url}/s/${token}/section/transparency`,
      { ...validSection("governance-review", "transparency"), "q.transparency_minutes": "strongly_disagree", shown, intent: "next" },
      { headers },
    );
    expect(save.status).toBe(302);
    expect(save.headers.get("location")).toMatch(/section\/transparency\?more=1#transparency_minutes_why$/);
    const after = await (await get(`${server.url}${save.headers.get("location")!.split("#")[0]}`, { headers })).text();
    expect(after).not.toMatch(/id="transparency_minutes_why"[^>]*hidden/);
  });

  it("resumes on another device at the first section not yet done, answers filled in", async () => {
    const { token } = await createParticipant("governance-review");
    const first = definitions.get("governance-review")!.sections;
    await postForm(
      `${server.url}/s/${token}/section/${first[0]!.key}`,
      { ...validSection("governance-review", first[0]!.key), intent: "next" },
      { headers: client() },
    );
    await postForm(
      `${server.url}/s/${token}/section/${first[1]!.key}`,
      { ...validSection("governance-review", first[1]!.key), intent: "save" },
      { headers: client() },
    );

    const otherDevice = client();
    const welcome = await (await get(`${server.url}/s/${token}`, { headers: otherDevice })).text();
    expect(welcome).toContain("Continue where you left off");
    const start = await postForm(`${server.url}/s/${token}?index`, { intent: "start" }, { headers: otherDevice });
    expect(start.headers.get("location")).toBe(`/s/${token}/section/${first[2]!.key}`);
    const back = await (await get(`${server.url}/s/${token}/section/${first[0]!.key}`, { headers: otherDevice })).text();
    expect(back).toMatch(/<input[^>]*name="q\.transparency_minutes"[^>]*checked=""[^>]*value="agree"/);
  });
});

describe("submitting", () => {
  it("isolates a Latin email address and name inside Arabic sentences, so they do not break into pieces", async () => {
    const headers = client();
    const { token, email } = await createParticipant("governance-review", { language: "ar", name: "Ama Mensah" });
    expect(
      (await postForm(`${server.url}/s/${token}/section/transparency`, { ...validSection("governance-review", "transparency"), intent: "next" }, { headers }))
        .status,
    ).toBe(302);
    const review = await (await get(`${server.url}/s/${token}/review`, { headers })).text();
    expect(review).toContain('dir="rtl"');
    expect(review).toContain(`\u2068${email}\u2069`);
    const welcome = await (await get(`${server.url}/s/${token}`, { headers })).text();
    expect(welcome).toContain("\u2068Ama Mensah\u2069");
  });

  it("lists a matrix's statements on the review page in the form's order, without doubled punctuation", async () => {
    const headers = client();
    const { token } = await createParticipant("governance-review");
    const governance = definitions.get("governance-review")!;
    const matrix = governance.sections.flatMap((section) => section.questions).find((question) => question.key === "regional_councils")!;
    if (matrix.type !== "matrix") throw new Error("survey changed");
    // Rows posted last to first, each with its own point on the scale.
    const points = ["strongly_agree", "agree", "neutral", "disagree", "strongly_disagree"];
    const form = new URLSearchParams({ ...validSection("governance-review", "regional_representation"), intent: "next" });
    [...matrix.rows].reverse().forEach((row, index) => form.set(`q.regional_councils.${row}`, points[index % points.length]!));
    expect((await postForm(`${server.url}/s/${token}/section/regional_representation`, form, { headers })).status).toBe(302);
    const html = await (await get(`${server.url}/s/${token}/review`, { headers })).text();
    expect(html).not.toMatch(/\.: /);
    const positions = [
      "The Regional Councils have a clear mandate",
      "Each Regional Council should manage its own budget",
      "The Regional Councils should be able to work in the languages of their region",
    ].map((text) => html.indexOf(`${text}: `));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("refuses to submit with required answers missing, listing them", async () => {
    const headers = client();
    const { token } = await createParticipant("governance-review");
    const first = definitions.get("governance-review")!.sections[0]!;
    await postForm(`${server.url}/s/${token}/section/${first.key}`, { ...validSection("governance-review", first.key), intent: "next" }, { headers });
    const submit = await postForm(`${server.url}/s/${token}/review`, { intent: "submit" }, { headers });
    expect(submit.status).toBe(400);
    expect(await submit.text()).toContain("required questions still need an answer");
  });

  it("submits, shows a confirmation, queues the receipt, and allows changes until the close", async () => {
    const headers = client();
    const participant = await createParticipant("governance-review", { name: "Grace Smith" });
    await answerEverything("governance-review", participant.token, headers);
    const review = await (await get(`${server.url}/s/${participant.token}/review`, { headers })).text();
    expect(review).toContain("Check your answers");
    const submit = await postForm(`${server.url}/s/${participant.token}/review`, { intent: "submit", receipt: "yes" }, { headers });
    expect(submit.status).toBe(302);
    expect(submit.headers.get("location")).toBe(`/s/${participant.token}?submitted=1`);
    const done = await (await get(`${server.url}${submit.headers.get("location")}`, { headers })).text();
    expect(done).toContain("Your answers have been submitted.");
    expect(done).toContain("Change my answers");

    const { response } = await storedAnswers(participant.id);
    expect(response?.status).toBe("submitted");
    expect((await database.db.participant.findUniqueOrThrow({ where: { id: participant.id } })).respondedAt).not.toBeNull();
    const receipt = await database.db.outboxMessage.findFirstOrThrow({ where: { participantId: participant.id, template: "receipt" } });
    expect(receipt.toAddress).toBe(participant.email);
    expect(receipt.textBody).toContain("Grace Smith");
    expect(receipt.textBody).not.toContain(participant.token);
    expect(receipt.htmlBody).toContain('<html lang="en" dir="ltr">');
    expect(receipt.htmlBody).toContain("Grace Smith");
    expect(receipt.htmlBody).not.toContain(participant.token);

    const section = definitions.get("governance-review")!.sections[0]!.key;
    expect((await get(`${server.url}/s/${participant.token}/section/${section}`, { headers })).status).toBe(200);
    const replay = await postForm(`${server.url}/s/${participant.token}/review`, { intent: "submit" }, { headers });
    expect(replay.status).toBe(302);
    expect(await database.db.response.count({ where: { participantId: participant.id } })).toBe(1);
  });

  it("keeps a submission locked when the survey forbids changes", async () => {
    const headers = client();
    await database.db.survey.update({ where: { slug: "interoperability-standards" }, data: { allowEditAfterSubmit: false } });
    const participant = await createParticipant("interoperability-standards");
    await answerEverything("interoperability-standards", participant.token, headers);
    expect((await postForm(`${server.url}/s/${participant.token}/review`, { intent: "submit" }, { headers })).status).toBe(302);
    const section = definitions.get("interoperability-standards")!.sections[0]!.key;
    expect((await get(`${server.url}/s/${participant.token}/section/${section}`, { headers })).status).toBe(409);
    const replay = await postForm(`${server.url}/s/${participant.token}/review`, { intent: "submit" }, { headers });
    expect(replay.status).toBe(409);
    await database.db.survey.update({ where: { slug: "interoperability-standards" }, data: { allowEditAfterSubmit: true } });
  });

  it("answers 410 in the participant's language after the close, and stores nothing", async () => {
    const headers = client();
    const participant = await createParticipant("governance-review", { language: "es" });
    await database.db.survey.update({ where: { slug: "governance-review" }, data: { closesAt: new Date(Date.now() - 1000) } });
    try {
      const page = await get(`${server.url}/s/${participant.token}`, { headers });
      expect(page.status).toBe(410);
      expect(await page.text()).toContain('<html lang="es"');
      const section = definitions.get("governance-review")!.sections[0]!.key;
      const post = await postForm(
        `${server.url}/s/${participant.token}/section/${section}`,
        { ...validSection("governance-review", section), intent: "next" },
        { headers },
      );
      expect(post.status).toBe(410);
      expect((await storedAnswers(participant.id)).response).toBeNull();
    } finally {
      await database.db.survey.update({ where: { slug: "governance-review" }, data: { closesAt: new Date(Date.now() + 10 * 86_400_000) } });
    }
  });
});

describe("anonymous surveys", () => {
  it("resumes a draft through the link, and after submit nothing in the database links the answers to the participant", async () => {
    const headers = client();
    const participant = await createParticipant("strategic-plan-2025", { name: "Amara Unique-Name", email: "amara.unique@members.example" });
    const sections = definitions.get("strategic-plan-2025")!.sections;
    await postForm(
      `${server.url}/s/${participant.token}/section/${sections[0]!.key}`,
      { ...validSection("strategic-plan-2025", sections[0]!.key), intent: "next" },
      { headers },
    );
    const draft = await database.db.response.findFirstOrThrow({
      where: { surveyId: (await database.db.survey.findUniqueOrThrow({ where: { slug: "strategic-plan-2025" } })).id },
    });
    expect(draft.participantId).toBeNull();
    expect(draft.resumeKeyHash).not.toBeNull();
    const resumed = await postForm(`${server.url}/s/${participant.token}?index`, { intent: "start" }, { headers: client() });
    expect(resumed.headers.get("location")).toBe(`/s/${participant.token}/section/${sections[1]!.key}`);

    await answerEverything("strategic-plan-2025", participant.token, headers);
    expect((await postForm(`${server.url}/s/${participant.token}/review`, { intent: "submit", receipt: "yes" }, { headers })).status).toBe(302);

    const response = await database.db.response.findUniqueOrThrow({ where: { id: draft.id } });
    expect(response.status).toBe("submitted");
    expect(response.participantId).toBeNull();
    expect(response.resumeKeyHash).toBeNull();
    expect(response.country).toBeNull();
    for (const stamp of [response.submittedAt!, response.startedAt, response.updatedAt]) expect(stamp.getTime() % 86_400_000).toBe(0);
    const person = await database.db.participant.findUniqueOrThrow({ where: { id: participant.id } });
    expect(person.respondedAt!.getTime() % 86_400_000).toBe(0);
    expect(await database.db.outboxMessage.count({ where: { participantId: participant.id } })).toBe(0);

    // Every row of every table: the participant's identifiers never sit
    // beside the response's, and the response rows carry none of them.
    const tokenHash = (await database.db.accessToken.findFirstOrThrow({ where: { participantId: participant.id } })).tokenHash;
    const identifiers = [participant.id, tokenHash, participant.email, "Amara Unique-Name"];
    const tables = await allTableRows(database);
    expect(Object.keys(tables).length).toBeGreaterThan(15);
    for (const [table, rows] of Object.entries(tables)) {
      // The participant's own rows name them, and must not name the response.
      if (table === "Participant" || table === "AccessToken") {
        expect(rowsAsText(rows).includes(response.id), `${table} holds the response id`).toBe(false);
        continue;
      }
      const text = rowsAsText(rows);
      for (const identifier of identifiers) expect(text.includes(identifier), `${table} holds ${identifier}`).toBe(false);
    }

    // The link now only says "thank you"; the answers cannot be reopened.
    const welcome = await (await get(`${server.url}/s/${participant.token}`, { headers })).text();
    expect(welcome).toContain("You have already submitted your answers");
    expect((await get(`${server.url}/s/${participant.token}/section/${sections[0]!.key}`, { headers })).status).toBe(409);
  });
});
