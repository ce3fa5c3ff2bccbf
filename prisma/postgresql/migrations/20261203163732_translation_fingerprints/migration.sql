-- AlterTable
ALTER TABLE "SurveyVersion" ADD COLUMN     "sourceHashes" TEXT NOT NULL DEFAULT '{}';
