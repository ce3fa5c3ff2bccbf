-- AlterTable
ALTER TABLE "ForumRegistration" ADD COLUMN     "reminderQueuedAt" TIMESTAMP(3);
