-- CreateTable
CREATE TABLE "MailingJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "surveyId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "gapDays" INTEGER NOT NULL,
    "origin" TEXT NOT NULL,
    "expected" INTEGER NOT NULL,
    "queued" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'running',
    "lastError" TEXT,
    "staffUserId" TEXT,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "MailingJob_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "MailingJob_surveyId_createdAt_idx" ON "MailingJob"("surveyId", "createdAt");

-- CreateIndex
CREATE INDEX "MailingJob_status_claimedUntil_idx" ON "MailingJob"("status", "claimedUntil");
