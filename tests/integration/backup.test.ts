// Backups while the app runs, restored into a fresh database: SQLite's online
// backup API, or pg_dump/pg_restore (see scripts/db/backup.ts and README).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SurveyDefinition } from "~/domain/survey-definition";
import { loadSurveyDefinitions } from "~/features/surveys/files.server";
import { allTableRows, createTestDatabase, rowsAsText, type TestDatabase } from "../support/database";
import { postForm, startServer, type TestServer } from "../support/server";
import { createParticipant, syncDemoSurveys, useAsAppDatabase, validSectionAnswers } from "../support/surveys";

const SLUG = "governance-review";
let database: TestDatabase;
let server: TestServer;
let definition: SurveyDefinition;
const dir = mkdtempSync(join(tmpdir(), "parley-backup-"));
const restored: TestDatabase[] = [];

function script(command: "backup" | "restore", file: string, url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/db/backup.ts", command, file], { env: { ...process.env, DATABASE_URL: url } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** Rows per table, each table sorted, so two databases compare regardless of physical order. */
async function snapshot(target: TestDatabase): Promise<Record<string, string[]>> {
  const tables = await allTableRows(target);
  return Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, rows.map((row) => rowsAsText(row)).sort()]));
}

async function saveFirstSection(token: string): Promise<number> {
  const section = definition.sections[0]!;
  return (await postForm(`${server.url}/s/${token}/section/${section.key}`, { ...validSectionAnswers(definition, section.key), intent: "next" })).status;
}

beforeAll(async () => {
  database = await createTestDatabase("backup");
  useAsAppDatabase(database);
  await syncDemoSurveys({ open: [SLUG] });
  definition = loadSurveyDefinitions().definitions.find((candidate) => candidate.slug === SLUG)!;
  server = await startServer(database.url);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await Promise.all([database, ...restored].map((target) => target?.drop()));
  rmSync(dir, { recursive: true, force: true });
});

describe("backup and restore", () => {
  it("backs up the running app's database and restores every row into a fresh one", async () => {
    for (const participant of await Promise.all(Array.from({ length: 12 }, () => createParticipant(SLUG))))
      expect(await saveFirstSection(participant.token)).toBe(302);
    const file = join(dir, "quiet.backup");
    const backup = await script("backup", file, database.url);
    expect(backup.code, backup.output).toBe(0);

    const target = await createTestDatabase("restored");
    restored.push(target);
    const restore = await script("restore", file, target.url);
    expect(restore.code, restore.output).toBe(0);
    const [before, after] = [await snapshot(database), await snapshot(target)];
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect(after.Answer!.length).toBeGreaterThan(50);
  }, 60_000);

  it("takes a consistent copy while respondents keep saving", async () => {
    const participants = await Promise.all(Array.from({ length: 60 }, () => createParticipant(SLUG)));
    const countBefore = await database.db.answer.count();
    const file = join(dir, "busy.backup");
    const saving = Promise.all(participants.map((participant) => saveFirstSection(participant.token)));
    const backup = await script("backup", file, database.url);
    expect((await saving).every((status) => status === 302)).toBe(true);
    expect(backup.code, backup.output).toBe(0);

    const target = await createTestDatabase("restored_busy");
    restored.push(target);
    expect((await script("restore", file, target.url)).code).toBe(0);
    // A snapshot from some moment during the saves: at least what was there before, never a section in part.
    const answers = await target.db.answer.count();
    expect(answers).toBeGreaterThanOrEqual(countBefore);
    expect(answers).toBeLessThanOrEqual(await database.db.answer.count());
    const perResponse = await target.db.answer.groupBy({ by: ["responseId"], _count: { _all: true } });
    const whole = new Set(perResponse.map((row) => row._count._all));
    expect(whole.size, "every response holds the same whole section").toBe(1);
    expect(await target.db.response.count()).toBe(perResponse.length);
  }, 90_000);
});
