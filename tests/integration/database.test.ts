// Runs against SQLite by default and against PostgreSQL with
// TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres: the same
// models and the same raw SQL must give the same numbers on both.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { utcAt } from "../support/dates";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase("database");
});

afterAll(async () => {
  await database?.drop();
});

async function seedSurvey() {
  const { db } = database;
  const survey = await db.survey.create({
    data: {
      slug: "town-centre",
      // A survey that opens in a month: nothing here depends on its state, and no fixed date ages.
      opensAt: utcAt(30, "00:00"),
      closesAt: utcAt(61, "00:00"),
      definitionHash: "sha256-of-definition",
      sections: { create: { key: "mobility", position: 0 } },
    },
    include: { sections: true },
  });
  const question = await db.question.create({
    data: {
      surveyId: survey.id,
      sectionId: survey.sections[0]!.id,
      key: "transport",
      position: 0,
      type: "single",
      options: {
        create: [
          { key: "bike", position: 0 },
          { key: "bus", position: 1 },
          { key: "car", position: 2 },
        ],
      },
    },
    include: { options: true },
  });
  const optionId = (key: string) => question.options.find((option) => option.key === key)!.id;

  const choices: Array<[region: string, option: string]> = [
    ["north", "bike"],
    ["north", "bike"],
    ["north", "bus"],
    ["south", "bike"],
    ["south", "car"],
  ];
  for (const [index, [region, option]] of choices.entries()) {
    await db.participant.create({
      data: {
        surveyId: survey.id,
        name: `Participant ${index}`,
        email: `p${index}@example.org`,
        language: "en",
        region,
        response: {
          create: {
            surveyId: survey.id,
            status: "submitted",
            language: "en",
            region,
            submittedAt: new Date(),
            answers: { create: { questionId: question.id, optionId: optionId(option) } },
          },
        },
      },
    });
  }
  return { survey, question };
}

it("stores a survey with answers and counts them per segment with GROUP BY", async () => {
  const { db } = database;
  const { survey, question } = await seedSurvey();

  const rows = await db.$queryRaw<Array<{ region: string; option: string; answers: number | bigint }>>`
    SELECT r."region" AS "region", o."key" AS "option", COUNT(*) AS "answers"
    FROM "Answer" a
    JOIN "Response" r ON r."id" = a."responseId"
    JOIN "Option" o ON o."id" = a."optionId"
    WHERE a."questionId" = ${question.id} AND r."status" = 'submitted'
    GROUP BY r."region", o."key"
    ORDER BY r."region", o."key"`;

  // PostgreSQL returns COUNT as bigint, SQLite as a number.
  expect(rows.map((row) => ({ ...row, answers: Number(row.answers) }))).toEqual([
    { region: "north", option: "bike", answers: 2 },
    { region: "north", option: "bus", answers: 1 },
    { region: "south", option: "bike", answers: 1 },
    { region: "south", option: "car", answers: 1 },
  ]);

  // Foreign keys are enforced on both (SQLite only with PRAGMA foreign_keys):
  // deleting the survey cascades down to the answers.
  await db.survey.delete({ where: { id: survey.id } });
  expect(await db.answer.count()).toBe(0);
  expect(await db.participant.count()).toBe(0);
});
