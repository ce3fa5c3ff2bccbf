-- AlterTable
ALTER TABLE "ForumSession" ADD COLUMN "cancelledAt" DATETIME;
