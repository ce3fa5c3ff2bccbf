-- AlterTable
ALTER TABLE "Response" ADD COLUMN     "savedSections" TEXT NOT NULL DEFAULT '';
