-- CreateTable
CREATE TABLE "ResultCount" (
    "surveyId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "rowId" TEXT NOT NULL,
    "optionId" TEXT NOT NULL,
    "value" REAL NOT NULL DEFAULT 0,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("surveyId", "questionId", "rowId", "optionId", "value")
);

-- Maintained counts (see schema.prisma, ResultCount, and docs/architecture.md).
-- SQLite runs row triggers as each row changes, inside the statement and so
-- inside its transaction. A response counts while its status is 'submitted'.
-- The "changes" row comes first in every statement.

-- An answer of a submitted response added or removed.
CREATE TRIGGER "ResultCount_answer_insert" AFTER INSERT ON "Answer"
WHEN (SELECT "status" FROM "Response" WHERE "id" = NEW."responseId") = 'submitted'
BEGIN
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT r."surveyId", '', '', '~', 0, 1 FROM "Response" r WHERE r."id" = NEW."responseId"
  UNION ALL SELECT r."surveyId", NEW."questionId", COALESCE(NEW."rowId", ''), COALESCE(NEW."optionId", ''), 0, 1 FROM "Response" r WHERE r."id" = NEW."responseId"
  UNION ALL SELECT r."surveyId", NEW."questionId", '', '#', NEW."numberValue", 1 FROM "Response" r WHERE r."id" = NEW."responseId" AND NEW."numberValue" IS NOT NULL
  UNION ALL SELECT r."surveyId", NEW."questionId", '', '*', 0, 1 FROM "Response" r WHERE r."id" = NEW."responseId"
    AND NOT EXISTS (SELECT 1 FROM "Answer" o WHERE o."responseId" = NEW."responseId" AND o."questionId" = NEW."questionId" AND o."id" <> NEW."id")
  ON CONFLICT DO UPDATE SET "count" = "count" + excluded."count";
END;

CREATE TRIGGER "ResultCount_answer_delete" AFTER DELETE ON "Answer"
WHEN (SELECT "status" FROM "Response" WHERE "id" = OLD."responseId") = 'submitted'
BEGIN
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT r."surveyId", '', '', '~', 0, 1 FROM "Response" r WHERE r."id" = OLD."responseId"
  UNION ALL SELECT r."surveyId", OLD."questionId", COALESCE(OLD."rowId", ''), COALESCE(OLD."optionId", ''), 0, -1 FROM "Response" r WHERE r."id" = OLD."responseId"
  UNION ALL SELECT r."surveyId", OLD."questionId", '', '#', OLD."numberValue", -1 FROM "Response" r WHERE r."id" = OLD."responseId" AND OLD."numberValue" IS NOT NULL
  UNION ALL SELECT r."surveyId", OLD."questionId", '', '*', 0, -1 FROM "Response" r WHERE r."id" = OLD."responseId"
    AND NOT EXISTS (SELECT 1 FROM "Answer" o WHERE o."responseId" = OLD."responseId" AND o."questionId" = OLD."questionId")
  ON CONFLICT DO UPDATE SET "count" = "count" + excluded."count";
END;

