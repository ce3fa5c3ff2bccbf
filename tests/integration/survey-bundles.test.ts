// Issue 19, storage slice: surveys versioned in the database, bundles (zips of
// the exchange files) in and out, a draft published and seen by a second
// instance at once, and bad bundles refused with a message and nothing stored.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSurveyFiles } from "~/features/surveys/files.server";
import { syncSurvey } from "~/models/survey-sync.server";
import { hashPassword } from "~/platform/password.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { cookiesFrom, get, postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase } from "../support/surveys";

const SLUG = "governance-review";
let database: TestDatabase;
let servers: TestServer[] = [];
let cookie = "";

const repoFiles = (slug: string) => [
  `surveys/${slug}.json`,
  ...readdirSync("locales")
    .filter((language) => existsSync(`locales/${language}/survey.${slug}.json`))
    .sort()
    .map((language) => `locales/${language}/survey.${slug}.json`),
];

async function download(slug: string, query = "", server = servers[0]!): Promise<Response> {
  return get(`${server.url}/staff/surveys/${slug}/bundle${query}`, { headers: { cookie } });
}

async function unzip(bytes: Uint8Array): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const files = new Map<string, string>();
  for (const file of Object.values(zip.files)) if (!file.dir) files.set(file.name, await file.async("string"));
  return files;
}

async function zipOf(files: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content, { createFolders: false });
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

function upload(bytes: Uint8Array, server = servers[0]!): Promise<Response> {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)], { type: "application/zip" }), "bundle.zip");
  form.set("note", "test");
  return fetch(`${server.url}/staff/bundles`, { method: "POST", body: form, headers: { cookie }, redirect: "manual" });
}

const counts = async () => ({ surveys: await database.db.survey.count(), versions: await database.db.surveyVersion.count() });

/** The repository's files for the survey, as an editable bundle. */
function repoBundle(slug = SLUG): Record<string, string> {
  return Object.fromEntries(repoFiles(slug).map((path) => [path, readFileSync(path, "utf8")]));
}

beforeAll(async () => {
  database = await createTestDatabase("bundles");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  await database.db.staffUser.create({
    data: {
      grants: { create: { role: "survey_manager" } },
      email: "editor@example.org",
      name: "Editor",
      passwordHash: await hashPassword("a long enough password"),
    },
  });
  servers = await Promise.all([startServer(database.url), startServer(database.url)]);
  cookie = cookiesFrom(await postForm(`${servers[0]!.url}/staff/login`, { email: "editor@example.org", password: "a long enough password" }));
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await database?.drop();
});

