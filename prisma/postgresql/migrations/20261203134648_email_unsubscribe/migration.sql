-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "headers" TEXT;

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "unsubscribedAt" TIMESTAMP(3);