-- The app never updates an answer in place (it deletes and inserts), but if anything does: out with the old, in with the new.
CREATE TRIGGER "ResultCount_answer_update" AFTER UPDATE OF "responseId", "questionId", "rowId", "optionId", "numberValue" ON "Answer"
BEGIN
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT r."surveyId", '', '', '~', 0, 1 FROM "Response" r WHERE r."id" = OLD."responseId" AND r."status" = 'submitted'
  UNION ALL SELECT r."surveyId", OLD."questionId", COALESCE(OLD."rowId", ''), COALESCE(OLD."optionId", ''), 0, -1 FROM "Response" r WHERE r."id" = OLD."responseId" AND r."status" = 'submitted'
  UNION ALL SELECT r."surveyId", OLD."questionId", '', '#', OLD."numberValue", -1 FROM "Response" r WHERE r."id" = OLD."responseId" AND r."status" = 'submitted' AND OLD."numberValue" IS NOT NULL
  UNION ALL SELECT r."surveyId", OLD."questionId", '', '*', 0, -1 FROM "Response" r WHERE r."id" = OLD."responseId" AND r."status" = 'submitted'
    AND NOT EXISTS (SELECT 1 FROM "Answer" o WHERE o."responseId" = OLD."responseId" AND o."questionId" = OLD."questionId" AND o."id" <> NEW."id")
  ON CONFLICT DO UPDATE SET "count" = "count" + excluded."count";
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT r."surveyId", '', '', '~', 0, 1 FROM "Response" r WHERE r."id" = NEW."responseId" AND r."status" = 'submitted'
  UNION ALL SELECT r."surveyId", NEW."questionId", COALESCE(NEW."rowId", ''), COALESCE(NEW."optionId", ''), 0, 1 FROM "Response" r WHERE r."id" = NEW."responseId" AND r."status" = 'submitted'
  UNION ALL SELECT r."surveyId", NEW."questionId", '', '#', NEW."numberValue", 1 FROM "Response" r WHERE r."id" = NEW."responseId" AND r."status" = 'submitted' AND NEW."numberValue" IS NOT NULL
  UNION ALL SELECT r."surveyId", NEW."questionId", '', '*', 0, 1 FROM "Response" r WHERE r."id" = NEW."responseId" AND r."status" = 'submitted'
    AND NOT EXISTS (SELECT 1 FROM "Answer" o WHERE o."responseId" = NEW."responseId" AND o."questionId" = NEW."questionId" AND o."id" <> NEW."id")
  ON CONFLICT DO UPDATE SET "count" = "count" + excluded."count";
END;

-- A response entering the submitted state (inserted as submitted, or submitted later) brings its answers and segments in.
CREATE TRIGGER "ResultCount_response_insert" AFTER INSERT ON "Response"
WHEN NEW."status" = 'submitted'
BEGIN
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT NEW."surveyId", '', '', '~', 0, 1 WHERE true
  UNION ALL SELECT NEW."surveyId", '', '', '', 0, 1 WHERE true
  UNION ALL SELECT NEW."surveyId", '', 'language', NEW."language", 0, 1 WHERE NEW."language" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'region', NEW."region", 0, 1 WHERE NEW."region" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'country', NEW."country", 0, 1 WHERE NEW."country" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'unit', NEW."unit", 0, 1 WHERE NEW."unit" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", a."questionId", COALESCE(a."rowId", ''), COALESCE(a."optionId", ''), 0, COUNT(*) FROM "Answer" a WHERE a."responseId" = NEW."id" GROUP BY a."questionId", a."rowId", a."optionId"
  UNION ALL SELECT NEW."surveyId", a."questionId", '', '#', a."numberValue", COUNT(*) FROM "Answer" a WHERE a."responseId" = NEW."id" AND a."numberValue" IS NOT NULL GROUP BY a."questionId", a."numberValue"
  UNION ALL SELECT NEW."surveyId", a."questionId", '', '*', 0, 1 FROM "Answer" a WHERE a."responseId" = NEW."id" GROUP BY a."questionId"
  ON CONFLICT DO UPDATE SET "count" = "count" + excluded."count";
END;

