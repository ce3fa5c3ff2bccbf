-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "remindersSent" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "timeZone" TEXT;

-- CreateTable
CREATE TABLE "ParticipantImport" (
    "id" TEXT NOT NULL,
    "surveyId" TEXT NOT NULL,
    "staffUserId" TEXT,
    "fileName" TEXT NOT NULL,
    "rows" TEXT NOT NULL,
    "errors" TEXT NOT NULL,
    "ignoredColumns" TEXT NOT NULL DEFAULT '[]',
    "total" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ParticipantImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ParticipantImport_createdAt_idx" ON "ParticipantImport"("createdAt");

-- AddForeignKey
ALTER TABLE "ParticipantImport" ADD CONSTRAINT "ParticipantImport_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
