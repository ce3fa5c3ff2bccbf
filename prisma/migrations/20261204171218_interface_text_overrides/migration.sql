-- CreateTable
CREATE TABLE "InterfaceTextOverride" (
    "language" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "texts" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("language", "namespace"),
    CONSTRAINT "InterfaceTextOverride_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "StaffUser" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InterfaceLanguageStatus" (
    "language" TEXT NOT NULL PRIMARY KEY,
    "complete" BOOLEAN NOT NULL,
    "updatedById" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "InterfaceLanguageStatus_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "StaffUser" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