CREATE TRIGGER "ResultCount_response_submit" AFTER UPDATE OF "status" ON "Response"
WHEN NEW."status" = 'submitted' AND OLD."status" <> 'submitted'
BEGIN
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT NEW."surveyId", '', '', '~', 0, 1 WHERE true
  UNION ALL SELECT NEW."surveyId", '', '', '', 0, 1 WHERE true
  UNION ALL SELECT NEW."surveyId", '', 'language', NEW."language", 0, 1 WHERE NEW."language" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'region', NEW."region", 0, 1 WHERE NEW."region" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'country', NEW."country", 0, 1 WHERE NEW."country" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'unit', NEW."unit", 0, 1 WHERE NEW."unit" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", a."questionId", COALESCE(a."rowId", ''), COALESCE(a."optionId", ''), 0, COUNT(*) FROM "Answer" a WHERE a."responseId" = NEW."id" GROUP BY a."questionId", a."rowId", a."optionId"
  UNION ALL SELECT NEW."surveyId", a."questionId", '', '#', a."numberValue", COUNT(*) FROM "Answer" a WHERE a."responseId" = NEW."id" AND a."numberValue" IS NOT NULL GROUP BY a."questionId", a."numberValue"
  UNION ALL SELECT NEW."surveyId", a."questionId", '', '*', 0, 1 FROM "Answer" a WHERE a."responseId" = NEW."id" GROUP BY a."questionId"
  ON CONFLICT DO UPDATE SET "count" = "count" + excluded."count";
END;

-- Leaving the submitted state (back to draft, or deleted: before the cascade removes the answers) takes them out again.
CREATE TRIGGER "ResultCount_response_unsubmit" AFTER UPDATE OF "status" ON "Response"
WHEN OLD."status" = 'submitted' AND NEW."status" <> 'submitted'
BEGIN
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT OLD."surveyId", '', '', '~', 0, 1 WHERE true
  UNION ALL SELECT OLD."surveyId", '', '', '', 0, -1 WHERE true
  UNION ALL SELECT OLD."surveyId", '', 'language', OLD."language", 0, -1 WHERE OLD."language" IS NOT NULL
  UNION ALL SELECT OLD."surveyId", '', 'region', OLD."region", 0, -1 WHERE OLD."region" IS NOT NULL
  UNION ALL SELECT OLD."surveyId", '', 'country', OLD."country", 0, -1 WHERE OLD."country" IS NOT NULL
  UNION ALL SELECT OLD."surveyId", '', 'unit', OLD."unit", 0, -1 WHERE OLD."unit" IS NOT NULL
  UNION ALL SELECT OLD."surveyId", a."questionId", COALESCE(a."rowId", ''), COALESCE(a."optionId", ''), 0, -COUNT(*) FROM "Answer" a WHERE a."responseId" = OLD."id" GROUP BY a."questionId", a."rowId", a."optionId"
  UNION ALL SELECT OLD."surveyId", a."questionId", '', '#', a."numberValue", -COUNT(*) FROM "Answer" a WHERE a."responseId" = OLD."id" AND a."numberValue" IS NOT NULL GROUP BY a."questionId", a."numberValue"
  UNION ALL SELECT OLD."surveyId", a."questionId", '', '*', 0, -1 FROM "Answer" a WHERE a."responseId" = OLD."id" GROUP BY a."questionId"
  ON CONFLICT DO UPDATE SET "count" = "count" + excluded."count";
END;

CREATE TRIGGER "ResultCount_response_delete" BEFORE DELETE ON "Response"
WHEN OLD."status" = 'submitted'
BEGIN
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT OLD."surveyId", '', '', '~', 0, 1 WHERE true
  UNION ALL SELECT OLD."surveyId", '', '', '', 0, -1 WHERE true
  UNION ALL SELECT OLD."surveyId", '', 'language', OLD."language", 0, -1 WHERE OLD."language" IS NOT NULL
  UNION ALL SELECT OLD."surveyId", '', 'region', OLD."region", 0, -1 WHERE OLD."region" IS NOT NULL
  UNION ALL SELECT OLD."surveyId", '', 'country', OLD."country", 0, -1 WHERE OLD."country" IS NOT NULL
  UNION ALL SELECT OLD."surveyId", '', 'unit', OLD."unit", 0, -1 WHERE OLD."unit" IS NOT NULL
  UNION ALL SELECT OLD."surveyId", a."questionId", COALESCE(a."rowId", ''), COALESCE(a."optionId", ''), 0, -COUNT(*) FROM "Answer" a WHERE a."responseId" = OLD."id" GROUP BY a."questionId", a."rowId", a."optionId"
  UNION ALL SELECT OLD."surveyId", a."questionId", '', '#', a."numberValue", -COUNT(*) FROM "Answer" a WHERE a."responseId" = OLD."id" AND a."numberValue" IS NOT NULL GROUP BY a."questionId", a."numberValue"
  UNION ALL SELECT OLD."surveyId", a."questionId", '', '*', 0, -1 FROM "Answer" a WHERE a."responseId" = OLD."id" GROUP BY a."questionId"
  ON CONFLICT DO UPDATE SET "count" = "count" + excluded."count";
