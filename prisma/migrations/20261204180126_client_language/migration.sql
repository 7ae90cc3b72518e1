-- AlterTable
ALTER TABLE "User" ADD COLUMN     "clientLanguage" TEXT;
