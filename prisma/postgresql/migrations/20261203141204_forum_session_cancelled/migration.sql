-- AlterTable
ALTER TABLE "ForumSession" ADD COLUMN     "cancelledAt" TIMESTAMP(3);