END;

-- A submitted response's segment changing (its language is saved again with each edit).
CREATE TRIGGER "ResultCount_response_segments" AFTER UPDATE OF "language", "region", "country", "unit" ON "Response"
WHEN OLD."status" = 'submitted' AND NEW."status" = 'submitted'
  AND (OLD."language" IS NOT NEW."language" OR OLD."region" IS NOT NEW."region" OR OLD."country" IS NOT NEW."country" OR OLD."unit" IS NOT NEW."unit")
BEGIN
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT NEW."surveyId", '', '', '~', 0, 1 WHERE true
  UNION ALL SELECT NEW."surveyId", '', 'language', OLD."language", 0, -1 WHERE OLD."language" IS NOT NEW."language" AND OLD."language" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'language', NEW."language", 0, 1 WHERE OLD."language" IS NOT NEW."language" AND NEW."language" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'region', OLD."region", 0, -1 WHERE OLD."region" IS NOT NEW."region" AND OLD."region" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'region', NEW."region", 0, 1 WHERE OLD."region" IS NOT NEW."region" AND NEW."region" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'country', OLD."country", 0, -1 WHERE OLD."country" IS NOT NEW."country" AND OLD."country" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'country', NEW."country", 0, 1 WHERE OLD."country" IS NOT NEW."country" AND NEW."country" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'unit', OLD."unit", 0, -1 WHERE OLD."unit" IS NOT NEW."unit" AND OLD."unit" IS NOT NULL
  UNION ALL SELECT NEW."surveyId", '', 'unit', NEW."unit", 0, 1 WHERE OLD."unit" IS NOT NEW."unit" AND NEW."unit" IS NOT NULL
  ON CONFLICT DO UPDATE SET "count" = "count" + excluded."count";
END;

-- The responses already submitted.
INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
SELECT "surveyId", '', '', '', 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' GROUP BY "surveyId"
UNION ALL SELECT "surveyId", '', 'language', "language", 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' AND "language" IS NOT NULL GROUP BY "surveyId", "language"
UNION ALL SELECT "surveyId", '', 'region', "region", 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' AND "region" IS NOT NULL GROUP BY "surveyId", "region"
UNION ALL SELECT "surveyId", '', 'country', "country", 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' AND "country" IS NOT NULL GROUP BY "surveyId", "country"
UNION ALL SELECT "surveyId", '', 'unit', "unit", 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' AND "unit" IS NOT NULL GROUP BY "surveyId", "unit"
UNION ALL SELECT r."surveyId", a."questionId", COALESCE(a."rowId", ''), COALESCE(a."optionId", ''), 0, COUNT(*) FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE r."status" = 'submitted' GROUP BY r."surveyId", a."questionId", a."rowId", a."optionId"
UNION ALL SELECT r."surveyId", a."questionId", '', '#', a."numberValue", COUNT(*) FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE r."status" = 'submitted' AND a."numberValue" IS NOT NULL GROUP BY r."surveyId", a."questionId", a."numberValue"
UNION ALL SELECT r."surveyId", a."questionId", '', '*', 0, COUNT(DISTINCT a."responseId") FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE r."status" = 'submitted' GROUP BY r."surveyId", a."questionId";