describe("survey versions and bundles", { timeout: 30_000 }, () => {
  it("stores the files as a published version, and syncing them again changes nothing", async () => {
    const survey = await database.db.survey.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true, publishedVersion: true } });
    expect(survey.publishedVersion).toBe(1);
    const { surveys } = loadSurveyFiles();
    const files = surveys.find((candidate) => candidate.definition.slug === SLUG)!;
    expect(await syncSurvey(files.definition, files.content)).toEqual({ slug: SLUG, outcome: "unchanged" });
    expect(await database.db.surveyVersion.count({ where: { surveyId: survey.id } })).toBe(1);
  });

  it("exports a survey as the repository's files, byte for byte", async () => {
    const response = await download(SLUG);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const files = await unzip(new Uint8Array(await response.arrayBuffer()));
    const expected = repoFiles(SLUG);
    expect([...files.keys()].sort()).toEqual([...expected].sort());
    expect(expected.length).toBeGreaterThanOrEqual(8);
    for (const path of expected) expect(files.get(path), path).toBe(readFileSync(path, "utf8"));
    expect((await download(SLUG, "?version=99")).status).toBe(404);
  });

  it("imports a changed bundle as a draft; once published, a second instance shows the new texts at once", async () => {
    const participant = await createParticipant(SLUG, { language: "en" });
    const bundle = repoBundle();
    const english = JSON.parse(bundle[`locales/en/survey.${SLUG}.json`]!) as { title: string };
    const newTitle = `${english.title} (revised)`;
    bundle[`locales/en/survey.${SLUG}.json`] = `${JSON.stringify({ ...english, title: newTitle }, null, 2)}\n`;

    // Warm both instances' caches with version 1.
    for (const server of servers) expect(await (await get(`${server.url}/s/${participant.token}`)).text()).toContain(english.title);

    const imported = await upload(await zipOf(bundle));
    expect(imported.status).toBe(302);
    expect(imported.headers.get("location")).toBe(`/staff/surveys/${SLUG}/versions?imported=2`);
    // A draft changes nothing members see.
    expect(await (await get(`${servers[1]!.url}/s/${participant.token}`)).text()).not.toContain(newTitle);
    const list = await (await get(`${servers[0]!.url}/staff/surveys/${SLUG}/versions`, { headers: { cookie } })).text();
    expect(list).toContain("Publish version 2");

    const published = await postForm(`${servers[0]!.url}/staff/surveys/${SLUG}/versions`, { intent: "publish", version: "2" }, { headers: { cookie } });
    expect(published.status).toBe(302);
    // No waiting: the survey row carries the version number.
    expect(await (await get(`${servers[1]!.url}/s/${participant.token}`)).text()).toContain(newTitle);
    expect(await (await get(`${servers[0]!.url}/s/${participant.token}`)).text()).toContain(newTitle);

    // The export is the bundle that went in; the same bundle again is refused as identical.
    const files = await unzip(new Uint8Array(await (await download(SLUG, "", servers[1])).arrayBuffer()));
    for (const [path, text] of Object.entries(bundle)) expect(files.get(path), path).toBe(text);
    const again = await upload(await zipOf(bundle));
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("identical to version 2");
  });

  it("creates a new survey from a bundle, as a draft members cannot open", async () => {
    const slug = "bundle-made";
    const bundle: Record<string, string> = {};
    for (const [path, text] of Object.entries(repoBundle("strategic-plan-2025"))) {
      bundle[path.replace("strategic-plan-2025", slug)] = path.startsWith("surveys/")
        ? text.replace('"slug": "strategic-plan-2025"', `"slug": "${slug}"`)
        : text;
    }
    const response = await upload(await zipOf(bundle));
    expect(response.status).toBe(302);
    const survey = await database.db.survey.findUniqueOrThrow({ where: { slug }, select: { status: true, publishedVersion: true } });
    expect(survey).toEqual({ status: "draft", publishedVersion: 1 });
    const page = await (await get(`${servers[1]!.url}/staff/surveys/${slug}/versions`, { headers: { cookie } })).text();
    expect(page).toContain("Published (current)");
  });

  it("refuses bad bundles with a message naming the problem, and stores nothing", async () => {
    const definition = JSON.parse(repoBundle()[`surveys/${SLUG}.json`]!) as {
      mode: string;
      sections: { questions: { key: string; type: string; showIf?: unknown }[] }[];
    };
    const first = definition.sections[0]!.questions[0]!;
    const later = definition.sections[1]!.questions.find((question) => question.type === "likert" || question.type === "single")!;
    const withDefinition = (changed: unknown) => ({ ...repoBundle(), [`surveys/${SLUG}.json`]: JSON.stringify(changed) });
    const bomb = new Uint8Array(9 * 1024 * 1024);
    const chunk = new Uint8Array(1000 * 1024).fill(32);

    const cases: [string, Uint8Array, number, string][] = [
      ["not a zip", new TextEncoder().encode("this is not a zip"), 400, "not a zip archive"],
      ["one file inflating to 9 MB", await zipOf({ [`surveys/${SLUG}.json`]: bomb }), 400, "larger than 1 MB once unpacked"],
      [
        "many files inflating past 8 MB",
        await zipOf(Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`locales/x${index}/survey.${SLUG}.json`, chunk]))),
        400,
        "possible zip bomb",
      ],
      ["a path out of the bundle", await zipOf({ ...repoBundle(), "../evil.json": "{}" }), 400, "../evil.json"],
      ["an unexpected file", await zipOf({ ...repoBundle(), "run.sh": "echo" }), 400, "run.sh is not expected"],
      [
        "a file that is not UTF-8",
        await zipOf({ ...repoBundle(), [`locales/de/survey.${SLUG}.json`]: new Uint8Array([0x7b, 0xff, 0x7d]) }),
        400,
        "is not UTF-8",
      ],
      ["a definition failing the schema", await zipOf(withDefinition({ ...definition, mode: "secret" })), 400, "mode:"],
      [
        "a condition on its own question",
        await zipOf(
          withDefinition(structuredCloneWith(definition, (copy) => (copy.sections[0]!.questions[0]!.showIf = { question: first.key, anyOf: ["agree"] }))),
        ),
        400,
        `Question “${first.key}” is shown on a condition about itself`,
      ],
      [
        "a condition pointing forward",
        await zipOf(
          withDefinition(structuredCloneWith(definition, (copy) => (copy.sections[0]!.questions[0]!.showIf = { question: later.key, anyOf: ["agree"] }))),
        ),
        400,
        `depends on “${later.key}”, which comes after it`,
      ],
    ];
    const before = await counts();
    for (const [what, bytes, status, message] of cases) {
      const response = await upload(bytes);
      expect(response.status, what).toBe(status);
      expect(await response.text(), what).toContain(message);
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses a structural change once members have answered, naming the change", async () => {
    const survey = await database.db.survey.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true } });
    const definition = JSON.parse(repoBundle()[`surveys/${SLUG}.json`]!) as { sections: { questions: { key: string; showIf?: unknown }[] }[] };
    const section = definition.sections.find((candidate) => candidate.questions.length > 1 && !candidate.questions.some((question) => question.showIf))!;
    const removed = section.questions.pop()!;
    // The impact report (tests/integration/survey-impact.test.ts) refuses removing a question only once it has answers.
    const response = await database.db.response.create({ data: { surveyId: survey.id, language: "en", status: "submitted", submittedAt: new Date() } });
    const question = await database.db.question.findFirstOrThrow({ where: { surveyId: survey.id, key: removed.key }, select: { id: true } });
    await database.db.answer.create({ data: { responseId: response.id, questionId: question.id, textValue: "An answer" } });
    const before = await counts();
    const refused = await upload(await zipOf({ ...repoBundle(), [`surveys/${SLUG}.json`]: JSON.stringify(definition, null, 2) }));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(`question “${removed.key}” removed (1 answer)`);
    expect(await counts()).toEqual(before);
  });
});

function structuredCloneWith<T>(value: T, change: (copy: T) => void): T {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}
