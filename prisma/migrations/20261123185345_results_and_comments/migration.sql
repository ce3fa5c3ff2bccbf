-- DropIndex
DROP INDEX "Answer_responseId_questionId_idx";

-- DropIndex
DROP INDEX "Response_surveyId_status_idx";

-- AlterTable
ALTER TABLE "Answer" ADD COLUMN "searchText" TEXT;

-- CreateTable
CREATE TABLE "CommentTag" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "answerId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "staffUserId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CommentTag_answerId_fkey" FOREIGN KEY ("answerId") REFERENCES "Answer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CommentTag_staffUserId_fkey" FOREIGN KEY ("staffUserId") REFERENCES "StaffUser" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CommentTag_tag_idx" ON "CommentTag"("tag");

-- CreateIndex
CREATE UNIQUE INDEX "CommentTag_answerId_tag_key" ON "CommentTag"("answerId", "tag");

-- CreateIndex
CREATE INDEX "Answer_responseId_questionId_rowId_optionId_idx" ON "Answer"("responseId", "questionId", "rowId", "optionId");

-- CreateIndex
CREATE INDEX "Response_surveyId_status_id_idx" ON "Response"("surveyId", "status", "id");

-- CreateIndex
CREATE INDEX "Response_surveyId_updatedAt_idx" ON "Response"("surveyId", "updatedAt");
