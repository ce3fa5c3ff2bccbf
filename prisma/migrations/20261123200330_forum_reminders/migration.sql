-- AlterTable
ALTER TABLE "ForumRegistration" ADD COLUMN "reminderQueuedAt" DATETIME;
