-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Response" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surveyId" TEXT NOT NULL,
    "participantId" TEXT,
    "resumeKeyHash" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "language" TEXT NOT NULL,
    "region" TEXT,
    "country" TEXT,
    "unit" TEXT,
    "savedSections" TEXT NOT NULL DEFAULT '',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "submittedAt" DATETIME,
    CONSTRAINT "Response_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Response_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Response" ("country", "id", "language", "participantId", "region", "resumeKeyHash", "startedAt", "status", "submittedAt", "surveyId", "unit", "updatedAt") SELECT "country", "id", "language", "participantId", "region", "resumeKeyHash", "startedAt", "status", "submittedAt", "surveyId", "unit", "updatedAt" FROM "Response";
DROP TABLE "Response";
ALTER TABLE "new_Response" RENAME TO "Response";
CREATE UNIQUE INDEX "Response_participantId_key" ON "Response"("participantId");
CREATE UNIQUE INDEX "Response_resumeKeyHash_key" ON "Response"("resumeKeyHash");
CREATE INDEX "Response_surveyId_status_idx" ON "Response"("surveyId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
