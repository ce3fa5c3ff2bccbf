-- CreateTable
CREATE TABLE "ParticipantImport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surveyId" TEXT NOT NULL,
    "staffUserId" TEXT,
    "fileName" TEXT NOT NULL,
    "rows" TEXT NOT NULL,
    "errors" TEXT NOT NULL,
    "ignoredColumns" TEXT NOT NULL DEFAULT '[]',
    "total" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ParticipantImport_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Participant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surveyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "region" TEXT,
    "country" TEXT,
    "unit" TEXT,
    "timeZone" TEXT,
    "invitedAt" DATETIME,
    "lastContactedAt" DATETIME,
    "remindersSent" INTEGER NOT NULL DEFAULT 0,
    "respondedAt" DATETIME,
    "bouncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Participant_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Participant" ("bouncedAt", "country", "createdAt", "email", "id", "invitedAt", "language", "lastContactedAt", "name", "region", "respondedAt", "surveyId", "unit", "updatedAt") SELECT "bouncedAt", "country", "createdAt", "email", "id", "invitedAt", "language", "lastContactedAt", "name", "region", "respondedAt", "surveyId", "unit", "updatedAt" FROM "Participant";
DROP TABLE "Participant";
ALTER TABLE "new_Participant" RENAME TO "Participant";
CREATE INDEX "Participant_surveyId_region_idx" ON "Participant"("surveyId", "region");
CREATE UNIQUE INDEX "Participant_surveyId_email_key" ON "Participant"("surveyId", "email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ParticipantImport_createdAt_idx" ON "ParticipantImport"("createdAt");
