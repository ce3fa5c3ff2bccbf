-- CreateTable
CREATE TABLE "ResultCount" (
    "surveyId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "rowId" TEXT NOT NULL,
    "optionId" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ResultCount_pkey" PRIMARY KEY ("surveyId","questionId","rowId","optionId","value")
);

-- Maintained counts (see schema.prisma, ResultCount, and docs/architecture.md),
-- written by triggers inside the transaction that changes answers or
-- responses. A response counts while its status is 'submitted'. Answers are
-- handled per statement (transition tables): a section saved or a response
-- removed is one upsert, not one per answer. Every function first bumps the
-- surveys' "changes" rows in survey order: that row lock makes concurrent
-- writers of one survey's counts queue instead of deadlocking.

CREATE FUNCTION "ResultCount_bump"(surveys TEXT[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT DISTINCT s, '', '', '~', 0::double precision, 1 FROM unnest(surveys) s ORDER BY s
  ON CONFLICT ("surveyId", "questionId", "rowId", "optionId", "value") DO UPDATE SET "count" = "ResultCount"."count" + 1;
$$;

-- Answers added (new_rows, sign 1) or removed (old_rows, sign -1), counted for
-- those of their responses that are submitted. Transition tables are visible
-- only to the trigger function's own queries, hence EXECUTE with the name.
CREATE FUNCTION "ResultCount_answer_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pass RECORD;
BEGIN
  FOR pass IN
    SELECT * FROM (VALUES ('old_rows', -1), ('new_rows', 1)) AS p(rows, sign)
    WHERE (p.rows = 'old_rows' AND TG_OP IN ('DELETE', 'UPDATE')) OR (p.rows = 'new_rows' AND TG_OP IN ('INSERT', 'UPDATE'))
  LOOP
    EXECUTE format($q$
      SELECT "ResultCount_bump"(ARRAY(SELECT DISTINCT r."surveyId" FROM %1$I x JOIN "Response" r ON r."id" = x."responseId" WHERE r."status" = 'submitted'))
    $q$, pass.rows);
    EXECUTE format($q$
      INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
      SELECT r."surveyId", x."questionId", COALESCE(x."rowId", ''), COALESCE(x."optionId", ''), 0, $1 * COUNT(*)
      FROM %1$I x JOIN "Response" r ON r."id" = x."responseId" WHERE r."status" = 'submitted'
      GROUP BY r."surveyId", x."questionId", COALESCE(x."rowId", ''), COALESCE(x."optionId", '')
      UNION ALL
      SELECT r."surveyId", x."questionId", '', '#', x."numberValue", $1 * COUNT(*)
      FROM %1$I x JOIN "Response" r ON r."id" = x."responseId" WHERE r."status" = 'submitted' AND x."numberValue" IS NOT NULL
      GROUP BY r."surveyId", x."questionId", x."numberValue"
      UNION ALL
      -- People per question: a response's first answer rows to a question add one, its last ones removed take one away.
      SELECT p."surveyId", p."questionId", '', '*', 0, $1 * COUNT(*)
      FROM (SELECT DISTINCT r."surveyId", x."responseId", x."questionId" FROM %1$I x JOIN "Response" r ON r."id" = x."responseId" WHERE r."status" = 'submitted') p
      WHERE NOT EXISTS (
        SELECT 1 FROM "Answer" o WHERE o."responseId" = p."responseId" AND o."questionId" = p."questionId"
          AND NOT EXISTS (SELECT 1 FROM %1$I y WHERE y."id" = o."id")
      )
      GROUP BY p."surveyId", p."questionId"
      ON CONFLICT ("surveyId", "questionId", "rowId", "optionId", "value") DO UPDATE SET "count" = "ResultCount"."count" + excluded."count"
    $q$, pass.rows) USING pass.sign;
  END LOOP;
  RETURN NULL;
END;
$$;

-- The app never updates an answer in place (it deletes and inserts), but if anything does: out with the old, in with the new.
CREATE TRIGGER "ResultCount_answer_insert" AFTER INSERT ON "Answer" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "ResultCount_answer_change"();
CREATE TRIGGER "ResultCount_answer_delete" AFTER DELETE ON "Answer" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "ResultCount_answer_change"();
CREATE TRIGGER "ResultCount_answer_update" AFTER UPDATE ON "Answer" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "ResultCount_answer_change"();

-- A whole response in (sign 1) or out (sign -1): its segments and all its answers.
CREATE FUNCTION "ResultCount_response"(response "Response", sign INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "ResultCount_bump"(ARRAY[response."surveyId"]);
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT response."surveyId", '', d, v, 0, sign
  FROM (VALUES ('', ''), ('language', response."language"), ('region', response."region"), ('country', response."country"), ('unit', response."unit")) AS s(d, v)
  WHERE v IS NOT NULL
  ON CONFLICT ("surveyId", "questionId", "rowId", "optionId", "value") DO UPDATE SET "count" = "ResultCount"."count" + excluded."count";
  INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
  SELECT response."surveyId", a."questionId", COALESCE(a."rowId", ''), COALESCE(a."optionId", ''), 0, sign * COUNT(*)
  FROM "Answer" a WHERE a."responseId" = response."id" GROUP BY a."questionId", COALESCE(a."rowId", ''), COALESCE(a."optionId", '')
  UNION ALL
  SELECT response."surveyId", a."questionId", '', '#', a."numberValue", sign * COUNT(*)
  FROM "Answer" a WHERE a."responseId" = response."id" AND a."numberValue" IS NOT NULL GROUP BY a."questionId", a."numberValue"
  UNION ALL
  SELECT response."surveyId", a."questionId", '', '*', 0, sign
  FROM "Answer" a WHERE a."responseId" = response."id" GROUP BY a."questionId"
  ON CONFLICT ("surveyId", "questionId", "rowId", "optionId", "value") DO UPDATE SET "count" = "ResultCount"."count" + excluded."count";
END;
$$;

CREATE FUNCTION "ResultCount_response_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."status" = 'submitted' THEN PERFORM "ResultCount_response"(NEW, 1); END IF;
    RETURN NULL;
  ELSIF TG_OP = 'DELETE' THEN
    -- BEFORE DELETE: the answers are still there (the cascade removes them after, and finds no submitted response).
    IF OLD."status" = 'submitted' THEN PERFORM "ResultCount_response"(OLD, -1); END IF;
    RETURN OLD;
  END IF;
  IF OLD."status" = 'submitted' AND NEW."status" <> 'submitted' THEN
    PERFORM "ResultCount_response"(OLD, -1);
  ELSIF NEW."status" = 'submitted' AND OLD."status" <> 'submitted' THEN
    PERFORM "ResultCount_response"(NEW, 1);
  ELSIF NEW."status" = 'submitted' AND (OLD."language", OLD."region", OLD."country", OLD."unit") IS DISTINCT FROM (NEW."language", NEW."region", NEW."country", NEW."unit") THEN
    -- A submitted response's segment changed (its language is saved again with each edit).
    PERFORM "ResultCount_bump"(ARRAY[NEW."surveyId"]);
    INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
    SELECT NEW."surveyId", '', d, v, 0, SUM(n)
    FROM (VALUES
      ('language', OLD."language", -1), ('language', NEW."language", 1), ('region', OLD."region", -1), ('region', NEW."region", 1),
      ('country', OLD."country", -1), ('country', NEW."country", 1), ('unit', OLD."unit", -1), ('unit', NEW."unit", 1)
    ) AS s(d, v, n)
    WHERE v IS NOT NULL GROUP BY d, v HAVING SUM(n) <> 0
    ON CONFLICT ("surveyId", "questionId", "rowId", "optionId", "value") DO UPDATE SET "count" = "ResultCount"."count" + excluded."count";
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "ResultCount_response_insert" AFTER INSERT ON "Response" FOR EACH ROW EXECUTE FUNCTION "ResultCount_response_change"();
CREATE TRIGGER "ResultCount_response_update" AFTER UPDATE ON "Response" FOR EACH ROW EXECUTE FUNCTION "ResultCount_response_change"();
CREATE TRIGGER "ResultCount_response_delete" BEFORE DELETE ON "Response" FOR EACH ROW EXECUTE FUNCTION "ResultCount_response_change"();

-- The responses already submitted.
INSERT INTO "ResultCount" ("surveyId", "questionId", "rowId", "optionId", "value", "count")
SELECT "surveyId", '', '', '', 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' GROUP BY "surveyId"
UNION ALL SELECT "surveyId", '', 'language', "language", 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' AND "language" IS NOT NULL GROUP BY "surveyId", "language"
UNION ALL SELECT "surveyId", '', 'region', "region", 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' AND "region" IS NOT NULL GROUP BY "surveyId", "region"
UNION ALL SELECT "surveyId", '', 'country', "country", 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' AND "country" IS NOT NULL GROUP BY "surveyId", "country"
UNION ALL SELECT "surveyId", '', 'unit', "unit", 0, COUNT(*) FROM "Response" WHERE "status" = 'submitted' AND "unit" IS NOT NULL GROUP BY "surveyId", "unit"
UNION ALL SELECT r."surveyId", a."questionId", COALESCE(a."rowId", ''), COALESCE(a."optionId", ''), 0, COUNT(*) FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE r."status" = 'submitted' GROUP BY r."surveyId", a."questionId", COALESCE(a."rowId", ''), COALESCE(a."optionId", '')
UNION ALL SELECT r."surveyId", a."questionId", '', '#', a."numberValue", COUNT(*) FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE r."status" = 'submitted' AND a."numberValue" IS NOT NULL GROUP BY r."surveyId", a."questionId", a."numberValue"
UNION ALL SELECT r."surveyId", a."questionId", '', '*', 0, COUNT(DISTINCT a."responseId") FROM "Response" r JOIN "Answer" a ON a."responseId" = r."id" WHERE r."status" = 'submitted' GROUP BY r."surveyId", a."questionId";
